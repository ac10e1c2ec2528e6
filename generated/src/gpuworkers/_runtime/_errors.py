"""The exception hierarchy. Messages are one line and never carry credentials.

Errors about a request say what was asked (method and URL, credentials redacted) and what
went wrong, in that order: ``Connection error: GET https://api.example.com/v1/workers:
[Errno 111] Connection refused``.
"""

from __future__ import annotations

import re
from typing import Literal

import httpx

__all__ = [
    "TimeoutPhase",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "GpuWorkersError",
    "InternalServerError",
    "InvalidArgumentError",
    "MissingBaseURLError",
    "MissingCredentialsError",
    "NotFoundError",
    "PathParameterError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooDeepError",
    "ResponseTooLargeError",
    "UnprocessableEntityError",
    "REQUEST_ID_HEADERS",
    "bare_url",
    "request_id",
    "one_line",
    "status_error_class",
]

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")


_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")

TimeoutPhase = Literal["connect", "read", "write", "pool", "total"]


class GpuWorkersError(Exception):
    """Base class of every error this package raises; ``str(error)`` is one line."""

    def __init__(self, *args: object) -> None:
        if len(args) == 1 and isinstance(args[0], str):
            args = (one_line(args[0]),)  # a traceback's last line, a log line: never split
        super().__init__(*args)


def one_line(text: str) -> str:
    """``text`` with its line breaks (and the blanks around them) turned into single spaces."""
    return _LINE_BREAKS.sub(" ", text).strip()


class MissingCredentialsError(GpuWorkersError):
    """No authentication scheme of the provider (or of an operation) could be satisfied.

    Raised at client construction for the API's own schemes; for an operation whose schemes
    differ from the API's, when it is called, before anything is sent.
    """


class MissingBaseURLError(GpuWorkersError):
    """The client has no absolute http(s) base URL (the API document gives none)."""


class PathParameterError(GpuWorkersError, ValueError):
    """A path parameter that is missing, empty or not exactly one URL segment (``.``, ``..``).

    Raised before anything is sent: a dot segment would be collapsed by the URL layer or
    the server, so the call would reach another resource than the one named.
    """


class InvalidArgumentError(GpuWorkersError, ValueError):
    """Arguments of a call that the API document does not allow; raised before anything is sent.

    ``problems`` maps each bad argument (its Python name; a nested field as
    ``resources[0].gpuCount``) to why it is refused; ``str(e)`` names them all on one line.
    """

    problems: dict[str, str]

    def __init__(self, operation: str, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        listed = "; ".join(f"{name}: {why}" for name, why in self.problems.items())
        count = len(self.problems)
        noun = "argument" if count == 1 else "arguments"
        super().__init__(f"{operation}: {count} invalid {noun}: {listed}")


class APIError(GpuWorkersError):
    """An error about one request: ``request`` is what was sent, ``body`` what came back."""

    message: str
    request: httpx.Request
    body: object | None

    def __init__(self, message: str, request: httpx.Request, *, body: object | None) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """No response: the connection could not be made or broke (``__cause__`` is httpx's).

    ``str(error)``: ``Connection error: GET https://host/path: [Errno 111] Connection
    refused``. ``url`` is the request's URL with credentials redacted, ``cause`` the
    last part alone.
    """

    url: str
    cause: str

    def __init__(
        self,
        request: httpx.Request,
        *,
        message: str | None = None,
        cause: str = "",
        url: str | None = None,
    ) -> None:
        self.url = url if url is not None else bare_url(request.url)
        self.cause = one_line(cause)
        if message is None:
            message = _about("Connection error", request.method, self.url, self.cause)
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """A limit of ``timeout=`` ran out before the response was complete.

    ``phase`` says which: ``"connect"``, ``"read"``, ``"write"``, ``"pool"`` (waiting for a
    free connection) or ``"total"`` (the whole call, retries and waits included); ``limit``
    is that limit in seconds, when known.
    """

    phase: TimeoutPhase | None
    limit: float | None

    def __init__(
        self,
        request: httpx.Request,
        *,
        phase: TimeoutPhase | None = None,
        limit: float | None = None,
        url: str | None = None,
        message: str | None = None,
    ) -> None:
        self.phase = phase
        self.limit = limit
        cause = _timeout_cause(phase, limit)
        url = url if url is not None else bare_url(request.url)
        if message is None:
            message = _about("Request timed out", request.method, url, cause)
        super().__init__(request, message=message, cause=cause, url=url)


def bare_url(url: httpx.URL) -> str:
    """``url`` without userinfo and query: safe to show when nothing better is known."""
    return str(url.copy_with(username=None, password=None, query=None, fragment=None))


def _about(what: str, method: str, url: str, cause: str) -> str:
    text = f"{what}: {method} {url}"
    return f"{text}: {cause}" if cause else f"{text}."


_PHASE_LIMITS: dict[str, str] = {
    "connect": "no connection within the connect timeout",
    "read": "no data within the read timeout",
    "write": "could not send within the write timeout",
    "pool": "no free connection in the pool within the pool timeout",
    "total": "the call's total timeout expired",
}


def _timeout_cause(phase: TimeoutPhase | None, limit: float | None) -> str:
    if phase is None:
        return "timed out"
    text = _PHASE_LIMITS[phase]
    if limit is None:
        return text
    seconds = f"{limit:g} s"
    return f"{text} ({seconds})" if phase == "total" else f"{text} of {seconds}"


class APIResponseValidationError(APIError):
    """The response is not JSON, or does not match the declared type."""

    response: httpx.Response
    status_code: int

    def __init__(self, response: httpx.Response, body: object | None, *, message: str) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class ResponseTooLargeError(APIResponseValidationError):
    """The body is larger than ``max_response_size`` (counted decompressed); reading stopped.

    ``status_code`` and ``response.headers`` are those of the refused response; its body was
    not kept.
    """

    limit: int

    def __init__(self, response: httpx.Response, *, limit: int) -> None:
        message = (
            f"Response body exceeds max_response_size={limit} bytes "
            f"(HTTP {response.status_code}); reading stopped there."
        )
        super().__init__(response, None, message=message)
        self.limit = limit


class ResponseTooDeepError(APIResponseValidationError):
    """The body is JSON nested deeper than ``max_json_depth``; it was not parsed.

    ``limit`` is None when no limit was set and the JSON was deeper than Python can parse.
    """

    limit: int | None

    def __init__(self, response: httpx.Response, *, limit: int | None) -> None:
        message = (
            f"Response JSON nests deeper than max_json_depth={limit} "
            f"(HTTP {response.status_code}, {len(response.content)} bytes)."
        )
        super().__init__(response, None, message=message)
        self.limit = limit


class APIStatusError(APIError):
    """The service answered with a failure: a non-2xx status, or a failure envelope in a 2xx."""

    response: httpx.Response
    status_code: int
    request_id: str | None
    code: int | str | None
    subcode: int | str | None
    envelope_message: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        code: int | str | None = None,
        subcode: int | str | None = None,
        envelope_message: str | None = None,
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = request_id(response.headers)
        self.code = code
        self.subcode = subcode
        self.envelope_message = envelope_message


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The error class for an HTTP status (or an HTTP-like envelope code)."""
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def request_id(headers: httpx.Headers) -> str | None:
    """The id the service gave the request, from the first header that carries one."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None

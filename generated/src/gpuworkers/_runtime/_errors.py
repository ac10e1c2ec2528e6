"""The exception hierarchy. Messages are one line and never carry credentials."""

from __future__ import annotations

import httpx

__all__ = [
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
    "status_error_class",
]

_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")


class GpuWorkersError(Exception):
    """Base class of every error this package raises."""


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
    message: str
    request: httpx.Request
    body: object | None

    def __init__(self, message: str, request: httpx.Request, *, body: object | None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    def __init__(self, request: httpx.Request, *, message: str = "Connection error.") -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, message="Request timed out.")


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
        self.request_id = _request_id(response.headers)
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


def _request_id(headers: httpx.Headers) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None

"""The logic both clients share: request building, retry decisions, error mapping, parsing.

``SyncAPIClient`` and ``AsyncAPIClient`` (in ``_client``) only add the I/O loop around it.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import logging
import os
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import httpx
import pydantic

from ._arguments import bind
from ._auth import NamedSecrets, ResolvedAuth, credential_values, resolve_auth
from ._bounded_read import (
    DEFAULT_MAX_JSON_DEPTH,
    DEFAULT_MAX_RESPONSE_SIZE,
    JSONTooDeep,
    check_limit,
    loads_within,
)
from ._config import AuthScheme, Endpoint, Envelope, ProviderConfig
from ._content import accept_header, accepts_none, decodes_json, encode_content, media_kind
from ._deadline import Deadline
from ._envelope import EnvelopeFailure, error_fields, find_failure, lacks_code, unwrap
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ResponseTooDeepError,
    TimeoutPhase,
    request_id,
    status_error_class,
)
from ._logging import DETAIL_LIMIT, Redactor, logger, setup_logging, truncate
from ._models import validate_as
from ._origin import attach_credentials, redirect_to_follow
from ._params import parameter_headers
from ._request import (
    absolute_base_url,
    encode_query,
    fill_path,
    join_url,
    operation_base_url,
    split_target,
    user_agent,
)
from ._response import APIResponse, raw_response_requested, stream_requested
from ._retry import (
    RETRY_COUNT_HEADER,
    backoff_delay,
    is_retryable_error,
    is_retryable_status,
    retry_after,
)
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout, as_timeout

__all__ = ["BaseClient", "PreparedCall"]

T = TypeVar("T")
HttpxClientT = TypeVar("HttpxClientT", httpx.Client, httpx.AsyncClient)
ClientT = TypeVar("ClientT", bound="BaseClient[Any]")

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)
_NONE_TYPE = type(None)
_URLS_KEPT = 256  # parsed URLs a client remembers; all are dropped when it is full
_DEADLINE_SLACK = 0.05  # a timeout this close to the total deadline is the deadline's
_TIMEOUT_PHASES: tuple[tuple[type[httpx.TimeoutException], TimeoutPhase], ...] = (
    (httpx.ConnectTimeout, "connect"),
    (httpx.ReadTimeout, "read"),
    (httpx.WriteTimeout, "write"),
    (httpx.PoolTimeout, "pool"),
)


@dataclass(frozen=True, repr=False)
class PreparedCall:
    """Everything about one call that stays the same across its attempts.

    Credential headers are not here: they are added to each request bound for the
    configured origin (``_origin.attach_credentials``).
    """

    endpoint: Endpoint
    url: httpx.URL  # query included, parsed once rather than on every attempt
    params: httpx.QueryParams  # the same query, for httpx to merge with its client's params
    content: bytes | None
    headers: httpx.Headers
    timeout: Timeout  # its ``total`` bounds the whole call, every attempt and wait included
    max_retries: int
    idempotent: bool  # the operation is, or the call carries an idempotency key
    max_response_size: int | None
    max_json_depth: int | None
    auth: ResolvedAuth  # the provider's credentials, or the operation's own
    # Where credentials go: the client's base URL, or the operation's own server (the API
    # document names it, as it names the base URL).
    origin: httpx.URL

    def __repr__(self) -> str:
        # No URL (a query may hold a key) and no body (it may hold one too): what a
        # traceback's locals or an error tracker may show.
        return f"PreparedCall({self.endpoint.method} {self.endpoint.path})"


class BaseClient(Generic[HttpxClientT]):
    base_url: str
    timeout: Timeout
    max_retries: int
    max_response_size: int | None
    max_json_depth: int | None
    _http: HttpxClientT

    def __init__(
        self,
        *,
        config: ProviderConfig,
        credentials: Mapping[str, str | None],
        base_url: str | None,
        timeout: float | httpx.Timeout | None | NotGiven,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        http_client: HttpxClientT | None,
        max_response_size: int | None | NotGiven = NOT_GIVEN,
        max_json_depth: int | None | NotGiven = NOT_GIVEN,
    ) -> None:
        setup_logging(os.environ)
        self._config = config
        self._auth: ResolvedAuth = resolve_auth(config, credentials, os.environ)
        # Operations with their own schemes resolve them on first use, from these.
        self._credentials = NamedSecrets(credentials)
        self._operation_auth: dict[tuple[AuthScheme, ...], ResolvedAuth] = {}
        found: list[str] = credential_values(config, credentials, os.environ)
        self._redactor = Redactor((*self._auth.secrets, *found), config.secret_fields)
        self.base_url = absolute_base_url(base_url or _env_base_url(config), config)
        self.timeout = _client_timeout(timeout, http_client, config)
        retries = config.retry.max_retries if max_retries is None else max_retries
        self.max_retries = _check_retries(retries)
        self.max_response_size = _limit("max_response_size", max_response_size,
                                        DEFAULT_MAX_RESPONSE_SIZE)
        self.max_json_depth = _limit("max_json_depth", max_json_depth, DEFAULT_MAX_JSON_DEPTH)
        self._default_headers = dict(default_headers or {})
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._make_http_client()
        self._random: Callable[[], float] = random.random
        self._now: Callable[[], float] = time.time
        self._urls: dict[str, httpx.URL] = {}

    def _make_http_client(self) -> HttpxClientT:
        raise NotImplementedError

    def _bind_resources(self) -> None:
        """Hook for generated subclasses: create the resource objects."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._redactor.url(httpx.URL(self.base_url))!r})"

    def with_options(
        self: ClientT,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
        max_response_size: int | None | NotGiven = NOT_GIVEN,
        max_json_depth: int | None | NotGiven = NOT_GIVEN,
    ) -> ClientT:
        """A shallow copy with other settings, sharing this client's connection pool."""
        clone = copy.copy(self)
        clone._owns_http = False
        if not isinstance(timeout, NotGiven):
            clone.timeout = as_timeout(timeout)
        clone.max_response_size = _limit("max_response_size", max_response_size,
                                         self.max_response_size)
        clone.max_json_depth = _limit("max_json_depth", max_json_depth, self.max_json_depth)
        if max_retries is not None:
            clone.max_retries = _check_retries(max_retries)
        if default_headers is not None:
            clone._default_headers = {**self._default_headers, **default_headers}
        if base_url is not None:
            clone.base_url = absolute_base_url(base_url, self._config)
        clone._bind_resources()
        return clone

    # -- building -------------------------------------------------------------------------

    def _prepare(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        body: object,
        options: RequestOptions,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
    ) -> PreparedCall:
        # Arguments first: a bad one is refused before credentials or anything else.
        bound = bind(endpoint, path=path_params, query=query, headers=headers, cookies=cookies,
                     body=body)
        if bound.headers or bound.cookies:
            extra = parameter_headers(options.extra_headers, headers=bound.headers,
                                      cookies=bound.cookies)
            options = dataclasses.replace(options, extra_headers=extra)
        auth = self._auth_for(endpoint)
        content, content_type = encode_content(
            endpoint.request_media, endpoint.form_styles, bound.body, options.extra_body,
            auth.body_fields, part_types=endpoint.part_types,
        )
        timeout = self.timeout
        if not isinstance(options.timeout, NotGiven):
            timeout = as_timeout(options.timeout)
        retries = self.max_retries
        if not isinstance(options.max_retries, NotGiven):
            retries = _check_retries(options.max_retries)
        base = operation_base_url(self.base_url, endpoint.server, self._config.base_url)
        path, fixed_query = split_target(endpoint.path)
        url = join_url(base, fill_path(path, bound.path))
        extra_query = {**auth.query, **(options.extra_query or {})} if auth.query else (
            options.extra_query)
        params = httpx.QueryParams(fixed_query + encode_query(bound.query, extra_query))
        headers = self._headers(content_type, accept_header(endpoint.response_media), options)
        return PreparedCall(
            endpoint=endpoint,
            url=self._parse_url(f"{url}?{params}" if params else url),
            params=params,
            content=content,
            headers=headers,
            timeout=timeout,
            max_retries=retries,
            idempotent=endpoint.idempotent or self._add_idempotency_key(headers),
            max_response_size=_limit("max_response_size", options.max_response_size,
                                     self.max_response_size),
            max_json_depth=_limit("max_json_depth", options.max_json_depth,
                                  self.max_json_depth),
            auth=auth,
            origin=self._parse_url(base),
        )

    def _auth_for(self, endpoint: Endpoint) -> ResolvedAuth:
        """The provider's credentials, or the operation's own (resolved on first use)."""
        if endpoint.auth is None:
            return self._auth
        auth = self._operation_auth.get(endpoint.auth)
        if auth is None:
            auth = resolve_auth(self._config, self._credentials, os.environ, endpoint.auth)
            self._operation_auth[endpoint.auth] = auth
        return auth

    def _add_idempotency_key(self, headers: httpx.Headers) -> bool:
        """One key per call, the same on every attempt; True when the call carries one."""
        name = self._config.retry.idempotency_header
        if name is None:
            return False
        if name not in headers:  # a key the caller chose (extra_headers) is kept
            headers[name] = str(uuid.uuid4())
        return True

    def _parse_url(self, text: str) -> httpx.URL:
        """``httpx.URL(text)``, remembered by this client (and its ``with_options`` copies).

        httpx checks a URL in pure Python, the runtime's largest own cost per call, and a
        client mostly repeats a few URLs (polling).  A URL is immutable, so sharing is safe;
        the memory goes with the client rather than outliving it in a module-level cache.
        """
        url = self._urls.get(text)
        if url is None:
            if len(self._urls) >= _URLS_KEPT:
                self._urls.clear()
            url = self._urls[text] = httpx.URL(text)
        return url

    def _headers(
        self, content_type: str | None, accept: str, options: RequestOptions
    ) -> httpx.Headers:
        headers = httpx.Headers({"User-Agent": user_agent(), "Accept": accept})
        if content_type is not None:
            headers["Content-Type"] = content_type
        # Credentials are not a layer: ``_origin.attach_credentials`` adds them per request.
        layers = (self._config.default_headers, self._default_headers, options.extra_headers or {})
        for layer in layers:
            for name, value in layer.items():
                headers[name] = value  # replaces case-insensitively: later layers win
        return headers

    def _build_request(
        self, call: PreparedCall, retries_taken: int, deadline: Deadline
    ) -> httpx.Request:
        headers = call.headers.copy()
        headers[RETRY_COUNT_HEADER] = str(retries_taken)
        # Given params, httpx re-parses the URL with its query replaced by the client's default
        # params merged with these (ours win); that is needed only when there are defaults.
        request = self._http.build_request(
            call.endpoint.method,
            call.url,
            params=call.params if self._http.params else None,
            content=call.content,
            headers=headers,
            timeout=deadline.cap(call.timeout),
        )
        attach_credentials(request, call.origin, call.auth)
        return request

    def _redirect_to_follow(
        self, response: httpx.Response, call: PreparedCall, hops: int
    ) -> httpx.Request | None:
        return redirect_to_follow(response, hops, self._http, call.origin, call.auth)

    # -- retry decisions ------------------------------------------------------------------

    def _wait_after_error(
        self,
        exc: httpx.RequestError,
        call: PreparedCall,
        request: httpx.Request,
        retries: int,
        deadline: Deadline,
    ) -> float:
        """Seconds to wait before retrying a failed attempt; raises when not retrying."""
        if logger.isEnabledFor(logging.INFO):
            logger.info("%s %s failed: %s (attempt %d)", request.method,
                        self._redactor.url(request.url), type(exc).__name__, retries + 1)
        if retries < call.max_retries and is_retryable_error(exc, call.idempotent):
            wait = backoff_delay(self._config.retry, retries, self._random)
            if deadline.allows(wait):
                return self._log_retry(request, wait)
        raise self._connection_error(exc, request, deadline) from exc

    def _connection_error(
        self, exc: httpx.RequestError, request: httpx.Request, deadline: Deadline
    ) -> APIConnectionError:
        """The error for a failed attempt: what was asked (credentials redacted) and why."""
        url = self._redactor.url(request.url)
        if isinstance(exc, httpx.TimeoutException):
            phase, limit = _timeout_phase(exc, request, deadline)
            return APITimeoutError(request, phase=phase, limit=limit, url=url)
        cause = self._redactor.text(str(exc).strip()) or type(exc).__name__
        return APIConnectionError(request, cause=cause, url=url)

    def _wait_after_response(
        self,
        response: httpx.Response,
        call: PreparedCall,
        retries: int,
        started: float,
        deadline: Deadline,
    ) -> float | None:
        """Seconds to wait before retrying, or None when this response is the answer."""
        self._log_response(response, retries, time.monotonic() - started)
        if response.is_success or retries >= call.max_retries:
            return None
        if not is_retryable_status(response.status_code, call.idempotent, self._config.retry):
            return None
        asked = retry_after(response.headers, self._now())
        if asked is not None and asked > self._config.retry.max_retry_after:
            return None  # the server wants longer than we wait: give its error to the caller
        wait = backoff_delay(self._config.retry, retries, self._random) if asked is None else asked
        if not deadline.allows(wait):
            return None  # no time left for another attempt: this failure is the answer
        return self._log_retry(response.request, wait)

    # -- results --------------------------------------------------------------------------

    def _finish(
        self,
        response: httpx.Response,
        call: PreparedCall,
        cast_to: type[T],
        retries_taken: int,
        started: float,
    ) -> T:
        if not response.is_success:
            raise self._status_error(response, call.endpoint, call.max_json_depth)
        endpoint = call.endpoint
        envelope = self._envelope(endpoint) if decodes_json(endpoint.response_media) else None
        depth = call.max_json_depth
        if not raw_response_requested():
            return self._parse_body(response, endpoint, envelope, cast_to, depth)
        if not stream_requested():  # a streamed body is checked when the caller parses it
            self._check_envelope(response, envelope, depth)
        elapsed = datetime.timedelta(seconds=time.monotonic() - started)
        raw = APIResponse(response,
                          parse=lambda: self._parse_body(response, endpoint, envelope, cast_to,
                                                         depth),
                          retries_taken=retries_taken, elapsed=elapsed, max_json_depth=depth)
        return cast(T, raw)

    def _envelope(self, endpoint: Endpoint) -> Envelope | None:
        return self._config.envelope if endpoint.envelope else None

    def _parse_body(
        self, response: httpx.Response, endpoint: Endpoint, envelope: Envelope | None,
        cast_to: type[T], max_depth: int | None,
    ) -> T:
        """Text as ``str``, anything else not JSON as ``bytes``; JSON through ``_parse``."""
        if not response.content and accepts_none(cast_to):
            return cast(T, None)  # 204, or an empty body where the document allows one
        if decodes_json(endpoint.response_media):
            return self._parse(response, envelope, cast_to, max_depth)
        kind = media_kind(endpoint.response_media)
        return cast(T, response.text if kind == "text" else response.content)

    def _parse(
        self,
        response: httpx.Response,
        envelope: Envelope | None,
        cast_to: type[T],
        max_depth: int | None,
    ) -> T:
        if cast_to is _NONE_TYPE and not response.content.strip():
            return cast(T, None)
        data = self._decode(response, max_depth)
        if envelope is not None:
            self._raise_for_envelope(response, envelope, data)
            data = unwrap(envelope, data)
        if cast_to is _NONE_TYPE:
            return cast(T, None)
        try:
            return validate_as(cast_to, data)
        except pydantic.ValidationError as exc:
            message = _validation_message(cast_to, exc, self._asked(response))
            raise APIResponseValidationError(response, data, message=message) from None

    def _check_envelope(
        self, response: httpx.Response, envelope: Envelope | None, max_depth: int | None
    ) -> None:
        """Raise for a failure envelope; a body that is not JSON is left for ``parse()``."""
        if envelope is None:
            return
        try:
            data = loads_within(response.content, max_depth)
        except ValueError:  # not JSON, or too deep: parse() raises for it
            return
        self._raise_for_envelope(response, envelope, data)

    def _raise_for_envelope(self, response: httpx.Response, envelope: Envelope, data: object
                            ) -> None:
        failure = find_failure(envelope, data)
        if failure is not None:
            raise self._envelope_error(response, data, failure)
        if lacks_code(envelope, data):
            message = f"Response has no {envelope.code!r}, the field that says success: "
            shown = self._redactor.for_request(sent_body(response.request)).value(data)
            message += f"{self._asked(response)}: HTTP {response.status_code}: {shown}"
            raise APIResponseValidationError(response, data, message=message)

    def _decode(self, response: httpx.Response, max_depth: int | None) -> object:
        try:
            return loads_within(response.content, max_depth)
        except JSONTooDeep:
            raise ResponseTooDeepError(response, limit=max_depth) from None
        except ValueError:  # JSONDecodeError and UnicodeDecodeError both
            status = response.status_code
            message = f"Response body is not valid JSON: {self._asked(response)}: "
            message += f"HTTP {status}, {len(response.content)} bytes"
            raise APIResponseValidationError(response, response.text, message=message) from None

    def _asked(self, response: httpx.Response) -> str:
        """``METHOD URL`` of the request ``response`` answers, credentials redacted."""
        request = response.request
        return f"{request.method} {self._redactor.url(request.url)}"

    def _status_error(
        self, response: httpx.Response, endpoint: Endpoint, max_depth: int | None
    ) -> APIStatusError:
        body = _body_of(response, max_depth)
        fields = error_fields(self._envelope(endpoint), body)
        error_class = status_error_class(response.status_code)
        return self._make_status_error(error_class, response, body, fields)

    def _envelope_error(
        self, response: httpx.Response, body: object, failure: EnvelopeFailure
    ) -> APIStatusError:
        error_class = status_error_class(failure.status_family())
        return self._make_status_error(error_class, response, body, failure)

    def _make_status_error(
        self,
        error_class: type[APIStatusError],
        response: httpx.Response,
        body: object,
        fields: EnvelopeFailure,
    ) -> APIStatusError:
        redactor = self._redactor.for_request(sent_body(response.request))
        if fields.message:  # redacted before it is cut: a cut credential would not match
            detail = truncate(redactor.text(" ".join(fields.message.split())), DETAIL_LIMIT)
        else:  # the body, redacted, on one line and cut likewise
            detail = redactor.value(body) if body not in (None, "") else ""
        notes = [f"{name}={value}" for name, value in (
            ("code", fields.code), ("subcode", fields.subcode),
            ("request_id", request_id(response.headers))) if value is not None]
        message = f"HTTP {response.status_code}"
        if response.reason_phrase:
            message += f" {response.reason_phrase}"
        if response.is_success:  # the status says success, the envelope says otherwise
            message += " with a failure body"
        message += f": {self._asked(response)}"
        if detail:
            message += f": {detail}"
        if notes:
            message += f" ({', '.join(notes)})"
        message = redactor.text(" ".join(message.split()))
        return error_class(message, response=response, body=body, code=fields.code,
                           subcode=fields.subcode, envelope_message=fields.message)

    # -- logging --------------------------------------------------------------------------

    def _log_response(self, response: httpx.Response, retries: int, elapsed: float) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return  # redacting the URL is most of this method's cost: skip it when unused
        request = response.request
        logger.info("%s %s -> %d (attempt %d, %.3fs)", request.method,
                    self._redactor.url(request.url), response.status_code, retries + 1, elapsed)
        if logger.isEnabledFor(logging.DEBUG):
            sent = sent_body(request)
            redact = self._redactor.for_request(sent)
            logger.debug("request headers: %s", redact.headers(request.headers))
            logger.debug("request body: %s", redact.body(sent))
            logger.debug("response headers: %s", redact.headers(response.headers))
            if not stream_requested():  # a streamed body is the caller's to read
                logger.debug("response body: %s", redact.body(response.content))

    def _log_retry(self, request: httpx.Request, wait: float) -> float:
        logger.info("retrying %s %s in %.2fs", request.method, self._redactor.url(request.url),
                    wait)
        return wait


def _timeout_phase(
    exc: httpx.TimeoutException, request: httpx.Request, deadline: Deadline
) -> tuple[TimeoutPhase, float | None]:
    """Which limit ran out, and its length in seconds (when known).

    The total deadline shortens every phase limit to the time left (``Deadline.cap``) and
    cancels what is still running at its end, so any timeout at the deadline is the total's.
    """
    if deadline.expires is not None and deadline.remaining_at_most(_DEADLINE_SLACK):
        return "total", deadline.total
    phase: TimeoutPhase = "read"
    for kind, name in _TIMEOUT_PHASES:
        if isinstance(exc, kind):
            phase = name
            break
    limits = request.extensions.get("timeout")
    limit = limits.get(phase) if isinstance(limits, dict) else None
    return phase, limit if isinstance(limit, int | float) else None


def sent_body(request: httpx.Request) -> bytes:
    """The body a request carried, also for a redirect's request, whose body httpx keeps as
    the original's stream, never read into ``content`` (``Response.next_request``)."""
    try:
        return request.content
    except httpx.RequestNotRead:
        stream = request.stream
        return b"".join(stream) if isinstance(stream, httpx.ByteStream) else b""


def _env_base_url(config: ProviderConfig) -> str | None:
    for name in config.base_url_env:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def _client_timeout(
    timeout: float | httpx.Timeout | None | NotGiven,
    http_client: httpx.Client | httpx.AsyncClient | None,
    config: ProviderConfig,
) -> Timeout:
    if not isinstance(timeout, NotGiven):
        return as_timeout(timeout)
    if http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT:
        return as_timeout(http_client.timeout)  # the caller configured their client: respect it
    return as_timeout(config.default_timeout)


def _limit(name: str, value: int | None | NotGiven, default: int | None) -> int | None:
    """A size or depth limit as given (``None``: unlimited), or ``default`` when not given."""
    return default if isinstance(value, NotGiven) else check_limit(name, value)


def _check_retries(value: int) -> int:
    if value < 0:
        raise ValueError("max_retries must be >= 0")
    return value


def _body_of(response: httpx.Response, max_depth: int | None) -> object:
    try:
        return loads_within(response.content, max_depth)
    except ValueError:  # not JSON, or too deep to parse safely: the status says what failed
        return response.text


def _validation_message(cast_to: object, exc: pydantic.ValidationError, asked: str) -> str:
    name = getattr(cast_to, "__name__", repr(cast_to))
    first = exc.errors(include_url=False, include_input=False)[0]
    location = ".".join(str(part) for part in first["loc"]) or "<root>"
    return (f"Response data did not match {name}: {asked}: {exc.error_count()} error(s); "
            f"first at {location}: {first['msg']}")

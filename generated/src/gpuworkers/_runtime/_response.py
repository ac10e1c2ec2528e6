"""Raw-response access: ``APIResponse`` and the wrappers generated ``with_raw_response`` and
``with_streaming_response`` use."""

from __future__ import annotations

import contextvars
import datetime
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from ._bounded_read import DEFAULT_MAX_JSON_DEPTH, loads_within

__all__ = [
    "APIResponse",
    "AsyncStreamedResponse",
    "StreamedResponse",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "raw_response_requested",
    "stream_requested",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

T = TypeVar("T")
P = ParamSpec("P")

# Set while a raw-response wrapper runs: the client's `request` then returns the APIResponse
# instead of the parsed value. A contextvar follows the call into coroutines and is never
# visible to other threads or tasks.
_RAW = contextvars.ContextVar("gpuworkers_raw_response", default=False)
# Set while a streaming wrapper sends its request: the body is left unread for the caller.
_STREAM = contextvars.ContextVar("gpuworkers_stream_response", default=False)

_UNPARSED = object()


class APIResponse(Generic[T]):
    """The HTTP response of a successful call, parsed on demand with ``parse()``.

    Read like an ``httpx.Response``: ``status_code``, ``headers``, ``content``, ``text``,
    ``url`` and ``http_response`` (the ``httpx.Response`` itself) are properties, ``json()``
    decodes the body, ``parse()`` gives what the method would have returned.
    """

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[], T],
        retries_taken: int,
        elapsed: datetime.timedelta,
        max_json_depth: int | None = DEFAULT_MAX_JSON_DEPTH,
    ) -> None:
        self._http_response = http_response
        self.retries_taken = retries_taken
        self.elapsed = elapsed
        self._parse = parse
        self._parsed: object = _UNPARSED
        self._max_json_depth = max_json_depth

    @property
    def http_response(self) -> httpx.Response:
        return self._http_response

    @property
    def status_code(self) -> int:
        return self._http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self._http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self._http_response.request

    @property
    def url(self) -> httpx.URL:
        return self._http_response.url

    @property
    def content(self) -> bytes:
        return self._http_response.content

    @property
    def text(self) -> str:
        """The body decoded as text (the charset the response declares, else UTF-8)."""
        return self._http_response.text

    def json(self) -> Any:
        """The body decoded as JSON, not validated (within the client's ``max_json_depth``).

        Raises ``ValueError`` (``json.JSONDecodeError``) when the body is not JSON.
        """
        return loads_within(self._http_response.content, self._max_json_depth)

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as it arrives (``with_streaming_response``, sync client)."""
        return self._http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self._http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self._http_response.iter_lines()

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks as it arrives (``with_streaming_response``, async client)."""
        return self._http_response.aiter_bytes(chunk_size)

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self._http_response.aiter_text(chunk_size)

    def aiter_lines(self) -> AsyncIterator[str]:
        return self._http_response.aiter_lines()

    def read(self) -> bytes:
        return self._http_response.read()

    async def aread(self) -> bytes:
        return await self._http_response.aread()

    def parse(self) -> T:
        """The value the wrapped method would have returned (cached).

        A streamed sync response is read first; read a streamed async one with ``aread()``.
        """
        if self._parsed is _UNPARSED:
            if not _is_read(self.http_response):
                self._http_response.read()
            self._parsed = self._parse()
        return cast(T, self._parsed)

    def __repr__(self) -> str:
        request = self.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.url.path}>"


def raw_response_requested() -> bool:
    return _RAW.get()


def stream_requested() -> bool:
    return _STREAM.get()


def _is_read(response: httpx.Response) -> bool:
    try:
        response.content  # noqa: B018 (raises ResponseNotRead while the stream is open)
    except httpx.ResponseNotRead:
        return False
    return True


@contextmanager
def _raw_mode() -> Iterator[None]:
    token = _RAW.set(True)
    try:
        yield
    finally:
        _RAW.reset(token)


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """``func`` made to return its ``APIResponse``; errors still raise."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        with _raw_mode():
            return cast(APIResponse[T], func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Async ``func`` made to return its ``APIResponse``; errors still raise."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        with _raw_mode():
            return cast(APIResponse[T], await func(*args, **kwargs))

    return wrapped


@contextmanager
def _stream_mode() -> Iterator[None]:
    raw, stream = _RAW.set(True), _STREAM.set(True)
    try:
        yield
    finally:
        _STREAM.reset(stream)
        _RAW.reset(raw)


class StreamedResponse(Generic[T]):
    """``with`` it to send the call; the body is read as the caller iterates, then closed."""

    def __init__(self, send: Callable[[], T]) -> None:
        self._send = send
        self._response: APIResponse[T] | None = None

    def __enter__(self) -> APIResponse[T]:
        with _stream_mode():
            self._response = cast(APIResponse[T], self._send())
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.http_response.close()


class AsyncStreamedResponse(Generic[T]):
    """``async with`` it to send the call; the body is read as the caller iterates."""

    def __init__(self, send: Callable[[], Awaitable[T]]) -> None:
        self._send = send
        self._response: APIResponse[T] | None = None

    async def __aenter__(self) -> APIResponse[T]:
        with _stream_mode():
            self._response = cast(APIResponse[T], await self._send())
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.http_response.aclose()


def to_streamed_response_wrapper(func: Callable[P, T]) -> Callable[P, StreamedResponse[T]]:
    """``func`` made to return a context manager around its unread ``APIResponse``."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> StreamedResponse[T]:
        return StreamedResponse(lambda: func(*args, **kwargs))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, AsyncStreamedResponse[T]]:
    """Async ``func`` made to return an async context manager around its unread response."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedResponse[T]:
        return AsyncStreamedResponse(lambda: func(*args, **kwargs))

    return wrapped

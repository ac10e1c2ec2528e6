"""Raw-response access: ``APIResponse`` and the wrappers generated ``with_raw_response`` use."""

from __future__ import annotations

import contextvars
import datetime
import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Generic, ParamSpec, TypeVar, cast

import httpx

__all__ = [
    "APIResponse",
    "async_to_raw_response_wrapper",
    "raw_response_requested",
    "to_raw_response_wrapper",
]

T = TypeVar("T")
P = ParamSpec("P")

# Set while a raw-response wrapper runs: the client's `request` then returns the APIResponse
# instead of the parsed value. A contextvar follows the call into coroutines and is never
# visible to other threads or tasks.
_RAW = contextvars.ContextVar("gpuworkers_raw_response", default=False)

_UNPARSED = object()


class APIResponse(Generic[T]):
    """The HTTP response of a successful call, parsed on demand with ``parse()``."""

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[], T],
        retries_taken: int,
        elapsed: datetime.timedelta,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self.elapsed = elapsed
        self._parse = parse
        self._parsed: object = _UNPARSED

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def text(self) -> str:
        return self.http_response.text

    def parse(self) -> T:
        """The value the wrapped method would have returned (cached)."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return cast(T, self._parsed)

    def __repr__(self) -> str:
        request = self.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.url.path}>"


def raw_response_requested() -> bool:
    return _RAW.get()


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

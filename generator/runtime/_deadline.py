"""The total deadline of a call: ``timeout=`` bounds the whole call, not each socket read.

httpx applies its limits per phase and per read, so a server that trickles one byte just
inside the read limit keeps a call alive forever. A ``Deadline`` is fixed when a call starts
and enforced at every level the runtime can reach:

- each attempt's phase limits are capped at the time left (``cap``);
- no backoff wait is started that would end past it (``allows``);
- the body is read in chunks, and the clock is checked after each (``check``);
- sync clients the runtime builds itself read through ``DeadlineBackend``, which gives every
  socket operation at most the time left, so trickled headers end on time too;
- async calls run under ``asyncio`` cancellation (``run_within``), whoever built the pool.

A caller's own ``httpx.Client`` gets all but the socket-level bound: a server that trickles
the response headers to it is stopped at the end of the headers phase, not inside it.
"""

from __future__ import annotations

import contextvars
import ssl
import time
from collections.abc import Awaitable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import httpcore
import httpx

__all__ = ["Deadline", "DeadlineBackend", "install_deadline_backend", "run_within"]

T = TypeVar("T")

_SHORTEST = 0.001  # a limit of 0 would make sockets non-blocking, not fail fast
_SLACK = 0.01
_EXPIRES: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "gpuworkers_deadline", default=None
)
_MESSAGE = "the call's total timeout expired"


class Deadline:
    """The monotonic time a call must be over by; ``None`` when it has no total limit."""

    __slots__ = ("expires", "total")

    def __init__(self, total: float | None) -> None:
        self.total = total
        self.expires = None if total is None else time.monotonic() + total

    def remaining(self) -> float | None:
        return None if self.expires is None else self.expires - time.monotonic()

    def remaining_at_most(self, seconds: float) -> bool:
        """Whether the deadline has passed or is at most ``seconds`` away."""
        left = self.remaining()
        return left is not None and left <= seconds

    def allows(self, wait: float) -> bool:
        """Whether a retry after ``wait`` seconds would still start before the deadline."""
        left = self.remaining()
        return left is None or left > wait

    def cap(self, timeout: httpx.Timeout) -> httpx.Timeout:
        """``timeout`` with every phase limited to the time left."""
        left = self.remaining()
        if left is None:
            return timeout
        left = max(left, _SHORTEST)
        return httpx.Timeout(connect=_at_most(timeout.connect, left),
                             read=_at_most(timeout.read, left),
                             write=_at_most(timeout.write, left),
                             pool=_at_most(timeout.pool, left))

    def check(self, request: httpx.Request) -> None:
        """Raise ``httpx.ReadTimeout`` once the deadline has passed (between body chunks)."""
        if self.expires is not None and time.monotonic() >= self.expires:
            raise httpx.ReadTimeout(_MESSAGE, request=request)

    @contextmanager
    def enforced(self) -> Iterator[None]:
        """Make ``DeadlineBackend`` sockets opened or used in this block honour the deadline."""
        token = _EXPIRES.set(self.expires)
        try:
            yield
        finally:
            _EXPIRES.reset(token)


def _at_most(limit: float | None, left: float) -> float | None:
    # Within _SLACK of the limit, keep the limit as configured (the first attempt starts a
    # few microseconds into the call); the sockets and cancellation hold the exact deadline.
    return left if limit is None or left < limit - _SLACK else limit


async def run_within(deadline: Deadline, attempt: Awaitable[T], request: httpx.Request) -> T:
    """Await ``attempt``, cancelled at the deadline (then ``httpx.TimeoutException``)."""
    import asyncio  # here: sync users need not load it

    left = deadline.remaining()
    if left is None:
        return await attempt
    # On Python 3.10 asyncio.wait_for raises asyncio's own TimeoutError, not the builtin.
    expired = (TimeoutError, asyncio.exceptions.TimeoutError)
    try:
        if hasattr(asyncio, "timeout"):  # Python 3.11+: no extra task
            async with asyncio.timeout(max(left, 0.0)):
                return await attempt
        return await asyncio.wait_for(attempt, max(left, 0.0))
    except expired:
        raise httpx.TimeoutException(_MESSAGE, request=request) from None


# -- sockets that honour the deadline (sync clients built by the runtime) ------------------


def _time_left(limit: float | None, expired: type[Exception]) -> float | None:
    """``limit`` shortened to the active deadline; raises ``expired`` once it has passed."""
    expires = _EXPIRES.get()
    if expires is None:
        return limit
    left = expires - time.monotonic()
    if left <= 0:
        raise expired(_MESSAGE)
    return left if limit is None else min(limit, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the active deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Wraps a network backend so that its streams are ``DeadlineStream``s."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install_deadline_backend(transport: httpx.HTTPTransport) -> bool:
    """Route ``transport``'s sockets through ``DeadlineBackend``; False if it cannot be done.

    httpx offers no public way to choose the network backend of its transport, so this
    reaches into the pool it builds; should that layout change, calls fall back to the
    phase-level bounds (and tests/hostile/test_bounds.py says so).
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(pool, httpcore.ConnectionPool) or not isinstance(
        backend, httpcore.NetworkBackend
    ):
        return False
    pool._network_backend = DeadlineBackend(backend)
    return True

"""The sync and async clients: the I/O loops around ``BaseClient``, plus resource bases."""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

import httpx

from ._base_client import DEFAULT_LIMITS, BaseClient, PreparedCall
from ._bounded_read import aread_body, read_body
from ._config import Endpoint, Pagination, ProviderConfig
from ._deadline import Deadline, install_deadline_backend, run_within
from ._pagination import AsyncPage, Query, SyncPage
from ._response import stream_requested
from ._types import DEFAULT_OPTIONS, NOT_GIVEN, NotGiven, RequestOptions

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncAPIClient", "AsyncResource", "SyncAPIClient", "SyncResource"]

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
P = TypeVar("P")
SyncClientT = TypeVar("SyncClientT", bound="SyncAPIClient")
AsyncClientT = TypeVar("AsyncClientT", bound="AsyncAPIClient")


class SyncAPIClient(BaseClient[httpx.Client]):
    def __init__(
        self,
        *,
        config: ProviderConfig,
        credentials: Mapping[str, str | None],
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        max_response_size: int | None | NotGiven = NOT_GIVEN,
        max_json_depth: int | None | NotGiven = NOT_GIVEN,
    ) -> None:
        super().__init__(
            config=config,
            credentials=credentials,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            max_response_size=max_response_size,
            max_json_depth=max_json_depth,
        )
        self._sleep: Callable[[float], None] = time.sleep
        self._bind_resources()

    def _make_http_client(self) -> httpx.Client:
        transport = httpx.HTTPTransport(limits=DEFAULT_LIMITS)
        install_deadline_backend(transport)  # sockets end by the deadline: see _deadline
        return httpx.Client(timeout=self.timeout, limits=DEFAULT_LIMITS, transport=transport)

    def request(
        self,
        endpoint: Endpoint,
        *,
        cast_to: type[T],
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = None,
        options: RequestOptions = DEFAULT_OPTIONS,
    ) -> T:
        call = self._prepare(endpoint, path_params, query, body, options, headers, cookies)
        deadline = Deadline(call.timeout.total)
        retries = 0
        while True:
            request = self._build_request(call, retries, deadline)
            started = time.monotonic()
            try:
                with deadline.enforced():
                    response = self._send(request, call, deadline)
            except httpx.RequestError as exc:
                wait = self._wait_after_error(exc, call, request, retries, deadline)
            else:
                answer = self._wait_after_response(response, call, retries, started, deadline)
                if answer is None:
                    return self._finish(response, call, cast_to, retries, started)
                response.close()
                wait = answer
            self._sleep(wait)
            retries += 1

    def _send(
        self, request: httpx.Request, call: PreparedCall, deadline: Deadline
    ) -> httpx.Response:
        """One attempt, following redirects hop by hop (see ``_origin.redirect_to_follow``).

        Every body is read here within the call's bounds, except a successful one the caller
        asked to stream.
        """
        response = self._http.send(request, stream=True, follow_redirects=False)
        history: list[httpx.Response] = []
        while (next_request := self._redirect_to_follow(response, call, len(history))) is not None:
            history.append(read_body(response, call.max_response_size, deadline))
            response = self._http.send(next_request, stream=True, follow_redirects=False)
            response.history = list(history)
        if _body_needed(response):
            response = read_body(response, call.max_response_size, deadline)
        return response

    def request_page(
        self,
        endpoint: Endpoint,
        *,
        cast_to: type[P],
        item_type: type[I],
        pagination: Pagination,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = None,
        options: RequestOptions = DEFAULT_OPTIONS,
    ) -> SyncPage[I, P]:
        """A lazy iterator over the items of every page; nothing is sent until it is used."""

        def fetch(page_query: Query) -> P:
            return self.request(
                endpoint,
                cast_to=cast_to,
                path_params=path_params,
                query=page_query,
                headers=headers,
                cookies=cookies,
                body=body,
                options=options,
            )

        return SyncPage(fetch, item_type=item_type, pagination=pagination, query=dict(query or {}))

    def close(self) -> None:
        """Close the connection pool, unless the caller passed their own ``http_client``."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: SyncClientT) -> SyncClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_NO_LIMIT = contextlib.nullcontext()  # `async with` on it waits for nothing


class _InFlightLimit:
    """Caps the requests handed to an owned pool at its connection limit, queueing the rest.

    httpcore's pool scans every request queued inside it against every connection whenever
    one frees up, so 1,000 concurrent calls cost it quadratic time (tens of seconds); an
    asyncio.Semaphore queues them in FIFO order at constant cost. One semaphore per event
    loop, since a client may outlive a loop (one ``asyncio.run`` per script step or test).
    """

    def __init__(self, limit: int | None) -> None:
        import asyncio  # here: only async clients need it, and it is slow to import

        self._limit = limit
        self._running_loop = asyncio.get_running_loop
        self._semaphore = asyncio.Semaphore
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._by_loop = weakref.WeakKeyDictionary()

    def slot(self) -> contextlib.AbstractAsyncContextManager[object]:
        """What to ``async with`` around a send: this event loop's semaphore, if capped."""
        if self._limit is None:
            return _NO_LIMIT
        loop = self._running_loop()
        semaphore = self._by_loop.get(loop)
        if semaphore is None:
            semaphore = self._by_loop[loop] = self._semaphore(self._limit)
        return semaphore


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    def __init__(
        self,
        *,
        config: ProviderConfig,
        credentials: Mapping[str, str | None],
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_response_size: int | None | NotGiven = NOT_GIVEN,
        max_json_depth: int | None | NotGiven = NOT_GIVEN,
    ) -> None:
        super().__init__(
            config=config,
            credentials=credentials,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            max_response_size=max_response_size,
            max_json_depth=max_json_depth,
        )
        import asyncio  # here, not at the top: sync users need not import it

        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # Shared with with_options() copies, which share the pool.
        self._in_flight = _InFlightLimit(
            DEFAULT_LIMITS.max_connections if self._owns_http else None
        )
        self._bind_resources()

    def _make_http_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, limits=DEFAULT_LIMITS)

    async def request(
        self,
        endpoint: Endpoint,
        *,
        cast_to: type[T],
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = None,
        options: RequestOptions = DEFAULT_OPTIONS,
    ) -> T:
        call = self._prepare(endpoint, path_params, query, body, options, headers, cookies)
        deadline = Deadline(call.timeout.total)
        retries = 0
        while True:
            request = self._build_request(call, retries, deadline)
            started = time.monotonic()
            try:
                response = await run_within(deadline, self._send(request, call, deadline), request)
            except httpx.RequestError as exc:
                wait = self._wait_after_error(exc, call, request, retries, deadline)
            else:
                answer = self._wait_after_response(response, call, retries, started, deadline)
                if answer is None:
                    return self._finish(response, call, cast_to, retries, started)
                await response.aclose()
                wait = answer
            await self._sleep(wait)
            retries += 1

    async def _send(
        self, request: httpx.Request, call: PreparedCall, deadline: Deadline
    ) -> httpx.Response:
        """``SyncAPIClient._send``, holding an in-flight slot throughout."""
        async with self._in_flight.slot():
            response = await self._http.send(request, stream=True, follow_redirects=False)
            history: list[httpx.Response] = []
            follow = self._redirect_to_follow
            while (next_request := follow(response, call, len(history))) is not None:
                history.append(await aread_body(response, call.max_response_size, deadline))
                response = await self._http.send(next_request, stream=True, follow_redirects=False)
                response.history = list(history)
            if _body_needed(response):
                response = await aread_body(response, call.max_response_size, deadline)
        return response

    def request_page(
        self,
        endpoint: Endpoint,
        *,
        cast_to: type[P],
        item_type: type[I],
        pagination: Pagination,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = None,
        options: RequestOptions = DEFAULT_OPTIONS,
    ) -> AsyncPage[I, P]:
        """A lazy ``async for`` iterator over the items of every page."""

        async def fetch(page_query: Query) -> P:
            return await self.request(
                endpoint,
                cast_to=cast_to,
                path_params=path_params,
                query=page_query,
                headers=headers,
                cookies=cookies,
                body=body,
                options=options,
            )

        return AsyncPage(fetch, item_type=item_type, pagination=pagination, query=dict(query or {}))

    async def aclose(self) -> None:
        """Close the connection pool, unless the caller passed their own ``http_client``."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: AsyncClientT) -> AsyncClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _body_needed(response: httpx.Response) -> bool:
    """Whether the body is read now, within the call's bounds: always, except a successful
    response the caller asked to stream (``with_streaming_response``), which they iterate."""
    return not (stream_requested() and response.is_success)


class SyncResource:
    """Base of generated resource groups (``client.deployments``)."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

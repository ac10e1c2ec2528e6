"""Bounds against a hostile server on 127.0.0.1: total deadline, response size, JSON nesting.

Each test runs the sync and the async client. The server caps every misbehaviour (a trickle
lasts 3 s, a bomb unpacks to 64 MiB), so a client without the bound finishes late or with a
huge body and the test fails rather than hangs.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from gpuworkers._runtime import (
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncAPIClient,
    Endpoint,
    ProviderConfig,
    RequestOptions,
    ResponseTooDeepError,
    ResponseTooLargeError,
    RetryPolicy,
    SyncAPIClient,
    Timeout,
)
from gpuworkers._runtime._types import DEFAULT_OPTIONS
from gpuworkers.yotta import AsyncYottaClient, YottaClient

from tests.hostile.bounds_server import TRICKLE_FOR, BoundsServer, running_server

GET = Endpoint("GET", "/answers/{answer}", idempotent=True)
CONFIG = ProviderConfig(name="hostile", client_name="Hostile", base_url="http://unused",
                        retry=RetryPolicy(initial_delay=0.2, max_retries=5))
DEADLINE = 0.5
SLACK = 0.6  # scheduling noise on a busy machine; every unbounded case takes >= TRICKLE_FOR
MEMORY_LIMIT = 4 * 1024 * 1024
FLAVOURS = ["sync", "async"]


@pytest.fixture(scope="module")
def server() -> Iterator[BoundsServer]:
    with running_server() as running:
        yield running


def call(flavour: str, server: BoundsServer, answer: str, options: RequestOptions = DEFAULT_OPTIONS,
         **client_kwargs: Any) -> object:
    """One call of ``GET /answers/<answer>`` with a client of ``flavour``."""
    client_kwargs.setdefault("base_url", server.url)
    if flavour == "sync":
        with SyncAPIClient(config=CONFIG, credentials={}, **client_kwargs) as client:
            return client.request(GET, cast_to=object, path_params={"answer": answer},
                                  options=options)

    async def run() -> object:
        async with AsyncAPIClient(config=CONFIG, credentials={}, **client_kwargs) as client:
            return await client.request(GET, cast_to=object, path_params={"answer": answer},
                                        options=options)

    return asyncio.run(run())


def timed(function: Any, *args: Any, **kwargs: Any) -> tuple[BaseException | object, float]:
    started = time.monotonic()
    try:
        result: BaseException | object = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the caller asserts on the exception
        result = exc
    return result, time.monotonic() - started


def peak_memory(function: Any, *args: Any, **kwargs: Any) -> tuple[BaseException | object, int]:
    tracemalloc.start()
    try:
        result, _ = timed(function, *args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- total deadline ---------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("answer", ["trickle-body", "trickle-headers"])
def test_trickled_response_ends_at_the_client_timeout(
    server: BoundsServer, flavour: str, answer: str
) -> None:
    result, elapsed = timed(call, flavour, server, answer, timeout=DEADLINE)
    assert isinstance(result, APITimeoutError), result
    assert elapsed < DEADLINE + SLACK < TRICKLE_FOR


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_call_timeout_bounds_the_whole_call(server: BoundsServer, flavour: str) -> None:
    options = RequestOptions(timeout=DEADLINE)
    result, elapsed = timed(call, flavour, server, "trickle-body", options, timeout=60)
    assert isinstance(result, APITimeoutError), result
    assert elapsed < DEADLINE + SLACK


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_total_in_timeout_object_overrides_its_phases(server: BoundsServer, flavour: str) -> None:
    # Each phase may take 30 s, the whole call only DEADLINE: the total wins.
    timeout = Timeout(30, total=DEADLINE)
    result, elapsed = timed(call, flavour, server, "trickle-headers", timeout=timeout)
    assert isinstance(result, APITimeoutError), result
    assert elapsed < DEADLINE + SLACK


def test_trickled_body_through_the_callers_own_http_client(server: BoundsServer) -> None:
    """A caller's httpx.Client has no deadline-aware sockets; the chunk checks still hold."""
    with httpx.Client() as http:
        result, elapsed = timed(call, "sync", server, "trickle-body", timeout=DEADLINE,
                                http_client=http)
    assert isinstance(result, APITimeoutError), result
    assert elapsed < DEADLINE + SLACK


async def test_trickled_headers_through_the_callers_own_async_client(
    server: BoundsServer,
) -> None:
    """Async calls end by cancellation, so a caller's AsyncClient holds the deadline too."""
    async with httpx.AsyncClient() as http, AsyncAPIClient(
        config=CONFIG, credentials={}, base_url=server.url, http_client=http, timeout=DEADLINE
    ) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await client.request(GET, cast_to=object, path_params={"answer": "trickle-headers"})
        assert time.monotonic() - started < DEADLINE + SLACK


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_deadline_spans_retries_and_backoff(server: BoundsServer, flavour: str) -> None:
    # Each attempt takes 0.3 s and earns a 503; waits of 0.2, 0.4, ... s would follow. Within
    # 1 s there is room for two attempts and one wait; the last 503 is then the answer.
    before = server.hits.get("slow-503", 0)
    result, elapsed = timed(call, flavour, server, "slow-503", timeout=1.0)
    assert isinstance(result, APIStatusError) and result.status_code == 503, result
    assert elapsed < 1.0 + SLACK
    assert server.hits["slow-503"] - before == 2


def test_timeout_total_defaults_to_the_longest_phase() -> None:
    assert Timeout(10).total == 10
    assert Timeout(60, connect=5).total == 60
    assert Timeout(None).total is None
    assert Timeout(None, connect=5).total is None  # an unlimited read: no total either
    assert Timeout(30, total=300).total == 300
    assert Timeout(httpx.Timeout(8, connect=2)).total == 8
    assert Timeout(Timeout(1, total=9)) == Timeout(1, total=9) != Timeout(1)


# -- response size ----------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("answer", ["gzip-bomb", "endless"])
def test_oversized_body_stops_at_the_limit_in_little_memory(
    server: BoundsServer, flavour: str, answer: str
) -> None:
    limit = 1024 * 1024
    result, peak = peak_memory(call, flavour, server, answer, max_response_size=limit)
    assert isinstance(result, ResponseTooLargeError), result
    assert isinstance(result, APIResponseValidationError)
    assert (result.status_code, result.limit) == (200, limit)
    assert str(limit) in str(result)
    assert peak < MEMORY_LIMIT, f"peak {peak} bytes"


def test_redirect_hop_bodies_are_bounded_too(server: BoundsServer) -> None:
    """A client that follows redirects reads each hop's body: within the same limit."""
    limit = 1024 * 1024
    with httpx.Client(follow_redirects=True) as http:
        result, peak = peak_memory(call, "sync", server, "redirect-bomb", http_client=http,
                                   max_response_size=limit)
    assert isinstance(result, ResponseTooLargeError), result
    assert (result.status_code, result.limit) == (302, limit)
    assert peak < MEMORY_LIMIT, f"peak {peak} bytes"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_size_limit_per_call_and_unlimited(server: BoundsServer, flavour: str) -> None:
    small = RequestOptions(max_response_size=4)
    with pytest.raises(ResponseTooLargeError):
        call(flavour, server, "ok", small)
    assert call(flavour, server, "ok", RequestOptions(max_response_size=None),
                max_response_size=4) == {"ok": True}


def test_limits_must_be_positive() -> None:
    for bad in (0, -1):
        with pytest.raises(ValueError, match="max_response_size"):
            SyncAPIClient(config=CONFIG, credentials={}, max_response_size=bad)
        with pytest.raises(ValueError, match="max_json_depth"):
            SyncAPIClient(config=CONFIG, credentials={}, max_json_depth=bad)


# -- JSON nesting ----------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_deeply_nested_json_is_a_typed_error(server: BoundsServer, flavour: str) -> None:
    with pytest.raises(ResponseTooDeepError) as info:
        call(flavour, server, "nested", max_json_depth=64)
    assert isinstance(info.value, APIResponseValidationError)
    assert (info.value.status_code, info.value.limit) == (200, 64)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_brackets_inside_strings_do_not_count(server: BoundsServer, flavour: str) -> None:
    logs = call(flavour, server, "ansi-logs", max_json_depth=2)
    assert isinstance(logs, dict) and len(logs["lines"]) == 300
    with pytest.raises(ResponseTooDeepError):  # 500 "]" in a string hide nothing
        call(flavour, server, "hidden-depth", max_json_depth=64)
    assert call(flavour, server, "hidden-depth", max_json_depth=101) is not None


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_deeply_nested_error_body_keeps_the_status_error(server: BoundsServer,
                                                         flavour: str) -> None:
    with pytest.raises(APIStatusError) as info:
        call(flavour, server, "nested-error", RequestOptions(max_retries=0))
    assert info.value.status_code == 500
    assert isinstance(info.value.body, str)  # kept as text, not parsed


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unlimited_depth_still_ends_in_a_typed_error(server: BoundsServer, flavour: str) -> None:
    with pytest.raises(APIResponseValidationError):
        call(flavour, server, "nested", RequestOptions(max_json_depth=None))


# -- the generated clients: constructor, with_options, per-call keywords ------------------


def test_generated_client_keywords(server: BoundsServer) -> None:
    bomb = {"answer": "gzip-bomb"}
    with YottaClient(api_key="k" * 20, base_url=server.url, max_json_depth=16) as yotta:
        with pytest.raises(ResponseTooLargeError) as info:
            yotta.deployments.get(id=1, extra_query=bomb, max_response_size=1000)
        assert info.value.limit == 1000
        with pytest.raises(ResponseTooDeepError) as deep:
            yotta.deployments.get(id=1, extra_query={"answer": "nested"})
        assert deep.value.limit == 16
        strict = yotta.with_options(max_response_size=2000, timeout=DEADLINE)
        with pytest.raises(ResponseTooLargeError) as info:
            strict.deployments.get(id=1, extra_query=bomb)
        assert info.value.limit == 2000
        result, elapsed = timed(strict.deployments.get, id=1,
                                extra_query={"answer": "trickle-headers"})
        assert isinstance(result, APITimeoutError) and elapsed < DEADLINE + SLACK


async def test_generated_async_client_keywords(server: BoundsServer) -> None:
    async with AsyncYottaClient(api_key="k" * 20, base_url=server.url) as yotta:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await yotta.deployments.get(id=1, extra_query={"answer": "trickle-body"},
                                        timeout=DEADLINE)
        assert time.monotonic() - started < DEADLINE + SLACK
        with pytest.raises(ResponseTooDeepError):
            await yotta.deployments.get(id=1, extra_query={"answer": "nested"},
                                        max_json_depth=8)

"""Retries: which failures, how many attempts, how long between them."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from gpuworkers._runtime import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    RequestOptions,
)
from runtime_support import (
    GET,
    SCALE_UP,
    Recorder,
    async_client,
    json_response,
    sync_client,
)

OK = json_response(200, {"ok": True})
NOW = 1_700_000_000.0


def fail(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return json_response(status, {"message": f"status {status}"}, headers)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_status_is_retried_with_backoff(status: int) -> None:
    recorder = Recorder([fail(status), fail(status), OK])
    waits: list[float] = []
    client = sync_client(recorder, waits=waits)
    assert client.request(GET, cast_to=dict, path_params={"id": 1}) == {"ok": True}
    assert recorder.retry_counts == ["0", "1", "2"]
    assert waits == [0.5, 1.0]


def test_exhausted_retries_raise_last_error() -> None:
    recorder = Recorder([fail(500)])
    waits: list[float] = []
    with pytest.raises(InternalServerError):
        sync_client(recorder, waits=waits).request(GET, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 3  # 1 + max_retries (2)
    assert waits == [0.5, 1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_other_statuses_are_not_retried(status: int) -> None:
    recorder = Recorder([fail(status), OK])
    with pytest.raises(Exception):  # noqa: B017 - the class is covered in test_errors
        sync_client(recorder).request(GET, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 1


def test_backoff_is_capped_and_jittered() -> None:
    recorder = Recorder([fail(503)] * 7 + [OK])
    waits: list[float] = []
    client = sync_client(recorder, waits=waits, max_retries=7)
    client._random = lambda: 1.0  # the largest jitter: factor 0.75
    client.request(GET, cast_to=dict, path_params={"id": 1})
    assert waits == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0, 6.0]


def test_jitter_factor_stays_within_bounds() -> None:
    recorder = Recorder([fail(503), fail(503), OK])
    waits: list[float] = []
    client = sync_client(recorder, waits=waits)
    client._random = lambda: 0.5
    client.request(GET, cast_to=dict, path_params={"id": 1})
    assert waits == [0.5 * 0.875, 1.0 * 0.875]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": email.utils.formatdate(NOW + 30, usegmt=True)}, 30.0),
        ({"Retry-After": email.utils.formatdate(NOW - 30, usegmt=True)}, 0.0),
        ({"Retry-After": "soon"}, 0.5),  # unparseable: normal backoff
    ],
    ids=["seconds", "fraction", "ms", "ms-wins", "http-date", "past-date", "garbage"],
)
def test_retry_after_is_honoured(headers: dict[str, str], expected: float) -> None:
    recorder = Recorder([fail(429, headers), OK])
    waits: list[float] = []
    client = sync_client(recorder, waits=waits)
    client._now = lambda: NOW
    client.request(GET, cast_to=dict, path_params={"id": 1})
    assert waits == [expected]


@pytest.mark.parametrize("headers", [{"Retry-After": "61"}, {"retry-after-ms": "120000"}])
def test_retry_after_over_cap_raises_at_once(headers: dict[str, str]) -> None:
    recorder = Recorder([fail(429, headers), OK])
    waits: list[float] = []
    with pytest.raises(RateLimitError):
        sync_client(recorder, waits=waits).request(GET, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 1
    assert waits == []


@pytest.mark.parametrize(
    ("exc", "error_class"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.ReadError("connection reset by peer"), APIConnectionError),
        (httpx.RemoteProtocolError("server disconnected"), APIConnectionError),
        (httpx.ConnectTimeout("connect timeout"), APITimeoutError),
        (httpx.ReadTimeout("read timeout"), APITimeoutError),
    ],
)
def test_transport_errors_are_retried_then_mapped(
    exc: Exception, error_class: type[Exception]
) -> None:
    recorder = Recorder([exc])
    waits: list[float] = []
    with pytest.raises(error_class) as info:
        sync_client(recorder, waits=waits).request(GET, cast_to=dict, path_params={"id": 1})
    assert type(info.value) is error_class
    assert info.value.request.url.path == "/items/1"  # type: ignore[attr-defined]
    assert len(recorder.requests) == 3
    assert waits == [0.5, 1.0]


def test_transport_error_then_success() -> None:
    recorder = Recorder([httpx.ReadError("reset"), httpx.ConnectError("refused"), OK])
    assert sync_client(recorder).request(GET, cast_to=dict, path_params={"id": 1}) == {"ok": True}
    assert recorder.retry_counts == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (httpx.ReadTimeout("read timeout"), APITimeoutError),
        (httpx.ReadError("reset"), APIConnectionError),
        (fail(500), InternalServerError),
        (fail(502), InternalServerError),
        (fail(503), InternalServerError),
        (fail(429), RateLimitError),
    ],
    ids=["read-timeout", "reset", "500", "502", "503", "429"],
)
def test_non_idempotent_is_not_retried_when_server_may_have_acted(
    failure: httpx.Response | Exception, error_class: type[Exception]
) -> None:
    recorder = Recorder([failure, OK])
    with pytest.raises(error_class):
        sync_client(recorder).request(SCALE_UP, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("connect")],
    ids=["connect-error", "connect-timeout"],
)
def test_non_idempotent_is_retried_when_server_did_not_act(
    failure: httpx.Response | Exception,
) -> None:
    recorder = Recorder([failure, OK])
    waits: list[float] = []
    client = sync_client(recorder, waits=waits)
    assert client.request(SCALE_UP, cast_to=dict, path_params={"id": 1}) == {"ok": True}
    assert recorder.retry_counts == ["0", "1"]
    assert waits == [0.5]


def test_per_call_max_retries() -> None:
    recorder = Recorder([fail(503)])
    options = RequestOptions(max_retries=4)
    with pytest.raises(InternalServerError):
        sync_client(recorder).request(GET, cast_to=dict, path_params={"id": 1}, options=options)
    assert len(recorder.requests) == 5


def test_client_max_retries_zero() -> None:
    recorder = Recorder([fail(503)])
    with pytest.raises(InternalServerError):
        sync_client(recorder, max_retries=0).request(GET, cast_to=dict, path_params={"id": 1})
    assert recorder.retry_counts == ["0"]


def test_negative_max_retries_rejected() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        sync_client(Recorder([OK]), max_retries=-1)


async def test_async_retries_and_waits() -> None:
    recorder = Recorder([httpx.ConnectError("refused"), fail(503, {"Retry-After": "2"}),
                         OK])
    waits: list[float] = []
    client = async_client(recorder, waits=waits)
    result = await client.request(GET, cast_to=dict, path_params={"id": 1})
    assert result == {"ok": True}
    assert recorder.retry_counts == ["0", "1", "2"]
    assert waits == [0.5, 2.0]


async def test_async_non_idempotent_read_timeout_raises_at_once() -> None:
    recorder = Recorder([httpx.ReadTimeout("slow"), OK])
    with pytest.raises(APITimeoutError):
        await async_client(recorder).request(SCALE_UP, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 1


async def test_async_exhausted_transport_errors() -> None:
    recorder = Recorder([httpx.RemoteProtocolError("bye")])
    waits: list[float] = []
    with pytest.raises(APIConnectionError):
        await async_client(recorder, waits=waits).request(GET, cast_to=dict,
                                                           path_params={"id": 1})
    assert len(recorder.requests) == 3 and waits == [0.5, 1.0]


@pytest.mark.parametrize("exc", [httpx.UnsupportedProtocol("ftp"), httpx.LocalProtocolError("x")])
def test_client_side_transport_errors_are_not_retried(exc: Exception) -> None:
    recorder = Recorder([exc, OK])
    with pytest.raises(APIConnectionError):
        sync_client(recorder).request(GET, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 1

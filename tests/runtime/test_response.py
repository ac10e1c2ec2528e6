"""Parsing into cast_to, and raw-response access through the wrappers."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from gpuworkers._runtime import (
    APIResponse,
    APIResponseValidationError,
    AsyncAPIClient,
    BadRequestError,
    BaseModel,
    NotFoundError,
    SyncAPIClient,
    async_to_raw_response_wrapper,
    to_raw_response_wrapper,
)
from gpuworkers._runtime._response import raw_response_requested
from runtime_support import (
    GET,
    YOTTA_ENVELOPE,
    Recorder,
    async_client,
    json_response,
    sync_client,
    with_envelope,
)

YOTTA = with_envelope(YOTTA_ENVELOPE)


class Worker(BaseModel):
    worker_id: int
    status: str

    model_config = {"alias_generator": lambda name: "workerId" if name == "worker_id" else name}


def get(content: bytes, cast_to: Any, status: int = 200) -> Any:
    client = sync_client(Recorder([httpx.Response(status, content=content)]))
    return client.request(GET, cast_to=cast_to, path_params={"id": 1})


def test_cast_to_variants() -> None:
    assert get(b"123456789012345678901", int) == 123456789012345678901
    assert get(b'{"a": [1]}', dict[str, Any]) == {"a": [1]}
    workers = get(b'[{"workerId": 1, "status": "idle", "gpu": "A100"}]', list[Worker])
    # An unknown field passed by keyword (extra="allow"): kept at run time, not in the signature.
    assert workers == [Worker(worker_id=1, status="idle", gpu="A100")]  # type: ignore[call-arg]
    assert workers[0].model_extra == {"gpu": "A100"}  # unknown fields kept


def test_model_config_of_subclass_merges_with_base() -> None:
    worker = Worker.model_validate({"worker_id": 1, "status": "x", "extra": True})
    assert worker.worker_id == 1 and worker.model_extra == {"extra": True}


@pytest.mark.parametrize("content", [b"", b"{}", b'"anything"'])
def test_none_cast_ignores_data(content: bytes) -> None:
    assert get(content, type(None)) is None


def test_none_cast_still_checks_envelope() -> None:
    client = sync_client(Recorder([json_response(200, {"code": 10001, "message": "bad"})]),
                         config=YOTTA)
    with pytest.raises(BadRequestError):
        client.request(GET, cast_to=type(None), path_params={"id": 1})


class Items:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def get(self, item_id: int) -> dict[str, Any]:
        assert raw_response_requested()
        return self._client.request(GET, cast_to=dict, path_params={"id": item_id})


class AsyncItems:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def aget(self, item_id: int) -> dict[str, Any]:
        return await self._client.request(GET, cast_to=dict, path_params={"id": item_id})


def test_raw_response_wrapper() -> None:
    recorder = Recorder([json_response(503, {}),
                         json_response(200, {"code": 10000, "data": {"a": 1}}, {"X-Id": "7"})])
    items = Items(sync_client(recorder, config=YOTTA))
    raw = to_raw_response_wrapper(items.get)(1)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-id"] == "7"
    assert raw.retries_taken == 1
    assert isinstance(raw.elapsed, datetime.timedelta)
    assert raw.request.url.path == "/items/1"
    assert raw.http_response.json() == {"code": 10000, "data": {"a": 1}}
    assert raw.parse() == {"a": 1}
    assert raw.parse() is raw.parse()
    assert not raw_response_requested()  # reset after the call
    assert to_raw_response_wrapper(items.get).__name__ == "get"


def test_raw_response_errors_still_raise() -> None:
    items = Items(sync_client(Recorder([json_response(404, {"message": "gone"})])))
    with pytest.raises(NotFoundError):
        to_raw_response_wrapper(items.get)(1)
    assert not raw_response_requested()


def test_raw_response_envelope_failure_raises() -> None:
    items = Items(sync_client(Recorder([json_response(200, {"code": 10007})]), config=YOTTA))
    with pytest.raises(BadRequestError):
        to_raw_response_wrapper(items.get)(1)


def test_raw_response_defers_validation_to_parse() -> None:
    items = Items(sync_client(Recorder([httpx.Response(200, content=b"<html>")])))
    raw = to_raw_response_wrapper(items.get)(1)
    assert raw.content == b"<html>"
    with pytest.raises(APIResponseValidationError):
        raw.parse()


async def test_async_raw_response_wrapper() -> None:
    recorder = Recorder([json_response(200, {"ok": True})])
    items = AsyncItems(async_client(recorder))
    raw = await async_to_raw_response_wrapper(items.aget)(3)
    assert raw.status_code == 200 and raw.retries_taken == 0
    assert raw.parse() == {"ok": True}
    assert await items.aget(3) == {"ok": True}  # no leak into later calls

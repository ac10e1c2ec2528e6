"""Raw responses read like httpx's, timestamps keep their nanoseconds, and a mistyped
``GPUWORKERS_LOG`` is reported: through the generated clients and ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
import copy
import datetime
import json
import pickle
import warnings

import gpuworkers
import httpx
import pytest
from gpuworkers.everai import AsyncEverAIClient, EverAIClient
from gpuworkers.everai.models import ListWorkersResponse, Worker
from gpuworkers.yotta import YottaClient

SERVED_AT = "2025-03-01T12:34:35.387883192Z"
WORKERS = {"workers": [{"id": "w1", "lastServeAt": SERVED_AT,
                        "createdAt": "2025-03-01T12:00:00Z"}],
           "lastScaleUpTime": "2025-03-01T11:59:59.5+08:00"}


def everai(body: object) -> EverAIClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body, headers={"x-request-id": "r-1"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return EverAIClient(token="t", base_url="https://everai.example", http_client=http)


# -- APIResponse ----------------------------------------------------------------------------


def test_raw_response_reads_like_an_httpx_response() -> None:
    with everai(WORKERS) as client:
        raw = client.with_raw_response.workers.list(name="app")
    assert raw.text[:12] == '{"workers":['  # a property, as in httpx
    assert raw.content == raw.http_response.content and json.loads(raw.text) == WORKERS
    assert raw.json() == WORKERS
    assert (raw.status_code, raw.headers["x-request-id"]) == (200, "r-1")
    assert raw.url == httpx.URL("https://everai.example/api/apps/v1/namespaces/default/apps/app"
                                "/workers")
    assert isinstance(raw.http_response, httpx.Response)
    assert isinstance(raw.parse(), ListWorkersResponse)
    with pytest.raises(AttributeError):
        raw.http_response = raw.http_response  # type: ignore[misc]  # read-only, as in httpx


def test_raw_response_json_refuses_what_is_not_json() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": 10000, "message": "ok", "data": None})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with YottaClient(api_key="k", base_url="https://y.example", http_client=http) as yotta:
        raw = yotta.with_raw_response.deployments.get(id=1)
    assert raw.json() == {"code": 10000, "message": "ok", "data": None}  # the envelope as sent
    assert raw.text.startswith('{"code":')


# -- timestamps -----------------------------------------------------------------------------


def test_timestamps_keep_the_nanoseconds_the_service_sent() -> None:
    with everai(WORKERS) as client:
        listing = client.workers.list(name="app")
    worker = (listing.workers or [])[0]
    served = worker.last_serve_at
    assert isinstance(served, gpuworkers.Timestamp) and isinstance(served, datetime.datetime)
    assert (served.microsecond, served.nanosecond) == (387883, 192)
    assert served.text == SERVED_AT
    assert served.isoformat() == "2025-03-01T12:34:35.387883192+00:00"
    assert served.tzinfo == datetime.UTC


def test_timestamps_serialize_back_to_the_exact_text() -> None:
    with everai(WORKERS) as client:
        listing = client.workers.list(name="app")
    sent = json.loads(listing.model_dump_json(by_alias=True, exclude_none=True))
    assert sent == WORKERS
    assert listing.model_dump(mode="json", by_alias=True, exclude_none=True) == WORKERS
    again = ListWorkersResponse.model_validate_json(listing.model_dump_json(by_alias=True))
    assert again == listing
    worker = (again.workers or [])[0]
    for copied in (copy.deepcopy(worker), pickle.loads(pickle.dumps(worker))):
        assert copied.last_serve_at is not None and copied.last_serve_at.nanosecond == 192
        assert copied.model_dump(mode="json", by_alias=True)["lastServeAt"] == SERVED_AT


def test_timestamps_compare_with_their_nanoseconds() -> None:
    served = gpuworkers.Timestamp.parse(SERVED_AT)
    micro = datetime.datetime(2025, 3, 1, 12, 34, 35, 387883, tzinfo=datetime.UTC)
    assert micro < served and served > micro and served != micro
    assert served == gpuworkers.Timestamp.parse("2025-03-01T12:34:35.387883192+00:00")
    assert served > gpuworkers.Timestamp.parse("2025-03-01T12:34:35.387883191Z")
    assert served.replace(nanosecond=0) == micro
    assert hash(served.replace(nanosecond=0)) == hash(micro)
    later = served + datetime.timedelta(seconds=1)
    assert (later.second, later.nanosecond) == (36, 192)
    assert served - micro == datetime.timedelta(0)  # a timedelta holds microseconds
    assert sorted([served, micro]) == [micro, served]


def test_models_take_plain_datetimes() -> None:
    when = datetime.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    worker = Worker.model_validate({"lastServeAt": when})
    assert worker.last_serve_at == when and worker.last_serve_at is not None
    assert worker.last_serve_at.nanosecond == 0
    assert worker.model_dump(mode="json", by_alias=True)["lastServeAt"] == when.isoformat()


def test_async_client_keeps_nanoseconds_too() -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=WORKERS)

    async def call() -> ListWorkersResponse:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with AsyncEverAIClient(token="t", base_url="https://e.example",
                                     http_client=http) as client:
            return await client.workers.list(name="app")

    listing = asyncio.run(call())
    assert listing.last_scale_up_time is not None
    assert listing.last_scale_up_time.text == "2025-03-01T11:59:59.5+08:00"


# -- GPUWORKERS_LOG -------------------------------------------------------------------------


def test_unknown_log_level_warns_once_naming_the_accepted_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GPUWORKERS_LOG", "verbose-test")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            EverAIClient(token="t").close()
    messages = [str(w.message) for w in caught]
    assert messages == ["GPUWORKERS_LOG='verbose-test' is not a log level; accepted: 'debug', "
                        "'info' (any letter case). Nothing is logged."]
    assert caught[0].filename == __file__  # points at the caller's line
    for known in ("", "DEBUG", " info "):
        monkeypatch.setenv("GPUWORKERS_LOG", known)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            EverAIClient(token="t").close()

"""What a Yotta user relies on beyond single fixtures: raw responses, paging, options."""

from __future__ import annotations

import json

import httpx
import pytest

DEPLOYMENT_ID = 407712238196040165
WORKER_ID = 407712238196040999


def _envelope(data: object, code: int = 10000) -> dict[str, object]:
    return {"code": code, "message": "success" if code == 10000 else "failed", "data": data}


def _log_pages(requests: list[httpx.Request]) -> httpx.MockTransport:
    pages = {
        None: {"logs": [{"log": "a", "offset": 1}, {"log": "b", "offset": 2}], "hasMore": True,
               "nextSearchAfterTime": "t2", "nextSearchAfterOffset": "2"},
        "t2": {"logs": [{"log": "c", "offset": 3}], "hasMore": False,
               "nextSearchAfterTime": "t3", "nextSearchAfterOffset": "3"},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        page = pages[request.url.params.get("searchAfterTime")]
        return httpx.Response(200, json=_envelope(page), headers={"x-request-id": "r-1"})

    return httpx.MockTransport(handler)


def _client(transport: httpx.MockTransport):  # type: ignore[no-untyped-def]
    from gpuworkers.yotta import YottaClient

    return YottaClient(api_key="test-api-key", http_client=httpx.Client(transport=transport))


def test_worker_logs_iterate_across_pages_lazily() -> None:
    requests: list[httpx.Request] = []
    with _client(_log_pages(requests)) as yotta:
        logs = yotta.deployments.list_worker_logs(id=DEPLOYMENT_ID, worker_id=WORKER_ID)
        assert requests == []  # nothing is sent until the iterator is used
        lines = [entry.log for entry in logs]
    assert lines == ["a", "b", "c"]
    assert len(requests) == 2
    second = requests[1].url.params
    assert (second["searchAfterTime"], second["searchAfterOffset"]) == ("t2", "2")


async def test_worker_logs_iterate_async() -> None:
    from gpuworkers.yotta import AsyncYottaClient

    requests: list[httpx.Request] = []
    transport = _log_pages(requests)
    http = httpx.AsyncClient(transport=transport)
    async with AsyncYottaClient(api_key="test-api-key", http_client=http) as yotta:
        pager = yotta.deployments.list_worker_logs(id=DEPLOYMENT_ID, worker_id=WORKER_ID)
        assert [entry.offset async for entry in pager] == [1, 2, 3]


def test_one_page_by_hand_and_raw_first_page() -> None:
    requests: list[httpx.Request] = []
    with _client(_log_pages(requests)) as yotta:
        page = yotta.deployments.list_worker_logs_page(id=DEPLOYMENT_ID, worker_id=WORKER_ID)
        assert page.has_more is True and page.next_search_after_time == "t2"
        raw = yotta.with_raw_response.deployments.list_worker_logs(
            id=DEPLOYMENT_ID, worker_id=WORKER_ID, search_after_time="t2"
        )
        assert raw.status_code == 200 and raw.headers["x-request-id"] == "r-1"
        assert [entry.log for entry in raw.parse().logs or []] == ["c"]


def test_raw_response_of_a_plain_method() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=_envelope({"id": str(DEPLOYMENT_ID), "status": "RUNNING"}),
                              headers={"x-request-id": "r-9"})

    with _client(httpx.MockTransport(handler)) as yotta:
        raw = yotta.with_raw_response.deployments.get(id=DEPLOYMENT_ID)
        assert raw.status_code == 200
        assert json.loads(raw.content)["code"] == 10000
        assert raw.parse().id == DEPLOYMENT_ID  # sent as a string, an int in Python (issue 14)


def test_per_call_options_and_with_options_reach_the_wire() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_envelope([]))

    with _client(httpx.MockTransport(handler)) as yotta:
        yotta.deployments.list(
            status_list=["RUNNING"], extra_headers={"X-Trace": "1"}, extra_query={"debug": "1"}
        )
        tagged = yotta.with_options(default_headers={"X-Team": "ml"})
        tagged.deployments.list_workers(id=DEPLOYMENT_ID)
    assert seen[0].headers["x-trace"] == "1"
    assert seen[0].url.params["debug"] == "1" and seen[0].url.params["statusList"] == "RUNNING"
    assert seen[1].headers["x-team"] == "ml"
    assert seen[1].headers["x-api-key"] == "test-api-key"


def test_failure_code_inside_a_200_raises_with_code_and_message() -> None:
    import gpuworkers

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": 14000, "message": "Endpoint not found",
                                         "data": None})

    with _client(httpx.MockTransport(handler)) as yotta, pytest.raises(
        gpuworkers.APIStatusError
    ) as caught:
        yotta.deployments.stop(id=DEPLOYMENT_ID)
    assert (caught.value.code, caught.value.envelope_message) == (14000, "Endpoint not found")
    assert "test-api-key" not in str(caught.value)

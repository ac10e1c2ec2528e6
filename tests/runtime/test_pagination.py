"""Cursor pagination: lazy, sync and async, with every stop condition."""

from __future__ import annotations

from typing import Any

import httpx
import pydantic
import pytest
from gpuworkers._runtime import BaseModel, Endpoint, NotFoundError, Pagination
from runtime_support import (
    YOTTA_ENVELOPE,
    Recorder,
    async_client,
    json_response,
    sync_client,
    with_envelope,
)

LOGS = Endpoint("GET", "/deploy/{id}/logs", idempotent=True)
PAGINATION = Pagination(
    items="logs",
    has_more="hasMore",
    cursor={"searchAfterTime": "nextSearchAfterTime", "searchAfterOffset": "nextSearchAfterOffset"},
)
YOTTA = with_envelope(YOTTA_ENVELOPE)


class Log(BaseModel):
    message: str


class LogPage(BaseModel):
    logs: list[Log] = []
    has_more: bool | None = pydantic.Field(default=None, alias="hasMore")
    next_search_after_time: int | None = pydantic.Field(default=None, alias="nextSearchAfterTime")
    next_search_after_offset: int | None = pydantic.Field(
        default=None, alias="nextSearchAfterOffset"
    )


def page(messages: list[str], has_more: bool | None, time: int | None = None,
         offset: int | None = None) -> httpx.Response:
    data: dict[str, Any] = {"logs": [{"message": m} for m in messages]}
    if has_more is not None:
        data["hasMore"] = has_more
    if time is not None:
        data["nextSearchAfterTime"] = time
    if offset is not None:
        data["nextSearchAfterOffset"] = offset
    return json_response(200, {"code": 10000, "message": "success", "data": data})


def pages_of(recorder: Recorder, cast_to: Any = LogPage) -> Any:
    client = sync_client(recorder, config=YOTTA)
    return client.request_page(LOGS, cast_to=cast_to, item_type=Log, pagination=PAGINATION,
                               path_params={"id": 9}, query={"pageSize": 2})


def test_items_across_pages_lazily() -> None:
    recorder = Recorder([page(["a", "b"], True, 100, 1), page(["c"], False)])
    items = pages_of(recorder)
    assert recorder.requests == []  # nothing sent before iteration
    iterator = iter(items)
    assert next(iterator).message == "a"
    assert next(iterator).message == "b"
    assert len(recorder.requests) == 1  # the second page is not fetched yet
    assert [log.message for log in iterator] == ["c"]
    assert len(recorder.requests) == 2
    first, second = (r.url.params for r in recorder.requests)
    assert dict(first) == {"pageSize": "2"}
    assert dict(second) == {"pageSize": "2", "searchAfterTime": "100", "searchAfterOffset": "1"}


def test_iter_pages_yields_page_models() -> None:
    recorder = Recorder([page(["a"], True, 1, 0), page(["b"], True, 2, 0), page(["c"], False)])
    pages = list(pages_of(recorder).iter_pages())
    assert [type(p) for p in pages] == [LogPage] * 3
    assert [p.next_search_after_time for p in pages] == [1, 2, None]


def test_dict_pages_work_too() -> None:
    recorder = Recorder([page(["a"], True, 1, 0), page(["b"], None)])
    assert [log.message for log in pages_of(recorder, dict[str, Any])] == ["a", "b"]


@pytest.mark.parametrize(
    "second",
    [
        page(["b"], False, 2, 0),  # has_more false
        page([], True, 2, 0),  # empty items
        page(["b"], True, None, None),  # cursor missing
        page(["b"], True, 1, 0),  # cursor unchanged
    ],
    ids=["has-more-false", "empty", "cursor-missing", "cursor-unchanged"],
)
def test_stop_conditions(second: httpx.Response) -> None:
    recorder = Recorder([page(["a"], True, 1, 0), second, page(["never"], True, 9, 9)])
    list(pages_of(recorder))
    assert len(recorder.requests) == 2


def test_first_page() -> None:
    recorder = Recorder([page(["a"], True, 1, 0)])
    assert pages_of(recorder).first_page().logs == [Log(message="a")]


def test_errors_raise_during_iteration() -> None:
    recorder = Recorder([page(["a"], True, 1, 0), json_response(404, {"code": 13000})])
    iterator = iter(pages_of(recorder))
    assert next(iterator).message == "a"
    with pytest.raises(NotFoundError):
        next(iterator)


async def test_async_items_and_pages_lazily() -> None:
    recorder = Recorder([page(["a", "b"], True, 100, 1), page(["c"], False)])
    client = async_client(recorder, config=YOTTA)
    items = client.request_page(LOGS, cast_to=LogPage, item_type=Log, pagination=PAGINATION,
                                path_params={"id": 9})
    assert recorder.requests == []
    seen = []
    async for log in items:
        seen.append(log.message)
        if log.message == "b":
            assert len(recorder.requests) == 1
    assert seen == ["a", "b", "c"]
    assert len(recorder.requests) == 2

    recorder.requests.clear()
    pages = [p async for p in items.iter_pages()]
    assert [len(p.logs) for p in pages] == [2, 1]
    recorder.requests.clear()
    assert (await items.first_page()).has_more is True

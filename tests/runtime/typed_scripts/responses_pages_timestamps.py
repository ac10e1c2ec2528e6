"""A user's script, checked with ``mypy --strict`` (test_typed_surface): pages, raw
responses, timestamps and error attributes keep their types."""

from __future__ import annotations

import datetime
from typing import Any, Literal, assert_type

import httpx
from gpuworkers import APIResponse, APIStatusError, APITimeoutError, Timestamp
from gpuworkers.everai import EverAIClient
from gpuworkers.everai.models import ListWorkersResponse, Worker
from gpuworkers.yotta import AsyncYottaClient, YottaClient
from gpuworkers.yotta.models import LogEntry, LogPage


def pages(yotta: YottaClient, arguments: dict[str, Any]) -> None:
    logs = yotta.deployments.list_worker_logs(**arguments)
    for page in logs.iter_pages():
        assert_type(page, LogPage)
    for entry in logs:
        assert_type(entry, LogEntry)
    assert_type(logs.first_page(), LogPage)


async def async_pages(yotta: AsyncYottaClient, arguments: dict[str, Any]) -> None:
    logs = yotta.deployments.list_worker_logs(**arguments)
    async for page in logs.iter_pages():
        assert_type(page, LogPage)
    async for entry in logs:
        assert_type(entry, LogEntry)
    assert_type(await logs.first_page(), LogPage)


def raw_responses(client: EverAIClient) -> str:
    raw = client.with_raw_response.workers.list(name="app")
    assert_type(raw, APIResponse[ListWorkersResponse])
    assert_type(raw.parse(), ListWorkersResponse)
    assert_type(raw.http_response, httpx.Response)
    assert_type(raw.headers, httpx.Headers)
    assert_type(raw.status_code, int)
    assert_type(raw.content, bytes)
    return raw.text[:80]


def timestamps(worker: Worker) -> datetime.timedelta | None:
    served = worker.last_serve_at
    assert_type(served, Timestamp | None)
    if served is None:
        return None
    assert_type(served.nanosecond, int)
    assert_type(served.text, str)
    assert_type(served + datetime.timedelta(seconds=1), Timestamp)
    assert_type(served.replace(nanosecond=0), Timestamp)
    plain: datetime.datetime = served  # a Timestamp is a datetime
    return served - plain


def errors(timeout: APITimeoutError, status: APIStatusError) -> str:
    assert_type(timeout.phase, Literal["connect", "read", "write", "pool", "total"] | None)
    assert_type(timeout.limit, float | None)
    assert_type(timeout.url, str)
    assert_type(status.request_id, str | None)
    return f"{timeout.cause} {status.status_code}"

"""Raw responses parse to the method's own type (issue 14)."""

from __future__ import annotations

from typing import assert_type

from gpuworkers.yotta import AsyncYottaClient, YottaClient
from gpuworkers.yotta.models import Deployment, LogPage, Worker


def raw(yotta: YottaClient) -> None:
    response = yotta.with_raw_response.deployments.get(id=1)
    assert_type(response.parse(), Deployment)
    assert_type(response.status_code, int)
    workers = yotta.with_raw_response.deployments.list_workers(id=1, status_list=["RUNNING"])
    assert_type(workers.parse(), list[Worker])
    page = yotta.with_raw_response.deployments.list_worker_logs(id=1, worker_id=2)
    assert_type(page.parse(), LogPage)
    yotta.with_raw_response.deployments.get(id="1")  # E: arg-type


async def raw_async(yotta: AsyncYottaClient) -> None:
    response = await yotta.with_raw_response.deployments.get(id=1)
    assert_type(response.parse(), Deployment)

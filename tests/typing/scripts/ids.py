"""Ids and cursors read from responses go back into calls as they are (issue 14)."""

from __future__ import annotations

from typing import assert_type

from gpuworkers.yotta import YottaClient
from gpuworkers.yotta.models import Deployment, LogEntry, Worker


def round_trip(yotta: YottaClient) -> None:
    for deployment in yotta.deployments.list(status_list=["RUNNING"]):
        assert_type(deployment.id, int)
        again = yotta.deployments.get(id=deployment.id)
        assert_type(again, Deployment)
        workers = yotta.deployments.list_workers(id=again.id)
        assert_type(workers, list[Worker])
        for worker in workers:
            for entry in yotta.deployments.list_worker_logs(id=deployment.id, worker_id=worker.id):
                assert_type(entry, LogEntry)


def by_hand(yotta: YottaClient, deployment_id: int, worker_id: int) -> None:
    page = yotta.deployments.list_worker_logs_page(id=deployment_id, worker_id=worker_id)
    assert_type(page.next_search_after_offset, int | None)
    if page.next_search_after_offset is not None and page.next_search_after_time is not None:
        yotta.deployments.list_worker_logs_page(
            id=deployment_id,
            worker_id=worker_id,
            search_after_offset=page.next_search_after_offset,
            search_after_time=page.next_search_after_time,
        )
    yotta.deployments.list_worker_logs_page(
        id=deployment_id,
        worker_id=worker_id,
        search_after_offset=page.next_search_after_offset,  # E: arg-type (may be None)
    )


def wrong_id_type(yotta: YottaClient) -> None:
    yotta.deployments.get(id="407712238196040165")  # E: arg-type

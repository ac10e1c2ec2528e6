"""Closed Literal enums for what is sent, open enums for what is received (issue 14); a
member of the received enum class is a value to send too."""

from __future__ import annotations

from typing import assert_type

from gpuworkers.clearml import ClearMLClient
from gpuworkers.clearml.models import AggregationType, StatItem
from gpuworkers.yotta import YottaClient
from gpuworkers.yotta.models import DeploymentStatus, ServiceMode


def sending(yotta: YottaClient) -> None:
    yotta.deployments.list(status_list=["INITIALIZING", "RUNNING"])
    yotta.deployments.list_workers(id=1, status_list=["INITIALIZE"])
    yotta.deployments.create(name="n", image="i", resources=[], workers=1,
                             container_volume_in_gb=20, service_mode="QUEUE")
    yotta.deployments.list_worker_logs(id=1, worker_id=2, direction="Backward")


def members_sent_back(yotta: YottaClient) -> None:
    yotta.deployments.list(status_list=[DeploymentStatus.RUNNING, "STOPPED"])
    yotta.deployments.create(name="n", image="i", resources=[], workers=1,
                             container_volume_in_gb=20, service_mode=ServiceMode.QUEUE)
    StatItem(key="cpu", aggregation=AggregationType.MAX)
    deployment = yotta.deployments.get(id=1)
    yotta.deployments.list(status_list=[deployment.status])  # E: list-item (open: any str)


def typos(yotta: YottaClient) -> None:
    yotta.deployments.list(status_list=["RUNING"])  # E: list-item
    yotta.deployments.list(status_list=["running"])  # E: list-item (the declared case)
    yotta.deployments.list_workers(id=1, status_list=["INITIALIZING"])  # E: list-item
    yotta.deployments.create(name="n", image="i", resources=[], workers=1,
                             container_volume_in_gb=20, service_mode="LB")  # E: arg-type
    yotta.deployments.list_worker_logs(id=1, worker_id=2, direction="forward")  # E: arg-type


def nested(clearml: ClearMLClient) -> None:
    clearml.workers.get_stats(from_date=0, to_date=1, interval=1,
                              items=[StatItem(key="cpu", aggregation="max")])
    StatItem(key="cpu", aggregation="median")  # E: arg-type


def receiving(yotta: YottaClient, clearml: ClearMLClient) -> None:
    deployment = yotta.deployments.get(id=1)
    assert_type(deployment.status, DeploymentStatus | str | None)
    assert_type(deployment.service_mode, ServiceMode | str | None)
    if deployment.status == DeploymentStatus.RUNNING:
        pass
    for worker in clearml.workers.get_stats(from_date=0, to_date=1, interval=1,
                                            items=[StatItem(key="cpu")]).workers or []:
        for metric in worker.metrics or []:
            for stat in metric.stats or []:
                assert_type(stat.aggregation, AggregationType | str | None)

"""NOT_GIVEN leaves an argument out; None is null, where the document allows it (issue 14)."""

from __future__ import annotations

from typing import assert_type

import gpuworkers
from gpuworkers import NOT_GIVEN, NotGiven
from gpuworkers.yotta import YottaClient
from gpuworkers.yotta.models import ResourceRequest

RESOURCES = [ResourceRequest(region="us", gpu_type="RTX_4090", gpu_count=1)]


def my_wrapper(yotta: YottaClient, credential: int | None | NotGiven = NOT_GIVEN) -> None:
    """A user's own function forwarding "not given" as the client does."""
    yotta.deployments.update(id=1, name="n", resources=RESOURCES, workers=1,
                             container_volume_in_gb=20, credential_id=credential)


def sentinel() -> None:
    assert_type(NOT_GIVEN, NotGiven)
    assert not NOT_GIVEN
    count: int | NotGiven = NOT_GIVEN
    if not isinstance(count, NotGiven):
        assert_type(count, int)


def nulls(yotta: YottaClient) -> None:
    yotta.deployments.update(id=1, name="n", resources=RESOURCES, workers=1,
                             container_volume_in_gb=20, credential_id=None, expose=None)
    yotta.deployments.create(name="n", image="i", resources=RESOURCES, workers=1,
                             container_volume_in_gb=20, service_mode="ALB",
                             credential_id=None)  # E: arg-type (create's is not nullable)
    yotta.deployments.list(status_list=None)  # E: arg-type (a query has no null)


def errors(yotta: YottaClient) -> None:
    try:
        yotta.deployments.get(id=1)
    except gpuworkers.InvalidArgumentError as e:
        assert_type(e.problems, dict[str, str])
        assert isinstance(e, ValueError)

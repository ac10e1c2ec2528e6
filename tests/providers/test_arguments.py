"""Arguments as a user passes them (issue 14): omitted vs null, closed enums with declared case
folding, ids that round-trip, and InvalidArgumentError before anything is sent.

Public API only; every request goes through ``httpx.MockTransport`` and the exact bytes on the
wire are checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

import gpuworkers
import httpx
import pytest
from gpuworkers.clearml import ClearMLClient
from gpuworkers.yotta import AsyncYottaClient, YottaClient

if TYPE_CHECKING:
    from gpuworkers.yotta.models import ResourceRequest

BIG_ID = 407712238196040165  # above 2**53: a float would change it
RESOURCES = [{"region": "us", "gpuType": "RTX_4090", "gpuCount": 1}]


class Required(TypedDict):
    """The arguments deployments.create and .update both require, for ``**REQUIRED``."""

    name: str
    resources: list[ResourceRequest]
    workers: int
    container_volume_in_gb: int


# The resources go as plain dicts (wire names), which the client validates into ResourceRequest
# models: on purpose, so the type says models and the value does not.
REQUIRED: Required = {"name": "llm", "resources": RESOURCES,  # type: ignore[typeddict-item]
                      "workers": 1, "container_volume_in_gb": 20}


def _envelope(data: object) -> dict[str, object]:
    return {"code": 10000, "message": "success", "data": data}


class Wire:
    """A mock service that records what it is sent and answers with ``reply``."""

    def __init__(self, reply: Callable[[httpx.Request], object] = lambda r: None) -> None:
        self.sent: list[httpx.Request] = []
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(200, json=_envelope(self.reply(request)))

    def yotta(self) -> YottaClient:
        http = httpx.Client(transport=httpx.MockTransport(self))
        return YottaClient(api_key="k", http_client=http)

    @property
    def body(self) -> Any:
        return json.loads(self.sent[-1].content)


# -- omitted vs null ----------------------------------------------------------------------


def test_an_argument_not_passed_is_not_sent_and_none_is_sent_as_null() -> None:
    wire = Wire(lambda r: {"id": str(BIG_ID)})
    with wire.yotta() as yotta:
        yotta.deployments.update(id=BIG_ID, **REQUIRED)
        assert wire.body == {"name": "llm", "resources": RESOURCES, "workers": 1,
                             "containerVolumeInGb": 20}
        yotta.deployments.update(id=BIG_ID, **REQUIRED, credential_id=None, expose=None,
                                 environment_vars=None, webhook_url=None)
        assert wire.body == {"name": "llm", "resources": RESOURCES, "workers": 1,
                             "containerVolumeInGb": 20, "credentialId": None, "expose": None,
                             "environmentVars": None, "webhookUrl": None}
        yotta.deployments.update(id=BIG_ID, **REQUIRED, credential_id=12,
                                 expose={"port": 8080},  # type: ignore[arg-type]
                                 webhook_url="https://h.example/x")
        assert wire.body == {"name": "llm", "resources": RESOURCES, "workers": 1,
                             "containerVolumeInGb": 20, "credentialId": "12",
                             "expose": {"port": 8080}, "webhookUrl": "https://h.example/x"}
    assert wire.sent[-1].content == (
        b'{"name":"llm","resources":[{"region":"us","gpuType":"RTX_4090","gpuCount":1}],'
        b'"workers":1,"credentialId":"12","containerVolumeInGb":20,'
        b'"webhookUrl":"https://h.example/x","expose":{"port":8080}}'
    )


def test_none_where_the_document_allows_no_null_is_refused() -> None:
    wire = Wire()
    with wire.yotta() as yotta, pytest.raises(gpuworkers.InvalidArgumentError) as caught:
        yotta.deployments.create(**REQUIRED, image="i", service_mode="ALB",
                                 credential_id=None, webhook_url=None)  # type: ignore[arg-type]
    assert set(caught.value.problems) == {"credential_id", "webhook_url"}
    assert wire.sent == []


def test_fields_of_a_nested_model_are_sent_as_set() -> None:
    from gpuworkers.yotta.models import ExposePortRequest

    wire = Wire(lambda r: {"id": str(BIG_ID)})
    with wire.yotta() as yotta:
        yotta.deployments.update(id=BIG_ID, **REQUIRED, expose=ExposePortRequest(port=80))
        assert wire.body["expose"] == {"port": 80}
        yotta.deployments.update(id=BIG_ID, **REQUIRED,
                                 expose=ExposePortRequest(port=80, protocol=None))
        assert wire.body["expose"] == {"port": 80, "protocol": None}


# -- literal enums, case folded where the spec declares it ------------------------------


def test_status_list_is_folded_to_the_declared_case_and_comma_joined() -> None:
    wire = Wire(lambda r: [{"id": str(BIG_ID), "status": "running"}])
    with wire.yotta() as yotta:
        deployments = yotta.deployments.list(
            status_list=["initializing", "Running"]  # type: ignore[list-item]
        )
        assert wire.sent[-1].url.params["statusList"] == "INITIALIZING,RUNNING"
        assert str(deployments[0].status) == "DeploymentStatus.RUNNING"
        yotta.deployments.list_workers(id=BIG_ID, status_list=["INITIALIZE"])
        assert wire.sent[-1].url.params["statusList"] == "INITIALIZE"


def test_a_member_of_the_received_enum_class_is_sent_as_its_value() -> None:
    """What a response carries (`DeploymentStatus.RUNNING`) can be sent back as it is."""
    from gpuworkers.yotta.models import DeploymentStatus, ServiceMode

    wire = Wire(lambda r: [] if r.method == "GET" else {"id": str(BIG_ID)})
    with wire.yotta() as yotta:
        yotta.deployments.list(status_list=[DeploymentStatus.RUNNING, "STOPPED"])
        assert wire.sent[-1].url.params["statusList"] == "RUNNING,STOPPED"
        yotta.deployments.create(**REQUIRED, image="i", service_mode=ServiceMode.QUEUE)
        assert wire.body["serviceMode"] == "QUEUE"


def test_a_value_outside_the_enum_is_refused_with_the_argument_named() -> None:
    wire = Wire()
    with wire.yotta() as yotta:
        with pytest.raises(gpuworkers.InvalidArgumentError) as caught:
            yotta.deployments.list(status_list=["RUNING"])  # type: ignore[list-item]
        assert list(caught.value.problems) == ["status_list[0]"]
        assert "'RUNNING'" in caught.value.problems["status_list[0]"]
        with pytest.raises(gpuworkers.InvalidArgumentError, match="service_mode"):
            yotta.deployments.create(**REQUIRED, image="i", service_mode="alb")  # type: ignore[arg-type]
        with pytest.raises(gpuworkers.InvalidArgumentError, match="direction"):
            list(yotta.deployments.list_worker_logs(id=1, worker_id=2, direction="Sideways"))  # type: ignore[arg-type]
    assert wire.sent == []


def test_a_nested_request_model_enum_is_closed_too() -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    with (
        ClearMLClient(access_key="a", secret_key="s", http_client=http) as clearml,
        pytest.raises(gpuworkers.InvalidArgumentError) as caught,
    ):
        clearml.workers.get_stats(from_date=0, to_date=1, interval=1,
                                  items=[{"key": "cpu", "aggregation": "median"}])  # type: ignore[list-item]
    assert list(caught.value.problems) == ["items[0].aggregation"]


# -- one type per identity ----------------------------------------------------------------


def test_ids_and_cursors_read_from_responses_go_back_exactly() -> None:
    def reply(request: httpx.Request) -> object:
        if request.url.path.endswith("/list"):
            return [{"id": str(BIG_ID)}]
        if request.url.path.endswith("/workers"):
            return [{"id": str(BIG_ID + 1)}]
        offset = request.url.params.get("searchAfterOffset")
        more = offset is None
        return {"logs": [{"log": offset or "first"}], "hasMore": more,
                "nextSearchAfterTime": "t", "nextSearchAfterOffset": str(2**60 + 1)}

    wire = Wire(reply)
    with wire.yotta() as yotta:
        deployment = yotta.deployments.list()[0]
        worker = yotta.deployments.list_workers(id=deployment.id)[0]
        assert (deployment.id, worker.id) == (BIG_ID, BIG_ID + 1)
        assert isinstance(deployment.id, int) and isinstance(worker.id, int)
        logs = list(yotta.deployments.list_worker_logs(id=deployment.id, worker_id=worker.id))
    assert [entry.log for entry in logs] == ["first", str(2**60 + 1)]
    assert wire.sent[1].url.path == f"/openapi/v1/elastic/deploy/{BIG_ID}/workers"
    assert wire.sent[-1].url.path.endswith(f"/{BIG_ID}/workers/{BIG_ID + 1}/logs")
    assert wire.sent[-1].url.params["searchAfterOffset"] == str(2**60 + 1)


# -- errors that explain ------------------------------------------------------------------


def test_every_bad_argument_is_named_at_once_and_nothing_is_sent() -> None:
    wire = Wire()
    with wire.yotta() as yotta, pytest.raises(gpuworkers.InvalidArgumentError) as caught:
        yotta.deployments.update(id="abc", name="", resources=[{"region": "us"}],  # type: ignore[arg-type, list-item]
                                 workers=0, container_volume_in_gb=20, webhook_url=5)  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, gpuworkers.GpuWorkersError) and isinstance(error, ValueError)
    assert set(error.problems) == {"id", "name", "resources[0].gpuType",
                                   "resources[0].gpuCount", "workers", "webhook_url"}
    assert str(error).startswith("deployments.update: 6 invalid arguments: id: ")
    assert "\n" not in str(error)
    assert "ValidationError" not in repr(error.__cause__) and wire.sent == []


def test_query_and_path_arguments_are_checked_async_too() -> None:
    import asyncio

    sent: list[httpx.Request] = []

    def record_and_refuse(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    refuse = httpx.MockTransport(record_and_refuse)
    http = httpx.AsyncClient(transport=refuse)

    async def run() -> gpuworkers.InvalidArgumentError:
        async with AsyncYottaClient(api_key="k", http_client=http) as yotta:
            with pytest.raises(gpuworkers.InvalidArgumentError) as caught:
                await yotta.deployments.list_worker_logs_page(
                    id=1, worker_id="w", page_size="many")  # type: ignore[arg-type]
            return caught.value

    error = asyncio.run(run())
    assert set(error.problems) == {"worker_id", "page_size"}
    assert sent == []

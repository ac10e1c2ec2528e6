"""The Yotta page end to end: normalized OpenAPI, IR and the generated models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, TypedDict

import gpuworkers
import pydantic
import pytest
from openapi_spec_validator import validate

from generator.pipeline import build_provider

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build():  # type: ignore[no-untyped-def]
    result = build_provider(ROOT / "specs", "yotta")
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def test_export_is_valid_openapi_31_with_the_overlay_fixes(build) -> None:  # type: ignore[no-untyped-def]
    exported = json.loads((ROOT / "generated/openapi/yotta.json").read_text())
    validate(exported)
    assert exported == json.loads(json.dumps(build.document))
    assert exported["security"] == [{"ApiKeyAuth": []}]
    scheme = exported["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-Api-Key")
    media_types = {
        media
        for item in exported["paths"].values()
        for op in item.values()
        for response in op["responses"].values()
        for media in response.get("content", {})
    }
    assert media_types == {"application/json"}


def test_operations_keep_their_page_line(build) -> None:  # type: ignore[no-untyped-def]
    create = build.document["paths"]["/openapi/v1/elastic/deploy/create"]["post"]
    # Wherever the live page has it today: the line that names the operation.
    lines = Path(ROOT / "specs/yotta/elastic-deployments.md").read_text().splitlines()
    (line,) = [n for n, text in enumerate(lines, 1) if '"operationId":"endpointCreate"' in text]
    assert create["x-source"] == f"specs/yotta/elastic-deployments.md:{line}"


def test_ir_names_envelope_and_query_style(build) -> None:  # type: ignore[no-untyped-def]
    api = build.api
    names = {f"{op.resource}.{op.python_name}" for op in api.operations}
    assert names == {f"deployments.{n}" for n in (
        "create", "update", "stop", "start", "delete", "list", "get",
        "scale_workers", "list_workers", "list_worker_logs")}
    by_name = {op.python_name: op for op in api.operations}
    assert by_name["list"].returns == "list[Deployment]"
    assert by_name["stop"].returns == "None"
    assert by_name["create"].idempotent is False
    (status_list,) = by_name["list"].params
    assert (status_list.python_name, status_list.style) == ("status_list", "comma")
    assert api.envelope is not None and api.envelope.success == (10000,)
    assert by_name["list_worker_logs"].pagination is not None


def test_ir_snapshot_round_trips(build) -> None:  # type: ignore[no-untyped-def]
    snapshot = (ROOT / "generated/ir/yotta.json").read_text()
    assert build.api.to_json() == snapshot


def test_request_models_keep_the_page_constraints() -> None:
    from gpuworkers.yotta.models import EnvironmentVariable, ExposePortRequest, ResourceRequest

    ResourceRequest(region="us", gpu_type="RTX_4090", gpu_count=1)
    with pytest.raises(pydantic.ValidationError):
        ExposePortRequest(port=70000)
    with pytest.raises(pydantic.ValidationError):
        EnvironmentVariable(key="", value="x")


@pytest.mark.parametrize("name", ["9lives", "-x", "", "a" * 51, "has space"])
def test_lookahead_name_pattern_is_enforced_before_anything_is_sent(name: str) -> None:
    """`^(?=[A-Za-z])...`: pydantic's default regex engine rejects look-aheads; ours must not."""
    import httpx
    from gpuworkers.yotta import YottaClient
    from gpuworkers.yotta.models import CreateDeploymentRequest, ResourceRequest

    class Args(TypedDict):
        image: str
        resources: list[ResourceRequest]
        workers: int
        container_volume_in_gb: int
        service_mode: Literal["ALB", "QUEUE", "CUSTOM"]

    sent: list[httpx.Request] = []

    def record_and_refuse(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    transport = httpx.MockTransport(record_and_refuse)
    resources = [ResourceRequest(region="us", gpu_type="RTX_4090", gpu_count=1)]
    args = Args(image="i", resources=resources, workers=1, container_volume_in_gb=20,
                service_mode="ALB")
    with pytest.raises(pydantic.ValidationError, match="name"):
        CreateDeploymentRequest(name=name, **args)
    with (
        YottaClient(api_key="k", http_client=httpx.Client(transport=transport)) as client,
        pytest.raises(gpuworkers.InvalidArgumentError, match="name"),
    ):
        client.deployments.create(name=name, **args)
    assert sent == []
    assert CreateDeploymentRequest(name="llama@v1.2_a-b", **args).name == "llama@v1.2_a-b"


def test_big_ids_survive_exactly() -> None:
    from gpuworkers.yotta.models import Deployment

    deployment = Deployment.model_validate_json(
        '{"id": "407712238196040165", "credentialId": 384425425995034706}'
    )
    # The id travels as a string and is an int in Python (as the path takes it), exactly.
    assert deployment.id == 407712238196040165
    assert deployment.credential_id == 384425425995034706
    for text in ('{"id": 9007199254740993}', '{"id": "9007199254740993"}'):  # 2^53 + 1
        assert Deployment.model_validate_json(text).id == 2**53 + 1
        assert Deployment.model_validate(json.loads(text)).id == 2**53 + 1

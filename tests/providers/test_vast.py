"""Vast.ai: what the contract fixtures cannot show (credentials, URLs, statuses, big ids),
and the generic mechanisms the Vast spec relies on (Overlay 1.1 ``copy``,
``x-case-insensitive`` enums).  httpx.MockTransport only; no client method is patched.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import pytest
from gpuworkers import BadRequestError, MissingCredentialsError
from gpuworkers._runtime import CaseInsensitiveEnum
from gpuworkers.vast import AsyncVastClient, VastClient, Worker, WorkerStatus

from generator import ir
from generator.diagnostics import Diagnostics
from generator.emit.models import render_models
from generator.overlay import apply_overlay
from generator.pipeline import build_provider
from generator.sourcemap import load_located
from generator.validate import validate_document
from tests.ir_helpers import api_with_schemas

ROOT = Path(__file__).resolve().parents[2]
KEY = "test-api-key"
# sha256 of seeds/004_b616b223fce0fd46.txt: the page must stay as published.
PAGE_SHA256 = "53c657e2f9eea2157ea5636b981bc48c36a7a106cc8620fbd51f5cf434eaa6e3"

Handler = Any


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No key from the machine running the tests: empty env, a fresh HOME."""
    monkeypatch.delenv("VAST_API_KEY", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


class Recorder:
    def __init__(self, body: object, status: int = 200) -> None:
        self.body, self.status = body, status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body)


def client(recorder: Recorder, **kwargs: Any) -> VastClient:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return VastClient(http_client=http, max_retries=0, **kwargs)


# -- credentials ----------------------------------------------------------------------------


def test_key_from_vast_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAST_API_KEY", "from-env")
    recorder = Recorder([])
    with client(recorder) as vast:
        vast.workers.get_endpoint_workers(id=1)
    assert recorder.requests[0].headers["authorization"] == "Bearer from-env"


def test_key_from_xdg_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "xdg"
    (config / "vastai").mkdir(parents=True)
    (config / "vastai" / "vast_api_key").write_text("from-xdg-file\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    recorder = Recorder([])
    with client(recorder) as vast:
        vast.workers.get_autogroup_workers(id=1)
    assert recorder.requests[0].headers["authorization"] == "Bearer from-xdg-file"


def test_key_from_legacy_home_file(no_ambient_credentials: Path) -> None:
    (no_ambient_credentials / ".vast_api_key").write_text("legacy-key", encoding="utf-8")
    recorder = Recorder([])
    with client(recorder) as vast:
        vast.workers.get_endpoint_workers(id=1)
    assert recorder.requests[0].headers["authorization"] == "Bearer legacy-key"


def test_env_wins_over_file(monkeypatch: pytest.MonkeyPatch, no_ambient_credentials: Path) -> None:
    (no_ambient_credentials / ".vast_api_key").write_text("legacy-key", encoding="utf-8")
    monkeypatch.setenv("VAST_API_KEY", "from-env")
    recorder = Recorder([])
    with client(recorder) as vast:
        vast.workers.get_endpoint_workers(id=1)
    assert recorder.requests[0].headers["authorization"] == "Bearer from-env"


def test_missing_key_names_argument_and_env_var() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        VastClient()
    assert "api_key=" in str(caught.value)
    assert "VAST_API_KEY" in str(caught.value)


# -- requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get_endpoint_workers", "/get_endpoint_workers/"),
        ("get_autogroup_workers", "/get_autogroup_workers/"),
    ],
)
def test_request_shape_and_key_never_in_url_or_body(method: str, path: str) -> None:
    recorder = Recorder([])
    with client(recorder, api_key=KEY) as vast:
        getattr(vast.workers, method)(id=123)
    request = recorder.requests[0]
    assert request.method == "POST"
    assert str(request.url) == f"https://run.vast.ai{path}"
    assert KEY not in str(request.url)
    assert json.loads(request.content) == {"id": 123}
    assert KEY.encode() not in request.content
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_big_ids_are_exact_both_ways() -> None:
    big_request, big_worker = 2**63 + 7, 2**64 + 1
    recorder = Recorder([{"id": big_worker, "status": "running"}])
    with client(recorder, api_key=KEY) as vast:
        workers = vast.workers.get_endpoint_workers(id=big_request)
    assert f'"id":{big_request}'.encode() in recorder.requests[0].content.replace(b" ", b"")
    assert workers[0].id == big_worker
    assert isinstance(workers[0].id, int)


# -- responses ------------------------------------------------------------------------------


@pytest.mark.parametrize("wire", ["running", "RUNNING", "Running"])
def test_status_is_case_insensitive(wire: str) -> None:
    with client(Recorder({"workers": [{"id": 1, "status": wire}]}), api_key=KEY) as vast:
        (worker,) = vast.workers.get_endpoint_workers(id=1)
    assert worker.status is WorkerStatus.RUNNING
    assert worker.status == WorkerStatus("RUNNING") == "running"


def test_mixed_case_idle_is_a_member() -> None:
    with client(Recorder([{"status": "Idle"}, {"status": "IDLE"}]), api_key=KEY) as vast:
        workers = vast.workers.get_endpoint_workers(id=1)
    assert [w.status for w in workers] == [WorkerStatus.IDLE, WorkerStatus.IDLE]


def test_unknown_status_is_kept_as_a_string() -> None:
    with client(Recorder([{"id": 1, "status": "Hibernating"}]), api_key=KEY) as vast:
        (worker,) = vast.workers.get_endpoint_workers(id=1)
    assert worker.status == "Hibernating"
    assert not isinstance(worker.status, WorkerStatus)


def test_extra_fields_are_typed_and_unknown_ones_kept() -> None:
    body = [{"started_at": 1724275801, "gpu_name": "RTX 4090", "brand_new": [1, 2]}]
    with client(Recorder(body), api_key=KEY) as vast:
        (worker,) = vast.workers.get_endpoint_workers(id=1)
    assert worker.started_at == 1724275801.0
    assert worker.gpu_name == "RTX 4090"
    assert worker.model_extra == {"brand_new": [1, 2]}


def test_error_msg_in_a_200_raises_with_the_service_message() -> None:
    message = "authenticate_endpoint_apikey_by_id: endpoint not ready"
    vast = client(Recorder({"error_msg": message}), api_key=KEY)
    with vast, pytest.raises(BadRequestError) as caught:
        vast.workers.get_endpoint_workers(id=1)
    assert caught.value.status_code == 200
    assert caught.value.envelope_message == message
    assert message in str(caught.value)


def test_async_client_reads_the_workers_object() -> None:
    recorder = Recorder({"workers": [{"id": 5, "status": "STOPPED"}]})

    async def run() -> list[Worker]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with AsyncVastClient(api_key=KEY, http_client=http, max_retries=0) as vast:
            return await vast.workers.get_autogroup_workers(id=9)

    (worker,) = asyncio.run(run())
    assert worker.status is WorkerStatus.STOPPED
    assert recorder.requests[0].headers["authorization"] == f"Bearer {KEY}"


# -- the spec -------------------------------------------------------------------------------


def test_page_is_the_published_seed() -> None:
    page = (ROOT / "specs" / "vast" / "worker-list.mdx").read_bytes()
    assert hashlib.sha256(page).hexdigest() == PAGE_SHA256


def test_spec_builds_without_diagnostics() -> None:
    build = build_provider(ROOT / "specs", "vast")
    assert build.ok
    # The logs page gives its outputs no type; the overlay types them, which settles the
    # reader's warnings (tests/generator/test_merge_overlay.py shows them without it).
    assert list(build.diagnostics) == []
    assert build.api is not None
    returns = {op.python_name: op.returns for op in build.api.operations}
    assert returns == {
        "get_endpoint_workers": "list[Worker]",
        "get_autogroup_workers": "list[Worker]",
        "get_endpoint_logs": "GetEndpointLogsResponse",
        "get_autogroup_logs": "GetAutogroupLogsResponse",
    }
    assert all(op.idempotent for op in build.api.operations)


def test_exported_openapi_is_valid_3_1() -> None:
    document = json.loads((ROOT / "generated" / "openapi" / "vast.json").read_text("utf-8"))
    diagnostics = Diagnostics()
    validate_document(document, diagnostics)
    assert list(diagnostics) == []
    assert document["openapi"].startswith("3.1")
    assert document["components"]["schemas"]["WorkerStatus"]["x-case-insensitive"] is True


# -- generic: CaseInsensitiveEnum (runtime) -------------------------------------------------


class Colour(CaseInsensitiveEnum):
    RED = "red"
    DARK_BLUE = "Dark-Blue"


class PlainColour(str, Enum):  # noqa: UP042 (what datamodel-codegen emits for 3.10)
    RED = "red"


def test_case_insensitive_enum_lookup() -> None:
    assert Colour("RED") is Colour.RED
    assert Colour("dark-blue") is Colour.DARK_BLUE
    with pytest.raises(ValueError):
        Colour("green")
    with pytest.raises(ValueError):
        PlainColour("RED")


def test_case_insensitive_enum_in_an_open_union() -> None:
    import pydantic

    adapter = pydantic.TypeAdapter(list[Colour | str])
    assert adapter.validate_python(["RED", "dark-BLUE", "green"]) == [
        Colour.RED,
        Colour.DARK_BLUE,
        "green",
    ]
    assert adapter.validate_json('["Red"]') == [Colour.RED]
    assert adapter.dump_python([Colour.RED], mode="json") == ["red"]


# -- generic: emission of x-case-insensitive enums ------------------------------------------


def test_emitter_bases_only_marked_enums_on_case_insensitive_enum() -> None:
    marked = {"type": "string", "enum": ["on", "off"], "x-case-insensitive": True}
    plain = {"type": "string", "enum": ["up", "down"]}
    source = render_models(
        api_with_schemas((ir.Schema("Power", "Power", marked), ir.Schema("Way", "Way", plain))),
        "# demo",
    )
    assert "class Power(CaseInsensitiveEnum):" in source
    assert "from gpuworkers._runtime import CaseInsensitiveEnum" in source
    assert "class Way(str, Enum):" in source
    namespace: dict[str, Any] = {}
    exec(compile(source, "models.py", "exec"), namespace)  # noqa: S102 - generated code
    assert namespace["Power"]("ON") is namespace["Power"].ON
    with pytest.raises(ValueError):
        namespace["Way"]("UP")


# -- generic: Overlay 1.1 copy --------------------------------------------------------------


def _overlay(actions: str, document: dict[str, Any]) -> tuple[dict[str, Any], Diagnostics]:
    diagnostics = Diagnostics()
    overlay = load_located("overlay: 1.1.0\nactions:\n" + actions)
    return apply_overlay(document, overlay, "overlay.yaml", diagnostics), diagnostics


def test_overlay_copy_merges_the_source_into_each_target() -> None:
    page = {"type": "object", "properties": {"id": {"type": "integer"}}}
    document: dict[str, Any] = {"paths": {"/a": {"schema": page}}, "components": {"schemas": {}}}
    result, diagnostics = _overlay(
        "  - target: $.components.schemas\n"
        "    update: {Thing: {description: A thing.}}\n"
        "  - target: $.components.schemas.Thing\n"
        "    copy: $.paths['/a'].schema\n",
        document,
    )
    assert list(diagnostics) == []
    assert result["components"]["schemas"]["Thing"] == {"description": "A thing.", **page}
    assert result["paths"]["/a"]["schema"] == page  # the source stays
    assert document["components"]["schemas"] == {}  # the input is not modified


def test_overlay_copy_appends_to_an_array_target() -> None:
    document = {"a": {"example": {"x": 1}}, "b": {"value": []}}
    result, diagnostics = _overlay("  - target: $.b.value\n    copy: $.a.example\n", document)
    assert list(diagnostics) == []
    assert result["b"]["value"] == [{"x": 1}]


@pytest.mark.parametrize("source", ["$.nothing", "$.*"])
def test_overlay_copy_source_must_select_one_node(source: str) -> None:
    document: dict[str, Any] = {"a": {}, "b": {}}
    _, diagnostics = _overlay(f"  - target: $.a\n    copy: '{source}'\n", document)
    (error,) = diagnostics.errors
    assert "copy source" in error.message
    assert error.location.line == 3

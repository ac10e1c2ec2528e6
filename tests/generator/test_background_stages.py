"""Work done on a background worker while this process goes on gives what it gives in order.

* A provider's models start on a worker from the IR lowered before the validator runs
  (``build_provider``'s ``on_early``, ``emit.start_early``), while this process validates:
  the diagnostics, their order, the IR and the normalized document are those of a run
  that validates first, including when a finding drops a node (the early IR is then not
  the validated document's, and its models are called off) or the document is invalid
  (lowering it early may fail; only the validation's errors are said).
* The import check compiles modules in this process while a worker or a fresh interpreter
  imports them (``writer._precompile``): the bytecode lands where Python's importer looks
  for it under ``sys.pycache_prefix``, and a module that fails is still refused, located.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import emit, ir, pipeline, validate
from generator.emit.models import start_models
from generator.emit.writer import WriteError, _precompile, stage
from generator.perf import workers
from generator.pipeline import ProviderBuild, build_provider
from tests.generator.test_lenient_validation import PROVIDER

# A default its schema rejects (dropped, with a warning), a repeated `required` entry and an
# operation `title` (warnings), and enough to lower: a model, a body, a response.
WARNED = """\
openapi: 3.0.3
info: {title: Doc, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      title: Not an operation field
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      required: [name, name]
      properties:
        name: {type: string}
        size: {type: integer, default: "eight"}
"""

# `parameters` that is not a list: an error, and lowering it early fails.
BROKEN = """\
openapi: 3.0.3
info: {title: Doc, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters: {name: limit}
      responses:
        "200": {description: OK}
"""


def _specs(tmp_path: Path, document: str) -> Path:
    folder = tmp_path / "specs" / "doc"
    folder.mkdir(parents=True)
    (folder / "provider.toml").write_text(PROVIDER)
    (folder / "openapi.yaml").write_text(textwrap.dedent(document))
    return tmp_path / "specs"


def _said(build: ProviderBuild) -> list[str]:
    return [str(d) for d in build.diagnostics]


class _Early:
    """An ``on_early`` that notes each IR it is handed, in ``events`` beside the validator's
    runs, and whether it was called off."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.handed: list[ir.Api] = []
        self.called_off: list[ir.Api] = []
        self.events: list[str] = []
        validator_part = validate._validator_part

        def validating(document: Any) -> Any:
            self.events.append("validator")
            return validator_part(document)

        monkeypatch.setattr(validate, "_validator_part", validating)

    def __call__(self, api: ir.Api) -> Callable[[], None]:
        self.handed.append(api)
        self.events.append("early")
        return lambda: self.called_off.append(api)


def test_the_ir_is_handed_on_before_the_validator_runs_and_gives_what_validating_first_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = _specs(tmp_path, WARNED)
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")  # findings computed every time
    early = _Early(monkeypatch)
    alone = build_provider(specs, "doc")
    assert early.events == ["validator"]  # no on_early: validated, then lowered
    beside = build_provider(specs, "doc", on_early=early)
    assert early.events == ["validator", "early", "validator"]
    assert early.handed == [beside.api] and early.called_off == []  # the very IR kept
    assert alone.api is not None and beside.api is not None
    assert _said(beside) == _said(alone)
    said = "\n".join(_said(alone))
    assert "default" in said and "required" in said and "title" in said
    assert beside.document == alone.document
    assert "default" not in alone.document["components"]["schemas"]["Thing"]["properties"]["size"]  # type: ignore[index]
    assert beside.api.to_json() == alone.api.to_json()


def _lowerings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per call of ``lower`` in the pipeline, early or not."""
    calls: list[int] = []
    lower = pipeline.lower  # type: ignore[attr-defined]  # the name the pipeline calls

    def counted(*args: Any) -> Any:
        calls.append(1)
        return lower(*args)

    monkeypatch.setattr(pipeline, "lower", counted)
    return calls


@pytest.mark.parametrize(
    ("document", "lowered"),
    [
        (WARNED, 1),  # the lint drops the default: known at once, left out of the early IR
        # `pattern: 0` is the validator's to drop (a keyword of the wrong kind): found only
        # once it has run, so the early IR is not the validated document's
        (WARNED.replace("name: {type: string}", "name: {type: string, pattern: 0}"), 2),
    ],
)
def test_the_early_ir_is_kept_only_when_it_left_out_exactly_what_the_findings_drop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: str, lowered: int
) -> None:
    specs = _specs(tmp_path, document)
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")
    alone = build_provider(specs, "doc")
    calls = _lowerings(monkeypatch)
    early = _Early(monkeypatch)
    beside = build_provider(specs, "doc", on_early=early)
    assert len(calls) == lowered
    assert len(early.handed) == 1
    assert early.called_off == ([] if lowered == 1 else early.handed)
    assert alone.api is not None and beside.api is not None
    assert _said(beside) == _said(alone) and beside.document == alone.document
    assert beside.api.to_json() == alone.api.to_json()
    said = "\n".join(_said(alone))
    assert "default" in said and ("pattern" in said) is (lowered == 2)


@pytest.mark.parametrize(
    ("document", "said"),
    [
        (BROKEN, "parameters"),  # lowering it early may fail: nothing handed on then
        # A server without its url: the validator's error, yet it lowers.
        (WARNED.replace('version: "1"}', 'version: "1"}\nservers: [{description: x}]'), "url"),
    ],
)
def test_a_document_found_invalid_says_only_the_validation_errors_and_calls_off_its_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: str, said: str
) -> None:
    specs = _specs(tmp_path, document)
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")
    alone = build_provider(specs, "doc")
    early = _Early(monkeypatch)
    beside = build_provider(specs, "doc", on_early=early)
    assert early.called_off == early.handed  # whatever was lowered early is called off
    assert alone.api is None and beside.api is None
    assert beside.diagnostics.errors and _said(beside) == _said(alone)
    assert any(said in message for message in _said(beside))
    if said == "url":
        assert len(early.handed) == 1


def test_the_findings_cached_by_an_earlier_run_hand_on_no_early_ir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = _specs(tmp_path, WARNED)
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))
    first = build_provider(specs, "doc")
    early = _Early(monkeypatch)
    again = build_provider(specs, "doc", on_early=early)
    assert early.events == []  # nothing to wait for: validated and lowered in order, at once
    assert _said(again) == _said(first)


def _built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, ProviderBuild]:
    """WARNED's folder, and a build of it with nothing cached or started early."""
    specs = _specs(tmp_path, WARNED)
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")
    alone = build_provider(specs, "doc")
    assert alone.api is not None and alone.document is not None
    return specs, alone


def test_models_started_early_on_a_worker_are_the_ones_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs, alone = _built(tmp_path, monkeypatch)
    assert alone.api is not None and alone.document is not None
    expected = emit.render_package([emit.ProviderOutput(alone.api, alone.document)], "1.0.0")
    started: list[ir.Api] = []
    def counted(api: ir.Api, header: str) -> Any:
        started.append(api)
        return start_models(api, header)

    monkeypatch.setattr(emit, "start_models", counted)
    with workers.background():
        build = build_provider(specs, "doc", on_early=emit.start_early)
        assert build.api is not None and build.document is not None
        assert started == [build.api]  # on the worker before the validator ran
        files = emit.render_package([emit.ProviderOutput(build.api, build.document)], "1.0.0")
    assert started == [build.api]  # taken, not started again
    assert files == expected


def test_models_called_off_are_not_generated_when_no_worker_took_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, build = _built(tmp_path, monkeypatch)
    assert build.api is not None
    with workers.background():
        busy = workers.submit(time.sleep, 1.0)  # the one worker (two CPUs) is taken
        assert busy is not None
        call_off = emit.start_early(build.api)
        pending = emit._EARLY[id(build.api)][1]
        call_off()
        assert id(build.api) not in emit._EARLY
        jobs = pending._jobs
        assert jobs is not None and jobs.futures is not None
        assert all(future.cancelled() for future in jobs.futures)


PACKAGE = {
    "src/gpuworkers/__init__.py": "",
    "src/gpuworkers/acme/__init__.py": '"""Loads its modules lazily."""\n',
    "src/gpuworkers/acme/models.py": "VALUE = 1\n",
    "src/gpuworkers/acme/client.py": (
        "from gpuworkers.acme.models import VALUE\n\nTWICE = 2 * VALUE\n"
    ),
}


@pytest.mark.parametrize("relative", [False, True])
def test_modules_are_compiled_where_the_importer_looks_under_a_pycache_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: bool
) -> None:
    source = tmp_path / "src"
    if relative:  # an --out given relative to the working folder, through a `..`
        (tmp_path / "elsewhere").mkdir()
        monkeypatch.chdir(tmp_path / "elsewhere")
        source = Path("../src")
    for file, text in PACKAGE.items():
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / file).write_text(text)
    bytecode = tmp_path / "pyc"
    modules = ["gpuworkers", "gpuworkers.acme", "gpuworkers.acme.models", "gpuworkers.acme.client"]
    _precompile(source, modules, bytecode, until=lambda: False)
    monkeypatch.setattr(sys, "pycache_prefix", str(bytecode))
    for name in PACKAGE:
        module = str(source / name.removeprefix("src/"))
        assert Path(importlib.util.cache_from_source(module)).is_file(), module


def test_compiling_stops_once_the_check_is_done(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    calls: list[int] = []

    def done() -> bool:
        calls.append(1)
        return len(calls) > 1

    _precompile(source, ["gpuworkers", "gpuworkers.acme.client"], tmp_path / "pyc", until=done)
    assert [p.name for p in (tmp_path / "pyc").rglob("*.pyc")] == [
        f"client.{sys.implementation.cache_tag}.pyc"  # last first; then the check was done
    ]


@pytest.mark.parametrize("with_worker", [True, False])
def test_a_precompiled_module_that_fails_is_refused_by_the_check_with_its_line(
    tmp_path: Path, with_worker: bool
) -> None:
    files = {**PACKAGE, "src/gpuworkers/acme/client.py": 'VALUE = 1\nTWICE = int("two")\n'}
    refused = pytest.raises(WriteError, match=r"client\.py:2.*does not import: ValueError")
    with workers.background() if with_worker else _nothing(), refused:
        stage(files, tmp_path / "generated")
    assert list((tmp_path / ".generated-work").iterdir()) == []  # no staging, no bytecode left


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_without_copies_only_the_containers_on_the_dropped_paths() -> None:
    from generator.validate import without

    document: dict[str, Any] = {
        "components": {"schemas": {
            "A": {"properties": {"n": {"type": "integer", "default": "x"}}},
            "B": {"type": "string"},
        }},
        "paths": {"/a": {"get": {"parameters": [{"name": "q", "schema": {"default": 1}}]}}},
    }
    dropped = [
        ("components", "schemas", "A", "properties", "n", "default"),
        ("paths", "/a", "get", "parameters", 0, "schema", "default"),
        ("paths", "/nowhere", "get"),  # a path that is not there: nothing happens
    ]
    before = repr(document)
    result = without(document, dropped)
    assert repr(document) == before  # left as it was: its nodes are still to be located
    assert result["components"]["schemas"]["A"]["properties"]["n"] == {"type": "integer"}
    assert result["paths"]["/a"]["get"]["parameters"][0]["schema"] == {}
    assert result["components"]["schemas"]["B"] is document["components"]["schemas"]["B"]
    assert without(document, []) is document

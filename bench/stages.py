"""Where our generation time goes: CPU seconds per pipeline stage on one document.

    python -m bench.stages 1000                 # synthetic: prints a JSON list of [stage, seconds]
    python -m bench.stages path/to/openapi.yaml # a real document

Runs the same functions ``python -m generator generate`` runs, one stage at a time, in
this process (the model cache is switched off).  Child processes (datamodel-code-generator's
workers for a large document, ruff, the import check) are counted through
``RUSAGE_CHILDREN`` in the stage that ran them.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.generation import PROVIDER_TOML
from bench.synth import make_document


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(operations: int | Path) -> list[tuple[str, float]]:
    os.environ["GPUWORKERS_CACHE_DIR"] = ""  # no model cache: a cold run
    clock = time.process_time
    stages: list[tuple[str, float]] = []
    started = clock()
    from generator import emit, ir, pipeline
    from generator.emit import ProviderOutput, render_package, writer
    from generator.emit.models import PendingModels, render_models
    from generator.lower import lower
    from generator.merge import merge_documents
    from generator.validate import validate_document

    stages.append(("import the generator", clock() - started))
    work = Path(tempfile.mkdtemp(prefix="gpuworkers-stages-"))
    try:
        page_dir = work / "specs" / "synth"
        page_dir.mkdir(parents=True)
        page = "openapi.json"
        if isinstance(operations, Path):
            page = "openapi" + operations.suffix
            shutil.copy(operations, page_dir / page)
        else:
            (page_dir / page).write_text(json.dumps(make_document(operations), indent=2))
        (page_dir / "provider.toml").write_text(
            PROVIDER_TOML.format(name="synth", client="Synth", page=page)
        )
        build = pipeline.ProviderBuild("synth")
        spec = pipeline.load_provider(page_dir, "specs/synth", build.diagnostics)
        assert spec is not None

        def step(name: str, function, *args):  # type: ignore[no-untyped-def]
            began, children = clock(), _children_cpu()
            value = function(*args)
            stages.append((name, clock() - began + _children_cpu() - children))
            return value

        sources: dict[tuple[str | int, ...], str] = {}
        fragments = step(
            "read the page (JSON + line map)",
            pipeline._read_pages,
            page_dir,
            "specs/synth",
            spec,
            build.diagnostics,
            sources,
        )
        documents = [fragment for fragment, _ in fragments]
        document = step("merge", merge_documents, documents, build.diagnostics)
        step(
            "validate (openapi-spec-validator)",
            validate_document,
            document,
            build.diagnostics,
            sources,
        )
        api: ir.Api = step("lower to IR", lower, document, spec, build.diagnostics)
        models = step("models (datamodel-code-generator)", render_models, api, "# header")
        # The package render below reuses them rather than generating them again.
        emit.start_models = lambda *_: PendingModels(source=models)
        outputs = [ProviderOutput(api, document)]
        files = step("render clients (Jinja) + JSON exports", render_package, outputs, "0")
        staging = step("write files, ruff, import check", writer.stage, files, work / "out")
        shutil.rmtree(staging, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return stages


if __name__ == "__main__":
    argument = sys.argv[1]
    print(json.dumps(main(Path(argument) if Path(argument).is_file() else int(argument))))

"""One document through the whole path: generate, ruff, import, mypy --strict, calls.

Every stage runs in its own process (the generated package is importable only from
its temporary folder, and a crash or hang in one stage must become a reason in the
table, not end the run).  A stage that fails ends the document's run there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.corpus import documents
from tests.corpus.documents import ROOT

_FIELD_REQUIRED = re.compile(r"provider\.toml(?::\d+)?: error: (\w+): Field required")


@dataclass
class OperationResult:
    operation: str  # "GET /pets (pets.list_pets)"
    ok: bool
    reason: str = ""
    fault: str = ""  # whose fault a failure is: client, document, mock (Prism) or harness
    note: str = ""  # how a call that round-tripped got there, when not directly


@dataclass
class DocumentResult:
    document: str
    operations: int
    filled: tuple[str, ...] = ()  # provider.toml keys the generator still required
    generated: bool = False
    error: str = ""  # the first error line of the stage that stopped the run
    ruff_issues: int | None = None
    import_error: str | None = None
    mypy_errors: int | None = None
    calls: list[OperationResult] = field(default_factory=list)
    served: str = ""  # how Prism served the document: whole, or in parts (how many, how deep)
    generate_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def round_tripped(self) -> int:
        return sum(call.ok for call in self.calls)

    def failed(self, fault: str) -> int:
        return sum(not call.ok and call.fault == fault for call in self.calls)

    @property
    def ratio(self) -> float:
        return self.round_tripped / self.operations if self.operations else 0.0


@dataclass(frozen=True)
class Run:
    """Where one document is generated, and how long each stage may take."""

    work: Path
    prism: Path | None
    timeout: float = 1800.0

    @property
    def out(self) -> Path:
        return self.work / "out"


def run_document(path: Path, work: Path, prism: Path | None) -> DocumentResult:
    """Every stage for ``path``, in ``work`` (an empty folder the caller removes)."""
    started = time.perf_counter()
    document = documents.load(path)
    result = DocumentResult(path.name, len(documents.operations(document)))
    run = Run(work, prism)
    name = documents.provider_name(path)
    try:
        _stages(run, path, name, document, result)
    finally:
        result.seconds = time.perf_counter() - started
    return result


def _stages(
    run: Run, path: Path, name: str, document: dict[str, Any], result: DocumentResult
) -> None:
    generated_at = time.perf_counter()
    result.generated, result.filled, result.error = _generate(run, path, name, document)
    result.generate_seconds = time.perf_counter() - generated_at
    if not result.generated:
        return
    result.ruff_issues, result.error = _ruff(run)
    result.import_error = _import(run, name)
    if result.import_error is not None:
        result.error = result.import_error
        return
    result.mypy_errors, mypy_first = _mypy(run)
    if result.mypy_errors and not result.error:
        result.error = mypy_first
    if run.prism is None:
        result.error = result.error or "Prism is not installed: no calls made"
        return
    result.calls, result.served = _calls(run, name, document)
    # The client's own failures first: they are what this table exists to find.
    failing = [call for call in result.calls if not call.ok]
    failing.sort(key=lambda call: call.fault not in ("client", ""))
    if failing and not result.error:
        result.error = f"[{failing[0].fault or 'client'}] {failing[0].reason}"


# -- generate ------------------------------------------------------------------------------------


def _generate(
    run: Run, path: Path, name: str, document: dict[str, Any]
) -> tuple[bool, tuple[str, ...], str]:
    """Generate with the minimal provider.toml; once more with the keys it says it requires."""
    fill: tuple[str, ...] = ()
    while True:
        specs = run.work / "specs"
        shutil.rmtree(specs, ignore_errors=True)
        folder = specs / name
        folder.mkdir(parents=True)
        shutil.copyfile(path, folder / path.name)
        toml = documents.provider_toml(name, path.name, document, fill)
        (folder / "provider.toml").write_text(toml, encoding="utf-8")
        command = ["-m", "generator", "--specs", str(specs), "--out", str(run.out), "generate"]
        output = _python(run, [*command, name], cwd=ROOT)
        if output.returncode == 0:
            return True, fill, ""
        required = tuple(dict.fromkeys(_FIELD_REQUIRED.findall(output.stdout + output.stderr)))
        if not required or set(required) <= set(fill):
            # The document by its file name alone, however the generator shows its folder.
            shown = rf"(?m)^\S*/({re.escape(path.name)}:)"
            text = re.sub(shown, r"\1", output.stderr + output.stdout)
            return False, fill, first_error(text)
        fill = (*fill, *required)


def first_error(output: str) -> str:
    """The first line reporting an error, with the line after it when it ends in a colon."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [i for i, line in enumerate(lines) if "error" in line.lower()]
    if not errors:
        return lines[-1] if lines else "failed with no output"
    index = errors[0]
    line = lines[index]
    if line.endswith(":") and index + 1 < len(lines):
        line += " " + lines[index + 1]
    more = len(errors) - 1
    return line + (f" (+{more} more error lines)" if more else "")


# -- checks on the generated package -------------------------------------------------------------


def _ruff(run: Run) -> tuple[int, str]:
    """Issues ruff finds in the generated package (its own settings), and the first one."""
    check = _python(run, ["-m", "ruff", "check", "--no-cache", "--output-format", "json", "."])
    try:
        found = json.loads(check.stdout or "[]")
    except ValueError:
        found = [{"code": "ruff", "message": first_error(check.stderr), "filename": "?"}]
    issues = [
        f"ruff: {Path(i['filename']).name}:{(i.get('location') or {}).get('row', '?')}: "
        f"{i['code']} {i['message']}"
        for i in found
    ]
    formatted = _python(run, ["-m", "ruff", "format", "--no-cache", "--check", "."])
    if formatted.returncode != 0:
        counted = re.search(r"(\d+) files? would be reformatted", formatted.stdout)
        unformatted = int(counted.group(1)) if counted else 1
        issues += [f"ruff format: {unformatted} file(s) would be reformatted"] * unformatted
    return len(issues), issues[0] if issues else ""


def _import(run: Run, name: str) -> str | None:
    """``None`` when every module of ``gpuworkers.<name>`` imports, else the error's last line."""
    script = (
        "import importlib, pkgutil, sys\n"
        f"package = importlib.import_module('gpuworkers.{name}')\n"
        "assert package.__file__.startswith(sys.argv[1]), package.__file__\n"
        "for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    output = _python(run, ["-c", script, str(run.out)])
    if output.returncode == 0:
        return None
    lines = output.stderr.strip().splitlines() or ["import failed with no output"]
    return "import: " + lines[-1]


def _mypy(run: Run) -> tuple[int, str]:
    """``mypy --strict`` on the generated package: the error count and the first error."""
    cache = run.work / "mypy-cache"
    output = _python(run, ["-m", "mypy", "--strict", "--cache-dir", str(cache), "src"])
    errors = [line for line in output.stdout.splitlines() if ": error: " in line]
    if output.returncode not in (0, 1) or (output.returncode == 1 and not errors):
        crash = (output.stderr or output.stdout).strip().splitlines() or ["no output"]
        return 1, "mypy: " + crash[-1]
    return len(errors), ("mypy: " + errors[0]) if errors else ""


# -- calls against Prism -------------------------------------------------------------------------


def _calls(
    run: Run, name: str, document: dict[str, Any]
) -> tuple[list[OperationResult], str]:
    """Every operation of the document: called by the worker, or why it could not be."""
    report = run.work / "calls.json"
    output = _python(run, ["-m", "tests.corpus.calls", str(run.out), name, str(report)])
    found = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    called = {item["key"]: item for item in found.get("operations", [])}
    if not found:  # the worker died before writing its report
        lines = (output.stderr or output.stdout).strip().splitlines() or ["no output"]
        found = {"error": f"the call worker failed: {lines[-1]}"}
    results = []
    for method, path in documents.operations(document):
        item = called.get(f"{method} {path}")
        if item is None:
            reason = found.get("error") or "not in the generated client"
            fault = found.get("fault") or ("client" if "error" not in found else "harness")
            results.append(OperationResult(f"{method} {path}", False, reason, fault))
        else:
            results.append(
                OperationResult(
                    item["operation"],
                    item["ok"],
                    item["reason"],
                    item.get("fault", ""),
                    item.get("note", ""),
                )
            )
    return results, served_summary(found.get("served") or [])


def served_summary(served: list[dict[str, Any]]) -> str:
    """``whole``, or ``61 parts (58 with schemas cut, 2 did not start)``."""
    if not served:
        return ""
    if len(served) == 1 and served[0]["label"] == "whole document":
        return "whole" if served[0]["started"] else "whole (did not start)"
    cut = sum("deep)" in item["label"] for item in served)
    failed = sum(not item["started"] for item in served)
    details = [f"{cut} with schemas cut" * bool(cut), f"{failed} did not start" * bool(failed)]
    shown = ", ".join(d for d in details if d)
    return f"{len(served)} parts" + (f" ({shown})" if shown else "")


def _python(run: Run, args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """This interpreter, with the generated package first on the import path."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(run.out / "src"), str(ROOT)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "GPUWORKERS_CACHE_DIR": str(run.work / "generator-cache"),
    }
    if run.prism is not None:
        env["PRISM"] = str(run.prism)
    try:
        return subprocess.run(
            [sys.executable, *args],
            cwd=cwd or run.out,
            env=env,
            capture_output=True,
            text=True,
            timeout=run.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, -1, "", f"error: timed out after {run.timeout} s")

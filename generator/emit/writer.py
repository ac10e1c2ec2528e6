"""Write rendered files safely: stage, format with ruff, import-check, then swap.

``generated/`` is only replaced once the whole new tree is built, formatted and
importable; on any failure it is left byte for byte as it was.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from generator import import_check, workers
from generator.emit.problems import located, ruff_problems

# Files in generated/ that the generator owns but does not re-render each run.
PRESERVED = ("CHANGELOG.md",)


class WriteError(Exception):
    """Formatting or importing the staged package failed; generated/ is untouched."""


@dataclass
class Drift:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)


def stage(files: dict[str, str], target: Path) -> Path:
    """Write ``files`` into a new directory beside ``target``, formatted and checked."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".generated-", dir=target.parent))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for name in PRESERVED:
            if (target / name).exists() and name not in files:
                shutil.copy2(target / name, staging / name)
        _format(staging)
        _import_check(staging, files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` (two renames; the old tree is removed after)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def compare(staging: Path, target: Path) -> Drift:
    drift = Drift()
    new = _tree(staging)
    current = _tree(target) if target.exists() else set()
    drift.added = sorted(new - current)
    drift.removed = sorted(current - new)
    drift.changed = sorted(
        rel for rel in new & current if not filecmp.cmp(staging / rel, target / rel, shallow=False)
    )
    return drift


# Tool caches and build metadata that appear in generated/ when it is linted or installed.
_NOT_OURS = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build")


def _tree(root: Path) -> set[str]:
    files = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or any(
            part in _NOT_OURS or part.endswith(".egg-info") for part in relative.parts
        ):
            continue
        files.add(str(relative))
    return files


def _ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    from ruff.__main__ import find_ruff_bin

    return subprocess.run(
        [os.fsdecode(find_ruff_bin()), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _format(staging: Path) -> None:
    fix = _ruff("check", "--fix", "--quiet", "--no-cache", "--output-format=json", ".", cwd=staging)
    if fix.returncode == 1 and fix.stdout.strip():  # problems that --fix cannot fix
        raise WriteError("the generated code fails ruff:\n" + ruff_problems(staging, fix.stdout))
    if fix.returncode != 0:
        last = (fix.stderr.strip() or "(no output)").splitlines()[-1]
        raise WriteError(f"ruff check could not run on the generated code: {last}")
    formatted = _ruff("format", "--quiet", "--no-cache", ".", cwd=staging)
    if formatted.returncode != 0:
        raise WriteError("ruff format on the generated code failed:\n" + formatted.stderr)


def _import_check(staging: Path, files: dict[str, str]) -> None:
    """Import every generated module in an interpreter that has not loaded ``gpuworkers``.

    That is a model worker when there is one (``generator.workers``: idle by now, and it
    has pydantic loaded already), else a fresh interpreter.  Packages load lazily, so every
    module is named.
    """
    modules = sorted(
        rel[len("src/") : -len(".py")].replace("/", ".").removesuffix(".__init__")
        for rel in files
        if rel.startswith("src/gpuworkers/") and rel.endswith(".py")
    )
    source = str(staging / "src")
    pool = workers.current()
    failure = None
    if pool is not None:
        try:
            failure = pool.submit(import_check.import_modules, source, modules).result()
        except (BrokenProcessPool, RuntimeError):  # no worker after all: a fresh interpreter
            pool = None
    if pool is None:
        program = Path(import_check.__file__).read_text("utf-8")
        failure = _fresh_interpreter(
            f"{program}\nraise SystemExit(import_modules({source!r}, {modules!r}))\n"
        )
    if failure:
        place = re.match(r"(src/\S+?\.py):(\d+): (.*)", failure)
        if place is None:
            raise WriteError(f"the generated package does not import: {failure}")
        problem = located(staging, place[1], int(place[2]), f"does not import: {place[3]}")
        raise WriteError(f"the generated package does not import:\n{problem}")


def _fresh_interpreter(code: str) -> str | None:
    """Run ``code`` in a new interpreter; the last line it wrote if it failed."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)  # only the staged package is put on the path
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else "(no output)"

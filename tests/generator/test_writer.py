"""``emit.writer.stage``: a staged tree that does not import is refused, whatever module breaks."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from generator import import_check
from generator.emit.writer import WriteError, stage
from generator.perf import workers

PACKAGE = {
    "src/gpuworkers/__init__.py": "",
    "src/gpuworkers/acme/__init__.py": '"""Loads its modules lazily."""\n',
    "src/gpuworkers/acme/models.py": "VALUE = 1\n",
}


def test_a_tree_that_imports_is_staged_in_the_work_folder(tmp_path: Path) -> None:
    staging = stage(PACKAGE, tmp_path / "generated")
    assert staging.parent == tmp_path / ".generated-work"  # beside the target: one rename
    assert (staging / "src/gpuworkers/acme/models.py").read_text() == "VALUE = 1\n"


@pytest.mark.parametrize("module", ["acme/models.py", "acme/client.py"])
def test_a_module_the_package_does_not_import_is_still_checked(tmp_path: Path, module: str) -> None:
    files = {
        **PACKAGE,
        f"src/gpuworkers/{module}": "from gpuworkers.acme.nowhere import X\n\nY = X\n",
    }
    with pytest.raises(WriteError, match="does not import: ModuleNotFoundError"):
        stage(files, tmp_path / "generated")
    assert list((tmp_path / ".generated-work").iterdir()) == []  # the staging folder is gone


@pytest.mark.parametrize("module", ["acme/models.py", "acme/client.py"])
def test_the_check_in_a_model_worker_refuses_the_same(tmp_path: Path, module: str) -> None:
    files = {
        **PACKAGE,
        f"src/gpuworkers/{module}": "from gpuworkers.acme.nowhere import X\n\nY = X\n",
    }
    with workers.background():
        with pytest.raises(WriteError, match="does not import: ModuleNotFoundError"):
            stage(files, tmp_path / "generated")
        staging = stage(PACKAGE, tmp_path / "generated")  # the worker forgot the broken one
    assert not list(staging.rglob("__pycache__"))


def _counting(marker: Path) -> str:
    """A module that appends a line to ``marker`` each time it is imported."""
    return (
        "from pathlib import Path\n\n"
        f"with Path({str(marker)!r}).open('a') as file:\n"
        "    file.write('imported\\n')\n"
    )


def test_only_the_providers_not_imported_before_are_imported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))
    acme, other = tmp_path / "acme.log", tmp_path / "other.log"
    files = {
        **PACKAGE,
        "src/gpuworkers/acme/models.py": _counting(acme),
        "src/gpuworkers/other/__init__.py": "",
        "src/gpuworkers/other/models.py": _counting(other),
    }
    stage(files, tmp_path / "generated")
    assert acme.read_text() == other.read_text() == "imported\n"
    files["src/gpuworkers/other/client.py"] = "VALUE = 2\n"
    stage(files, tmp_path / "generated")
    assert acme.read_text() == "imported\n"  # unchanged, with the package's shared files
    assert other.read_text() == "imported\n" * 2
    files["src/gpuworkers/__init__.py"] = '"""Changed: every provider imports through it."""\n'
    stage(files, tmp_path / "generated")
    assert acme.read_text() == "imported\n" * 2
    assert other.read_text() == "imported\n" * 3


def test_a_changed_provider_that_does_not_import_is_refused_beside_cached_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))
    files = {**PACKAGE, "src/gpuworkers/other/__init__.py": "", "src/gpuworkers/other/a.py": ""}
    stage(files, tmp_path / "generated")
    files["src/gpuworkers/other/a.py"] = "from gpuworkers.acme.nowhere import X\n\nY = X\n"
    with workers.background(), pytest.raises(WriteError, match="does not import: Module"):
        stage(files, tmp_path / "generated")
    with pytest.raises(WriteError, match="does not import: ModuleNotFoundError"):
        stage(files, tmp_path / "generated")  # a failure is never remembered


def _loaded() -> list[str]:
    return sorted(name for name in sys.modules if name.split(".")[0] in ("gpuworkers", "httpx"))


def test_a_worker_warmed_for_the_check_has_no_gpuworkers_and_refuses_the_same(
    tmp_path: Path,
) -> None:
    broken = "from gpuworkers.acme.nowhere import X\n\nY = X\n"
    files = {**PACKAGE, "src/gpuworkers/acme/client.py": broken}
    with workers.background(import_check.warm_up):
        pool = workers.current()
        assert pool is not None
        loaded = set(pool.submit(_loaded).result()) - set(_loaded())  # forked from pytest
        assert "httpx" in loaded or "httpx" in sys.modules
        assert not [name for name in loaded if "gpuworkers" in name]
        with pytest.raises(WriteError, match="does not import: ModuleNotFoundError"):
            stage(files, tmp_path / "generated")
        assert not [name for name in pool.submit(_loaded).result() if "gpuworkers" in name]


def test_the_readme_as_ruff_formatted_it_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))
    files = {**PACKAGE, "README.md": "# Acme\n\n```python\nx=1\n```\n"}
    first = stage(files, tmp_path / "generated")
    formatted = (first / "README.md").read_text()
    assert "x = 1" in formatted or formatted == files["README.md"]  # a ruff without Markdown
    [entry] = [e for e in (tmp_path / "cache" / "formatted").iterdir() if "Acme" in e.read_text()]
    entry.write_text("remembered\n")
    second = stage(files, tmp_path / "generated")
    assert (second / "README.md").read_text() == "remembered\n"  # ruff did not run on it again


def test_files_formatted_by_an_earlier_run_are_not_formatted_again(tmp_path: Path) -> None:
    files = {
        **PACKAGE,
        "src/gpuworkers/acme/client.py": "X=1\n",
        "src/gpuworkers/acme/b.py": "Y=2\n",
    }
    staging = stage(files, tmp_path / "generated", final=frozenset({"src/gpuworkers/acme/b.py"}))
    assert (staging / "src/gpuworkers/acme/client.py").read_text() == "X = 1\n"
    assert (staging / "src/gpuworkers/acme/b.py").read_text() == "Y=2\n"  # taken as it is


def test_a_provider_changed_only_in_its_docstrings_is_not_imported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))
    log = tmp_path / "acme.log"

    def module(doc: str, value: str) -> str:
        return (
            f'"""{doc}"""\n\n'
            + _counting(log)
            + f'\n\nclass Thing:\n    """{doc}"""\n\n    size: int = 1\n    """{doc}"""\n\n'
            + f"VALUE = {value!r}\n"
        )

    files = {**PACKAGE, "src/gpuworkers/acme/models.py": module("One.", "a")}
    stage(files, tmp_path / "generated")
    files["src/gpuworkers/acme/models.py"] = module("Two, with more words.", "a")
    stage(files, tmp_path / "generated")
    assert log.read_text() == "imported\n"  # the same code, other docstrings
    files["src/gpuworkers/acme/models.py"] = module("Two, with more words.", "b")
    stage(files, tmp_path / "generated")
    assert log.read_text() == "imported\n" * 2  # a string that is data, not a docstring


@pytest.mark.parametrize(
    ("load", "cpus", "spare"), [(0.2, 2, True), (1.5, 2, False), (2.5, 4, True), (None, 8, False)]
)
def test_the_check_is_warmed_up_for_only_beside_an_idle_cpu(
    monkeypatch: pytest.MonkeyPatch, load: float | None, cpus: int, spare: bool
) -> None:
    def getloadavg() -> tuple[float, float, float]:
        if load is None:
            raise OSError("no load average here")
        return (load, load, load)

    monkeypatch.setattr(workers.os, "getloadavg", getloadavg)  # type: ignore[attr-defined]
    monkeypatch.setattr(workers, "cpus", lambda: cpus)
    assert workers.spare_cpu() is spare


def test_the_staged_modules_import_with_the_cyclic_collector_paused_then_restored(
    tmp_path: Path,
) -> None:
    seen = tmp_path / "collector.log"
    module = (
        "import gc\nfrom pathlib import Path\n\n"
        f"Path({str(seen)!r}).write_text(str(gc.isenabled()))\n"
    )
    files = {**PACKAGE, "src/gpuworkers/acme/models.py": module}
    with workers.background():
        pool = workers.current()
        assert pool is not None
        stage(files, tmp_path / "generated")
        assert seen.read_text() == "False"
        assert pool.submit(gc.isenabled).result() is True

"""``emit.writer.stage``: a staged tree that does not import is refused, whatever module breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

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

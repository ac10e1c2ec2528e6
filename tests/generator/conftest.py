from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_generator(
    *args: str, cwd: Path = ROOT, python_options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The generator as a user runs it: a separate process, its own exit status and output."""
    return subprocess.run(
        [sys.executable, *python_options, "-m", "generator", *args],
        cwd=cwd, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def specs_copy(tmp_path: Path) -> Path:
    """A writable copy of specs/ to break or edit."""
    target = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", target)
    return target

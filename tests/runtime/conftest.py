"""Makes ``gpuworkers._runtime`` importable as ``generator/runtime`` when the generated package
is not installed: a temporary ``gpuworkers`` package whose ``_runtime`` is a symlink."""

from __future__ import annotations

import atexit
import importlib.util
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"


def _install_runtime_package() -> None:
    # When the generated package is installed, its `_runtime` is a verbatim copy of
    # generator/runtime (the drift check proves it), so the tests use it as it is.
    if "gpuworkers" in sys.modules or importlib.util.find_spec("gpuworkers") is not None:
        return
    root = Path(tempfile.mkdtemp(prefix="gpuworkers-runtime-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    package = root / "gpuworkers"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_runtime").symlink_to(_RUNTIME, target_is_directory=True)
    sys.path.insert(0, str(root))


_install_runtime_package()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's real credentials, home directory or log settings."""
    for name in ("GPUWORKERS_LOG", "TEST_API_KEY", "TEST_TOKEN", "TEST_BASE_URL", "TEST_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield
    logger = logging.getLogger("gpuworkers")
    for handler in [h for h in logger.handlers if getattr(h, "_gpuworkers", False)]:
        logger.removeHandler(handler)

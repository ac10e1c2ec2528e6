"""Makes ``gpuworkers._runtime`` resolve to ``generator/runtime``, the source under test.

When the generated package is installed, the rest of it (``gpuworkers.vast``, ...) stays
importable and only its ``_runtime`` (a verbatim copy, possibly stale while the runtime is
being edited) is replaced by the source. When it is not installed (the generator has not run
yet), a temporary ``gpuworkers`` package with a ``_runtime`` symlink stands in.
"""

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


def _load_source_runtime() -> None:
    spec = importlib.util.spec_from_file_location(
        "gpuworkers._runtime", _RUNTIME / "__init__.py", submodule_search_locations=[str(_RUNTIME)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gpuworkers._runtime"] = module
    spec.loader.exec_module(module)


def _install_runtime_package() -> None:
    if "gpuworkers" in sys.modules:  # imported earlier in this session: leave it alone
        return
    installed = importlib.util.find_spec("gpuworkers")
    if installed is not None and installed.loader is not None:
        package = importlib.util.module_from_spec(installed)
        sys.modules["gpuworkers"] = package
        try:
            _load_source_runtime()  # before the package's __init__ imports its own copy
            installed.loader.exec_module(package)
            return
        except Exception:  # a half-regenerated package: test the runtime on its own
            for name in [n for n in sys.modules if n.split(".")[0] == "gpuworkers"]:
                del sys.modules[name]
    root = Path(tempfile.mkdtemp(prefix="gpuworkers-runtime-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    package_dir = root / "gpuworkers"
    package_dir.mkdir()
    (package_dir / "__init__.py").write_text("")
    (package_dir / "_runtime").symlink_to(_RUNTIME, target_is_directory=True)
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
    logger.setLevel(logging.NOTSET)  # a GPUWORKERS_LOG a test set raised it

"""The generated package loads lazily: ``import gpuworkers.<provider>`` leaves the client, the
models and ``pydantic.main`` unloaded, and every exported name still resolves on access.

Each check runs in a fresh interpreter (``sys.modules`` of this one is shared by all tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
PROVIDERS = sorted(path.stem for path in (GENERATED / "ir").glob("*.json"))


def _run(program: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)],
        capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(GENERATED / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def _client_name(provider: str) -> str:
    ir = json.loads((GENERATED / "ir" / f"{provider}.json").read_text("utf-8"))
    name: str = ir["client_name"]
    return name


def test_providers_are_generated() -> None:
    assert PROVIDERS


@pytest.mark.parametrize("provider", PROVIDERS)
def test_import_loads_no_client_models_or_pydantic_main(provider: str) -> None:
    client = _client_name(provider)
    _run(f"""
        import sys
        import gpuworkers.{provider} as package
        heavy = {{"gpuworkers.{provider}.client", "gpuworkers.{provider}.models",
                  "gpuworkers._runtime._client", "gpuworkers._runtime._models", "pydantic.main"}}
        assert not heavy & set(sys.modules), heavy & set(sys.modules)
        assert set(package.__all__) <= set(dir(package))

        from gpuworkers.{provider} import {client}Client, Async{client}Client
        from gpuworkers.{provider}.client import {client}Client as direct
        assert {client}Client is direct and "pydantic.main" in sys.modules
        assert "{client}Client" in vars(package)  # stored: later accesses skip __getattr__
        for name in package.__all__:
            origin = sys.modules[getattr(package, name).__module__]
            assert getattr(origin, name) is getattr(package, name), name
    """)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unknown_names_fail_as_usual(provider: str) -> None:
    _run(f"""
        import gpuworkers.{provider} as package
        try:
            package.NoSuchName
        except AttributeError as error:
            assert str(error) == "module 'gpuworkers.{provider}' has no attribute 'NoSuchName'"
            assert error.name == "NoSuchName" and error.obj is package
        else:
            raise AssertionError("no AttributeError")
        try:
            from gpuworkers.{provider} import NoSuchName  # noqa: F401
        except ImportError as error:
            assert "cannot import name 'NoSuchName'" in str(error)
        else:
            raise AssertionError("no ImportError")
        assert not hasattr(package, "NoSuchName")
    """)


def test_a_model_loads_without_the_client() -> None:
    _run("""
        import sys
        from gpuworkers.yotta import Worker
        assert Worker.__module__ == "gpuworkers.yotta.models"
        assert "gpuworkers.yotta.models" in sys.modules
        assert "gpuworkers.yotta.client" not in sys.modules
        assert "gpuworkers._runtime._client" not in sys.modules
    """)


def test_the_top_level_package_takes_errors_without_pydantic_main() -> None:
    _run("""
        import sys
        import gpuworkers
        from gpuworkers._runtime import _errors
        assert gpuworkers.RateLimitError is _errors.RateLimitError
        assert "pydantic.main" not in sys.modules
        assert "gpuworkers._runtime._client" not in sys.modules
    """)


def test_the_runtime_resolves_every_exported_name() -> None:
    _run("""
        from gpuworkers import _runtime
        assert set(_runtime.__all__) <= set(dir(_runtime))
        for name in _runtime.__all__:
            getattr(_runtime, name)
        try:
            _runtime.NoSuchName
        except AttributeError:
            pass
        else:
            raise AssertionError("no AttributeError")
    """)


def test_a_sync_client_does_not_load_asyncio() -> None:
    _run("""
        import sys
        from gpuworkers.yotta import YottaClient
        assert "asyncio" not in sys.modules
        client = YottaClient(api_key="k")
        client.close()
        assert "asyncio" not in sys.modules
    """)


def test_an_async_client_loads_asyncio_when_it_is_made() -> None:
    _run("""
        import sys
        from gpuworkers.yotta import AsyncYottaClient
        assert "asyncio" not in sys.modules  # the class alone does not need it

        import asyncio

        async def main() -> None:
            async with AsyncYottaClient(api_key="k") as client:
                assert client.max_retries >= 0

        asyncio.run(main())
    """)

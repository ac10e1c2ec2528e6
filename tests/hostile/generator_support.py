"""Hostile specs for the generator: a provider folder written from Python, generated for real."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def write_provider(
    specs: Path,
    document: dict[str, Any] | str,
    *,
    name: str = "hostile",
    display_name: str = "Hostile",
    extra_toml: str = "",
    page: str = "openapi.json",
) -> Path:
    """``specs/<name>/`` with ``document`` as its one OpenAPI page; returns the folder."""
    folder = specs / name
    folder.mkdir(parents=True, exist_ok=True)
    text = document if isinstance(document, str) else json.dumps(document)
    (folder / page).write_text(text, encoding="utf-8")
    (folder / "provider.toml").write_text(
        f"name = {json.dumps(name)}\n"
        f"display_name = {json.dumps(display_name)}\n"
        f'client_name = "{name.title().replace("_", "")}"\n'
        'base_url = "http://127.0.0.1:9/v1"\n'
        f"{extra_toml}\n"
        f'[[pages]]\nfile = "{page}"\nformat = "openapi"\n',
        encoding="utf-8",
    )
    return folder


def minimal_document(**extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "tags": ["things"],
                    "summary": "List things.",
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    document.update(extra)
    return document


def run_generator(
    *args: str,
    cwd: Path = ROOT,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    memory_limit: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m generator ...`` as a user runs it, in a process of its own.

    ``memory_limit`` (bytes of address space) keeps a test of a memory bomb from taking the
    machine down when the generator does not defuse it.
    """

    def limit_memory() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        preexec_fn=limit_memory,  # noqa: PLW1509 - no threads to deadlock in the child
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/tmp"),
            **(env or {}),
        },
    )


def run_python(
    generated: Path, code: str, *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter importing the ``gpuworkers`` generated into ``generated``."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(generated / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )

"""Import time: ``import gpuworkers.<provider>`` in a fresh process vs ``import httpx, pydantic``.

Each sample is one new interpreter timing its own import statement (interpreter start-up
excluded); the statements alternate sample by sample.  Bytecode is cached in a private
``PYTHONPYCACHEPREFIX`` that the warm-up round fills, so neither side pays for compiling
(``PYTHONDONTWRITEBYTECODE`` would otherwise make every run compile the generated modules).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable

from bench.measure import median

BASELINE = "httpx, pydantic"
_PROGRAM = (
    "import time\n"
    "started = time.perf_counter()\n"
    "import {modules}\n"
    "print(time.perf_counter() - started)\n"
)


def _once(modules: str, env: dict[str, str]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM.format(modules=modules)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return float(result.stdout.strip()) * 1000


def measure(providers: list[str], *, samples: int, log: Callable[[str], None]) -> dict[str, float]:
    """Median milliseconds per import statement, keyed by the statement's modules."""
    statements = [BASELINE] + [f"gpuworkers.{name}" for name in providers]
    times: dict[str, list[float]] = {s: [] for s in statements}
    with tempfile.TemporaryDirectory(prefix="gpuworkers-pycache-") as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        for index in range(samples + 1):  # the first round fills the bytecode cache
            for statement in statements:
                value = _once(statement, env)
                if index:
                    times[statement].append(value)
    result = {s: median(v) for s, v in times.items()}
    log("  imports: " + ", ".join(f"{s} {v:.0f} ms" for s, v in result.items()))
    return result

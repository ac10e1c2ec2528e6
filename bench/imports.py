"""Import time: ``import gpuworkers.<provider>`` and its first use, in fresh processes.

    python -m bench.imports [--samples 15] [provider ...]

Each sample is one new interpreter timing its own statement (interpreter start-up excluded),
by wall clock and by its CPU time, which other jobs on a shared machine disturb far less; the
statements alternate sample by sample.  Bytecode is cached in a private
``PYTHONPYCACHEPREFIX`` that the warm-up round fills, so neither side pays for compiling
(``PYTHONDONTWRITEBYTECODE`` would otherwise make every run compile the generated modules).

Provider modules load lazily, so ``import gpuworkers.<provider>`` alone says little about
what a user waits for.  Three steps are measured per provider, each next to the baseline
that does the same work without gpuworkers:

- ``import``: ``import gpuworkers.<provider>``, against ``import httpx, pydantic``
  (which does not load ``pydantic.main``);
- ``first use``: ``from gpuworkers.<provider> import <Client>``, which loads the client, its
  models and the runtime, against ``import httpx; from pydantic import BaseModel``;
- ``construct``: that, plus constructing the client, against the same plus ``httpx.Client()``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from bench.measure import median

IR_DIR = Path(__file__).resolve().parent.parent / "generated" / "ir"
BASELINE = "import httpx, pydantic"
STEPS = ("import", "first use", "construct")
# step -> the statement that does that step's work without gpuworkers
BASELINES = {
    "import": BASELINE,
    "first use": "import httpx; from pydantic import BaseModel",
    "construct": "import httpx; from pydantic import BaseModel; httpx.Client()",
}
_PROGRAM = (
    "import time\n"
    "wall, cpu = time.perf_counter(), time.process_time()\n"
    "{statement}\n"
    "print(time.perf_counter() - wall, time.process_time() - cpu)\n"
)


class Timing(NamedTuple):
    wall: float  # milliseconds
    cpu: float


def statements(provider: str) -> dict[str, str]:
    """Step -> statement for one provider; the client gets dummy credentials."""
    api = json.loads((IR_DIR / f"{provider}.json").read_text("utf-8"))
    client = f"{api['client_name']}Client"
    credentials = api["auth"][0]["credentials"] if api["auth"] else []
    arguments = ", ".join(f"{name}='x'" for name in credentials)
    first_use = f"from gpuworkers.{provider} import {client}"
    return {
        "import": f"import gpuworkers.{provider}",
        "first use": first_use,
        "construct": f"{first_use}; {client}({arguments})",
    }


def _once(statement: str, env: dict[str, str]) -> Timing:
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM.format(statement=statement)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall, cpu = result.stdout.split()
    return Timing(float(wall) * 1000, float(cpu) * 1000)


def _median(samples: list[Timing]) -> Timing:
    return Timing(median([s.wall for s in samples]), median([s.cpu for s in samples]))


def measure(
    providers: list[str], *, samples: int, log: Callable[[str], None]
) -> dict[str, dict[str, Timing]]:
    """Median times per statement, grouped: ``"baseline"``, then one group per step."""
    groups: dict[str, list[str]] = {"baseline": list(dict.fromkeys(BASELINES.values()))}
    per_provider = [statements(name) for name in providers]
    for step in STEPS:
        groups[step] = [s[step] for s in per_provider]
    times: dict[str, list[Timing]] = {s: [] for group in groups.values() for s in group}
    with tempfile.TemporaryDirectory(prefix="gpuworkers-pycache-") as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        for index in range(samples + 1):  # the first round fills the bytecode cache
            for statement in times:
                value = _once(statement, env)
                if index:
                    times[statement].append(value)
    result = {name: {s: _median(times[s]) for s in group} for name, group in groups.items()}
    for name, group in result.items():
        log(f"  {name}:")
        log("\n".join(f"    {v.wall:4.0f} ms, CPU {v.cpu:4.0f} ms  {s}" for s, v in group.items()))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("providers", nargs="*", help="default: every generated provider")
    parser.add_argument("--samples", type=int, default=15, help="fresh processes per statement")
    args = parser.parse_args(argv)
    providers = args.providers or sorted(p.stem for p in IR_DIR.glob("*.json"))
    from bench.report import imports_table

    print(imports_table(measure(providers, samples=args.samples, log=print)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

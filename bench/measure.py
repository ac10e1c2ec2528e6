"""Run a command as a child process and measure it: wall time, CPU time, peak memory.

Peak memory comes from GNU time (``/usr/bin/time -f %M``) when it is installed: a child
that Python starts (vfork + exec) inherits this process's resident-set high-water mark
in ``ru_maxrss``, so ``wait4`` alone would report at least the benchmark's own size.  GNU
time is a small process, so the figure it reports is the command's own.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and every child it waited for
    peak_mb: float  # largest resident set of any one process in that tree (ru_maxrss)


class CommandFailed(RuntimeError):
    pass


def run(
    command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Sample:
    """Run ``command`` to completion; ``os.wait4`` gives the child's own CPU time."""
    gnu_time = _gnu_time()
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak:
        if gnu_time:
            command = [gnu_time, "-f", "%M", "-o", peak.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-2000:]
            raise CommandFailed(f"{command[:3]} exited {process.returncode}:\n{tail}")
        peak_kb = int(peak.read().strip().splitlines()[-1]) if gnu_time else usage.ru_maxrss
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024)


@cache
def _gnu_time() -> str | None:
    path = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if path is None:
        return None
    probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, check=False)
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> str:
    """One line: CPU count and model, memory, Python, load when the run started."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load average {os.getloadavg()[0]:.1f} at start" if hasattr(os, "getloadavg") else ""
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}){memory}, "
        f"{platform.system()} {platform.release()}, Python {sys.version.split()[0]}{load}"
    )

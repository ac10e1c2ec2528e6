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
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and every child it waited for
    peak_mb: float  # largest resident set of any one process in that tree (ru_maxrss)
    tree_mb: float = float("nan")  # largest sum over the tree's processes at one time (Pss)


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
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-2000:]
            raise CommandFailed(f"{command[:3]} exited {process.returncode}:\n{tail}")
        peak_kb = int(peak.read().strip().splitlines()[-1]) if gnu_time else usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, peak_kb / 1024, sampler.peak_kb / 1024 if sampler.peak_kb else nan)


nan = float("nan")


class _TreeSampler(threading.Thread):
    """Polls the memory of ``root`` and all its descendants until stopped; keeps the peak."""

    INTERVAL = 0.005

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        while not self._done.wait(self.INTERVAL):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.root)))


def _tree(root: int) -> list[int]:
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text()
                pending.extend(int(child) for child in children.split())
        except OSError:
            continue  # exited meanwhile
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


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

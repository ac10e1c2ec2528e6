"""Run a command as a child process and measure it: wall time, CPU time, peak memory.

Peak memory is the whole process tree's: a thread samples the command and all its
descendants every 10 ms and sums their resident sets (``/proc/<pid>/statm``), so a
generator that works in several processes at once is charged for all of them.  Pages
two processes share (the interpreter's libraries) count in each, which overstates a
multi-process run a little.  The proportional set size (``smaps_rollup``) would not, but
reading it walks the process's page tables (~2.5 ms for a 300 MB process), too costly
to do beside the run it measures.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and every child it waited for
    tree_mb: float  # largest sum of the tree's resident sets at one time


class CommandFailed(RuntimeError):
    pass


def run(
    command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Sample:
    """Run ``command`` to completion; ``os.wait4`` gives the child's own CPU time."""
    with tempfile.TemporaryFile() as errors:
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
    return Sample(wall, usage.ru_utime + usage.ru_stime, sampler.peak_kb / 1024)


class _TreeSampler(threading.Thread):
    """Polls the memory of ``root`` and all its descendants until stopped; keeps the peak."""

    INTERVAL = 0.01

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
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(self.root)))


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


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0  # exited meanwhile


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

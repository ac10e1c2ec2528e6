"""Worker processes for datamodel-code-generator, started before the rest of the generator loads.

``python -m generator`` forks them first thing (this module needs only the standard
library), so they import datamodel-code-generator (``model_jobs.warm_up``), the slowest
part of a cold run, while the generator itself loads and reads, validates and lowers the
pages.  ``model_jobs`` then hands them whole providers, or the chunks of large ones, and
the writer the import check of the staged package.  One worker per CPU but one: this
process keeps working meanwhile.  Without two CPUs, or where processes cannot be started,
there are none and everything runs in this process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

MAX_WORKERS = 4  # each holds up to ~100 MB for a 200-schema chunk

# The worker processes of the current ``background()`` block, if any.
_pool: ProcessPoolExecutor | None = None


def current() -> ProcessPoolExecutor | None:
    return _pool


def submit(function: Callable[..., T], *args: Any) -> Future[T] | None:
    """``function(*args)`` started on a worker, if there are workers and they still take
    work; None otherwise (the caller runs it itself)."""
    pool = _pool
    if pool is None:
        return None
    try:
        return pool.submit(function, *args)
    except (BrokenProcessPool, RuntimeError):  # broken, or shut down
        return None


@contextlib.contextmanager
def background(warm_up: Callable[[], None] | None = None) -> Iterator[None]:
    """Run the block with worker processes started, each running ``warm_up`` first."""
    global _pool
    count = min(cpus() - 1, MAX_WORKERS)
    pool = fork_pool(count, initializer=warm_up) if count >= 1 and _pool is None else None
    if pool is None:
        yield
        return
    _pool = pool
    others = set(multiprocessing.active_children())
    try:
        for _ in range(count):
            pool.submit(_noop)  # starts the workers now rather than at the first real job
        started = set(multiprocessing.active_children()) - others
        yield
    finally:
        _pool = None
        # The block has what it needed from them: a worker still warming up (a run whose
        # models all came from the cache) is not waited for.
        for process in started:
            process.kill()
        pool.shutdown(wait=True, cancel_futures=True)


def _noop() -> None:
    pass


def fork_pool(
    count: int, initializer: Callable[[], None] | None = None
) -> ProcessPoolExecutor | None:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    try:
        return ProcessPoolExecutor(
            count,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(), initializer),
        )
    except (NotImplementedError, OSError):  # no semaphores here
        return None


def _start_worker(parent: int, initializer: Callable[[], None] | None) -> None:
    _die_with_parent(parent)
    if initializer is not None:
        initializer()


def _die_with_parent(parent: int) -> None:
    """End this worker when the generator that started it ends, however it ends.

    An idle worker waits on a queue that it holds open itself, so it would outlive a killed
    generator forever.  On Linux the kernel sends it SIGKILL (``PR_SET_PDEATHSIG``); elsewhere
    a thread watches for the worker being handed to another parent.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the request was made
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def spare_cpu() -> bool:
    """Whether a CPU is idle beside this process (by the last minute's load average): work
    started in the background then runs beside this process rather than slowing it down."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available here
        return False
    return load + 1 <= cpus()


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1

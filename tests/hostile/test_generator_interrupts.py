"""Killed and concurrent generator runs (issue 13, item 8).

Work in progress lives in ``.<out>-work/`` beside the output, never loose beside it; a run
killed mid-swap is repaired by the next; model workers die with a killed generator; two
runs on one output take turns, and the one that waits says so.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from tests.hostile.generator_support import ROOT, minimal_document, run_generator, write_provider


def _generate(
    specs: Path, out: Path, *, stdout: int | IO[str] | None = None,
    stderr: int | IO[str] | None = None,
) -> subprocess.Popen[str]:
    """A full run (``--force``): a repeated ``generate`` would otherwise be a no-op from the
    input stamp, with no staging, lock or workers to interrupt."""
    command = ["generate", "--force"]
    return subprocess.Popen(  # noqa: S603 - our own generator
        [sys.executable, "-m", "generator", "--specs", str(specs), "--out", str(out), *command],
        cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/tmp"),
        },
        text=True,
        stdout=stdout,
        stderr=stderr,
    )


def _wait_for(condition: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its parent's wait is missing


def _hold_lock(out: Path) -> object:
    work = out.parent / f".{out.name}-work"
    work.mkdir(parents=True, exist_ok=True)
    handle = open(work / "lock", "a+")  # noqa: SIM115 - held across the test
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    write_provider(tmp_path / "specs", minimal_document())
    return tmp_path / "specs"


def test_a_second_run_waits_for_the_first_and_says_so(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    log = tmp_path / "stderr.txt"
    lock = _hold_lock(out)  # as a running generate holds it
    with open(log, "w") as stderr:
        process = _generate(specs, out, stderr=stderr, stdout=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: "waiting for another generator run" in log.read_text())
        time.sleep(0.5)
        assert process.poll() is None, "it did not wait"
        assert not out.exists()
    finally:
        lock.close()  # type: ignore[attr-defined]
    assert process.wait(timeout=120) == 0, log.read_text()
    assert (out / "src/gpuworkers/hostile/client.py").is_file()


def test_two_concurrent_runs_both_succeed_one_after_the_other(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    runs = [_generate(specs, out, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(run.wait(timeout=180), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    check = run_generator("--specs", str(specs), "--out", str(out), "check")
    assert check.returncode == 0, check.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".generated-work", "generated", "specs"]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="no model workers with one CPU")
def test_model_workers_die_with_a_killed_generator(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    lock = _hold_lock(out)  # keeps the generator waiting, its workers started
    process = _generate(specs, out, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        assert _wait_for(lambda: bool(_children(process.pid)))
        time.sleep(1)  # the workers are past their start-up
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), timeout=10), workers
    finally:
        lock.close()  # type: ignore[attr-defined]
        for pid in workers:  # when the test fails: no orphan left behind
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_killed_run_leaves_nothing_beside_the_output(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert run_generator("--specs", str(specs), "--out", str(out), "generate").returncode == 0
    work = tmp_path / ".generated-work"
    process = _generate(specs, out, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staged = _wait_for(lambda: any(work.glob("staging-*")), timeout=60)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert staged, "no staging folder appeared in the work folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".generated-work", "generated", "specs"]
    again = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert again.returncode == 0, again.stderr
    # the leftovers are cleared; the lock and the input stamp stay
    assert sorted(p.name for p in work.iterdir()) == ["lock", "stamp.json"]


def test_a_run_killed_between_the_two_renames_is_repaired(specs: Path, tmp_path: Path) -> None:
    """Without an atomic exchange the swap is two renames: a kill between them leaves the
    old tree in the work folder and no output; the next run puts it back first."""
    out = tmp_path / "generated"
    assert run_generator("--specs", str(specs), "--out", str(out), "generate").returncode == 0
    document = minimal_document()
    document["paths"]["/things"]["post"] = {**document["paths"]["/things"]["get"]}
    document["paths"]["/things"]["post"]["operationId"] = "createThing"
    write_provider(specs.parent / "specs", document)  # an API change: a CHANGELOG entry
    assert run_generator("--specs", str(specs), "--out", str(out), "generate").returncode == 0
    changelog = (out / "CHANGELOG.md").read_text()
    version = (specs / "package.toml").read_text()
    work = tmp_path / ".generated-work"
    out.rename(work / "old-4242")  # what the kill leaves
    result = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    assert "restored generated/ from an interrupted run" in result.stderr
    assert "API changes" not in result.stdout  # compared with the restored snapshots
    assert (out / "CHANGELOG.md").read_text() == changelog
    assert (specs / "package.toml").read_text() == version
    assert sorted(p.name for p in work.iterdir()) == ["lock", "stamp.json"]

"""The broken-input corpus: every case fails with file:line messages and writes nothing.

Each ``tests/broken/<case>/`` is one provider's specs folder (``provider.toml``, its
page(s), maybe ``overlay.yaml``) with one thing broken, and ``expected.txt``: the
diagnostic lines the generator prints, with paths relative to the case folder.
The generator runs as a user runs it (a process, on a copy under ``specs/``), and
must exit 1, print no traceback and leave ``generated/`` byte for byte as it was.

``UPDATE_SNAPSHOTS=1 pytest tests/broken`` rewrites the ``expected.txt`` files
(read the diff before committing it).
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.generator.conftest import run_generator

CORPUS = Path(__file__).resolve().parent
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "provider.toml").exists())
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
# A diagnostic line: `file[:line[:column]]: level: message`, or `level: message`.
DIAGNOSTIC = re.compile(r"^(.+?: )?(error|warning): ")
MARKER = "generated/ before the run\n"


@dataclass(frozen=True)
class Run:
    result: CompletedProcess[str]
    messages: str  # the diagnostic lines, paths relative to the case folder
    untouched: bool  # generated/ holds exactly what it held before


def _run(case: str, workdir: Path) -> Run:
    ignore = shutil.ignore_patterns("expected.txt")
    shutil.copytree(CORPUS / case, workdir / "specs" / case, ignore=ignore)
    generated = workdir / "generated"
    generated.mkdir()
    (generated / "MARKER").write_text(MARKER)
    result = run_generator("--specs", "specs", "--out", "generated", "generate", cwd=workdir)
    untouched = [p.name for p in generated.iterdir()] == ["MARKER"] and (
        (generated / "MARKER").read_text() == MARKER
    )
    return Run(result, _normalized(result.stderr, case), untouched)


def _normalized(stderr: str, case: str) -> str:
    lines = [line for line in stderr.splitlines() if DIAGNOSTIC.match(line)]
    return "".join(line.replace(f"specs/{case}/", "") + "\n" for line in lines)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every case, a few at a time: each is a separate process."""
    root = tmp_path_factory.mktemp("broken")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {case: pool.submit(_run, case, root / case) for case in CASES}
        return {case: future.result() for case, future in futures.items()}


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_broken_input(case: str, runs: dict[str, Run]) -> None:
    run = runs[case]
    output = run.result.stdout + run.result.stderr
    assert run.result.returncode == 1, output
    assert "Traceback" not in output
    assert "internal error" not in output, output
    assert "nothing was written: generated/ is unchanged" in run.result.stderr
    assert run.untouched
    assert any(": error: " in line for line in run.messages.splitlines()), run.messages
    expected = CORPUS / case / "expected.txt"
    if UPDATE:
        expected.write_text(run.messages, encoding="utf-8")
    # A case without its expected messages fails: a snapshot written by the run it checks
    # would pass whatever the generator said (UPDATE_SNAPSHOTS=1 writes them, to be read).
    assert expected.exists(), f"{expected} is missing: UPDATE_SNAPSHOTS=1, then review it"
    assert run.messages == expected.read_text(encoding="utf-8")


def test_a_generator_bug_is_one_line_naming_provider_and_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a spec problem: no traceback, the provider and the stage, a hint to report it."""
    from generator import cli, lower

    shutil.copytree(CORPUS.parent / "specs", tmp_path / "specs")
    monkeypatch.setattr(lower, "_resources", None)  # lowering now fails inside lower.py
    monkeypatch.delenv("GPUWORKERS_DEBUG", raising=False)
    status = cli.main(
        ["--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "g"), "generate"]
    )
    err = capsys.readouterr().err
    assert status == 1 and not (tmp_path / "g").exists()
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "internal error" in line]
    assert line.startswith("error: petstore: internal error in the lower stage: TypeError: ")
    assert "this is a bug in the generator" in line

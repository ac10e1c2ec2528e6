"""The typed surface as a user's type checker sees it: ``mypy --strict`` over ``scripts/``.

Each script is code a user writes against the generated package.  A line that must fail type
checking ends with ``# E: <error code>`` (a note may follow in parentheses); the test runs mypy
once and requires exactly those errors: each marked line has an error of its code, and no
other line has any.  So a negative case needs no ``# type: ignore``, and a wrong literal that
starts type-checking (or a correct call that stops) fails the test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).parent / "scripts"
_EXPECTED = re.compile(r"#\s*E:\s*([a-z][a-z-]*)")
_REPORTED = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$"
)

Location = tuple[str, int]


def expected_errors() -> dict[Location, str]:
    expected = {}
    for script in sorted(SCRIPTS.glob("*.py")):
        for number, line in enumerate(script.read_text().splitlines(), start=1):
            match = _EXPECTED.search(line)
            if match:
                expected[(script.name, number)] = match.group(1)
    return expected


def reported_errors(output: str) -> dict[Location, list[str]]:
    reported: dict[Location, list[str]] = {}
    for line in output.splitlines():
        match = _REPORTED.match(line)
        if match:
            where = (Path(match["file"]).name, int(match["line"]))
            reported.setdefault(where, []).append(f"{match['code']}: {match['message']}")
    return reported


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    cache = tmp_path_factory.mktemp("mypy-cache")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes",
         "--cache-dir", str(cache), *sorted(str(p) for p in SCRIPTS.glob("*.py"))],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode in (0, 1), result.stderr or result.stdout  # 2: mypy itself failed
    return result.stdout


def test_scripts_exist_with_negative_cases() -> None:
    assert {p.name for p in SCRIPTS.glob("*.py")} >= {
        "ids.py", "enums.py", "not_given.py", "raw_responses.py",
    }
    assert len(expected_errors()) >= 10
    assert not any("type: ignore" in p.read_text() for p in SCRIPTS.glob("*.py"))


def test_every_expected_error_is_reported(mypy_output: str) -> None:
    reported = reported_errors(mypy_output)
    missing = [
        f"{name}:{line}: expected [{code}], got {reported.get((name, line), 'nothing')}"
        for (name, line), code in expected_errors().items()
        if not any(entry.startswith(code + ":") for entry in reported.get((name, line), []))
    ]
    assert not missing, "\n".join(missing)


def test_nothing_else_is_reported(mypy_output: str) -> None:
    expected = expected_errors()
    unexpected = [
        f"{name}:{line}: {entry}"
        for (name, line), entries in reported_errors(mypy_output).items()
        for entry in entries
        if (name, line) not in expected
    ]
    assert not unexpected, "\n".join(unexpected)

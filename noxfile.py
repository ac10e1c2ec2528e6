"""Maintainer sessions.  `nox` alone runs what CI runs (the `ci` session).

nox -s generate             regenerate every client from specs/ into generated/
nox -s generate -- vast     regenerate only the named providers
nox -s tests                the test suite
nox -s lint                 ruff on the generator, the tests and generated/
nox -s typecheck            mypy --strict on generated/, the generator (runtime included), tests/
nox -s check                fail if generated/ is not what specs/ produce
nox -s corpus               public OpenAPI documents, no overlay, against Prism: writes CORPUS.md
nox -s mock                 Prism serving every provider on ports 4010, 4011, ... (README)
nox -s record -- yotta      re-record tests/fixtures/yotta/ from the live service (README)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["ci"]

PYTHON = "3.11"
PRISM_VERSION = "5.14.2"  # @stoplight/prism-cli; runs on Node 20.  Also pinned in .ci/run.
PRISM_DIR = Path(".mock")  # project-local npm prefix (gitignored)


def _install(session: nox.Session, *, tests: bool = True) -> None:
    session.install("-e", ".[test]" if tests else ".")
    session.install("-e", "./generated")


def _tests(session: nox.Session) -> None:
    session.run("pytest", *(session.posargs or ["tests"]))


def _lint(session: nox.Session) -> None:
    session.run("ruff", "check", "generator", "tests", "noxfile.py")
    session.chdir("generated")
    session.run("ruff", "check", "--no-cache", ".")
    session.run("ruff", "format", "--no-cache", "--check", ".")
    session.chdir("..")


def _typecheck(session: nox.Session) -> None:
    session.run("mypy", "--strict", "generated/src")
    session.run("mypy", "--strict", "generator")  # the runtime (generator/runtime) included
    # The tests judge the generator and show how the clients are used: held to the same bar.
    # tests/typing/scripts/ is left out by pyproject.toml's [tool.mypy] exclude: scripts with
    # lines that must fail type checking, which tests/typing/test_typing.py checks itself.
    session.run("mypy", "--strict", "tests")


def _check(session: nox.Session) -> None:
    session.run("python", "-m", "generator", "check")


def _install_prism(session: nox.Session) -> None:
    """Prism for the mock server and tests/integration; reused while the pin matches."""
    installed = PRISM_DIR / "node_modules/@stoplight/prism-cli/package.json"
    if installed.is_file() and json.loads(installed.read_text())["version"] == PRISM_VERSION:
        return
    session.run(
        "npm", "install", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund", "--silent",
        "--save-exact",
        f"@stoplight/prism-cli@{PRISM_VERSION}", external=True,
    )


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate clients from specs/ (all providers, or those named after --)."""
    _install(session, tests=False)
    session.run("python", "-m", "generator", "generate", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    _install(session)
    _tests(session)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    _install(session)
    _lint(session)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    _install(session)
    _typecheck(session)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    _install(session, tests=False)
    _check(session)


@nox.session(python=False)
def mock(session: nox.Session) -> None:
    """Prism serving the generated documents: every provider on consecutive ports from 4010,
    or only those named (`nox -s mock -- yotta`); `--port N` moves the first port."""
    _install_prism(session)
    session.run(sys.executable, "-m", "tests.tooling.mock_servers", *session.posargs, external=True)


@nox.session(python=PYTHON)
def ci(session: nox.Session) -> None:
    """Everything CI needs, in one environment: drift check, lint, types, tests (with Prism)."""
    _install(session)
    _install_prism(session)
    _check(session)
    _lint(session)
    _typecheck(session)
    _tests(session)


@nox.session(python=PYTHON)
def corpus(session: nox.Session) -> None:
    """Every document of ../shared/public-specs/ generated, type-checked and called: CORPUS.md.

    Not part of CI as a whole (the two large documents take minutes); CI runs the small ones
    through tests/corpus/test_corpus.py.  `nox -s corpus -- petstore.yaml` runs only the
    documents named, and prints the table without writing CORPUS.md.
    """
    _install(session)
    _install_prism(session)
    markdown = [] if session.posargs else ["--markdown", "CORPUS.md"]
    session.run("python", "-m", "tests.corpus", *markdown, *session.posargs)


@nox.session(python=PYTHON)
def record(session: nox.Session) -> None:
    """Record fixtures from a live service: `nox -s record -- <provider> [operation ...]`."""
    _install(session)
    session.run("python", "-m", "tests.tooling.record", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against openapi-python-client: writes BENCHMARKS.md and bench/generation.png.

    Not part of CI (it takes several minutes); `nox -s bench -- --sizes 10,100` for a quick run.
    """
    _install(session, tests=False)
    session.install("openapi-python-client==0.29.1", "matplotlib")
    session.run("python", "-m", "bench", *session.posargs)

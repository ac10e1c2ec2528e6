"""Maintainer sessions.  `nox` alone runs what CI runs (the `ci` session).

nox -s generate             regenerate every client from specs/ into generated/
nox -s generate -- vast     regenerate only the named providers
nox -s tests                the test suite
nox -s lint                 ruff on the generator, the tests and generated/
nox -s typecheck            mypy --strict on generated/ and on the runtime
nox -s check                fail if generated/ is not what specs/ produce
nox -s record -- yotta      re-record tests/fixtures/yotta/ from the live service (README)
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["ci"]

PYTHON = "3.11"


def _install(session: nox.Session, *, tests: bool = True) -> None:
    session.install("-e", ".[test]" if tests else ".")
    session.install("-e", "./generated")


def _tests(session: nox.Session) -> None:
    session.run("pytest", *(session.posargs or ["tests"]))


def _lint(session: nox.Session) -> None:
    session.run("ruff", "check", "generator", "tests", "noxfile.py")
    session.chdir("generated")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.chdir("..")


def _typecheck(session: nox.Session) -> None:
    session.run("mypy", "--strict", "generated/src")
    session.run("mypy", "--strict", "generator/runtime")


def _check(session: nox.Session) -> None:
    session.run("python", "-m", "generator", "check")


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


@nox.session(python=PYTHON)
def ci(session: nox.Session) -> None:
    """Everything CI needs, in one environment: drift check, lint, types, tests."""
    _install(session)
    _check(session)
    _lint(session)
    _typecheck(session)
    _tests(session)


@nox.session(python=PYTHON)
def record(session: nox.Session) -> None:
    """Record fixtures from a live service: `nox -s record -- <provider> [operation ...]`."""
    _install(session)
    session.run("python", "-m", "tests.tooling.record", *session.posargs)

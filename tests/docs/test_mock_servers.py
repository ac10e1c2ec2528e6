"""`nox -s mock` (tests/tooling/mock_servers.py): every provider at once, a table of where
and how, and a busy port said in one line before Prism starts."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.prism import PRISM_VERSION, ROOT, prism_binary
from tests.tooling import mock_servers

PRISM = prism_binary()
needs_prism = pytest.mark.skipif(
    PRISM is None,
    reason="Prism is not installed locally: "
    f"npm install --prefix .mock @stoplight/prism-cli@{PRISM_VERSION}",
)
PROVIDERS = sorted(path.stem for path in (ROOT / "generated" / "openapi").glob("*.json"))


def _free_run(count: int) -> int:
    """The first of ``count`` consecutive free ports of 127.0.0.1."""
    for _ in range(200):
        first = random.randrange(20000, 60000)
        if all(mock_servers.port_problem(first + i) is None for i in range(count)):
            return first
    raise RuntimeError("no run of free ports")


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.tooling.mock_servers", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )


def test_a_busy_port_is_one_line_and_nothing_starts() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("yotta", "--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"error: port {port} on 127.0.0.1 is already in use (hint: stop what listens there, "
        f"or serve from another port: nox -s mock -- --port {port + 100})"
    ]


def test_a_busy_port_among_several_is_found_before_any_prism_starts() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # The busy port is the second provider's: the first would start if ports were
        # checked one at a time.
        with pytest.raises(mock_servers.MockError, match=f"port {port} .* already in use"):
            mock_servers.plan(["a", "b"], port - 1)


def test_an_unknown_provider_names_the_known_ones() -> None:
    result = _run("nosuch")
    assert result.returncode == 1
    assert result.stderr.startswith("error: no openapi/nosuch.json in generated/ (providers: ")
    assert "nox -s generate -- nosuch" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_older_form_names_the_port_after_the_provider() -> None:
    args = mock_servers.parse(["yotta", "4011"])
    assert (args.providers, args.port) == (["yotta"], 4011)
    assert mock_servers.parse([]).providers == []


def test_the_snippet_uses_the_first_credential_alternative() -> None:
    document = {
        "client_name": "ClearML",
        "credentials": [{"name": "access_key"}, {"name": "secret_key"}, {"name": "token"}],
        "auth": [
            {"credentials": ["access_key", "secret_key"]},
            {"credentials": ["token"]},
        ],
    }
    assert mock_servers.snippet(document, "http://127.0.0.1:1") == (
        'ClearMLClient(base_url="http://127.0.0.1:1", access_key="any", secret_key="any")'
    )


def _read_table(process: subprocess.Popen[str], deadline: float) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if not line.strip():
            return lines
        lines.append(line.rstrip("\n"))
    raise AssertionError(f"no table; got {lines!r}")


@needs_prism
def test_every_provider_is_served_on_consecutive_ports_and_its_snippet_works() -> None:
    first = _free_run(len(PROVIDERS))
    env = {**os.environ, "PRISM": str(PRISM)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.tooling.mock_servers", "--port", str(first)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        rows = _read_table(process, time.monotonic() + 180)
        assert rows[0].split() == ["provider", "URL", "client"]
        served = [row.split(None, 2) for row in rows[1:]]
        assert [row[0] for row in served] == PROVIDERS
        assert [row[1] for row in served] == [
            f"http://127.0.0.1:{first + i}" for i in range(len(PROVIDERS))
        ]
        for _provider, url, code in served:
            namespace: dict[str, object] = {}
            importing, construct = code.split("; ", 1)
            exec(importing, namespace)  # the snippet, as a user would paste it
            client = eval(construct, namespace)
            with client:
                assert client.base_url == url or str(client.base_url).rstrip("/") == url
        from gpuworkers.yotta import YottaClient

        yotta_url = served[PROVIDERS.index("yotta")][1]
        with YottaClient(base_url=yotta_url, api_key="any") as yotta:
            assert isinstance(yotta.deployments.list(), list)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    # Every Prism stopped with it.
    for i in range(len(PROVIDERS)):
        assert mock_servers.port_problem(first + i) is None


def test_the_readme_documents_the_port_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "nox -s mock -- --port" in readme


def test_prism_missing_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.tooling.mock_servers", "yotta", "--port", "1"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PRISM": str(tmp_path / "no-prism")},
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no Prism at {tmp_path / 'no-prism'} (hint: `nox -s mock` installs it; "
        "needs Node 20)"
    ]

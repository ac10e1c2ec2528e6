"""`nox -s mock`: Prism serving the generated providers' documents, one process each.

    python -m tests.tooling.mock_servers [provider ...] [--port FIRST]

With no provider, every document in ``generated/openapi/`` is served, on consecutive
ports from ``--port`` (default 4010) in alphabetical order; a table then says which
provider is where and how to point its client at it.  Every port is checked before
Prism starts, so a busy one is one line, not Prism's help text.  Prism's request log
follows, each line prefixed with its provider; Ctrl-C stops them all.

Standard library only: the nox session runs it without a virtualenv.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
PRISM = Path(os.environ.get("PRISM") or ROOT / ".mock" / "node_modules" / ".bin" / "prism")
DEFAULT_PORT = 4010
HOST = "127.0.0.1"
READY = "Prism is listening"
START_TIMEOUT = 120.0  # seconds; Prism on a large document takes a while


class MockError(Exception):
    """A problem the user can fix, said in one line."""


@dataclass
class Served:
    provider: str
    port: int
    process: subprocess.Popen[str] | None = None
    startup: list[str] = field(default_factory=list)  # Prism's lines before it listened

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nox -s mock --", description=__doc__.split("\n")[0])
    parser.add_argument("providers", nargs="*", help="providers to serve (default: all)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="the first port")
    args = parser.parse_args(list(argv))
    # `nox -s mock -- yotta 4011`, the older form: a bare number is the port.
    numbers = [p for p in args.providers if p.isdigit()]
    if numbers:
        args.port = int(numbers[-1])
        args.providers = [p for p in args.providers if not p.isdigit()]
    return args


def documents(generated: Path, providers: Sequence[str]) -> dict[str, Path]:
    """Each provider's exported document, every provider's when none is named."""
    folder = generated / "openapi"
    if not providers:
        found = {path.stem: path for path in sorted(folder.glob("*.json"))}
        if not found:
            raise MockError(f"no document in {folder}; run `nox -s generate` first")
        return found
    missing = [name for name in providers if not (folder / f"{name}.json").is_file()]
    if missing:
        known = ", ".join(sorted(path.stem for path in folder.glob("*.json"))) or "none"
        raise MockError(
            f"no {folder.name}/{missing[0]}.json in {generated.name}/ (providers: {known}; "
            f"hint: run `nox -s generate -- {missing[0]}` first)"
        )
    return {name: folder / f"{name}.json" for name in providers}


def port_problem(port: int) -> str | None:
    """Why Prism could not listen on ``port`` of 127.0.0.1, if it could not."""
    if not 0 < port < 65536:
        return f"port {port} is not a TCP port (1-65535)"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            reason = "is already in use" if exc.errno in (98, 48, 10048) else f": {exc.strerror}"
            return (
                f"port {port} on {HOST} {reason} (hint: stop what listens there, or serve "
                f"from another port: nox -s mock -- --port {port + 100})"
            )
    return None


def snippet(ir_document: dict[str, Any], url: str) -> str:
    """How to point the provider's client at ``url``: its first credential alternative,
    with a placeholder value (Prism accepts any)."""
    names = [c["name"] for c in ir_document.get("credentials", [])]
    alternatives = [a["credentials"] for a in ir_document.get("auth", []) if a["credentials"]]
    chosen = alternatives[0] if alternatives else names[:1]
    arguments = [f'base_url="{url}"', *(f'{name}="any"' for name in chosen)]
    return f"{ir_document['client_name']}Client({', '.join(arguments)})"


def table(servers: Sequence[Served], generated: Path) -> str:
    rows = [("provider", "URL", "client")]
    for server in servers:
        ir_path = generated / "ir" / f"{server.provider}.json"
        document = json.loads(ir_path.read_text(encoding="utf-8"))
        module = f"from gpuworkers.{server.provider} import {document['client_name']}Client"
        rows.append((server.provider, server.url, f"{module}; {snippet(document, server.url)}"))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip() for row in rows
    )


def plan(names: Sequence[str], first_port: int) -> list[Served]:
    """A port for each provider; every one checked before anything starts."""
    servers = [Served(name, first_port + offset) for offset, name in enumerate(names)]
    for server in servers:
        problem = port_problem(server.port)
        if problem:
            raise MockError(problem)
    return servers


def _pump(server: Served, stream: IO[str], lines: queue.Queue[tuple[Served, str | None]]) -> None:
    for line in stream:
        lines.put((server, line.rstrip("\n")))
    lines.put((server, None))


def start(prism: Path, docs: dict[str, Path], servers: Sequence[Served]) -> queue.Queue[Any]:
    lines: queue.Queue[tuple[Served, str | None]] = queue.Queue()
    for server in servers:
        server.process = subprocess.Popen(
            [str(prism), "mock", "--errors", "-h", HOST, "-p", str(server.port),
             str(docs[server.provider])],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # Ctrl-C reaches us only; we stop them in order
        )
        assert server.process.stdout is not None
        threading.Thread(
            target=_pump, args=(server, server.process.stdout, lines), daemon=True
        ).start()
    return lines


def wait_ready(servers: Sequence[Served], lines: queue.Queue[Any], timeout: float) -> None:
    """Until every Prism says it listens; one that exits first is an error with its output."""
    waiting = {server.provider for server in servers}
    deadline = time.monotonic() + timeout
    while waiting:
        try:
            server, line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            late = ", ".join(sorted(waiting))
            raise MockError(f"Prism did not start within {timeout:.0f} s for {late}") from None
        if line is None:
            last = "\n".join(server.startup[-15:])
            raise MockError(f"Prism exited while starting for {server.provider}:\n{last}")
        if server.provider in waiting:
            server.startup.append(line)
            if READY in line:
                waiting.discard(server.provider)


def follow(servers: Sequence[Served], lines: queue.Queue[Any], out: IO[str]) -> int:
    """Print Prism's request log, prefixed by provider, until one Prism exits."""
    width = max(len(server.provider) for server in servers)
    while True:
        server, line = lines.get()
        if line is None:
            print(f"Prism for {server.provider} exited; stopping the others", file=out)
            return 1
        print(f"{server.provider:<{width}} | {line}", file=out, flush=True)


def stop(servers: Sequence[Served]) -> None:
    for server in servers:
        if server.process is not None and server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        if server.process is None:
            continue
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def main(argv: Sequence[str], out: IO[str] = sys.stdout, prism: Path = PRISM) -> int:
    args = parse(argv)
    servers: list[Served] = []
    try:
        docs = documents(GENERATED, args.providers)
        servers = plan(list(docs), args.port)  # a busy port is said first, Prism or not
        if not prism.is_file():
            raise MockError(f"no Prism at {prism} (hint: `nox -s mock` installs it; needs Node 20)")
        lines = start(prism, docs, servers)
        wait_ready(servers, lines, START_TIMEOUT)
        print(table(servers, GENERATED), file=out)
        print("\nAny credential value is accepted. Requests are logged below; Ctrl-C stops.\n",
              file=out, flush=True)
        return follow(servers, lines, out)
    except MockError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(servers)


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # a SIGTERM stops the Prism processes too, as Ctrl-C does


if __name__ == "__main__":
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    raise SystemExit(main(sys.argv[1:]))

"""Hostile page content the generator must refuse without following it (issue 13, items 4, 5).

External ``$ref``s (a URL, a local file, a relative path) are errors naming the ref: nothing
is fetched or read, so nothing of what they point at reaches a message.  YAML aliases that
expand exponentially ("billion laughs") fail fast, at the line of the repeated anchor.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.generator_support import minimal_document, run_generator, write_provider

SECRET = "TOP-SECRET-FILE-CONTENT"


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook
        self.hits.append(self.path)
        body = b'{"type": "object", "description": "' + SECRET.encode() + b'"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def schema_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", ["generate", "check"])
def test_external_refs_are_errors_and_never_followed(
    tmp_path: Path, schema_server: tuple[str, list[str]], command: str
) -> None:
    url, hits = schema_server
    secret_file = tmp_path / "secret.json"
    secret_file.write_text('{"type": "string", "description": "' + SECRET + '"}')
    refs = [
        f"{url}/schema.json",
        secret_file.as_uri(),
        "other.json#/Thing",  # relative: beside the page
        "../../secret.json",
    ]
    document = minimal_document()
    document["paths"]["/things"]["get"]["responses"]["200"] = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": refs[0]}}},
    }
    document["components"] = {
        "schemas": {
            "FromFile": {"$ref": refs[1]},
            "Holder": {
                "type": "object",
                "properties": {"a": {"$ref": refs[2]}, "b": {"$ref": refs[3]}},
            },
        }
    }
    folder = write_provider(tmp_path / "specs", document)
    (folder / "other.json").write_text('{"Thing": {"description": "' + SECRET + '"}}')
    out = tmp_path / "generated"
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(out), command)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert hits == [], "the generator fetched an external $ref"
    assert SECRET not in output
    assert "Traceback" not in output
    for ref in refs:
        assert f"openapi.json:1: error: $ref '{ref}' points outside the document" in output
    assert not out.exists()


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_page_fails_fast_at_its_line(tmp_path: Path) -> None:
    page = 'openapi: "3.1.0"\ninfo: {title: Bomb, version: "1"}\npaths: {}\nx-bomb:\n' + "".join(
        f"  {line}\n" for line in billion_laughs().splitlines()
    )
    write_provider(tmp_path / "specs", page, page="openapi.yaml")
    started = time.perf_counter()
    result = run_generator(
        "--specs",
        str(tmp_path / "specs"),
        "--out",
        str(tmp_path / "out"),
        "generate",
        timeout=60,
        memory_limit=2 << 30,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 1, result.stdout
    assert elapsed < 20, f"took {elapsed:.1f} s"
    assert "openapi.yaml:9:" in result.stderr, result.stderr
    assert "YAML aliases expand to more than" in result.stderr
    assert "Traceback" not in result.stderr


def test_billion_laughs_overlay_fails_fast_at_its_line(tmp_path: Path) -> None:
    folder = write_provider(tmp_path / "specs", minimal_document())
    (folder / "overlay.yaml").write_text(
        "overlay: 1.0.0\ninfo: {title: bomb, version: 1.0.0}\nactions:\n"
        "  - target: $.info\n    update:\n      x-bomb:\n"
        + "".join(f"        {line}\n" for line in billion_laughs().splitlines())
    )
    started = time.perf_counter()
    result = run_generator(
        "--specs",
        str(tmp_path / "specs"),
        "--out",
        str(tmp_path / "out"),
        "generate",
        timeout=60,
        memory_limit=2 << 30,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 1, result.stdout
    assert elapsed < 20, f"took {elapsed:.1f} s"
    assert "overlay.yaml:11:" in result.stderr, result.stderr
    assert "YAML aliases expand to more than" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_alias_inside_its_own_anchor_is_an_error(tmp_path: Path) -> None:
    page = 'openapi: "3.1.0"\ninfo: {title: Loop, version: "1"}\npaths: {}\nx-loop: &loop [*loop]\n'
    write_provider(tmp_path / "specs", page, page="openapi.yaml")
    result = run_generator(
        "--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "out"), "generate", timeout=60
    )
    assert result.returncode == 1, result.stdout
    assert "openapi.yaml:4:" in result.stderr
    assert "alias refers to a node that contains it" in result.stderr
    assert "internal error" not in result.stderr


def test_reasonable_anchors_still_load(tmp_path: Path) -> None:
    """Aliases themselves are fine: an anchored response used by several operations."""
    page = (
        'openapi: "3.1.0"\ninfo: {title: Anchors, version: "1"}\npaths:\n'
        "  /a:\n    get:\n      operationId: getA\n      tags: [things]\n"
        "      responses: &ok\n        '200': {description: ok}\n"
        "  /b:\n    get:\n      operationId: getB\n      tags: [things]\n"
        "      responses: *ok\n"
    )
    write_provider(tmp_path / "specs", page, page="openapi.yaml")
    out = tmp_path / "out"
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    assert "def get_b(" in (out / "src/gpuworkers/hostile/client.py").read_text()

"""A stand-in for a provider's service: a real HTTP server on 127.0.0.1 answering from fixtures.

It behaves like the live service as far as the fixtures know it: a request that matches a
fixture's request (method, path, query, JSON body, and the credentials: the fixture's
placeholders stand for the real secrets the stand-in was given) gets that fixture's response,
plus the noise a real service adds (Date, a request id, a cookie, server timing, gzip).  Requests
with the same shape (a success and an error case of one call) are answered in fixture order.
"""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from collections.abc import Mapping
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.contract.harness import FIXTURES, Fixture, fixtures
from tests.tooling.scrub import credential_replacements

__all__ = ["StandIn"]

Key = tuple[str, str, tuple[tuple[str, str], ...], str]
Reply = tuple[int, dict[str, str], bytes]  # status, headers, body


class StandIn:
    """``with StandIn("yotta", credentials={"api_key": "..."}) as service: service.url``"""

    def __init__(
        self,
        provider: str,
        *,
        credentials: Mapping[str, str | None],
        root: Path = FIXTURES,
    ) -> None:
        self.provider = provider
        # placeholder -> real secret, to read a fixture's request as the live client sends it
        self._real = {p: s for s, p in credential_replacements(credentials).items()}
        self._by_key: dict[Key, list[Fixture]] = {}
        for fixture in fixtures(provider, root):
            self._by_key.setdefault(self._key_of_fixture(fixture), []).append(fixture)
        self._served: dict[Key, int] = {}
        self._lock = threading.Lock()
        self.received: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    # -- matching ------------------------------------------------------------------------

    def _as_sent(self, value: Any) -> Any:
        """A fixture value with its placeholders replaced by the real secrets."""
        if isinstance(value, dict):
            return {k: self._as_sent(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._as_sent(v) for v in value]
        if isinstance(value, str):
            for placeholder, real in self._real.items():
                value = value.replace(placeholder, real)
        return value

    def _key_of_fixture(self, fixture: Fixture) -> Key:
        request = self._as_sent(fixture.data["request"])
        query = sorted(
            (k, v)
            for k, values in request.get("query", {}).items()
            for v in (values if isinstance(values, list) else [values])
        )
        body = json.dumps(request["json"], sort_keys=True) if "json" in request else ""
        return request["method"], request["path"], tuple(query), body

    def answer(self, method: str, target: str, headers: Mapping[str, str], body: bytes
               ) -> Reply:
        """(status, headers, body) for one request; also the handler's only logic."""
        url = urlsplit(target)
        try:
            canonical = json.dumps(json.loads(body), sort_keys=True) if body else ""
        except ValueError:
            canonical = body.decode("utf-8", "replace")
        key = (method, url.path, tuple(sorted(parse_qsl(url.query))), canonical)
        self.received.append({"method": method, "target": target, "headers": dict(headers)})
        candidates = self._by_key.get(key)
        if not candidates:
            return _error(404, f"stand-in: no {self.provider} fixture for {method} {url.path}")
        with self._lock:
            index = self._served.get(key, 0)
            self._served[key] = index + 1
        fixture = candidates[index % len(candidates)]
        expected = self._as_sent(fixture.data["request"].get("headers", {}))
        lowered = {k.lower(): v for k, v in headers.items()}
        if any(lowered.get(name.lower()) != value for name, value in expected.items()):
            return _error(401, "stand-in: headers or credentials differ from the fixture")
        return _response_of(fixture.data["response"])


def _error(status: int, message: str) -> Reply:
    return status, {"content-type": "application/json"}, json.dumps({"error": message}).encode()


def _response_of(response: Mapping[str, Any]) -> Reply:
    headers = dict(response.get("headers", {}))
    if "json" in response:
        headers.setdefault("content-type", "application/json")
        body = json.dumps(response["json"]).encode()
    else:
        body = response.get("text", "").encode()
    return response["status"], headers, body


def _handler_for(service: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, content = service.answer(
                self.command, self.path, dict(self.headers.items()), body
            )
            if "gzip" in self.headers.get("accept-encoding", "") and content:
                content = gzip.compress(content, mtime=0)
                headers["content-encoding"] = "gzip"
            self.send_response_only(status)
            volatile = {
                "date": formatdate(usegmt=True),
                "x-request-id": uuid.uuid4().hex,
                "set-cookie": f"session={uuid.uuid4().hex}; HttpOnly",
                "server-timing": "app;dur=12.5",
            }
            for name, value in {**volatile, **headers}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler

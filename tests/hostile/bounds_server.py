"""A hostile HTTP/1.1 server on 127.0.0.1: trickles, bombs, endless and deeply nested bodies.

Written on raw sockets (not http.server) so that it can send exactly the bytes an attacker
would: headers one byte at a time, a gzip body that unpacks to far more than it weighs, a
chunked body with no end in sight. Every misbehaviour is capped in time or size, so a client
that does not defend itself still finishes (slowly, or with a large body), and the test
fails instead of hanging.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

TRICKLE_INTERVAL = 0.05  # seconds between trickled bytes
TRICKLE_FOR = 3.0  # how long a trickle lasts before the server completes the response
BOMB_UNPACKED = 64 * 1024 * 1024  # the gzip bomb's size once unpacked (~64 KiB packed)
ENDLESS_TOTAL = 64 * 1024 * 1024  # the "endless" chunked body ends after this much
NESTING = 50_000  # levels of the deeply nested JSON body
SLOW_503_DELAY = 0.3


@cache
def gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    megabyte = bytes(1024 * 1024)
    packed = [packer.compress(megabyte) for _ in range(BOMB_UNPACKED // len(megabyte))]
    return b"".join(packed) + packer.flush()


def nested_json() -> bytes:
    return b'{"a":' * NESTING + b"1" + b"}" * NESTING


class BoundsServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on a bomb or a trickle is the point

    def count(self, path: str) -> None:
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1


class _Handler(socketserver.BaseRequestHandler):
    server: BoundsServer
    request: socket.socket

    def handle(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request.settimeout(30)
        while True:
            path = self._read_request()
            if path is None:
                return
            self.server.count(path)
            answer = getattr(self, "answer_" + path.replace("-", "_"), None)
            if answer is None:
                self._send(404, b'{"error": "no such path"}')
            elif answer() is False:
                return  # the answer left the connection unusable

    def _read_request(self) -> str | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next((int(line.split(":", 1)[1]) for line in lines[1:]
                       if line.lower().startswith("content-length:")), 0)
        while len(rest) < length:
            rest += self.request.recv(65536)
        target = lines[0].split(" ")[1]
        path, _, query = target.partition("?")
        # ?answer=<name> picks the answer for any path (for the generated clients' paths).
        answer = [v for k, _, v in (p.partition("=") for p in query.split("&")) if k == "answer"]
        return answer[0] if answer else path.rsplit("/", 1)[-1]

    def _send(self, status: int, body: bytes, *headers: str) -> None:
        head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}",
                "Content-Type: application/json", *headers]
        self.request.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    def _trickle(self, data: bytes) -> None:
        """Send ``data`` a byte at a time, for at most TRICKLE_FOR seconds, then the rest."""
        stop = time.monotonic() + TRICKLE_FOR
        for index in range(len(data)):
            if time.monotonic() >= stop:
                self.request.sendall(data[index:])
                return
            self.request.sendall(data[index:index + 1])
            time.sleep(TRICKLE_INTERVAL)

    def answer_ok(self) -> None:
        self._send(200, b'{"ok": true}')

    def answer_trickle_body(self) -> bool:
        body = json.dumps({"padding": "x" * 200}).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        self.request.sendall(head)
        self._trickle(body)
        return False

    def answer_trickle_headers(self) -> bool:
        body = b'{"ok": true}'
        padding = "".join(f"X-Pad-{i}: {'y' * 20}\r\n" for i in range(20))
        head = f"HTTP/1.1 200 OK\r\n{padding}Content-Length: {len(body)}\r\n\r\n".encode()
        self._trickle(head)
        self.request.sendall(body)
        return False

    def answer_gzip_bomb(self) -> bool:
        self._send(200, gzip_bomb(), "Content-Encoding: gzip")
        return False

    def answer_redirect_bomb(self) -> bool:
        """A redirect to /answers/ok whose own body is the gzip bomb."""
        self._send(302, gzip_bomb(), "Content-Encoding: gzip", "Location: /answers/ok")
        return False

    def answer_endless(self) -> bool:
        head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        self.request.sendall(head.encode())
        chunk = b"[" + b" " * 65534 + b"]"
        framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        for _ in range(ENDLESS_TOTAL // len(chunk)):
            self.request.sendall(framed)
        self.request.sendall(b"0\r\n\r\n")
        return False

    def answer_nested(self) -> None:
        self._send(200, nested_json())

    def answer_ansi_logs(self) -> None:
        """Shallow JSON whose strings hold hundreds of unbalanced brackets (colour codes)."""
        lines = [f"\x1b[0;3{i % 8}m[INFO worker {i}" for i in range(300)]
        self._send(200, json.dumps({"lines": lines, "escaped": '\\"[[{'}).encode())

    def answer_hidden_depth(self) -> None:
        """Closing brackets inside a string, to hide the depth of the structure after it."""
        deep = "[" * 100 + "1" + "]" * 100
        self._send(200, ('{"hide": "' + "]" * 500 + '", "deep": ' + deep + "}").encode())

    def answer_nested_error(self) -> None:
        self._send(500, nested_json())

    def answer_slow_503(self) -> None:
        time.sleep(SLOW_503_DELAY)
        self._send(503, b'{"error": "busy"}')


@contextmanager
def running_server() -> Iterator[BoundsServer]:
    server = BoundsServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()

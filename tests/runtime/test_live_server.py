"""Against real sockets: a threaded HTTP server on 127.0.0.1 (slow, reset, load)."""

from __future__ import annotations

import asyncio
import datetime
import gzip
import json
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from gpuworkers._runtime import (
    APIConnectionError,
    APIResponse,
    APITimeoutError,
    Endpoint,
    RequestOptions,
    Timeout,
    async_to_raw_response_wrapper,
    to_raw_response_wrapper,
)
from runtime_support import SECRET, AsyncTestClient, TestClient

ITEM = Endpoint("GET", "/items/{name}", idempotent=True)
SCALE = Endpoint("POST", "/items/{name}", idempotent=False)
SLOW_SECONDS = 1.0


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.open_connections = 0
        self.max_open_connections = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # resets are on purpose

    def count(self, key: str, delta: int = 1) -> None:
        with self.lock:
            self.hits[key] = self.hits.get(key, 0) + delta


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: Server

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.open_connections += 1
            self.server.max_open_connections = max(self.server.max_open_connections,
                                                   self.server.open_connections)

    def finish(self) -> None:
        with self.server.lock:
            self.server.open_connections -= 1
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer()

    def answer(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        self.server.count(name)
        if name == "slow":
            time.sleep(SLOW_SECONDS)
        if name == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        body = json.dumps({"name": name, "auth": self.headers["Authorization"] == f"Bearer {SECRET}"
                           }).encode()
        self.send_response(200)
        if name == "gzipped":  # decoded by the client in bounded pieces (_bounded_read)
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("X-Served", "gzip")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def no_sleep(client: Any, waits: list[float]) -> Any:
    client._sleep = waits.append
    client._random = lambda: 0.0
    return client


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_encoded_body_is_read_within_bounds_and_the_response_is_as_received(
    server: Server, flavour: str
) -> None:
    """The body is decoded by the runtime, not httpx; the response the caller gets has it
    read (`.content`, `.json()`), the headers as the server sent them, and its timing."""
    where = {"name": "gzipped"}
    raw: APIResponse[dict[str, Any]]
    if flavour == "sync":
        with TestClient(api_key=SECRET, base_url=server.url) as client:
            raw = to_raw_response_wrapper(client.request)(ITEM, cast_to=dict, path_params=where)
    else:

        async def main() -> APIResponse[dict[str, Any]]:
            async with AsyncTestClient(api_key=SECRET, base_url=server.url) as client:
                call = async_to_raw_response_wrapper(client.request)
                return await call(ITEM, cast_to=dict, path_params=where)

        raw = asyncio.run(main())
    response = raw.http_response
    assert response.json() == {"name": "gzipped", "auth": True}
    assert raw.parse() == {"name": "gzipped", "auth": True}
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["x-served"] == "gzip"
    assert response.is_closed and response.request.url.path == "/items/gzipped"
    assert isinstance(response.elapsed, datetime.timedelta)


def test_sync_read_timeout(server: Server) -> None:
    waits: list[float] = []
    # 0.2 s per phase, 5 s for the whole call: room for the retry (timeout=0.2 alone would
    # give the whole call 0.2 s, so the first timeout would end it).
    timeout = Timeout(0.2, total=5.0)
    with no_sleep(TestClient(api_key=SECRET, base_url=server.url, timeout=timeout,
                             max_retries=1), waits) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.request(ITEM, cast_to=dict, path_params={"name": "slow"})
        assert time.monotonic() - started < SLOW_SECONDS * 2
        assert waits == [0.5]  # retried once (idempotent), without sleeping for real
        assert client.request(ITEM, cast_to=dict, path_params={"name": "ok"}) == {
            "name": "ok", "auth": True}


def test_sync_non_idempotent_read_timeout_not_retried(server: Server) -> None:
    before = server.hits.get("slow", 0)
    with TestClient(api_key=SECRET, base_url=server.url) as client, \
            pytest.raises(APITimeoutError):
            client.request(SCALE, cast_to=dict, path_params={"name": "slow"}, body={},
                           options=RequestOptions(timeout=0.2))
    assert server.hits["slow"] == before + 1


async def test_async_read_timeout(server: Server) -> None:
    async with AsyncTestClient(api_key=SECRET, base_url=server.url, timeout=0.2,
                               max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            await client.request(ITEM, cast_to=dict, path_params={"name": "slow"})


def test_connection_reset_is_retried_then_raised(server: Server) -> None:
    before = server.hits.get("reset", 0)
    waits: list[float] = []
    with no_sleep(TestClient(api_key=SECRET, base_url=server.url), waits) as client, \
            pytest.raises(APIConnectionError) as info:
            client.request(ITEM, cast_to=dict, path_params={"name": "reset"})
    assert not isinstance(info.value, APITimeoutError)
    assert server.hits["reset"] == before + 3
    assert waits == [0.5, 1.0]


async def test_async_connection_reset_non_idempotent_not_retried(server: Server) -> None:
    before = server.hits.get("reset", 0)
    async with AsyncTestClient(api_key=SECRET, base_url=server.url) as client:
        with pytest.raises(APIConnectionError):
            await client.request(SCALE, cast_to=dict, path_params={"name": "reset"}, body={})
    assert server.hits["reset"] == before + 1


def test_connection_refused_is_retried() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []
    client = no_sleep(TestClient(api_key=SECRET, base_url=f"http://127.0.0.1:{port}"), waits)
    with client, pytest.raises(APIConnectionError):
        client.request(SCALE, cast_to=dict, path_params={"name": "x"}, body={})
    assert waits == [0.5, 1.0]  # refused: safe to retry even a non-idempotent call


@pytest.fixture(scope="module")
def fast_server() -> Iterator[str]:
    """An asyncio server in its own process, so the load test measures the client."""
    script = Path(__file__).with_name("fast_http_server.py")
    process = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdin is not None
    port = int(process.stdout.readline())
    yield f"http://127.0.0.1:{port}"
    process.stdin.close()
    process.wait(timeout=10)


async def test_async_load_1000_concurrent_calls(fast_server: str) -> None:
    async with AsyncTestClient(api_key=SECRET, base_url=fast_server) as client:
        results = await asyncio.gather(*(
            client.request(ITEM, cast_to=dict, path_params={"name": f"n{i}"})
            for i in range(1000)
        ))
        stats = await client.request(Endpoint("GET", "/stats", idempotent=True), cast_to=dict)
    assert results == [{"name": f"n{i}", "auth": True} for i in range(1000)]
    assert 1 <= stats["max_open_connections"] <= 100  # the pool bounds the connections


def test_sync_client_shared_by_8_threads(server: Server) -> None:
    with TestClient(api_key=SECRET, base_url=server.url) as client:
        def work(thread: int) -> list[dict[str, Any]]:
            return [client.request(ITEM, cast_to=dict, path_params={"name": f"t{thread}-{i}"})
                    for i in range(25)]

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(work, range(8)))
    for thread, results in enumerate(outcomes):
        assert results == [{"name": f"t{thread}-{i}", "auth": True} for i in range(25)]

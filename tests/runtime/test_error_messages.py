"""What a user reads in ``str(error)``: one line saying what was asked and what went wrong.

Connection errors against a refused port on 127.0.0.1, timeouts against a server that
accepts and never answers, status errors through ``httpx.MockTransport``: all through
the generated clients' public API.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import gpuworkers
import httpx
import pytest
from gpuworkers.everai import AsyncEverAIClient, EverAIClient
from gpuworkers.yotta import YottaClient

KEY = "sk-user-0123456789abcdef"
WORKERS = "/api/apps/v1/namespaces/default/apps/app/workers"  # EverAI's workers.list(name="app")


def refused_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """An HTTP origin that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


def test_connection_error_names_method_redacted_url_and_cause() -> None:
    port = refused_port()
    base = f"http://user:{KEY}@127.0.0.1:{port}"
    with EverAIClient(token=KEY, base_url=base, max_retries=0) as client, \
            pytest.raises(gpuworkers.APIConnectionError) as info:
        client.workers.list(name="app", extra_query={"api_key": KEY, "page": "2"})
    error = info.value
    text = str(error)
    url = f"http://127.0.0.1:{port}{WORKERS}?api_key=<redacted>&page=2"
    assert error.url == url
    assert text.startswith(f"Connection error: GET {url}: ")
    assert "Connection refused" in text and text.endswith(error.cause)
    assert KEY not in text and "user" not in text and "\n" not in text
    assert not isinstance(error, gpuworkers.APITimeoutError)


def test_async_connection_error_names_the_cause() -> None:
    port = refused_port()

    async def call() -> None:
        async with AsyncEverAIClient(token=KEY, base_url=f"http://127.0.0.1:{port}",
                                     max_retries=0) as client:
            await client.workers.list(name="app")

    with pytest.raises(gpuworkers.APIConnectionError) as info:
        asyncio.run(call())
    text = str(info.value)
    assert text.startswith(f"Connection error: GET http://127.0.0.1:{port}{WORKERS}: ")
    cause = info.value.cause
    assert cause and cause != "ConnectError" and text.endswith(f": {cause}")


def test_read_timeout_names_the_phase_and_its_limit(silent_server: str) -> None:
    timeout = httpx.Timeout(5, read=0.2)
    with EverAIClient(token=KEY, base_url=silent_server, timeout=timeout,
                      max_retries=0) as client, \
            pytest.raises(gpuworkers.APITimeoutError) as info:
        client.workers.list(name="app")
    error = info.value
    assert (error.phase, error.limit) == ("read", 0.2)
    assert str(error) == (f"Request timed out: GET {silent_server}{WORKERS}: "
                          "no data within the read timeout of 0.2 s")


def test_total_deadline_is_named_as_such(silent_server: str) -> None:
    with EverAIClient(token=KEY, base_url=silent_server, max_retries=0,
                      timeout=gpuworkers.Timeout(5, total=0.3)) as client, \
            pytest.raises(gpuworkers.APITimeoutError) as info:
        client.workers.list(name="app")
    assert (info.value.phase, info.value.limit) == ("total", 0.3)
    assert str(info.value).endswith("workers: the call's total timeout expired (0.3 s)")


def test_async_total_deadline_is_named_as_such(silent_server: str) -> None:
    async def call() -> None:
        async with AsyncEverAIClient(token=KEY, base_url=silent_server, max_retries=0,
                                     timeout=gpuworkers.Timeout(5, total=0.3)) as client:
            await client.workers.list(name="app")

    with pytest.raises(gpuworkers.APITimeoutError) as info:
        asyncio.run(call())
    assert info.value.phase == "total"
    assert "the call's total timeout expired (0.3 s)" in str(info.value)


@pytest.mark.parametrize(
    ("raised", "phase", "says"),
    [
        (httpx.ConnectTimeout, "connect", "no connection within the connect timeout of 1.5 s"),
        (httpx.PoolTimeout, "pool", "no free connection in the pool within the pool timeout"),
        (httpx.WriteTimeout, "write", "could not send within the write timeout of 4 s"),
    ],
)
def test_phase_timeouts_say_which_limit(
    raised: type[httpx.TimeoutException], phase: str, says: str
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise raised("timed out", request=request)

    http = httpx.Client(transport=httpx.MockTransport(fail))
    timeout = httpx.Timeout(4, connect=1.5, pool=2)
    with EverAIClient(token=KEY, base_url="https://api.example.com", http_client=http,
                      timeout=timeout, max_retries=0) as client, \
            pytest.raises(gpuworkers.APITimeoutError) as info:
        client.workers.list(name="app")
    assert info.value.phase == phase
    assert str(info.value).startswith(
        f"Request timed out: GET https://api.example.com{WORKERS}: {says}")


def test_status_error_is_one_line_with_status_reason_message_and_code() -> None:
    body = {"code": 10007, "message": "Record not exist\nsecond line", "data": None}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json=body, headers={"x-request-id": "req-9"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with YottaClient(api_key=KEY, base_url="https://yotta.example", http_client=http,
                     max_retries=0) as yotta, pytest.raises(gpuworkers.NotFoundError) as info:
        yotta.deployments.get(id=7)
    assert str(info.value) == (
        "HTTP 404 Not Found: GET https://yotta.example/openapi/v1/elastic/deploy/7: "
        "Record not exist second line (code=10007, request_id=req-9)")


def test_status_error_without_message_shows_the_body_truncated_on_one_line() -> None:
    page = "<html>\n<body>\n" + "upstream failed " * 100 + f"{KEY}\n</body></html>"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text=page)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with EverAIClient(token=KEY, base_url="https://api.example.com", http_client=http,
                      max_retries=0) as client, \
            pytest.raises(gpuworkers.InternalServerError) as info:
        client.workers.list(name="app")
    text = str(info.value)
    assert text.startswith("HTTP 502 Bad Gateway: GET https://api.example.com/api/apps/v1/")
    assert "<html> <body> upstream failed" in text
    assert "\n" not in text and len(text) < 500 and text.endswith(" chars)")
    assert info.value.body == page  # the whole body stays on the error



@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"workers": "none"}', "Response data did not match ListWorkersResponse: GET {url}: "
                                 "1 error(s); first at workers: Input should be a valid list"),
        (b"<html>oops</html>", "Response body is not valid JSON: GET {url}: HTTP 200, 17 bytes"),
    ],
    ids=["mismatch", "not-json"],
)
def test_response_validation_errors_name_the_call(content: bytes, says: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with EverAIClient(token=KEY, base_url="https://api.example.com", http_client=http) as client, \
            pytest.raises(gpuworkers.APIResponseValidationError) as info:
        client.workers.list(name="app")
    assert str(info.value) == says.format(url=f"https://api.example.com{WORKERS}")

"""The generated ClearML client: credentials, base URL, envelope errors and typed bodies.

Every exchange goes through an ``httpx.MockTransport``; replies use the real ``{meta, data}``
envelope (PROVIDERS.md 3.3).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any

import gpuworkers
import httpx
import pytest
from gpuworkers.clearml import (
    AggregationType,
    AsyncClearMLClient,
    ClearMLClient,
    MachineStats,
    StatItem,
    Worker,
)

ACCESS, SECRET, TOKEN = "test-access-key", "test-secret-key", "test-token"
ENV = (
    "CLEARML_API_HOST",
    "CLEARML_API_ACCESS_KEY",
    "TRAINS_API_ACCESS_KEY",
    "CLEARML_API_SECRET_KEY",
    "TRAINS_API_SECRET_KEY",
    "CLEARML_AUTH_TOKEN",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def _meta(action: str, code: int = 200, subcode: int = 0, msg: str = "OK") -> dict[str, Any]:
    return {
        "id": "call-1",
        "trx": "trx-1",
        "endpoint": {"name": action, "requested_version": "2.31", "actual_version": "2.4"},
        "result_code": code,
        "result_subcode": subcode,
        "result_msg": msg,
        "error_stack": None,
        "error_data": {},
    }


class Server:
    """Answers every request with ``data`` in a success envelope; records the requests."""

    def __init__(self, data: object = None, status: int = 200, meta: dict[str, Any] | None = None):
        self.requests: list[httpx.Request] = []
        self.data = {} if data is None else data
        self.status = status
        self.meta = meta

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        meta = self.meta or _meta(request.url.path.lstrip("/"))
        return httpx.Response(self.status, json={"meta": meta, "data": self.data})

    @property
    def body(self) -> Any:
        return json.loads(self.requests[-1].content)


def _client(server: Server, **kwargs: Any) -> ClearMLClient:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return ClearMLClient(http_client=http, max_retries=0, **kwargs)


def _basic(access: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{access}:{secret}".encode()).decode()


# -- credentials and base URL ------------------------------------------------------------


def test_basic_auth_from_env_key_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_API_ACCESS_KEY", ACCESS)
    monkeypatch.setenv("CLEARML_API_SECRET_KEY", SECRET)
    server = Server({"count": 2})
    with _client(server) as client:
        assert client.workers.get_count().count == 2
    request = server.requests[0]
    assert request.headers["authorization"] == _basic(ACCESS, SECRET)
    assert request.method == "POST"
    assert str(request.url) == "https://api.clear.ml/workers.get_count"


def test_trains_env_aliases_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINS_API_ACCESS_KEY", "old-access")
    monkeypatch.setenv("TRAINS_API_SECRET_KEY", "old-secret")
    server = Server({"count": 0})
    with _client(server) as client:
        client.workers.get_count()
    assert server.requests[0].headers["authorization"] == _basic("old-access", "old-secret")


def test_bearer_token_from_env_when_no_key_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_AUTH_TOKEN", TOKEN)
    server = Server({"count": 1})
    with _client(server) as client:
        client.workers.get_count()
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_key_pair_wins_over_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_AUTH_TOKEN", TOKEN)
    server = Server({"count": 1})
    with _client(server, access_key=ACCESS, secret_key=SECRET) as client:
        client.workers.get_count()
    assert server.requests[0].headers["authorization"] == _basic(ACCESS, SECRET)


def test_half_a_key_pair_falls_back_to_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_API_ACCESS_KEY", ACCESS)
    server = Server({"count": 1})
    with _client(server, token=TOKEN) as client:
        client.workers.get_count()
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_missing_credentials_names_both_alternatives() -> None:
    with pytest.raises(gpuworkers.MissingCredentialsError) as caught:
        ClearMLClient()
    message = str(caught.value)
    assert "access_key=" in message and "secret_key=" in message
    assert "CLEARML_API_ACCESS_KEY" in message and "CLEARML_API_SECRET_KEY" in message
    assert "token=" in message and "CLEARML_AUTH_TOKEN" in message


def test_base_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_API_HOST", "http://clearml.internal:8008/")
    server = Server({"count": 1})
    with _client(server, token=TOKEN) as client:
        client.workers.get_count()
    assert str(server.requests[0].url) == "http://clearml.internal:8008/workers.get_count"


def test_explicit_base_url_wins_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_API_HOST", "http://clearml.internal:8008")
    server = Server({"count": 1})
    with _client(server, token=TOKEN, base_url="https://api.clear.example") as client:
        client.workers.get_count()
    assert str(server.requests[0].url) == "https://api.clear.example/workers.get_count"


# -- envelope errors ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 200], ids=["http-400", "failure-inside-http-200"])
def test_error_carries_code_subcode_and_message(status: int) -> None:
    meta = _meta("workers.unregister", 400, 1004, "Worker is not registered")
    server = Server({}, status=status, meta=meta)
    with (
        _client(server, token=TOKEN) as client,
        pytest.raises(gpuworkers.BadRequestError) as caught,
    ):
        client.workers.unregister(worker="gpu-node-99")
    error = caught.value
    assert (error.code, error.subcode) == (400, 1004)
    assert error.envelope_message == "Worker is not registered"
    assert error.status_code == status


def test_unauthorized_is_an_authentication_error() -> None:
    meta = _meta("workers.get_all", 401, 21, "Unauthorized (bad credentials)")
    server = Server({}, status=401, meta=meta)
    with (
        _client(server, token=TOKEN) as client,
        pytest.raises(gpuworkers.AuthenticationError) as caught,
    ):
        client.workers.get_all()
    assert caught.value.subcode == 21


# -- typed requests and responses --------------------------------------------------------


def test_get_stats_sends_typed_stat_items_with_aggregation() -> None:
    server = Server({"workers": []})
    with _client(server, token=TOKEN) as client:
        client.workers.get_stats(
            from_date=1736150400,
            to_date=1736154000,
            interval=1800,
            items=[
                # The response's enum member sent back: a str equal to "max", accepted at run
                # time though the request field's type is the Literal.
                StatItem(key="cpu_usage", aggregation=AggregationType.MAX),
                StatItem(key="gpu_usage"),
            ],
        )
    assert server.body == {
        "from_date": 1736150400.0,
        "to_date": 1736154000.0,
        "interval": 1800,
        "items": [{"key": "cpu_usage", "aggregation": "max"}, {"key": "gpu_usage"}],
    }


def test_get_stats_rejects_an_empty_item_list_before_sending() -> None:
    server = Server({"workers": []})
    with _client(server, token=TOKEN) as client, pytest.raises(ValueError):
        client.workers.get_stats(from_date=0, to_date=1, interval=1, items=[])
    assert server.requests == []


def test_stat_item_key_is_required() -> None:
    with pytest.raises(ValueError):
        StatItem.model_validate({"aggregation": "avg"})


def test_status_report_sends_float_machine_stats_and_returns_none() -> None:
    server = Server({})
    stats = MachineStats(cpu_usage=[12.5, 40.25], memory_used=15872.375, gpu_memory_used=[38912.5])
    with _client(server, token=TOKEN) as client:
        result = client.workers.status_report(  # type: ignore[func-returns-value]
            worker="gpu-node-01", timestamp=1736157733000, machine_stats=stats
        )
    assert result is None
    assert server.body["machine_stats"] == {
        "cpu_usage": [12.5, 40.25],
        "memory_used": 15872.375,
        "gpu_memory_used": [38912.5],
    }
    assert server.body["timestamp"] == 1736157733000


def test_machine_stats_numbers_are_floats() -> None:
    stats = MachineStats.model_validate({"memory_used": 15872.375, "disk_free_home": 71.2})
    assert stats.memory_used == 15872.375
    assert isinstance(stats.disk_free_home, float)


def test_register_sends_the_registration_timeout_as_timeout() -> None:
    server = Server({})
    with _client(server, token=TOKEN) as client:
        assert client.workers.register(  # type: ignore[func-returns-value]
            worker="gpu-node-01", register_timeout=120
        ) is None
    assert server.body == {"worker": "gpu-node-01", "timeout": 120}


def test_get_all_sends_empty_body_and_keeps_unknown_worker_fields() -> None:
    worker = {
        "id": "gpu-node-01",
        "register_timeout": 600,
        "system_tags": [],
        "key": "worker_c_u_gpu-node-01",
        "last_activity_time": "2025-01-06T10:02:13.004000",
        "is_daemon": True,
    }
    server = Server({"workers": [worker]})
    with _client(server, token=TOKEN) as client:
        result = client.workers.get_all()
    assert server.body == {}
    assert result.workers is not None
    (first,) = result.workers
    assert isinstance(first, Worker)
    assert first.register_timeout == 600 and first.key == "worker_c_u_gpu-node-01"
    assert first.last_activity_time == "2025-01-06T10:02:13.004000"
    assert first.model_extra == {"is_daemon": True}


def test_async_client_unwraps_the_envelope() -> None:
    server = Server({"total": {"dates": [1, 2], "counts": [3, None]}})

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncClearMLClient(token=TOKEN, http_client=http, max_retries=0) as client:
            return await client.workers.get_activity_report(from_date=0, to_date=2, interval=1)

    report = asyncio.run(run())
    assert report.total is not None and report.total.counts == [3, None]
    assert report.active is None


@pytest.mark.parametrize(
    ("call", "idempotent"),
    [
        (lambda c: c.workers.get_all(), True),
        (lambda c: c.workers.register(worker="w"), False),
    ],
)
def test_reads_are_retried_on_500_and_writes_are_not(
    call: Callable[[ClearMLClient], object], idempotent: bool
) -> None:
    server = Server({}, status=500, meta=_meta("workers.x", 500, 0, "General error"))
    http = httpx.Client(transport=httpx.MockTransport(server))
    with ClearMLClient(token=TOKEN, http_client=http, max_retries=1) as client:
        client._sleep = lambda _seconds: None  # no real backoff in tests
        with pytest.raises(gpuworkers.InternalServerError):
            call(client)
    assert len(server.requests) == (2 if idempotent else 1)

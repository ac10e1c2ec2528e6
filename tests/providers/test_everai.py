"""What an EverAI user relies on beyond the recorded exchanges in tests/fixtures/everai/.

Configuration as the official `everai` tools read it (PROVIDERS.md 2.1), the wire
format of the counts (protobuf int64 as decimal strings, 2.4), and the leniency of
the models (nanosecond timestamps, unknown statuses, fields left out).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

_ENV = ("EVERAI_TOKEN", "EVERAI_HOME", "EVERAI_ENDPOINT", "XDG_CACHE_HOME")
_WORKERS: dict[str, list[object]] = {"workers": []}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No EverAI settings from the machine running the tests, and an empty home."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield


def _everai() -> ModuleType:
    """``gpuworkers.everai`` as imported now: other tests may drop gpuworkers from sys.modules."""
    return importlib.import_module("gpuworkers.everai")


class _Recorder:
    def __init__(self, body: object = _WORKERS, status: int = 200) -> None:
        self.body, self.status = body, status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def _client(recorder: _Recorder, **options: object) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return _everai().EverAIClient(http_client=http, max_retries=0, **options)


# -- credentials and endpoint ------------------------------------------------------


def test_token_from_everai_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERAI_TOKEN", "env-token\n")
    recorder = _Recorder()
    with _client(recorder) as client:
        client.workers.list(name="my-app")
    assert recorder.last.headers["authorization"] == "Bearer env-token"


def test_token_from_the_file_under_everai_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "everai-home"
    home.mkdir()
    (home / "token").write_text("file-token\r\n", encoding="utf-8")
    monkeypatch.setenv("EVERAI_HOME", str(home))
    recorder = _Recorder()
    with _client(recorder) as client:
        client.workers.list(name="my-app")
    assert recorder.last.headers["authorization"] == "Bearer file-token"


def test_token_from_the_default_cache_file(tmp_path: Path) -> None:
    cache = tmp_path / "home" / ".cache" / "everai"
    cache.mkdir(parents=True)
    (cache / "token").write_text("cached-token", encoding="utf-8")
    recorder = _Recorder()
    with _client(recorder) as client:
        client.workers.list(name="my-app")
    assert recorder.last.headers["authorization"] == "Bearer cached-token"


def test_environment_token_wins_over_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "token").write_text("file-token", encoding="utf-8")
    monkeypatch.setenv("EVERAI_HOME", str(tmp_path))
    monkeypatch.setenv("EVERAI_TOKEN", "env-token")
    recorder = _Recorder()
    with _client(recorder) as client:
        client.workers.list(name="my-app")
    assert recorder.last.headers["authorization"] == "Bearer env-token"


def test_missing_token_names_the_argument_and_the_variable() -> None:
    errors = importlib.import_module("gpuworkers")
    with pytest.raises(errors.MissingCredentialsError) as caught:
        _everai().EverAIClient()
    message = str(caught.value)
    assert "token=" in message
    assert "EVERAI_TOKEN" in message


def test_base_url_defaults_to_everai_and_follows_everai_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = _Recorder()
    with _client(recorder, token="t") as client:
        client.workers.list(name="my-app")
    assert str(recorder.last.url).startswith("https://everai.expvent.com/api/apps/v1/")
    monkeypatch.setenv("EVERAI_ENDPOINT", "https://everai.internal.test")
    with _client(recorder, token="t") as client:
        client.workers.list(name="my-app")
    assert str(recorder.last.url) == (
        "https://everai.internal.test/api/apps/v1/namespaces/default/apps/my-app/workers"
    )


# -- the wire ----------------------------------------------------------------------


def test_counts_are_sent_as_decimal_strings() -> None:
    recorder = _Recorder({"workerIds": ["a", "b"]})
    with _client(recorder, token="t") as client:
        result = client.workers.scale_up(name="my-app", scale_up_workers_num=2)
        client.workers.scale_down(name="my-app", scale_down_workers_num=12)
    up, down = (json.loads(r.content) for r in recorder.requests)
    assert up == {"scaleUpWorkersNum": "2"}
    assert down == {"scaleDownWorkersNum": "12"}
    assert result.worker_ids == ["a", "b"]


def test_scale_down_by_worker_ids_alone() -> None:
    recorder = _Recorder({})
    with _client(recorder, token="t") as client:
        assert client.workers.scale_down(name="my-app", worker_ids=["w1", "w2"]) == {}
    assert json.loads(recorder.last.content) == {"workerIds": ["w1", "w2"]}
    assert recorder.last.url.path.endswith("/apps/my-app/workers:scale-down")


def test_async_client_sends_the_same_request() -> None:
    recorder = _Recorder({"workerIds": []})

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        client_class = _everai().AsyncEverAIClient
        async with client_class(token="t", http_client=http, max_retries=0) as client:
            await client.workers.scale_up(namespace="ns", name="my-app", scale_up_workers_num=3)

    asyncio.run(run())
    assert recorder.last.url.path == "/api/apps/v1/namespaces/ns/apps/my-app/workers:scale-up"
    assert json.loads(recorder.last.content) == {"scaleUpWorkersNum": "3"}


# -- the models --------------------------------------------------------------------


def test_nanosecond_timestamps_parse() -> None:
    worker = _everai().Worker.model_validate({"lastServeAt": "2024-09-29T09:35:35.387883192Z"})
    served = worker.last_serve_at
    assert served is not None and served.nanosecond == 192  # kept, not truncated
    assert served.replace(nanosecond=0) == datetime(2024, 9, 29, 9, 35, 35, 387883, tzinfo=UTC)


def test_unknown_enum_values_are_accepted() -> None:
    worker = _everai().Worker.model_validate(
        {"status": "STATUS_HIBERNATING", "detailStatus": "DETAIL_STATUS_FREE"}
    )
    assert worker.status == "STATUS_HIBERNATING"
    assert worker.detail_status == _everai().WorkerDetailStatus.DETAIL_STATUS_FREE


def test_detail_status_has_only_the_real_values() -> None:
    everai = _everai()
    assert "STATUS_TERMINATING" not in {s.value for s in everai.WorkerDetailStatus}
    assert everai.WorkerStatus("STATUS_TERMINATING") is everai.WorkerStatus.STATUS_TERMINATING


def test_python_attribute_names() -> None:
    worker = _everai().Worker.model_validate(
        {
            "CPUs": 2,
            "GPUName": "A100",
            "GPUs": 1,
            "deviceId": "d-1",
            "area": "us",
            "stopAt": "soon",
        }
    )
    assert (worker.cpus, worker.gpu_name, worker.gpus, worker.device_id) == (2, "A100", 1, "d-1")
    assert worker.area == "us"
    assert worker.stop_at == "soon"  # a plain string, not a date-time


def test_fields_the_service_leaves_out_are_none_and_unknown_fields_are_kept() -> None:
    page = _everai().ListWorkersResponse.model_validate(
        {"workers": [{"id": "w1", "newField": 1}], "queueSize": 3}
    )
    assert page.workers is not None
    worker = page.workers[0]
    assert worker.failed_count is None and worker.gpu_name is None
    assert worker.model_extra == {"newField": 1}
    assert page.queue_size == 3 and page.max_workers is None

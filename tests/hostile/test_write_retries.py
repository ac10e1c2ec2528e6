"""Issue 13.3: a write is repeated only when the server surely did not act on it."""

from __future__ import annotations

from pathlib import Path

import gpuworkers
import pytest
from gpuworkers._runtime import (
    AuthScheme,
    Credential,
    Endpoint,
    ProviderConfig,
    RequestOptions,
    RetryPolicy,
    SyncAPIClient,
)
from gpuworkers.clearml import ClearMLClient
from gpuworkers.everai import AsyncEverAIClient, EverAIClient
from gpuworkers.yotta import YottaClient

from tests.hostile.hostile_http import Reply, Seen, serve

NO_WAIT = {"Retry-After-Ms": "0"}  # the server asks for no backoff: tests stay fast
KEY = "k" * 16
CREATE = {"name": "app", "image": "img", "workers": 1, "container_volume_in_gb": 20,
          "service_mode": "ALB",
          "resources": [{"region": "us-east", "gpuType": "H100", "gpuCount": 1}]}


def performs_then_fails(status: int) -> Reply:
    """A server that carries out the write, then answers a retryable-looking status."""
    return Reply(status, {"code": 10002, "message": "System error"}, NO_WAIT)


@pytest.mark.parametrize("status", [503, 429])
def test_yotta_create_is_sent_once_when_the_server_may_have_acted(status: int) -> None:
    with serve(lambda seen: performs_then_fails(status)) as origin:
        with YottaClient(api_key=KEY, base_url=origin.url) as yotta, \
                pytest.raises(gpuworkers.APIStatusError) as info:
            yotta.deployments.create(**CREATE)  # type: ignore[arg-type]
        assert [seen.method for seen in origin.seen] == ["POST"]
    assert info.value.status_code == status


async def test_everai_scale_up_on_503_is_sent_once() -> None:
    answer = Reply(503, {"code": 14, "message": "unavailable"}, NO_WAIT)
    with serve(lambda seen: answer) as origin:
        async with AsyncEverAIClient(token=KEY, base_url=origin.url) as everai:
            with pytest.raises(gpuworkers.InternalServerError):
                await everai.workers.scale_up(name="app", scale_up_workers_num=2)
        assert len(origin.seen) == 1


def test_sync_everai_scale_up_on_429_is_sent_once() -> None:
    answer = Reply(429, {"code": 8, "message": "slow down"}, NO_WAIT)
    with serve(lambda seen: answer) as origin, EverAIClient(token=KEY,
                                                           base_url=origin.url) as everai:
        with pytest.raises(gpuworkers.RateLimitError):
            everai.workers.scale_up(name="app", scale_up_workers_num=2)
        assert len(origin.seen) == 1


def test_clearml_writes_are_retried_only_on_its_declared_maintenance_503() -> None:
    def meta(status: int) -> Reply:
        body = {"meta": {"result_code": status, "result_subcode": 0, "result_msg": "x"},
                "data": {}}
        return Reply(status, body, NO_WAIT)

    with serve(lambda seen: meta(429)) as limited, serve(lambda seen: meta(503)) as maintenance:
        for origin in (limited, maintenance):
            with ClearMLClient(access_key=KEY, secret_key=KEY, base_url=origin.url) as clearml, \
                    pytest.raises(gpuworkers.APIStatusError):
                clearml.workers.register(worker="w1")
        assert (len(limited.seen), len(maintenance.seen)) == (1, 3)


def test_declared_write_statuses_carry_their_reason_into_the_generated_config() -> None:
    config = Path(gpuworkers.__file__).parent / "clearml" / "_config.py"
    assert "# 503: the server answers 503 while in maintenance" in config.read_text()
    from gpuworkers.yotta._config import CONFIG

    assert CONFIG.retry.non_idempotent_statuses == ()


CHARGE = Endpoint("POST", "/charges", idempotent=False)


def keyed_client(base_url: str) -> SyncAPIClient:
    """A provider that honours an ``Idempotency-Key`` header (declared in its config)."""
    config = ProviderConfig(
        name="keyed",
        client_name="KeyedClient",
        base_url=base_url,
        credentials=(Credential("api_key"),),
        auth=(AuthScheme("header", ("api_key",), header="X-Api-Key"),),
        retry=RetryPolicy(idempotency_header="Idempotency-Key"),
    )
    return SyncAPIClient(config=config, credentials={"api_key": KEY})


def test_idempotency_key_is_one_per_call_and_makes_retries_safe() -> None:
    attempts: list[Seen] = []

    def flaky(seen: Seen) -> Reply:
        attempts.append(seen)
        if len(attempts) in (1, 2):
            return Reply(503, {"message": "busy"}, NO_WAIT)
        return Reply(200, {"ok": True})

    with serve(flaky) as origin, keyed_client(origin.url) as client:
        assert client.request(CHARGE, cast_to=dict, body={"amount": 1}) == {"ok": True}
        client.request(CHARGE, cast_to=dict, body={"amount": 2})
    keys = [seen.headers.get("idempotency-key") for seen in attempts]
    assert len(keys) == 4 and keys[0] is not None
    assert keys[0] == keys[1] == keys[2] != keys[3]  # three attempts, one key; next call, new


def test_idempotency_key_chosen_by_the_caller_is_kept() -> None:
    with serve(lambda seen: Reply(200, {"ok": True})) as origin, \
            keyed_client(origin.url) as client:
        options = RequestOptions(extra_headers={"Idempotency-Key": "order-42"})
        client.request(CHARGE, cast_to=dict, body={}, options=options)
    assert origin.seen[0].headers["idempotency-key"] == "order-42"

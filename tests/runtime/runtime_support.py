"""A small test provider, hand-written clients over it, and MockTransport helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from gpuworkers._runtime import (
    AsyncAPIClient,
    AuthScheme,
    Credential,
    Endpoint,
    Envelope,
    ProviderConfig,
    RetryPolicy,
    SyncAPIClient,
)

SECRET = "sk-test-0123456789abcdef"

TEST_CONFIG = ProviderConfig(
    name="test",
    client_name="TestClient",
    base_url="https://api.test.example",
    base_url_env=("TEST_BASE_URL",),
    credentials=(Credential("api_key", env=("TEST_API_KEY",)),),
    auth=(AuthScheme("bearer", ("api_key",)),),
    retry=RetryPolicy(),
)

YOTTA_ENVELOPE = Envelope(data="data", code="code", success=(10000,), message="message")
CLEARML_ENVELOPE = Envelope(
    data="data",
    code="meta.result_code",
    success=(200,),
    subcode="meta.result_subcode",
    message="meta.result_msg",
)
VAST_ENVELOPE = Envelope(
    data="workers", data_optional=True, error_keys=("error_msg", "error"), string_is_error=True
)

GET = Endpoint("GET", "/items/{id}", idempotent=True)
LIST = Endpoint("GET", "/items", idempotent=True)
SCALE_UP = Endpoint("POST", "/items/{id}/scale-up", idempotent=False)
RAW = Endpoint("GET", "/raw", idempotent=True, envelope=False)

Handler = Callable[[httpx.Request], httpx.Response]


class TestClient(SyncAPIClient):
    __test__ = False  # not a pytest test class

    def __init__(self, *, api_key: str | None = None, config: ProviderConfig = TEST_CONFIG,
                 **kwargs: Any) -> None:
        super().__init__(config=config, credentials={"api_key": api_key}, **kwargs)


class AsyncTestClient(AsyncAPIClient):
    def __init__(self, *, api_key: str | None = None, config: ProviderConfig = TEST_CONFIG,
                 **kwargs: Any) -> None:
        super().__init__(config=config, credentials={"api_key": api_key}, **kwargs)


@dataclass
class Recorder:
    """Answers requests from a script of responses (or exceptions), recording each request."""

    script: Sequence[httpx.Response | Exception | Handler]  # only read
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script[min(len(self.requests), len(self.script)) - 1]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return httpx.Response(step.status_code, headers=step.headers, content=step.content)
        return step(request)

    @property
    def retry_counts(self) -> list[str]:
        return [r.headers["X-GpuWorkers-Retry-Count"] for r in self.requests]


def json_response(status: int, body: object, headers: dict[str, str] | None = None
                  ) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


def sync_client(recorder: Recorder | Handler, *, waits: list[float] | None = None,
                config: ProviderConfig = TEST_CONFIG, **kwargs: Any) -> TestClient:
    """A client on a MockTransport whose sleeps are recorded, not slept; jitter fixed at 0."""
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    client = TestClient(api_key=kwargs.pop("api_key", SECRET), http_client=http, config=config,
                        **kwargs)
    recorded = waits if waits is not None else []
    client._sleep = recorded.append
    client._random = lambda: 0.0
    return client


def async_client(recorder: Recorder | Handler, *, waits: list[float] | None = None,
                 config: ProviderConfig = TEST_CONFIG, **kwargs: Any) -> AsyncTestClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    client = AsyncTestClient(api_key=kwargs.pop("api_key", SECRET), http_client=http,
                             config=config, **kwargs)
    recorded = waits if waits is not None else []

    async def sleep(seconds: float) -> None:
        recorded.append(seconds)

    client._sleep = sleep
    client._random = lambda: 0.0
    return client


def with_envelope(envelope: Envelope | None) -> ProviderConfig:
    return ProviderConfig(
        name=TEST_CONFIG.name,
        client_name=TEST_CONFIG.client_name,
        base_url=TEST_CONFIG.base_url,
        credentials=TEST_CONFIG.credentials,
        auth=TEST_CONFIG.auth,
        envelope=envelope,
    )

"""An operation with its own ``servers`` (on it or its path item) is sent there.

OpenAPI lets an operation or a path item name its own server: an upload host, another
version prefix.  A relative one is resolved against the client's base URL; an absolute one
is used as it is, and its credentials go with it (the API document names that origin as it
names the base URL), unless the caller chose the host (``base_url=``), where the path is
kept on the caller's host.
"""

from __future__ import annotations

import httpx
import pytest
from gpuworkers._runtime import AuthScheme, Credential, Endpoint, ProviderConfig, SyncAPIClient
from gpuworkers._runtime._request import operation_base_url

DEFAULT = "https://api.example.com/v1"
CONFIG = ProviderConfig(
    name="servers", client_name="ServersClient", base_url=DEFAULT,
    credentials=(Credential("token"),),
    auth=(AuthScheme("bearer", ("token",)),),
)


@pytest.mark.parametrize(
    ("base", "server", "expected"),
    [
        (DEFAULT, "", DEFAULT),
        (DEFAULT, "/v2", "https://api.example.com/v2"),
        (DEFAULT, "beta", "https://api.example.com/v1/beta"),
        (DEFAULT, "https://uploads.example.com/u1", "https://uploads.example.com/u1"),
        ("http://127.0.0.1:4010", "https://uploads.example.com/u1", "http://127.0.0.1:4010/u1"),
        ("http://127.0.0.1:4010", "/v2", "http://127.0.0.1:4010/v2"),
    ],
)
def test_where_an_operation_with_its_own_server_is_sent(
    base: str, server: str, expected: str
) -> None:
    assert operation_base_url(base, server, DEFAULT) == expected


def _client(seen: list[httpx.Request], base_url: str | None = None) -> SyncAPIClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    return SyncAPIClient(
        config=CONFIG, credentials={"token": "tok-abcdef123456"}, base_url=base_url,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)), max_retries=0,
    )


def test_an_absolute_operation_server_gets_the_call_and_the_credentials() -> None:
    seen: list[httpx.Request] = []
    upload = Endpoint("POST", "/files", idempotent=False, server="https://uploads.example.com/u1")
    _client(seen).request(upload, cast_to=dict, body={})
    assert str(seen[-1].url) == "https://uploads.example.com/u1/files"
    assert seen[-1].headers["authorization"] == "Bearer tok-abcdef123456"
    _client(seen).request(Endpoint("GET", "/files", idempotent=True), cast_to=dict)
    assert str(seen[-1].url) == "https://api.example.com/v1/files"


def test_a_chosen_host_keeps_every_call() -> None:
    seen: list[httpx.Request] = []
    upload = Endpoint("POST", "/files", idempotent=False, server="https://uploads.example.com/u1")
    _client(seen, base_url="http://127.0.0.1:4010").request(upload, cast_to=dict, body={})
    assert str(seen[-1].url) == "http://127.0.0.1:4010/u1/files"
    assert seen[-1].headers["authorization"] == "Bearer tok-abcdef123456"

"""API keys in the query and in a cookie, optional and per-operation schemes, the base URL check.

These are what a provider.toml-less OpenAPI document can ask for (``securitySchemes`` with
``in: query`` / ``in: cookie``, ``{}`` among the alternatives, an operation's own
``security``, a relative or missing server URL).
"""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from gpuworkers._runtime import (
    AuthScheme,
    Credential,
    Endpoint,
    MissingBaseURLError,
    MissingCredentialsError,
    ProviderConfig,
    RequestOptions,
    SyncAPIClient,
)
from runtime_support import Recorder, json_response

KEY = "key-0123456789"
GET = Endpoint("GET", "/things", idempotent=True)


def _config(*auth: AuthScheme, base_url: str = "https://api.example") -> ProviderConfig:
    return ProviderConfig(
        name="demo",
        client_name="DemoClient",
        base_url=base_url,
        base_url_env=("DEMO_BASE_URL",),
        credentials=(Credential("api_key", env=("DEMO_API_KEY",)), Credential("token")),
        auth=auth,
    )


def _client(config: ProviderConfig, recorder: Recorder, **credentials: str) -> SyncAPIClient:
    return SyncAPIClient(config=config, credentials=credentials,
                         http_client=httpx.Client(transport=httpx.MockTransport(recorder)))


def _send(config: ProviderConfig, endpoint: Endpoint = GET, **credentials: str) -> httpx.Request:
    recorder = Recorder([json_response(200, {})])
    _client(config, recorder, **credentials).request(endpoint, cast_to=dict,
                                                     query={"page": 2})
    return recorder.requests[0]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_API_KEY", raising=False)
    monkeypatch.delenv("DEMO_BASE_URL", raising=False)


def test_api_key_in_query() -> None:
    request = _send(_config(AuthScheme("query", ("api_key",), field="key")), api_key=KEY)
    assert str(request.url) == f"https://api.example/things?page=2&key={KEY}"
    assert "authorization" not in request.headers


def test_api_key_in_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_API_KEY", KEY)
    request = _send(_config(AuthScheme("cookie", ("api_key",), field="sid")))
    assert request.headers["cookie"] == f"sid={KEY}"
    assert str(request.url) == "https://api.example/things?page=2"


def test_optional_alternative_constructs_and_sends_nothing_without_credentials() -> None:
    config = _config(AuthScheme("header", ("api_key",), header="X-Key"), AuthScheme("none", ()))
    request = _send(config)
    assert "x-key" not in request.headers and "authorization" not in request.headers
    assert _send(config, api_key=KEY).headers["x-key"] == KEY


def test_operation_without_security_sends_no_credentials() -> None:
    public = Endpoint("GET", "/things", idempotent=True, auth=())
    request = _send(_config(AuthScheme("header", ("api_key",), header="X-Key")), public,
                    api_key=KEY)
    assert "x-key" not in request.headers


def test_operation_scheme_replaces_the_client_scheme() -> None:
    own = Endpoint("GET", "/things", idempotent=True, auth=(AuthScheme("bearer", ("token",)),))
    request = _send(_config(AuthScheme("header", ("api_key",), header="X-Key")), own,
                    api_key=KEY, token="tok-0123456789")
    assert request.headers["authorization"] == "Bearer tok-0123456789"
    assert "x-key" not in request.headers


def test_schemes_together_are_all_applied_or_none() -> None:
    config = ProviderConfig(
        name="demo", client_name="DemoClient", base_url="https://api.example",
        credentials=(Credential("api_key"), Credential("token"), Credential("sid")),
        auth=(AuthScheme("cookie", ("api_key",), field="a", together=(
            AuthScheme("cookie", ("sid",), field="s"),
            AuthScheme("query", ("token",), field="t"),
        )),),
    )
    request = _send(config, api_key=KEY, sid="sid-0123456789", token="tok-0123456789")
    assert request.headers["cookie"] == f"a={KEY}; s=sid-0123456789"
    assert str(request.url) == "https://api.example/things?page=2&t=tok-0123456789"
    with pytest.raises(MissingCredentialsError, match=r"pass api_key= and sid= and token=$"):
        _send(config, api_key=KEY, sid="sid-0123456789")


def test_operation_credentials_missing_raise_before_sending() -> None:
    own = Endpoint("GET", "/things", idempotent=True, auth=(AuthScheme("bearer", ("token",)),))
    recorder = Recorder([json_response(200, {})])
    client = _client(_config(AuthScheme("header", ("api_key",), header="X-Key")), recorder,
                     api_key=KEY)
    with pytest.raises(MissingCredentialsError, match=r"^DemoClient needs credentials: pass "
                       r"token=$"):
        client.request(own, cast_to=dict)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("document_url", "given", "why"),
    [
        ("", None, "the API document names no server"),
        ("/api/v3", None, "the API document's server URL '/api/v3' is relative"),
        ("https://api.example", "api.example/v1",
         "'api.example/v1' is not an absolute http(s) URL"),
    ],
)
def test_base_url_must_be_absolute(document_url: str, given: str | None, why: str) -> None:
    config = _config(base_url=document_url)
    with pytest.raises(MissingBaseURLError) as info:
        SyncAPIClient(config=config, credentials={}, base_url=given)
    assert str(info.value) == (
        "DemoClient needs a base URL: pass base_url='https://...' or set DEMO_BASE_URL "
        f"({why})."
    )


def test_base_url_from_env_completes_a_relative_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_BASE_URL", "https://host.example/api/v3")
    client = SyncAPIClient(config=_config(base_url="/api/v3"), credentials={})
    assert client.base_url == "https://host.example/api/v3"
    with pytest.raises(MissingBaseURLError):
        client.with_options(base_url="/elsewhere")


def test_query_key_is_redacted_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="gpuworkers")
    _send(_config(AuthScheme("query", ("api_key",), field="key")), api_key=KEY)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert re.search(r"https://api\.example/things\?page=2&key=(<|%3C)redacted", logged)
    assert KEY not in logged


def test_operation_only_credential_is_redacted_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="gpuworkers")
    own = Endpoint("GET", "/things", idempotent=True,
                   auth=(AuthScheme("query", ("token",), field="t"),))
    _send(_config(AuthScheme("header", ("api_key",), header="X-Key")), own, api_key=KEY,
          token="tok-0123456789")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert re.search(r"things\?page=2&t=(<|%3C)redacted", logged)
    assert "tok-0123456789" not in logged


def test_cookie_parameters_join_the_cookie_credential() -> None:
    recorder = Recorder([json_response(200, {})])
    client = _client(_config(AuthScheme("cookie", ("api_key",), field="sid")), recorder,
                     api_key=KEY)
    client.request(GET, cast_to=dict, options=RequestOptions(extra_headers={"Cookie": "lang=en"}))
    assert recorder.requests[0].headers["cookie"] == f"sid={KEY}; lang=en"


def test_no_client_attribute_shows_an_operation_credential() -> None:
    own = Endpoint("GET", "/things", idempotent=True, auth=(AuthScheme("bearer", ("token",)),))
    recorder = Recorder([json_response(200, {})])
    client = _client(_config(AuthScheme("header", ("api_key",), header="X-Key")), recorder,
                     api_key=KEY, token="tok-0123456789")
    client.request(own, cast_to=dict)
    shown = " ".join(repr(value) for value in vars(client).values())
    assert "tok-0123456789" not in shown and KEY not in shown

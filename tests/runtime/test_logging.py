"""Logging: switched on by GPUWORKERS_LOG; credentials never in logs, errors or reprs."""

from __future__ import annotations

import base64
import json
import logging

import httpx
import pytest
from gpuworkers._runtime import (
    APIConnectionError,
    APIStatusError,
    AuthScheme,
    Credential,
    Endpoint,
    ProviderConfig,
    SyncAPIClient,
)
from runtime_support import GET, SECRET, TestClient, json_response

ACCESS, SECRET_KEY, TOKEN = "AK-access-9f8e7d", "SK-secret-1a2b3c", "tok-abcdef-123456"
BASIC = base64.b64encode(f"{ACCESS}:{SECRET_KEY}".encode()).decode()
SECRETS = (SECRET, ACCESS, SECRET_KEY, TOKEN, BASIC)

MULTI = ProviderConfig(
    name="multi",
    client_name="MultiClient",
    base_url="https://api.multi.example",
    credentials=(Credential("access_key"), Credential("secret_key"), Credential("api_key")),
    auth=(
        AuthScheme("basic", ("access_key", "secret_key")),
        AuthScheme("body", ("api_key",), field="api_key"),
    ),
)
POST = Endpoint("POST", "/login", idempotent=True)


def echo_credentials(request: httpx.Request) -> httpx.Response:
    """A hostile server: echoes the request's credentials back in headers and body."""
    auth = request.headers.get("authorization", "")
    decoded = base64.b64decode(auth[6:]).decode() if auth.startswith("Basic ") else auth
    body = {"message": f"bad credentials {decoded} in {request.content.decode()}",
            "api_key": SECRET, "token": TOKEN,
            "nested": [{"secret_key": SECRET_KEY, "Authorization": auth}]}
    headers = {"Set-Cookie": f"session={TOKEN}", "X-Echo-Auth": auth}
    return httpx.Response(401, content=json.dumps(body).encode(), headers=headers)


def assert_clean(text: str, secrets: tuple[str, ...] = SECRETS) -> None:
    for secret in secrets:
        assert secret not in text, f"credential leaked: {text!r}"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
               ) -> pytest.LogCaptureFixture:
    monkeypatch.setenv("GPUWORKERS_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="gpuworkers")
    return caplog


@pytest.mark.parametrize("scheme", ["bearer", "basic+body"])
def test_no_credential_in_logs_errors_or_repr(
    debug_logs: pytest.LogCaptureFixture, scheme: str
) -> None:
    http = httpx.Client(transport=httpx.MockTransport(echo_credentials))
    own: tuple[str, ...]
    if scheme == "bearer":
        client: SyncAPIClient = TestClient(api_key=SECRET, http_client=http, max_retries=0)
        endpoint, own = GET, (SECRET,)
    else:
        client = SyncAPIClient(config=MULTI, http_client=http, max_retries=0,
                               credentials={"access_key": ACCESS, "secret_key": SECRET_KEY})
        endpoint, own = POST, (ACCESS, SECRET_KEY, BASIC)
    with pytest.raises(APIStatusError) as info:
        client.request(endpoint, cast_to=dict, path_params={"id": 1},
                       body={"token": TOKEN, "name": "x"})
    messages = [record.getMessage() for record in debug_logs.records]
    assert any("request headers" in m for m in messages)
    assert any("<redacted>" in m for m in messages)
    for text in [*messages, str(info.value), repr(info.value), repr(client)]:
        assert_clean(text, own)
    for text in messages:  # key-based redaction also hides secrets the client did not know
        assert f'"token": "{TOKEN}"' not in text and f'"secret_key": "{SECRET_KEY}"' not in text


def test_body_credential_is_redacted(debug_logs: pytest.LogCaptureFixture) -> None:
    http = httpx.Client(transport=httpx.MockTransport(echo_credentials))
    client = SyncAPIClient(config=MULTI, http_client=http, max_retries=0,
                           credentials={"api_key": SECRET})
    with pytest.raises(APIStatusError) as info:
        client.request(POST, cast_to=dict)
    assert json.loads(info.value.request.content) == {"api_key": SECRET}
    for text in [record.getMessage() for record in debug_logs.records] + [str(info.value)]:
        assert_clean(text, (SECRET,))


def test_connection_error_messages_are_clean(debug_logs: pytest.LogCaptureFixture) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused {request.headers['authorization']}")

    client = TestClient(api_key=SECRET, max_retries=0,
                        http_client=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(APIConnectionError) as info:
        client.request(GET, cast_to=dict, path_params={"id": 1})
    assert_clean(str(info.value))
    for record in debug_logs.records:
        assert_clean(record.getMessage())


def test_info_logs_method_url_status_attempt(debug_logs: pytest.LogCaptureFixture) -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: json_response(200, {})))
    TestClient(api_key=SECRET, http_client=http).request(GET, cast_to=dict, path_params={"id": 4},
                                                         query={"api_key": SECRET, "q": 1})
    line = next(r.getMessage() for r in debug_logs.records if r.levelno == logging.INFO)
    assert line.startswith("GET https://api.test.example/items/4?api_key=")
    assert "-> 200 (attempt 1, " in line
    assert_clean(line)


def test_env_switches_on_one_stderr_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("gpuworkers")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setenv("GPUWORKERS_LOG", "info")
    TestClient(api_key=SECRET).close()
    TestClient(api_key=SECRET).close()
    ours = [h for h in logger.handlers if getattr(h, "_gpuworkers", False)]
    assert len(ours) == 1 and logger.level == logging.INFO


def test_no_handler_without_env() -> None:
    TestClient(api_key=SECRET).close()
    logger = logging.getLogger("gpuworkers")
    assert not [h for h in logger.handlers if getattr(h, "_gpuworkers", False)]


def test_userinfo_in_base_url_is_hidden(debug_logs: pytest.LogCaptureFixture) -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: json_response(200, {})))
    client = TestClient(api_key=SECRET, http_client=http,
                        base_url=f"https://user:{TOKEN}@api.test.example")
    client.request(GET, cast_to=dict, path_params={"id": 1})
    assert repr(client) == "TestClient(base_url='https://api.test.example')"
    for record in debug_logs.records:
        assert_clean(record.getMessage(), (TOKEN, SECRET))

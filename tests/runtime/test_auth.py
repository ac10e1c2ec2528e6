"""Credentials from argument, env var and file; the four auth schemes; the missing message."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
from gpuworkers._runtime import (
    AuthScheme,
    Credential,
    Endpoint,
    MissingCredentialsError,
    ProviderConfig,
    SyncAPIClient,
)
from runtime_support import SECRET, TEST_CONFIG, Recorder, TestClient, json_response

EVERAI_FILES = ("${TEST_HOME}/token", "${XDG_CACHE_HOME}/everai/token", "~/.cache/everai/token")
EVERAI_LIKE = ProviderConfig(
    name="everai",
    client_name="EverAIClient",
    base_url="https://everai.example",
    credentials=(Credential("token", env=("TEST_TOKEN",), files=EVERAI_FILES),),
    auth=(AuthScheme("bearer", ("token",)),),
)
CLEARML_LIKE = ProviderConfig(
    name="clearml",
    client_name="ClearMLClient",
    base_url="https://api.clear.example",
    credentials=(
        Credential("access_key", env=("CLEARML_API_ACCESS_KEY", "TRAINS_API_ACCESS_KEY")),
        Credential("secret_key", env=("CLEARML_API_SECRET_KEY", "TRAINS_API_SECRET_KEY")),
        Credential("token", env=("CLEARML_AUTH_TOKEN",)),
    ),
    auth=(
        AuthScheme("basic", ("access_key", "secret_key")),
        AuthScheme("bearer", ("token",)),
    ),
)
YOTTA_LIKE = ProviderConfig(
    name="yotta",
    client_name="YottaClient",
    base_url="https://api.yotta.example",
    credentials=(Credential("api_key", env=("YOTTA_API_KEY",)),),
    auth=(AuthScheme("header", ("api_key",), header="X-Api-Key"),),
)
VAST_BODY = ProviderConfig(
    name="vast",
    client_name="VastClient",
    base_url="https://run.vast.example",
    credentials=(Credential("api_key", env=("VAST_API_KEY",)),),
    auth=(AuthScheme("body", ("api_key",), field="api_key"),),
)
POST = Endpoint("POST", "/get_endpoint_workers/", idempotent=True)
CLEARML_ENV = ("CLEARML_API_ACCESS_KEY", "TRAINS_API_ACCESS_KEY", "CLEARML_API_SECRET_KEY",
               "TRAINS_API_SECRET_KEY", "CLEARML_AUTH_TOKEN", "XDG_CACHE_HOME", "YOTTA_API_KEY",
               "VAST_API_KEY")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLEARML_ENV:
        monkeypatch.delenv(name, raising=False)


def sent(config: ProviderConfig, credentials: dict[str, str | None],
         body: dict[str, object] | None = None) -> httpx.Request:
    recorder = Recorder([json_response(200, {})])
    client = SyncAPIClient(config=config, credentials=credentials,
                           http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.request(POST, cast_to=dict, body=body)
    return recorder.requests[0]


def test_explicit_argument_wins_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "from-env")
    request = sent(TEST_CONFIG, {"api_key": "from-arg"})
    assert request.headers["Authorization"] == "Bearer from-arg"


def test_env_var_used_when_no_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "  from-env\r\n")
    assert sent(TEST_CONFIG, {"api_key": None}).headers["Authorization"] == "Bearer from-env"


def test_second_env_var_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINS_API_ACCESS_KEY", "ak")
    monkeypatch.setenv("CLEARML_API_SECRET_KEY", "sk")
    request = sent(CLEARML_LIKE, {})
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"ak:sk").decode()


def test_token_file_with_env_reference(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "token").write_text("file-token\r\n")
    monkeypatch.setenv("TEST_HOME", str(tmp_path))
    assert sent(EVERAI_LIKE, {}).headers["Authorization"] == "Bearer file-token"


def test_file_candidates_skip_unset_vars_and_empty_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = tmp_path / "xdg" / "everai"
    cache.mkdir(parents=True)
    (cache / "token").write_text("  \n")  # empty after stripping: skipped
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    home_token = tmp_path / "home" / ".cache" / "everai" / "token"
    home_token.parent.mkdir(parents=True)
    home_token.write_text("home-token")
    assert sent(EVERAI_LIKE, {}).headers["Authorization"] == "Bearer home-token"


def test_env_beats_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "token").write_text("file-token")
    monkeypatch.setenv("TEST_HOME", str(tmp_path))
    monkeypatch.setenv("TEST_TOKEN", "env-token")
    assert sent(EVERAI_LIKE, {}).headers["Authorization"] == "Bearer env-token"


def test_first_satisfied_scheme_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARML_AUTH_TOKEN", "jwt")
    only_key = sent(CLEARML_LIKE, {"access_key": "ak"})  # secret missing: basic not possible
    assert only_key.headers["Authorization"] == "Bearer jwt"
    both = sent(CLEARML_LIKE, {"access_key": "ak", "secret_key": "sk"})
    assert both.headers["Authorization"].startswith("Basic ")


def test_header_scheme() -> None:
    request = sent(YOTTA_LIKE, {"api_key": "yk"})
    assert request.headers["X-Api-Key"] == "yk"
    assert "Authorization" not in request.headers


def test_body_scheme_puts_key_in_json_body() -> None:
    request = sent(VAST_BODY, {"api_key": "vk"}, body={"id": 7})
    assert json.loads(request.content) == {"id": 7, "api_key": "vk"}
    assert "Authorization" not in request.headers


def test_missing_credentials_message_names_arguments_and_env_vars() -> None:
    with pytest.raises(MissingCredentialsError) as info:
        SyncAPIClient(config=CLEARML_LIKE, credentials={})
    assert str(info.value) == (
        "ClearMLClient needs credentials: pass access_key= and secret_key= (or set "
        "CLEARML_API_ACCESS_KEY and CLEARML_API_SECRET_KEY), or token= (or set CLEARML_AUTH_TOKEN)"
    )


def test_missing_credentials_message_names_files() -> None:
    with pytest.raises(MissingCredentialsError, match=r"pass token= \(or set TEST_TOKEN, or "
                       r"write ~/.cache/everai/token\)"):
        SyncAPIClient(config=EVERAI_LIKE, credentials={"token": ""})


def test_missing_credentials_for_handwritten_client() -> None:
    with pytest.raises(MissingCredentialsError, match="TestClient needs credentials: pass "
                       r"api_key= \(or set TEST_API_KEY\)"):
        TestClient()


def test_secret_not_in_repr() -> None:
    client = TestClient(api_key=SECRET)
    assert SECRET not in repr(client)
    assert repr(client) == "TestClient(base_url='https://api.test.example')"
    client.close()


def test_scheme_credential_without_credential_entry_is_taken_from_argument() -> None:
    bare = ProviderConfig(name="bare", client_name="BareClient", base_url="https://b.example",
                          auth=(AuthScheme("bearer", ("api_key",)),))
    assert sent(bare, {"api_key": "k"}).headers["Authorization"] == "Bearer k"
    with pytest.raises(MissingCredentialsError, match="BareClient needs credentials: pass "
                       "api_key=$"):
        SyncAPIClient(config=bare, credentials={})

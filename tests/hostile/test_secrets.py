"""Issue 13.6: credentials stay on their origin, out of reprs, logs and error messages."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import gpuworkers
import httpx
import pytest
from gpuworkers._runtime import AuthScheme, Credential, Endpoint, ProviderConfig, SyncAPIClient
from gpuworkers.yotta import AsyncYottaClient, YottaClient
from gpuworkers.yotta.models import EnvironmentVariable, ResourceRequest

from tests.hostile.hostile_http import Reply, Seen, serve

KEY = "yk-4f1c9a7e2b8d6035"
SUCCESS = Reply(200, {"code": 10000, "message": "success", "data": None})


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger="gpuworkers")  # what GPUWORKERS_LOG=debug sets
    yield caplog


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


# -- redirects ----------------------------------------------------------------------------


def test_redirect_to_another_origin_never_carries_the_api_key() -> None:
    """home /stop -> home /moved -> elsewhere /landing -> home /back: the key only at home."""
    home_url: list[str] = []

    def away(seen: Seen) -> Reply:
        return Reply(302, None, {"Location": f"{home_url[0]}/back"})

    def redirect(seen: Seen) -> Reply:
        if seen.path.endswith("/stop"):
            return Reply(307, None, {"Location": "/openapi/v1/elastic/deploy/1/moved"})
        if seen.path.endswith("/moved"):
            return Reply(302, None, {"Location": f"{elsewhere.url}/landing"})
        return SUCCESS

    with serve(away) as elsewhere, serve(redirect) as home:
        home_url.append(home.url)
        http = httpx.Client(follow_redirects=True)
        with YottaClient(api_key=KEY, base_url=home.url, http_client=http) as yotta:
            yotta.deployments.stop(id=1)
        http.close()
    assert [seen.headers.get("x-api-key") for seen in home.seen] == [KEY, KEY, KEY]
    [landed] = elsewhere.seen
    assert "x-api-key" not in landed.headers
    assert KEY not in json.dumps(landed.headers) + landed.body.decode()


async def test_async_redirect_to_another_origin_drops_every_credential_header() -> None:
    with serve(lambda seen: SUCCESS) as elsewhere:
        moved = Reply(308, None, {"Location": f"{elsewhere.url}/stop"})
        with serve(lambda seen: moved) as home:
            async with httpx.AsyncClient(follow_redirects=True) as http:
                yotta = AsyncYottaClient(api_key=KEY, base_url=home.url, http_client=http,
                                         default_headers={"X-Auth-Token": "user-" + KEY})
                await yotta.deployments.stop(id=1)
    [landed] = elsewhere.seen
    assert KEY not in json.dumps(landed.headers)


def test_body_credential_is_not_resent_to_another_origin() -> None:
    config = ProviderConfig(
        name="body", client_name="BodyClient", base_url="http://127.0.0.1",
        credentials=(Credential("api_key"),),
        auth=(AuthScheme("body", ("api_key",), field="api_key"),),
    )
    endpoint = Endpoint("POST", "/workers/", idempotent=True)
    with serve(lambda seen: Reply(200, [])) as elsewhere:
        moved = Reply(307, None, {"Location": f"{elsewhere.url}/workers/"})
        with serve(lambda seen: moved) as home:
            http = httpx.Client(follow_redirects=True)
            client = SyncAPIClient(config=config, credentials={"api_key": KEY},
                                   base_url=home.url, http_client=http, max_retries=0)
            with pytest.raises(gpuworkers.APIStatusError) as info:
                client.request(endpoint, cast_to=list, body={"id": 1})
            http.close()
    assert elsewhere.seen == [] and info.value.status_code == 307


# -- reprs --------------------------------------------------------------------------------


def test_no_traceback_local_or_client_attribute_shows_the_key() -> None:
    """What `pytest -l` or an error tracker that captures locals would print."""
    denied = Reply(401, {"code": 401, "message": "Invalid or missing API key", "data": None})
    with serve(lambda seen: denied) as origin, YottaClient(api_key=KEY,
                                                           base_url=origin.url) as yotta:
        try:
            yotta.deployments.stop(id=1)
        except gpuworkers.AuthenticationError:
            tb = sys.exc_info()[2].tb_next  # type: ignore[union-attr]  # past this test's frame
        shown = [repr(yotta), str(yotta), *map(repr, vars(yotta).values())]
        while tb is not None:
            shown += [repr(value) for value in tb.tb_frame.f_locals.values()]
            tb = tb.tb_next
    leaks = [text for text in shown if KEY in text]
    assert leaks == []


# -- logs and error messages --------------------------------------------------------------


def test_debug_log_masks_deployment_environment_values(debug_log: pytest.LogCaptureFixture
                                                       ) -> None:
    env = [EnvironmentVariable(key="HF_TOKEN", value="hf_secretvalue0123"),
           EnvironmentVariable(key="DB_PASSWORD", value="p4ss")]
    echoed = {"code": 10000, "message": "success",
              "data": {"id": "1", "environmentVars": [e.model_dump() for e in env]}}
    with serve(lambda seen: Reply(200, echoed)) as origin, \
            YottaClient(api_key=KEY, base_url=origin.url) as yotta:
        yotta.deployments.create(
            name="app", image="img", workers=1, container_volume_in_gb=20, service_mode="ALB",
            resources=[ResourceRequest(region="us", gpu_type="H100", gpu_count=1)],
            environment_vars=env,
        )
    text = logged(debug_log)
    assert "HF_TOKEN" in text and "DB_PASSWORD" in text  # names stay readable
    assert "hf_secretvalue0123" not in text and '"p4ss"' not in text


def test_secret_field_values_echoed_in_an_error_message_are_masked(
    debug_log: pytest.LogCaptureFixture,
) -> None:
    def refuse(seen: Seen) -> Reply:
        sent = json.loads(seen.body)["environmentVars"]
        echoed = ", ".join(f"{e['key']}={e['value']}" for e in sent)
        return Reply(400, {"code": 10001, "message": f"invalid environment: {echoed}",
                           "data": echoed})

    with (
        serve(refuse) as origin,
        YottaClient(api_key=KEY, base_url=origin.url) as yotta,
        pytest.raises(gpuworkers.BadRequestError) as info,
    ):
        yotta.deployments.create(
            name="app", image="img", workers=1, container_volume_in_gb=20, service_mode="ALB",
            resources=[ResourceRequest(region="us", gpu_type="H100", gpu_count=1)],
            environment_vars=[EnvironmentVariable(key="HF_TOKEN", value="hf_secretvalue0123"),
                              EnvironmentVariable(key="DB_PASSWORD", value="p4ss")],
        )
    url = f"{origin.url}/openapi/v1/elastic/deploy/create"
    assert str(info.value) == (f"HTTP 400 Bad Request: POST {url}: invalid environment: "
                               "HF_TOKEN=<redacted>, DB_PASSWORD=<redacted> (code=10001)")
    text = logged(debug_log)
    assert "hf_secretvalue0123" not in text and "=p4ss" not in text


NON_ASCII_KEY = "clé-secrète-0123456789"


def echo_key(seen: Seen) -> Reply:
    """Reads the header as Latin-1 (like WSGI) and echoes it, in the body and a header."""
    echoed = seen.headers.get("x-api-key", "")
    return Reply(401, {"code": 401, "message": f"invalid api key {echoed}", "data": None})


def test_non_ascii_key_echoed_back_is_redacted(debug_log: pytest.LogCaptureFixture) -> None:
    mojibake = NON_ASCII_KEY.encode().decode("latin-1")
    with (
        serve(echo_key) as origin,
        YottaClient(api_key=NON_ASCII_KEY, base_url=origin.url) as yotta,
        pytest.raises(gpuworkers.AuthenticationError) as info,
    ):
        yotta.deployments.stop(id=1)
    assert origin.seen[0].headers["x-api-key"] == mojibake  # the server saw it this way
    for text in (str(info.value), logged(debug_log)):
        assert NON_ASCII_KEY not in text and mojibake not in text
        assert "invalid api key <redacted>" in text


def test_short_key_does_not_mangle_other_text(debug_log: pytest.LogCaptureFixture) -> None:
    unknown = Reply(400, {"code": 10001, "message": "unknown company comp", "data": None})
    with (
        serve(lambda seen: unknown) as origin,
        YottaClient(api_key="comp", base_url=origin.url) as yotta,
        pytest.raises(gpuworkers.BadRequestError) as info,
    ):
        yotta.deployments.stop(id=1)
    assert "unknown company <redacted>" in str(info.value)  # the key as a word, not in one
    assert "comp<redacted>" not in logged(debug_log)

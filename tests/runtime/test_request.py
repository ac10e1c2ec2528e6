"""What leaves the client: URL, query, body, headers, timeouts; options and with_options."""

from __future__ import annotations

import json
import platform
from typing import Annotated, Any

import httpx
import pydantic
import pytest
from gpuworkers._runtime import (
    NOT_GIVEN,
    BaseModel,
    Endpoint,
    ProviderConfig,
    RequestOptions,
    SyncResource,
    Timeout,
)
from runtime_support import (
    GET,
    LIST,
    SECRET,
    TEST_CONFIG,
    AsyncTestClient,
    Recorder,
    TestClient,
    async_client,
    json_response,
    sync_client,
)

OK = json_response(200, {})
POST = Endpoint("POST", "/items", idempotent=False)


def send(endpoint: Endpoint = GET, *, client_kwargs: dict[str, Any] | None = None,
         **call: Any) -> httpx.Request:
    recorder = Recorder([OK])
    sync_client(recorder, **(client_kwargs or {})).request(endpoint, cast_to=dict, **call)
    return recorder.requests[0]


def test_path_params_are_percent_quoted() -> None:
    request = send(path_params={"id": "a/b c?"})
    assert request.url.raw_path == b"/items/a%2Fb%20c%3F"


def test_trailing_slash_and_literal_colon_are_kept() -> None:
    vast = send(Endpoint("POST", "/get_endpoint_workers/", idempotent=True))
    assert vast.url.raw_path == b"/get_endpoint_workers/"
    everai = send(Endpoint("POST", "/apps/{name}/workers:scale-up", idempotent=False),
                  path_params={"name": "my-app"})
    assert everai.url.path == "/apps/my-app/workers:scale-up"


def test_base_url_with_path_prefix() -> None:
    request = send(client_kwargs={"base_url": "https://h.example/api/"}, path_params={"id": 5})
    assert str(request.url) == "https://h.example/api/items/5"


WORKERS = Endpoint("GET", "/deploy/{id}/workers", idempotent=True)
WORKERS_CALL: dict[str, Any] = {
    "path_params": {"id": "a/b c"},
    "query": {"statusList": "RUNNING,STOPPED", "q": "x y&z=1/ü", "skip": None, "days": 2},
}
WORKERS_URL = (
    "https://h.example/api/v1/deploy/a%2Fb%20c/workers"
    "?statusList=RUNNING%2CSTOPPED&q=x+y%26z%3D1%2F%C3%BC&days=2"
)


def test_url_on_the_wire_with_prefix_path_params_and_query() -> None:
    request = send(WORKERS, client_kwargs={"base_url": "https://h.example/api/v1"},
                   **WORKERS_CALL)
    assert str(request.url) == WORKERS_URL
    assert request.url.params.multi_items() == [
        ("statusList", "RUNNING,STOPPED"), ("q", "x y&z=1/ü"), ("days", "2")
    ]
    assert request.headers["Host"] == "h.example"


async def test_async_url_on_the_wire_is_the_same() -> None:
    recorder = Recorder([OK])
    client = async_client(recorder, base_url="https://h.example/api/v1/")
    await client.request(WORKERS, cast_to=dict, **WORKERS_CALL)
    assert str(recorder.requests[0].url) == WORKERS_URL


def test_every_attempt_goes_to_the_same_url() -> None:
    recorder = Recorder([json_response(503, {}), json_response(502, {}), OK])
    client = sync_client(recorder, base_url="https://h.example/api/v1/")
    client.request(WORKERS, cast_to=dict, **WORKERS_CALL)
    assert [str(r.url) for r in recorder.requests] == [WORKERS_URL] * 3
    assert recorder.retry_counts == ["0", "1", "2"]


def test_callers_http_client_default_params_are_merged_ours_win() -> None:
    recorder = Recorder([OK])
    http = httpx.Client(params={"tenant": "t1", "days": "1"},
                        transport=httpx.MockTransport(recorder))
    client = TestClient(api_key=SECRET, http_client=http)
    client.request(LIST, cast_to=dict, query={"days": 2, "status": "RUNNING"})
    client.request(LIST, cast_to=dict)
    first, second = (r.url.params.multi_items() for r in recorder.requests)
    assert first == [("tenant", "t1"), ("days", "2"), ("status", "RUNNING")]
    assert second == [("tenant", "t1"), ("days", "1")]


def test_no_query_sends_no_question_mark() -> None:
    request = send(LIST, query={"skip": None})
    assert str(request.url) == "https://api.test.example/items"


def test_big_int_path_param_is_exact() -> None:
    assert send(path_params={"id": 384425425995034706}).url.path == "/items/384425425995034706"


@pytest.mark.parametrize("params", [{}, {"id": None}, {"id": ""}])
def test_missing_path_param_is_value_error(params: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="'id'"):
        send(path_params=params)


def test_query_encoding() -> None:
    request = send(LIST, query={"showAll": True, "recent": False, "skip": None,
                                "statusList": ["RUNNING", "STOPPED"], "days": 2})
    assert request.url.query == (
        b"showAll=true&recent=false&statusList=RUNNING&statusList=STOPPED&days=2"
    )


def test_extra_query_merges_and_overrides() -> None:
    options = RequestOptions(extra_query={"days": 7, "debug": "1"})
    request = send(LIST, query={"days": 2}, options=options)
    assert request.url.params.multi_items() == [("days", "7"), ("debug", "1")]


class Resources(BaseModel):
    # The alias inside Annotated, as the generator writes it: the constructor then takes the
    # field name (populate_by_name) for type checkers too.
    gpu_type: Annotated[str, pydantic.Field(alias="gpuType")]
    count: int | None = None


def test_body_encoding_drops_not_given_sends_none_as_null_and_serialises_models() -> None:
    # Issue 14: None is a value (null); only an argument the caller did not pass is left out,
    # and a model sends the fields that were set (`count` was not).
    body = {"name": "d", "skip": NOT_GIVEN, "clear": None,
            "resources": [Resources(gpu_type="A100")], "env": {"A": None},
            "id": 407712238196040165}
    request = send(POST, body=body, options=RequestOptions(extra_body={"x": 1}))
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "name": "d",
        "clear": None,
        "resources": [{"gpuType": "A100"}],
        "env": {"A": None},
        "id": 407712238196040165,
        "x": 1,
    }


class Scaling(BaseModel):
    workers: int = 1
    region: str | None = None


def test_a_model_sends_the_fields_set_not_its_defaults() -> None:
    # Issue 14: a default the caller never set is the model's, not the caller's: not sent.
    request = send(POST, body={"scaling": [Scaling(region=None), Scaling(workers=3)]})
    assert json.loads(request.content) == {"scaling": [{"region": None}, {"workers": 3}]}
    request = send(POST, body=Scaling())
    assert json.loads(request.content) == {}


def test_no_body_when_none_given() -> None:
    request = send(POST)
    assert request.content == b""
    assert "Content-Type" not in request.headers


def test_empty_body_is_sent_as_object() -> None:
    assert send(POST, body={}).content == b"{}"


def test_headers_layers_later_wins() -> None:
    config = ProviderConfig(name="t", client_name="TestClient", base_url="https://x.example",
                            credentials=TEST_CONFIG.credentials, auth=TEST_CONFIG.auth,
                            default_headers={"X-Provider": "p", "X-Layer": "config"})
    request = send(
        client_kwargs={"config": config, "default_headers": {"x-layer": "client", "X-C": "c"}},
        path_params={"id": 1},
        options=RequestOptions(extra_headers={"X-LAYER": "call"}),
    )
    assert request.headers["X-Layer"] == "call"
    assert request.headers.get_list("x-layer") == ["call"]
    assert request.headers["X-Provider"] == "p" and request.headers["X-C"] == "c"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {SECRET}"
    version = platform.python_version()
    assert request.headers["User-Agent"] == f"gpuworkers/0.0.0 python/{version}" or (
        request.headers["User-Agent"].startswith("gpuworkers/")
        and request.headers["User-Agent"].endswith(f" python/{version}")
    )
    assert request.headers["X-GpuWorkers-Retry-Count"] == "0"


def test_default_timeout() -> None:
    timeout = send(path_params={"id": 1}).extensions["timeout"]
    assert timeout == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


def test_client_and_per_call_timeout() -> None:
    client_level = send(client_kwargs={"timeout": 10}, path_params={"id": 1})
    assert client_level.extensions["timeout"]["read"] == 10
    per_call = send(client_kwargs={"timeout": 10}, path_params={"id": 1},
                    options=RequestOptions(timeout=Timeout(3, connect=1)))
    assert per_call.extensions["timeout"] == {"connect": 1, "read": 3, "write": 3, "pool": 3}
    no_limit = send(path_params={"id": 1}, options=RequestOptions(timeout=None))
    assert no_limit.extensions["timeout"]["read"] is None


def test_configured_http_client_timeout_is_respected() -> None:
    recorder = Recorder([OK])
    http = httpx.Client(transport=httpx.MockTransport(recorder), timeout=17)
    TestClient(api_key=SECRET, http_client=http).request(GET, cast_to=dict, path_params={"id": 1})
    assert recorder.requests[0].extensions["timeout"]["read"] == 17


def test_base_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_BASE_URL", "http://self-hosted:8008")
    assert TestClient(api_key=SECRET).base_url == "http://self-hosted:8008"
    assert TestClient(api_key=SECRET, base_url="https://arg.example").base_url == (
        "https://arg.example"
    )


class Items(SyncResource):
    def get(self, item_id: int) -> dict[str, object]:
        return self._client.request(GET, cast_to=dict, path_params={"id": item_id})


class ResourceClient(TestClient):
    def _bind_resources(self) -> None:
        self.items = Items(self)


def test_with_options_copies_settings_and_rebinds_resources() -> None:
    recorder = Recorder([json_response(503, {}), OK])
    waits: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    base = ResourceClient(api_key=SECRET, http_client=http)
    base._sleep = waits.append
    base._random = lambda: 0.0
    copy = base.with_options(timeout=3, max_retries=1, default_headers={"X-Copy": "1"},
                             base_url="https://other.example")
    assert copy.items._client is copy and base.items._client is base
    assert (copy.max_retries, copy.timeout, copy.base_url) == (1, Timeout(3),
                                                              "https://other.example")
    assert (base.max_retries, base.base_url) == (2, "https://api.test.example")
    assert copy._http is base._http
    assert copy.items.get(1) == {}
    assert [str(r.url) for r in recorder.requests] == ["https://other.example/items/1"] * 2
    assert recorder.requests[0].headers["X-Copy"] == "1"
    assert waits == [0.5]


def test_owned_http_client_closed_by_context_manager() -> None:
    with TestClient(api_key=SECRET) as client:
        http = client._http
        copy = client.with_options(max_retries=0)
        copy.close()  # a copy never closes the shared pool
        assert not http.is_closed
    assert http.is_closed


def test_callers_http_client_is_not_closed() -> None:
    http = httpx.Client()
    with TestClient(api_key=SECRET, http_client=http):
        pass
    assert not http.is_closed
    http.close()


async def test_async_context_manager_closes_owned_client() -> None:
    async with AsyncTestClient(api_key=SECRET) as client:
        http = client._http
        assert http._transport._pool._max_connections == 100  # type: ignore[attr-defined]
    assert http.is_closed


def test_owned_client_has_bounded_pool() -> None:
    with TestClient(api_key=SECRET) as client:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert (pool._max_connections, pool._max_keepalive_connections) == (100, 20)


class CreateBody(BaseModel):
    name: str
    min_vram: int | None = pydantic.Field(default=None, alias="minVram")
    resources: list[Resources] = []


def test_model_body_is_sent_by_wire_names_without_unset_fields() -> None:
    body = CreateBody(name="d", resources=[Resources(gpu_type="H100", count=2)])
    request = send(POST, body=body, options=RequestOptions(extra_body={"debug": True}))
    assert json.loads(request.content) == {
        "name": "d",
        "resources": [{"gpuType": "H100", "count": 2}],
        "debug": True,
    }


async def test_async_with_options_shares_pool_and_in_flight_limit() -> None:
    async with AsyncTestClient(api_key=SECRET) as client:
        copy = client.with_options(max_retries=5, timeout=None)
        assert copy._http is client._http and copy._in_flight is client._in_flight
        assert (copy.max_retries, copy.timeout) == (5, Timeout(None))
        await copy.aclose()
        assert not client._http.is_closed

"""The three provider envelopes: unwrapping, and failures inside a 200."""

from __future__ import annotations

import httpx
import pytest
from gpuworkers._runtime import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BaseModel,
    InternalServerError,
    ProviderConfig,
)
from runtime_support import (
    CLEARML_ENVELOPE,
    GET,
    VAST_ENVELOPE,
    YOTTA_ENVELOPE,
    Recorder,
    async_client,
    json_response,
    sync_client,
    with_envelope,
)

YOTTA = with_envelope(YOTTA_ENVELOPE)
CLEARML = with_envelope(CLEARML_ENVELOPE)
VAST = with_envelope(VAST_ENVELOPE)


class Deployment(BaseModel):
    id: int
    name: str


class Worker(BaseModel):
    id: int
    status: str


def clearml_body(code: int, subcode: int, msg: str, data: object) -> dict[str, object]:
    meta = {"id": "call-1", "result_code": code, "result_subcode": subcode, "result_msg": msg}
    return {"meta": meta, "data": data}


def call(config: ProviderConfig, response: httpx.Response, cast_to: type[object] = dict
         ) -> object:
    client = sync_client(Recorder([response]), config=config, max_retries=0)
    return client.request(GET, cast_to=cast_to, path_params={"id": 1})


def test_yotta_success_is_unwrapped_with_exact_big_ids() -> None:
    body = b'{"code":10000,"message":"success","data":{"id":407712238196040165,"name":"d"}}'
    result = call(YOTTA, httpx.Response(200, content=body), Deployment)
    assert result == Deployment(id=407712238196040165, name="d")


def test_yotta_failure_code_in_200_is_bad_request() -> None:
    body = {"code": 10001, "message": "Invalid request parameters", "data": None}
    with pytest.raises(BadRequestError) as info:
        call(YOTTA, json_response(200, body))
    error = info.value
    assert error.status_code == 200
    assert (error.code, error.subcode) == (10001, None)
    assert error.envelope_message == "Invalid request parameters"
    assert error.body == body
    assert str(error) == ("HTTP 200 OK with a failure body: GET https://api.test.example/items/1: "
                          "Invalid request parameters (code=10001)")


def test_yotta_http_error_keeps_envelope_code() -> None:
    body = {"code": 10002, "message": "System error", "data": None}
    with pytest.raises(InternalServerError) as info:
        call(YOTTA, json_response(500, body))
    assert (info.value.status_code, info.value.code) == (500, 10002)


def test_clearml_success_is_unwrapped() -> None:
    assert call(CLEARML, json_response(200, clearml_body(200, 0, "OK", {"count": 3}))) == {
        "count": 3
    }


def test_clearml_empty_data_with_none_cast() -> None:
    assert call(CLEARML, json_response(200, clearml_body(200, 0, "OK", {})), type(None)) is None


def test_clearml_failure_code_in_200_maps_by_result_code() -> None:
    body = clearml_body(400, 1004, "worker not registered", {})
    with pytest.raises(BadRequestError) as info:
        call(CLEARML, json_response(200, body))
    error = info.value
    assert error.status_code == 200
    assert (error.code, error.subcode, error.envelope_message) == (
        400,
        1004,
        "worker not registered",
    )
    assert "subcode=1004" in str(error)


def test_clearml_failure_401_in_200_is_authentication_error() -> None:
    with pytest.raises(AuthenticationError):
        call(CLEARML, json_response(200, clearml_body(401, 21, "bad credentials", {})))


def test_clearml_http_error_fills_subcode() -> None:
    with pytest.raises(BadRequestError) as info:
        call(CLEARML, json_response(400, clearml_body(400, 1001, "invalid worker id", {})))
    assert (info.value.code, info.value.subcode) == (400, 1001)


def test_clearml_plain_text_500_is_kept() -> None:
    with pytest.raises(InternalServerError) as info:
        call(CLEARML, httpx.Response(500, text="Failed processing request /workers.get_all"))
    assert info.value.envelope_message == "Failed processing request /workers.get_all"


@pytest.mark.parametrize(
    "body",
    [
        [{"id": 1, "status": "idle"}, {"id": 2, "status": "running", "gpu_name": "RTX 4090"}],
        {"workers": [{"id": 1, "status": "idle"}, {"id": 2, "status": "running"}]},
    ],
    ids=["list", "object"],
)
def test_vast_list_and_workers_object_both_accepted(body: object) -> None:
    workers = call(VAST, json_response(200, body), list[Worker])
    assert [w.id for w in workers] == [1, 2]  # type: ignore[attr-defined]


def test_vast_string_body_is_error() -> None:
    text = "authenticate_endpoint_apikey: invalid api_key or endpoint vLLM not found"
    with pytest.raises(BadRequestError) as info:
        call(VAST, json_response(200, text))
    assert info.value.envelope_message == text
    assert info.value.code is None
    assert info.value.status_code == 200


@pytest.mark.parametrize("key", ["error_msg", "error"])
def test_vast_error_object_is_error(key: str) -> None:
    with pytest.raises(BadRequestError) as info:
        call(VAST, json_response(200, {key: "endpoint not ready"}))
    assert info.value.envelope_message == "endpoint not ready"


async def test_envelope_failure_async() -> None:
    client = async_client(Recorder([json_response(200, {"code": 14000, "message": "nope"})]),
                          config=YOTTA)
    with pytest.raises(APIStatusError) as info:
        await client.request(GET, cast_to=dict, path_params={"id": 1})
    assert type(info.value) is BadRequestError
    assert info.value.code == 14000


def test_unknown_fields_are_kept() -> None:
    body = {"code": 10000, "data": {"id": 1, "name": "d", "area": "eu", "nested": {"a": 1}}}
    result = call(YOTTA, json_response(200, body), Deployment)
    assert isinstance(result, Deployment)
    assert result.model_extra == {"area": "eu", "nested": {"a": 1}}

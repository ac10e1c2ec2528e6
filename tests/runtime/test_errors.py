"""HTTP failures map to one error class per status family, with status, body and codes."""

from __future__ import annotations

import httpx
import pytest
from gpuworkers._runtime import (
    APIError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BaseModel,
    ConflictError,
    GpuWorkersError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from runtime_support import (
    GET,
    RAW,
    SCALE_UP,
    YOTTA_ENVELOPE,
    Recorder,
    json_response,
    sync_client,
    with_envelope,
)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, APIStatusError),
        (418, APIStatusError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (599, InternalServerError),
    ],
)
def test_status_maps_to_error_class(status: int, error_class: type[APIStatusError]) -> None:
    body = {"code": 7, "message": "it went wrong"}
    recorder = Recorder([json_response(status, body, {"x-request-id": "req-123"})])
    client = sync_client(recorder, max_retries=0)
    with pytest.raises(error_class) as info:
        client.request(GET, cast_to=dict, path_params={"id": 1})
    error = info.value
    assert type(error) is error_class
    assert isinstance(error, APIError) and isinstance(error, GpuWorkersError)
    assert error.status_code == status
    assert error.body == body
    assert error.request_id == "req-123"
    assert error.code == 7 and error.envelope_message == "it went wrong"
    assert error.response.status_code == status
    assert error.request.url.path == "/items/1"
    reason = f" {httpx.codes.get_reason_phrase(status)}".rstrip()
    assert str(error) == (f"HTTP {status}{reason}: GET https://api.test.example/items/1: "
                          "it went wrong (code=7, request_id=req-123)")
    assert "\n" not in str(error)


def test_non_json_error_body_is_kept_as_text() -> None:
    recorder = Recorder([httpx.Response(502, text="<html>Bad gateway</html>")])
    client = sync_client(recorder, max_retries=0)
    with pytest.raises(InternalServerError) as info:
        client.request(GET, cast_to=dict, path_params={"id": 1})
    assert info.value.body == "<html>Bad gateway</html>"
    assert info.value.code is None
    assert "Bad gateway" in str(info.value)


@pytest.mark.parametrize(
    "content",
    [b'{"id": 1, "name": "trunc', b"", b"<html>not json</html>", b"\xff\xfe\x00garbage"],
    ids=["truncated", "empty", "html", "undecodable"],
)
def test_unparseable_success_body_is_validation_error(content: bytes) -> None:
    client = sync_client(Recorder([httpx.Response(200, content=content)]))
    with pytest.raises(APIResponseValidationError) as info:
        client.request(GET, cast_to=dict, path_params={"id": 1})
    assert info.value.status_code == 200
    assert info.value.response.status_code == 200
    assert info.value.__cause__ is None  # no bare json error escapes or is chained
    assert "not valid JSON" in str(info.value)


class Item(BaseModel):
    id: int
    name: str


def test_body_not_matching_model_is_validation_error() -> None:
    client = sync_client(Recorder([json_response(200, {"id": "not-a-number", "name": "x"})]))
    with pytest.raises(APIResponseValidationError) as info:
        client.request(GET, cast_to=Item, path_params={"id": 1})
    assert info.value.body == {"id": "not-a-number", "name": "x"}
    assert "Item" in str(info.value) and "id" in str(info.value)
    assert not isinstance(info.value, ValueError)


def test_yotta_style_non_2xx_fills_envelope_fields() -> None:
    config = with_envelope(YOTTA_ENVELOPE)
    body = {"code": 10007, "message": "Record not exist", "data": None}
    client = sync_client(Recorder([json_response(404, body)]), config=config)
    with pytest.raises(NotFoundError) as info:
        client.request(GET, cast_to=dict, path_params={"id": 1})
    assert (info.value.code, info.value.envelope_message) == (10007, "Record not exist")


def test_non_idempotent_error_is_raised_without_retry() -> None:
    recorder = Recorder([json_response(409, {"message": "exists"})])
    with pytest.raises(ConflictError):
        sync_client(recorder).request(SCALE_UP, cast_to=dict, path_params={"id": 1})
    assert len(recorder.requests) == 1


def test_envelope_false_endpoint_skips_unwrapping() -> None:
    body = {"code": 10001, "message": "ignored here"}
    client = sync_client(Recorder([json_response(200, body)]), config=with_envelope(YOTTA_ENVELOPE))
    assert client.request(RAW, cast_to=dict) == body

"""Media types and parameter styles in the runtime: what the bytes on the wire are."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl

import httpx
import pytest
from gpuworkers._runtime import Endpoint, RequestOptions, parameter_headers, styled
from gpuworkers._runtime._models import BaseModel
from runtime_support import Recorder, json_response, sync_client

FORM = Endpoint("POST", "/forms", idempotent=False,
                request_media="application/x-www-form-urlencoded",
                form_styles=(("point", "comma"), ("tags", "pipeDelimited")))
UPLOAD = Endpoint("PUT", "/blob", idempotent=True, request_media="application/octet-stream")
PATCH = Endpoint("PATCH", "/thing", idempotent=False, request_media="application/merge-patch+json",
                 response_media="application/problem+json")


class Thing(BaseModel):
    name: str


def test_form_styles_comma_object_and_pipe_array() -> None:
    recorder = Recorder([json_response(200, {})])
    sync_client(recorder).request(FORM, cast_to=dict, body={
        "point": {"x": 1, "y": 2}, "tags": ["a", "b"], "plain": {"k": "v"}, "none": None,
    })
    request = recorder.requests[0]
    assert parse_qsl(request.content.decode()) == [
        ("point", "x,1,y,2"), ("tags", "a|b"), ("k", "v")]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_query_styles_and_objects_in_the_query() -> None:
    recorder = Recorder([json_response(200, {})])
    sync_client(recorder).request(Endpoint("GET", "/q", idempotent=True), cast_to=dict, query={
        "a": styled([1, 2], "spaceDelimited"), "b": styled(None, "pipeDelimited"),
        "c": styled({"x": [1, 2]}, "deepObject"), "d": Thing(name="n"),
        "e": styled(["x", "y"], "comma"),
    })
    query = parse_qsl(recorder.requests[0].url.query.decode())
    assert query == [("a", "1 2"), ("c[x][0]", "1"), ("c[x][1]", "2"), ("name", "n"),
                     ("e", "x,y")]


def test_a_file_object_body_is_read_once_and_resent_on_retry() -> None:
    recorder = Recorder([json_response(503, {}), httpx.Response(204)])
    client = sync_client(recorder, waits=[])
    assert client.request(UPLOAD, cast_to=type(None), body=io.BytesIO(b"\x00data")) is None
    assert [r.content for r in recorder.requests] == [b"\x00data", b"\x00data"]
    assert recorder.requests[0].headers["Content-Type"] == "application/octet-stream"


def test_a_json_family_media_type_is_sent_and_accepted_as_declared() -> None:
    recorder = Recorder([httpx.Response(200)])
    result = sync_client(recorder).request(PATCH, cast_to=Thing | None,  # type: ignore[arg-type]
                                           body=Thing(name="x"))
    request = recorder.requests[0]
    assert result is None  # an empty 200 where the return type allows None
    assert request.content == b'{"name":"x"}'
    assert request.headers["Content-Type"] == "application/merge-patch+json"
    assert request.headers["Accept"] == "application/problem+json"


def test_header_and_cookie_parameters_under_the_callers_headers() -> None:
    headers = parameter_headers(
        {"X-B": "caller"},
        headers={"X-A": 1, "X-B": "param", "X-C": None, "X-L": ["p", "q"], "X-T": True},
        cookies={"s": "v1", "t": None, "u": 2},
    )
    assert headers == {"X-A": "1", "X-B": "caller", "X-L": "p,q", "X-T": "true",
                       "Cookie": "s=v1; u=2"}
    assert parameter_headers(None, headers={"X": None}) is None
    recorder = Recorder([json_response(200, {})])
    sync_client(recorder).request(Endpoint("GET", "/h", idempotent=True), cast_to=dict,
                                  options=RequestOptions(extra_headers=headers))
    assert recorder.requests[0].headers["Cookie"] == "s=v1; u=2"


def test_a_form_body_that_is_not_a_mapping_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="a form body must be a mapping"):
        sync_client(Recorder([])).request(FORM, cast_to=dict, body=["a"])

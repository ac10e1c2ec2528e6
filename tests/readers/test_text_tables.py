"""The plain-text pipe-table + curl reader, on the real page and on edited copies of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_spec_validator import validate

from generator.pagekit import json_key_lines, place_fields
from generator.readers import Fragment, Page
from generator.readers._common import (
    field_entry,
    infer_schema,
    operation_id,
    parse_default,
    parse_type_name,
    schema_name,
)
from generator.readers.text_tables import read_text_tables
from tests.readers.fuzzing import FUZZ, line_mutations, mutate
from tests.readers.helpers import messages, source_line, sources
from tests.readers.helpers import only_error as only_fragment_error
from tests.readers.helpers import request_schema as body
from tests.readers.helpers import response_media as media

DISPLAY = "specs/everai/workers.txt"
# A copy of the page as it was read when these tests were written: the live page may change.
PAGE_TEXT = (Path(__file__).resolve().parent / "pages" / "everai" / "workers.txt").read_text(
    encoding="utf-8"
)
PAGE_LINES = PAGE_TEXT.splitlines()
BASE = "/api/apps/v1/namespaces/{namespace}/apps/{name}"
LIST, DOWN, UP = f"{BASE}/workers", f"{BASE}/workers:scale-down", f"{BASE}/workers:scale-up"


def read(text: str, display: str = DISPLAY) -> Fragment:
    return read_text_tables(Page(display, text))


def edited(replacements: dict[int, str | None]) -> str:
    """The page with 1-based lines replaced (``None`` deletes the line)."""
    lines = [replacements.get(n, line) for n, line in enumerate(PAGE_LINES, 1)]
    return "\n".join(line for line in lines if line is not None) + "\n"


def op(fragment: Fragment, path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = fragment.document["paths"][path][method]
    return found












def line_of(source: str) -> int:
    return source_line(source, DISPLAY)


def only_error(fragment: Fragment) -> tuple[int | None, str]:
    return only_fragment_error(fragment, DISPLAY)


@pytest.fixture(scope="module")
def real() -> Fragment:
    return read(PAGE_TEXT)


# --- the real page -------------------------------------------------------------------------


def test_real_page_operations_and_methods(real: Fragment) -> None:
    assert real.diagnostics == [], messages(real)
    doc = real.document
    assert doc["info"]["title"] == "everai app"
    assert doc["servers"] == [{"url": "https://everai.expvent.com"}]
    assert {path: list(item) for path, item in doc["paths"].items()} == {
        LIST: ["get"],
        DOWN: ["post"],
        UP: ["post"],
    }
    found = [
        (op(real, p, m)["operationId"], line_of(op(real, p, m)["x-source"]))
        for p, m in ((LIST, "get"), (DOWN, "post"), (UP, "post"))
    ]
    assert found == [("listWorkers", 2), ("scaleDownWorkers", 67), ("scaleUpWorkers", 84)]
    validate(doc)


def test_bearer_auth_from_curl_header(real: Fragment) -> None:
    assert real.document["components"]["securitySchemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer", "x-source": f"{DISPLAY}:7"}
    }
    for path, method in ((LIST, "get"), (DOWN, "post"), (UP, "post")):
        assert op(real, path, method)["security"] == [{"bearerAuth": []}]


def test_get_fields_are_query_parameters(real: Fragment) -> None:
    params = op(real, LIST, "get")["parameters"]
    assert [
        (p["name"], p["in"], p["required"], p["schema"], line_of(p["x-source"])) for p in params
    ] == [
        ("namespace", "path", True, {"type": "string", "default": "defualt"}, 11),
        ("name", "path", True, {"type": "string"}, 12),
        ("showAll", "query", False, {"type": "boolean"}, 13),
        ("recentDays", "query", False, {"type": "integer", "default": 2}, 14),
    ]
    assert params[0]["description"] == "namespace name, Defaults to defualt"
    assert "requestBody" not in op(real, LIST, "get")


def test_post_fields_are_body_properties(real: Fragment) -> None:
    down = op(real, DOWN, "post")
    assert [(p["name"], p["in"]) for p in down["parameters"]] == [
        ("namespace", "path"),
        ("name", "path"),
    ]
    assert down["requestBody"]["required"] is True
    assert body(down) == {
        "type": "object",
        "properties": {
            "scaleDownWorkersNum": {"type": "string", "x-source": f"{DISPLAY}:79"},
            "workerIds": {
                "type": "array",
                "items": {"type": "string"},
                "x-source": f"{DISPLAY}:80",
            },
        },
        "required": ["workerIds"],
    }  # the page says Yes; reported as written
    up = op(real, UP, "post")
    assert up["requestBody"]["required"] is False
    assert body(up) == {
        "type": "object",
        "properties": {"scaleUpWorkersNum": {"type": "string", "x-source": f"{DISPLAY}:96"}},
    }


def test_response_from_real_example(real: Fragment) -> None:
    listing = media(op(real, LIST, "get"))
    assert listing["example"] == json.loads("\n".join(PAGE_LINES[16:45]))
    worker = listing["schema"]["properties"]["workers"]["items"]["properties"]
    # union of both example workers' keys; the second has no successCount
    assert list(worker) == [
        "id",
        "deviceId",
        "status",
        "detailStatus",
        "createdAt",
        "launchAt",
        "lastServeAt",
        "successCount",
        "CPUs",
        "memory",
        "appId",
    ]
    assert worker["status"] == {
        "$ref": "#/components/schemas/WorkerStatus",
        "x-source": f"{DISPLAY}:22",
    }
    assert worker["detailStatus"]["$ref"] == "#/components/schemas/WorkerDetailStatus"
    assert worker["lastServeAt"]["format"] == "date-time"  # also for 9 fractional digits
    assert worker["memory"]["type"] == "integer"
    for key, prop in worker.items():
        assert f'"{key}"' in PAGE_LINES[line_of(prop["x-source"]) - 1]
    assert media(op(real, DOWN, "post"))["example"] == {}
    up = media(op(real, UP, "post"))
    assert up["example"] == {"workerIds": ["5oSaHwT5Y9TmrocstmfWWj"]}
    assert up["schema"]["properties"]["workerIds"]["items"] == {"type": "string"}


def test_enum_tables_with_descriptions(real: Fragment) -> None:
    schemas = real.document["components"]["schemas"]
    assert list(schemas) == ["WorkerStatus", "WorkerDetailStatus"]
    status, detail = schemas["WorkerStatus"], schemas["WorkerDetailStatus"]
    assert len(status["enum"]) == 9 and status["enum"][3] == "STATUS_RUNNING"
    assert status["x-enum-descriptions"][3] == "The worker is running."
    assert detail["enum"] == [
        "DETAIL_STATUS_UNSPECIFIED",
        "DETAIL_STATUS_IN_FLIGHT",
        "DETAIL_STATUS_REMOVE",
        "DETAIL_STATUS_ROLLIN",
        "DETAIL_STATUS_BUSY",
        "DETAIL_STATUS_FREE",
    ]
    assert detail["x-enum-descriptions"][-1] == "The worker is free."
    assert (line_of(status["x-source"]), line_of(detail["x-source"])) == (47, 59)


def test_every_source_points_into_the_page(real: Fragment) -> None:
    found = sources(real.document)
    assert len(found) >= 30
    assert all(1 <= line_of(s) <= len(PAGE_LINES) for s in found)


# --- edited copies ---------------------------------------------------------------------------


def test_sections_reordered() -> None:
    text = "\n".join(PAGE_LINES[:1] + PAGE_LINES[83:] + PAGE_LINES[1:83]) + "\n"
    fragment = read(text)
    assert fragment.diagnostics == [], messages(fragment)
    assert list(fragment.document["paths"]) == [UP, LIST, DOWN]
    assert line_of(op(fragment, UP, "post")["x-source"]) == 2
    assert line_of(op(fragment, LIST, "get")["x-source"]) == 22


def test_row_added() -> None:
    fragment = read(
        edited(
            {14: PAGE_LINES[13] + "\nlimit | integer | Yes | at most this many, defaults to 10 |"}
        )
    )
    limit = op(fragment, LIST, "get")["parameters"][-1]
    assert limit == {
        "name": "limit",
        "in": "query",
        "required": True,
        "description": "at most this many, defaults to 10",
        "schema": {"type": "integer", "default": 10},
        "x-source": f"{DISPLAY}:15",
    }


def test_operation_removed() -> None:
    fragment = read(edited({n: None for n in range(67, 84)}))
    assert fragment.diagnostics == [], messages(fragment)
    assert list(fragment.document["paths"]) == [LIST, UP]


def test_extra_prose() -> None:
    fragment = read(
        edited(
            {
                3: "List workers\nReturns the workers of one app",
                16: PAGE_LINES[15] + "\nNote: times are UTC.",
                66: PAGE_LINES[65] + "\nSee the console for more.",
            }
        )
    )
    assert fragment.diagnostics == [], messages(fragment)
    listing = op(fragment, LIST, "get")
    assert listing["description"] == "List workers\nReturns the workers of one app"
    assert op(fragment, DOWN, "post")["summary"] == "Scale down workers"
    assert line_of(op(fragment, DOWN, "post")["x-source"]) == 70


def test_other_auth_headers() -> None:
    fragment = read(edited({7: "-H 'X-Api-Key: <key>' \\", 72: "-u 'user:pass' \\"}))
    schemes = fragment.document["components"]["securitySchemes"]
    assert schemes["xApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "x-source": f"{DISPLAY}:7",
    }
    assert schemes["basicAuth"]["scheme"] == "basic"
    assert op(fragment, DOWN, "post")["security"] == [{"basicAuth": []}]


def test_body_field_missing_from_table_is_added_with_a_warning() -> None:
    fragment = read(edited({90: """-d '{"scaleUpWorkersNum": "<n>", "dryRun": true}' \\"""}))
    assert [(d.level, d.location.line) for d in fragment.diagnostics] == [("warning", 88)]
    assert body(op(fragment, UP, "post"))["properties"]["dryRun"]["type"] == "boolean"


def test_post_field_not_in_curl_body_is_a_query_parameter() -> None:
    fragment = read(edited({96: "scaleUpWorkersNum | string | No |\ndryRun | boolean | No |"}))
    params = op(fragment, UP, "post")["parameters"]
    assert (params[-1]["name"], params[-1]["in"]) == ("dryRun", "query")


def test_enum_attached_by_value() -> None:
    fragment = read(edited({22: '"phase": "STATUS_ERROR",'}))
    worker = media(op(fragment, LIST, "get"))["schema"]["properties"]["workers"]["items"]
    assert worker["properties"]["phase"]["$ref"] == "#/components/schemas/WorkerStatus"
    # the second worker still says "status": "STATUS_RUNNING"
    assert worker["properties"]["status"]["$ref"] == "#/components/schemas/WorkerStatus"


# --- broken input ----------------------------------------------------------------------------




def test_row_with_too_few_cells() -> None:
    fragment = read(edited({79: "scaleDownWorkersNum |"}))
    line, message = only_error(fragment)
    assert line == 79 and "fewer cells" in message
    # the curl body still names the field; it is kept from there, with a warning
    assert "scaleDownWorkersNum" in body(op(fragment, DOWN, "post"))["properties"]


def test_unknown_type_is_read_as_string_with_a_warning() -> None:
    fragment = read(edited({13: "showAll | flag | No | |"}))
    assert not [d for d in fragment.diagnostics if d.level == "error"]
    [warning] = [d for d in fragment.diagnostics if d.level == "warning"]
    assert warning.location.line == 13
    assert "unknown type 'flag'; read as string" in warning.message


def test_bad_json_example() -> None:
    fragment = read(edited({27: '"successCount": 1,,'}))
    line, message = only_error(fragment)
    assert line == 27 and "does not parse" in message


def test_unbalanced_json_example() -> None:
    fragment = read(edited({103: None}))
    line, message = only_error(fragment)
    assert line == 99 and "never closes" in message
    assert op(fragment, UP, "post")["responses"]["200"] == {"description": "OK"}


def test_bad_curl_body_and_quotes() -> None:
    line, message = only_error(read(edited({90: """-d '{"scaleUpWorkersNum": }' \\"""})))
    assert line == 88 and "curl body is not JSON" in message
    line, message = only_error(read(edited({90: """-d '{"scaleUpWorkersNum": "x"} \\"""})))
    assert line == 88 and "does not parse" in message


def test_operation_without_url_line() -> None:
    fragment = read(edited({86: None}))
    line, message = only_error(fragment)
    assert line == 87 and "second curl call" in message
    assert list(fragment.document["paths"]) == [LIST, DOWN]


@pytest.mark.parametrize("text", ["", "\n", "Title\nsome words\n", "a | b |\n---|---|\n1 | 2 |\n"])
def test_no_operations(text: str) -> None:
    fragment = read(text)
    line, message = only_error(fragment)
    assert line == 1 and "no operation" in message
    assert fragment.document["paths"] == {}


# --- never raises ----------------------------------------------------------------------------




@FUZZ
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    assert isinstance(read(text), Fragment)


@FUZZ
@given(line_mutations(len(PAGE_LINES), "|'{}[]\":,\\ -abcXHdSTATUS_0123<>http"))
def test_mutated_page_never_raises(mutations: list[tuple[int, str, str]]) -> None:
    text = mutate(PAGE_LINES, mutations)
    fragment = read(text)
    assert isinstance(fragment, Fragment) and isinstance(fragment.document["paths"], dict)


# --- shared helpers (generator.readers._common) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "schema"),
    [
        ("string", {"type": "string"}),
        ("Integer", {"type": "integer"}),
        ("array[string]", {"type": "array", "items": {"type": "string"}}),
        (
            "list<array[int]>",
            {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        ),
        ("`bool`[]", {"type": "array", "items": {"type": "boolean"}}),
        ("array[thing]", None),
        ("", None),
        ("string or int", None),
    ],
)
def test_parse_type_name(text: str, schema: dict[str, Any] | None) -> None:
    assert parse_type_name(text) == schema


@pytest.mark.parametrize(
    ("description", "type_name", "default"),
    [
        ("Defaults to `x`", "string", "x"),
        ("default: true", "boolean", True),
        ("default 2 day", "integer", 2),
        ("the default namespace is used", "string", None),
        ("defaults to ten", "integer", None),
        ("default is 0.5", "number", 0.5),
    ],
)
def test_parse_default(description: str, type_name: str, default: Any) -> None:
    assert parse_default(description, {"type": type_name}) == default


def test_operation_and_schema_names() -> None:
    assert operation_id("Scale down workers") == "scaleDownWorkers"
    assert operation_id("List GPU-workers (v2)") == "listGPUWorkersV2"
    assert schema_name("Worker Detail Status") == "WorkerDetailStatus"
    assert operation_id("!!!") == ""


def test_place_fields_by_method() -> None:
    fields = [
        field_entry("id", {"type": "string"}, "", False, "p:1"),
        field_entry("limit", {"type": "integer"}, "", True, "p:2"),
        field_entry("tag", {"type": "string"}, "", False, "p:3"),
    ]
    params, request_body = place_fields("GET", "/things/{id}", fields)
    assert [(p["name"], p["in"], p["required"]) for p in params] == [
        ("id", "path", True),
        ("limit", "query", True),
        ("tag", "query", False),
    ]
    assert request_body is None
    params, request_body = place_fields("post", "/things/{id}", fields, body_names={"limit"})
    assert [(p["name"], p["in"]) for p in params] == [("id", "path"), ("tag", "query")]
    assert request_body is not None and request_body["required"] is True
    schema = request_body["content"]["application/json"]["schema"]
    assert schema == {
        "type": "object",
        "required": ["limit"],
        "properties": {"limit": {"type": "integer", "x-source": "p:2"}},
    }


def test_json_key_lines_and_inference() -> None:
    text = '{\n"a": "x\\"{",\n"b": [\n{"c": 1},\n{"c": 1.5, "d": null}\n]\n}'
    assert json_key_lines(text) == {("a",): 2, ("b",): 3, ("b", "[]", "c"): 4, ("b", "[]", "d"): 5}
    schema = infer_schema(json.loads(text))
    assert schema["properties"]["b"]["items"]["properties"] == {"c": {"type": "number"}, "d": {}}
    assert infer_schema("2024-09-29T09:35:35.387883192Z")["format"] == "date-time"
    assert "format" not in infer_schema("2024-13-45T09:35:35Z")


def test_a_description_wrapped_over_lines_is_joined_into_its_row() -> None:
    row = PAGE_LINES.index(next(line for line in PAGE_LINES if line.startswith("recentDays |")))
    number = row + 1
    fragment = read(edited({
        number: "recentDays | integer | No | display the workers that have existed",
        number + 1: "in the between before day and now, default 2 day |\nResponse",
    }))
    assert not [m for m in messages(fragment) if "error" in m]
    (param,) = [p for p in op(fragment, LIST, "get")["parameters"] if p["name"] == "recentDays"]
    assert param["schema"]["type"] == "integer"
    assert param["description"].endswith("between before day and now, default 2 day")
    assert source_line(param["x-source"], DISPLAY) == number


def test_a_row_left_open_is_not_joined_with_the_next_row() -> None:
    row = PAGE_LINES.index(next(line for line in PAGE_LINES if line.startswith("name | string")))
    fragment = read(edited({row + 1: "name | string | Yes | app name"}))
    names = [p["name"] for p in op(fragment, LIST, "get")["parameters"]]
    assert names == ["namespace", "name", "showAll", "recentDays"]

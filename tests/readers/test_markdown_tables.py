"""The markdown field-table reader, on the real page and on edited copies of it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_spec_validator import validate

from generator.pagekit import place_fields
from generator.readers import Fragment, Page
from generator.readers.markdown_tables import read_markdown_tables
from tests.readers.fuzzing import FUZZ, line_mutations, mutate
from tests.readers.helpers import only_error as only_fragment_error
from tests.readers.helpers import source_line, sources

DISPLAY = "specs/everai/workers.md"
# A copy of the page as it was read when these tests were written: the live page may change.
PAGE_TEXT = (Path(__file__).resolve().parent / "pages" / "everai" / "workers.md").read_text(
    encoding="utf-8"
)
PAGE_LINES = PAGE_TEXT.splitlines()
BASE = "/api/apps/v1/namespaces/{namespace}/apps/{name}"
LIST, DOWN, UP = f"{BASE}/workers", f"{BASE}/workers:scale-down", f"{BASE}/workers:scale-up"


def read(text: str, display: str = DISPLAY) -> Fragment:
    return read_markdown_tables(Page(display, text))


def edited(replacements: dict[int, str | None]) -> str:
    """The page with 1-based lines replaced (``None`` deletes the line)."""
    lines = [replacements.get(n, line) for n, line in enumerate(PAGE_LINES, 1)]
    return "\n".join(line for line in lines if line is not None) + "\n"


def op(fragment: Fragment, path: str, method: str = "x-unknown-method") -> dict[str, Any]:
    found: dict[str, Any] = fragment.document["paths"][path][method]
    return found








def without_unknown_methods(document: dict[str, Any]) -> dict[str, Any]:
    bare = copy.deepcopy(document)
    for item in bare["paths"].values():
        item.pop("x-unknown-method", None)
    return bare


def line_of(source: str) -> int:
    return source_line(source, DISPLAY)


def only_error(fragment: Fragment) -> tuple[int | None, str]:
    return only_fragment_error(fragment, DISPLAY)


@pytest.fixture(scope="module")
def real() -> Fragment:
    return read(PAGE_TEXT)


# --- the real page -------------------------------------------------------------------------


def test_real_page_has_three_operations_without_methods(real: Fragment) -> None:
    assert real.diagnostics == []
    doc = real.document
    assert doc["info"]["title"] == "everai app"
    assert doc["servers"] == [{"url": "https://everai.expvent.com"}]
    assert {path: list(item) for path, item in doc["paths"].items()} == {
        LIST: ["x-unknown-method"],
        DOWN: ["x-unknown-method"],
        UP: ["x-unknown-method"],
    }
    ids = [op(real, p)["operationId"] for p in (LIST, DOWN, UP)]
    assert ids == ["listWorkers", "scaleDownWorkers", "scaleUpWorkers"]
    assert [line_of(op(real, p)["x-source"]) for p in (LIST, DOWN, UP)] == [3, 88, 113]


def test_path_parameters_are_required_with_stated_default(real: Fragment) -> None:
    for path, first_line in ((LIST, 15), (DOWN, 100), (UP, 125)):
        namespace, name = op(real, path)["parameters"]
        assert namespace == {
            "name": "namespace",
            "in": "path",
            "required": True,
            "description": "namespace name, Defaults to `defualt`",
            "schema": {"type": "string", "default": "defualt"},  # the page's typo, kept
            "x-source": f"{DISPLAY}:{first_line}",
        }
        assert name["name"] == "name" and name["required"] is True
        assert name["schema"] == {"type": "string"}
        assert line_of(name["x-source"]) == first_line + 1


def test_other_fields_wait_for_a_method(real: Fragment) -> None:
    def fields(path: str) -> list[tuple[str, Any, bool, int]]:
        return [
            (f["name"], f["schema"], f["required"], line_of(f["x-source"]))
            for f in op(real, path)["x-request-fields"]
        ]

    assert fields(LIST) == [
        ("showAll", {"type": "boolean"}, False, 17),
        ("recentDays", {"type": "integer", "default": 2}, False, 18),
    ]
    assert fields(DOWN) == [
        ("scaleDownWorkersNum", {"type": "string"}, False, 102),
        ("workerIds", {"type": "array", "items": {"type": "string"}}, False, 103),
    ]
    assert fields(UP) == [("scaleUpWorkersNum", {"type": "string"}, False, 127)]
    recent = op(real, LIST)["x-request-fields"][1]
    assert recent["description"].startswith("display the workers")


def test_response_schema_inferred_from_example(real: Fragment) -> None:
    media = op(real, LIST)["responses"]["200"]["content"]["application/json"]
    assert media["example"] == json.loads("\n".join(PAGE_LINES[24:59]))
    schema = media["schema"]
    top = schema["properties"]
    assert list(top) == [
        "workers",
        "queueSize",
        "queueName",
        "lastScaleUpTime",
        "lastScaleDownDeleteTime",
        "maxWorkers",
    ]
    assert top["queueSize"]["type"] == "integer"
    assert top["lastScaleUpTime"]["format"] == "date-time"
    worker = top["workers"]["items"]["properties"]
    assert len(worker) == 24
    assert worker["status"] == {
        "$ref": "#/components/schemas/WorkerStatus",
        "x-source": f"{DISPLAY}:30",
    }
    assert worker["detailStatus"]["$ref"] == "#/components/schemas/WorkerDetailStatus"
    assert worker["createdAt"] == {
        "type": "string",
        "format": "date-time",
        "x-source": f"{DISPLAY}:32",
    }
    assert worker["stopAt"]["type"] == "string" and "format" not in worker["stopAt"]
    assert worker["gpuNum"]["type"] == "integer"
    for key, prop in worker.items():
        assert f'"{key}"' in PAGE_LINES[line_of(prop["x-source"]) - 1]
    down = op(real, DOWN)["responses"]["200"]["content"]["application/json"]
    assert down == {"schema": {"type": "object", "properties": {}}, "example": {}}
    up = op(real, UP)["responses"]["200"]["content"]["application/json"]["schema"]
    assert up["properties"]["workerIds"]["items"] == {"type": "string"}


def test_enum_tables_become_components(real: Fragment) -> None:
    schemas = real.document["components"]["schemas"]
    assert list(schemas) == ["WorkerStatus", "WorkerDetailStatus"]
    status, detail = schemas["WorkerStatus"], schemas["WorkerDetailStatus"]
    assert status["type"] == "string" and len(status["enum"]) == 9
    assert status["enum"][0] == "STATUS_UNSPECIFIED"
    # The page lists STATUS_TERMINATING among detail statuses: reported as written.
    assert "STATUS_TERMINATING" in detail["enum"] and len(detail["enum"]) == 7
    assert "x-enum-descriptions" not in status  # the page's descriptions are empty
    assert (line_of(status["x-source"]), line_of(detail["x-source"])) == (64, 78)


def test_every_source_points_into_the_page(real: Fragment) -> None:
    found = sources(real.document)
    assert len(found) > 40
    assert all(1 <= line_of(s) <= len(PAGE_LINES) for s in found)


def test_fragment_is_sane_openapi(real: Fragment) -> None:
    validate(without_unknown_methods(real.document))


def test_fields_bind_once_a_method_is_known(real: Fragment) -> None:
    document = copy.deepcopy(real.document)
    for path, method in ((LIST, "get"), (DOWN, "post"), (UP, "post")):
        operation = document["paths"][path].pop("x-unknown-method")
        fields = operation.pop("x-request-fields")
        parameters, body = place_fields(method, path, operation["parameters"] + fields)
        operation["parameters"] = parameters
        if body:
            operation["requestBody"] = body
        document["paths"][path][method] = operation
    validate(document)
    listing = document["paths"][LIST]["get"]
    assert [(p["name"], p["in"]) for p in listing["parameters"]] == [
        ("namespace", "path"),
        ("name", "path"),
        ("showAll", "query"),
        ("recentDays", "query"),
    ]
    body = document["paths"][DOWN]["post"]["requestBody"]["content"]["application/json"]
    assert list(body["schema"]["properties"]) == ["scaleDownWorkersNum", "workerIds"]


# --- edited copies ---------------------------------------------------------------------------


def test_sections_reordered() -> None:
    reordered = "\n".join(PAGE_LINES[:2] + PAGE_LINES[112:] + [""] + PAGE_LINES[2:112]) + "\n"
    fragment = read(reordered)
    assert fragment.diagnostics == []
    assert list(fragment.document["paths"]) == [UP, LIST, DOWN]
    assert line_of(op(fragment, UP)["x-source"]) == 3
    assert line_of(op(fragment, UP)["parameters"][0]["x-source"]) == 15


def test_row_added() -> None:
    fragment = read(
        edited({18: PAGE_LINES[17] + "\n|force |boolean |kill busy ones, defaults to `false`|"})
    )
    fields = op(fragment, LIST)["x-request-fields"]
    assert fields[-1] == {
        "name": "force",
        "schema": {"type": "boolean", "default": False},
        "required": False,
        "description": "kill busy ones, defaults to `false`",
        "x-source": f"{DISPLAY}:19",
    }


def test_operation_removed() -> None:
    fragment = read(edited({n: None for n in range(113, 140)}))
    assert fragment.diagnostics == []
    assert list(fragment.document["paths"]) == [LIST, DOWN]


def test_extra_prose_is_ignored_or_becomes_description() -> None:
    fragment = read(
        edited(
            {
                5: "List workers\n\nIt lists *every* worker of an app.",
                22: "Some prose with https://example.com in it.\n\n" + PAGE_LINES[21],
            }
        )
    )
    assert fragment.diagnostics == []
    listing = op(fragment, LIST)
    assert listing["description"] == "List workers\n\nIt lists *every* worker of an app."
    assert line_of(listing["parameters"][0]["x-source"]) == 17
    assert "servers" in fragment.document and len(fragment.document["servers"]) == 1


def test_method_before_url_binds_fields() -> None:
    fragment = read(edited({93: "POST " + PAGE_LINES[92]}))
    down = op(fragment, DOWN, "post")
    assert "x-request-fields" not in down
    schema = down["requestBody"]["content"]["application/json"]["schema"]
    assert list(schema["properties"]) == ["scaleDownWorkersNum", "workerIds"]


def test_enum_attached_by_value_not_by_name() -> None:
    fragment = read(edited({30: '      "phase": "STATUS_PENDING",'}))
    worker = op(fragment, LIST)["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]["workers"]["items"]["properties"]
    assert worker["phase"]["$ref"] == "#/components/schemas/WorkerStatus"


def test_value_in_two_enums_is_left_alone_with_a_warning() -> None:
    fragment = read(edited({30: '      "status": "STATUS_TERMINATING",'}))
    worker = op(fragment, LIST)["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]["workers"]["items"]["properties"]
    assert worker["status"]["type"] == "string"
    assert [(d.level, d.location.line) for d in fragment.diagnostics] == [("warning", 30)]


def test_enum_table_under_a_label_takes_its_column_name() -> None:
    text = (
        "# t\n\n## Get thing\n\n```\nhttps://h.io/things/{id}\n```\n\n|Field Name|Type|"
        "Description|\n|---|---|---|\n|id|string|the id|\n\n### Response\n\n```json\n"
        '{"state": "ON"}\n```\n\n|State|Description|\n|---|---|\n|ON|it runs|\n|OFF||\n'
    )
    fragment = read(text, "t.md")
    assert fragment.diagnostics == []
    state = fragment.document["components"]["schemas"]["State"]
    assert state["enum"] == ["ON", "OFF"] and state["x-enum-descriptions"] == ["it runs", ""]
    prop = op(fragment, "/things/{id}")["responses"]["200"]["content"]["application/json"][
        "schema"
    ]["properties"]["state"]
    assert prop["$ref"] == "#/components/schemas/State"


# --- broken input ----------------------------------------------------------------------------




def _only_warning(fragment: Fragment) -> tuple[int | None, str]:
    assert not [d for d in fragment.diagnostics if d.level == "error"]
    warnings = [d for d in fragment.diagnostics if d.level == "warning"]
    assert len(warnings) == 1, [d.format() for d in warnings]
    return warnings[0].location.line, warnings[0].message


def test_unknown_type_is_read_as_string_with_a_warning() -> None:
    fragment = read(edited({17: "|showAll   |yes-or-no ||"}))
    line, message = _only_warning(fragment)
    assert line == 17 and "unknown type 'yes-or-no'; read as string" in message
    show_all = [f for f in op(fragment, LIST)["x-request-fields"] if f["name"] == "showAll"]
    assert show_all[0]["schema"]["type"] == "string"


def test_row_without_type_is_read_as_string_with_a_warning() -> None:
    fragment = read(edited({102: "|scaleDownWorkersNum|"}))
    line, message = _only_warning(fragment)
    assert line == 102 and "has no type; read as string" in message
    fields = {f["name"]: f["schema"] for f in op(fragment, DOWN)["x-request-fields"]}
    assert sorted(fields) == ["scaleDownWorkersNum", "workerIds"]
    assert fields["scaleDownWorkersNum"]["type"] == "string"


def test_bad_json_example() -> None:
    fragment = read(edited({36: '      "successCount": 0,,'}))
    line, message = only_error(fragment)
    assert line == 36 and "does not parse" in message
    assert op(fragment, LIST)["responses"]["200"] == {"description": "OK"}


def test_operation_without_url() -> None:
    fragment = read(edited({117: None, 118: None, 119: None}))
    line, message = only_error(fragment)
    assert line == 120 and "outside any operation" in message
    assert list(fragment.document["paths"]) == [LIST, DOWN]


@pytest.mark.parametrize("text", ["", "\n\n", "# Title\n\nJust prose.\n", "|a|b|\n|-|-|\n|1|2|\n"])
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
@given(line_mutations(len(PAGE_LINES), '|`{}[]":,# -abcSTATUS_0123\\'))
def test_mutated_page_never_raises(mutations: list[tuple[int, str, str]]) -> None:
    text = mutate(PAGE_LINES, mutations)
    fragment = read(text)
    assert isinstance(fragment, Fragment) and isinstance(fragment.document["paths"], dict)


# --- columns: any order, header synonyms, extra columns ------------------------------

_COLUMNS_PAGE = """# Things

## List things

```
GET https://api.example.com/things
```

| Mandatory | Parameter | Format | Type | Allowed values | Default | Example | Owner |
|---|---|---|---|---|---|---|---|
| No | limit | int32 | integer | 10, 50, 100 | 50 | 10 | team-a |
| Yes | `region` | | string | | | "eu" | |
"""


def _columns_fields() -> tuple[Fragment, dict[str, dict[str, Any]]]:
    fragment = read(_COLUMNS_PAGE, "things.md")
    parameters = op(fragment, "/things", "get")["parameters"]
    return fragment, {p["name"]: p for p in parameters}


def test_columns_in_any_order_with_synonyms_are_read() -> None:
    _, fields = _columns_fields()
    assert fields["region"]["required"] is True and fields["limit"]["required"] is False
    assert fields["limit"]["schema"]["type"] == "integer"


def test_default_example_enum_and_format_columns_are_read_typed() -> None:
    _, fields = _columns_fields()
    schema = fields["limit"]["schema"]
    assert schema["default"] == 50 and schema["examples"] == [10]
    assert schema["enum"] == [10, 50, 100] and schema["format"] == "int32"
    assert fields["region"]["schema"]["examples"] == ["eu"]


def test_an_unknown_column_is_a_warning_and_its_cells_are_kept() -> None:
    fragment, fields = _columns_fields()
    warnings = [d for d in fragment.diagnostics if d.level == "warning" and "Owner" in d.message]
    assert len(warnings) == 1 and warnings[0].location.line == 9
    assert "Owner: team-a" in fields["limit"]["description"]


def test_an_optional_column_means_the_opposite_of_required() -> None:
    text = _COLUMNS_PAGE.replace("| Mandatory |", "| Optional |", 1)
    fields = {p["name"]: p for p in op(read(text, "things.md"), "/things", "get")["parameters"]}
    assert fields["limit"]["required"] is True and fields["region"]["required"] is False

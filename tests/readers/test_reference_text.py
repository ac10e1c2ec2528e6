"""The scraped reference-text reader: the real ClearML page, edited copies, broken input."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from generator.merge import strip_sources
from generator.readers import Fragment, Page
from generator.readers.reference_text import read_reference_text

PAGE_PATH = Path(__file__).parent / "pages" / "clearml" / "workers.txt"
DISPLAY = "specs/clearml/workers.txt"
PAGE_TEXT = PAGE_PATH.read_text(encoding="utf-8")
PAGE_LINES = PAGE_TEXT.split("\n")
REF = "#/components/schemas/"

UNDEFINED = [  # (name, line of first reference)
    ("workers.activity_series", 43),
    ("workers.worker", 90),
    ("workers.metrics_category", 168),
    ("workers.stat_item", 195),
    ("workers.worker_stats", 220),
    ("workers.machine_stats", 280),
]


def read(text: str, display: str = "page.txt") -> Fragment:
    return read_reference_text(Page(display, text))


def edit(replace: dict[int, str] | None = None, delete: range | None = None,
         insert: dict[int, str] | None = None) -> str:
    """The real page with 1-based lines replaced, deleted, or text inserted before a line."""
    out: list[str] = []
    for number, line in enumerate(PAGE_LINES, start=1):
        if insert and number in insert:
            out.extend(insert[number].split("\n"))
        if delete is not None and number in delete:
            continue
        out.append((replace or {}).get(number, line))
    return "\n".join(out)


def diagnostics(fragment: Fragment) -> list[tuple[str, int | None, str]]:
    return [(d.level, d.location.line, d.message) for d in fragment.diagnostics]


def errors(fragment: Fragment) -> list[tuple[str, int | None, str]]:
    return [d for d in diagnostics(fragment) if d[0] == "error"]


def line_of(source: str) -> int:
    return int(source.rpartition(":")[2])


def schemas(fragment: Fragment) -> dict[str, Any]:
    result: dict[str, Any] = fragment.document["components"]["schemas"]
    return result


@pytest.fixture(scope="module")
def real() -> Fragment:
    return read(PAGE_TEXT, DISPLAY)


# -- the real page ---------------------------------------------------------------------------

OPERATIONS = {
    "/workers.get_activity_report": "workersGetActivityReport",
    "/workers.get_all": "workersGetAll",
    "/workers.get_count": "workersGetCount",
    "/workers.get_metric_keys": "workersGetMetricKeys",
    "/workers.get_stats": "workersGetStats",
    "/workers.register": "workersRegister",
    "/workers.status_report": "workersStatusReport",
    "/workers.unregister": "workersUnregister",
}


def test_all_eight_operations_with_method_id_and_rpc_name(real: Fragment) -> None:
    paths = real.document["paths"]
    assert list(paths) == list(OPERATIONS)
    for path, operation_id in OPERATIONS.items():
        assert list(paths[path]) == ["post"]
        operation = paths[path]["post"]
        assert operation["operationId"] == operation_id
        assert operation["x-rpc-name"] == path[1:]
        assert PAGE_LINES[line_of(operation["x-source"]) - 1] == f"POST {path}"


def test_document_skeleton(real: Fragment) -> None:
    document = real.document
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "workers"
    assert json.loads(json.dumps(document, allow_nan=False)) == document
    assert read(PAGE_TEXT, DISPLAY).document == document  # deterministic


def test_only_warnings_are_the_undefined_schemas(real: Fragment) -> None:
    assert [(d.level, str(d.location), d.message, d.hint) for d in real.diagnostics] == [
        ("warning", f"{DISPLAY}:{line}",
         f"schema {name} is referenced but never defined on the page",
         "define it in the provider's overlay")
        for name, line in UNDEFINED
    ]
    for name, line in UNDEFINED:
        assert name in PAGE_LINES[line - 1]
        assert name not in schemas(real)


def test_request_bodies_and_responses_reference_components(real: Fragment) -> None:
    operation = real.document["paths"]["/workers.get_stats"]["post"]
    assert operation["requestBody"] == {
        "required": True,
        "description": "request body",
        "content": {"application/json": {"schema": {"$ref": REF + "WorkersGetStatsRequest"}}},
        "x-source": f"{DISPLAY}:180",
    }
    assert operation["responses"] == {"200": {
        "description": "Response 200",
        "content": {"application/json": {"schema": {"$ref": REF + "WorkersGetStatsResponse200"}}},
        "x-source": f"{DISPLAY}:213",
    }}
    for path in ("/workers.register", "/workers.status_report", "/workers.unregister"):
        response = real.document["paths"][path]["post"]["responses"]["200"]
        assert response["content"]["application/json"]["schema"] == {"type": "object"}
    assert sorted(schemas(real)) == sorted(
        [f"{op[0].upper()}{op[1:]}Request" for op in OPERATIONS.values()]
        + [f"{op[0].upper()}{op[1:]}Response200" for op in OPERATIONS.values()
           if op not in ("workersRegister", "workersStatusReport", "workersUnregister")]
    )


def test_required_flags(real: Fragment) -> None:
    found = {name: schema.get("required", []) for name, schema in schemas(real).items()}
    assert found["WorkersGetStatsRequest"] == ["from_date", "interval", "items", "to_date"]
    assert found["WorkersStatusReportRequest"] == ["timestamp", "worker"]
    assert found["WorkersRegisterRequest"] == ["worker"]
    assert found["WorkersGetAllRequest"] == []
    assert found["WorkersGetAllResponse200"] == []


def test_types(real: Fragment) -> None:
    def prop(schema: str, name: str) -> dict[str, Any]:
        found = dict(schemas(real)[schema]["properties"][name])
        for key in ("description", "x-source", "default"):
            found.pop(key, None)
        return found

    strings = {"type": "array", "items": {"type": "string"}}
    assert prop("WorkersGetStatsRequest", "from_date") == {"type": "number"}
    assert prop("WorkersGetStatsRequest", "interval") == {"type": "integer"}
    assert prop("WorkersGetStatsRequest", "split_by_variant") == {"type": "boolean"}
    assert prop("WorkersGetStatsRequest", "worker_ids") == strings
    assert prop("WorkersGetStatsRequest", "items") == {
        "type": "array", "items": {"$ref": REF + "workers.stat_item"}}
    assert prop("WorkersGetAllRequest", "tags") == strings
    assert prop("WorkersGetAllRequest", "system_tags") == strings
    assert prop("WorkersGetAllResponse200", "workers") == {
        "type": "array", "items": {"$ref": REF + "workers.worker"}}
    assert prop("WorkersGetActivityReportResponse200", "active") == {
        "$ref": REF + "workers.activity_series"}
    assert prop("WorkersStatusReportRequest", "machine_stats") == {
        "$ref": REF + "workers.machine_stats"}
    assert prop("WorkersStatusReportRequest", "worker") == {"type": "string"}
    assert prop("WorkersGetCountResponse200", "count") == {"type": "integer"}


def test_descriptions_wrapped_and_glued(real: Fragment) -> None:
    get_all = schemas(real)["WorkersGetAllRequest"]["properties"]
    assert get_all["last_seen"]["description"] == (
        "Filter out workers not active for more than last_seen seconds. "
        "A value or 0 or 'none' will disable the filter.")
    assert get_all["system_tags"]["description"] == (
        "The list of allowed worker system tags. Prepend tag value with '-' in order to exclude")
    assert get_all["tags"]["description"] == get_all["system_tags"]["description"].replace(
        " system", "")
    stats = schemas(real)["WorkersGetStatsRequest"]["properties"]
    assert stats["from_date"]["description"] == (
        "Starting time (in seconds from epoch) for collecting statistics")
    assert stats["interval"]["description"].endswith("The minimal value is 1")
    report = schemas(real)["WorkersStatusReportRequest"]["properties"]
    assert report["machine_stats"]["description"] == "The machine statistics."
    assert report["worker"]["description"] == "Worker id."
    assert "description" not in schemas(real)["WorkersGetAllResponse200"]["properties"]["workers"]
    operation = real.document["paths"]["/workers.get_stats"]["post"]
    assert operation["description"] == (
        "Returns statistics for the selected workers and time range aggregated by date intervals.")


def test_defaults_only_where_the_page_gives_them(real: Fragment) -> None:
    stats = schemas(real)["WorkersGetStatsRequest"]["properties"]
    assert stats["split_by_variant"]["default"] is False
    assert stats["split_by_variant"]["description"] == (
        "If true then break statistics by hardware sub types")
    with_default = [(schema, name) for schema, body in schemas(real).items()
                    for name, field in body["properties"].items() if "default" in field]
    assert with_default == [("WorkersGetStatsRequest", "split_by_variant")]


def test_every_x_source_points_at_its_line(real: Fragment) -> None:
    for name, schema in schemas(real).items():
        heading = PAGE_LINES[line_of(schema["x-source"]) - 1]
        assert heading in ("request", "Response 200"), name
        for field_name, field in schema["properties"].items():
            assert field["x-source"].startswith(f"{DISPLAY}:")
            assert PAGE_LINES[line_of(field["x-source"]) - 1] == field_name
    for item in real.document["paths"].values():
        body = item["post"]["requestBody"]
        assert PAGE_LINES[line_of(body["x-source"]) - 1] == "Bodyrequest"
        for code, response in item["post"]["responses"].items():
            assert PAGE_LINES[line_of(response["x-source"]) - 1].startswith(code)


def test_fragment_is_valid_openapi_once_the_overlay_defines_the_missing_schemas(
    real: Fragment,
) -> None:
    document = copy.deepcopy(real.document)
    for name, _ in UNDEFINED:
        document["components"]["schemas"][name] = {"type": "object"}
    validate(document)


# -- edited copies ---------------------------------------------------------------------------


def test_removed_operation_disappears() -> None:
    fragment = read(edit(delete=range(92, 134)))  # POST /workers.get_count .. its last field
    assert "/workers.get_count" not in fragment.document["paths"]
    assert len(fragment.document["paths"]) == 7
    assert not any(name.startswith("WorkersGetCount") for name in schemas(fragment))
    assert errors(fragment) == []


def test_added_field_appears_with_its_line() -> None:
    added = ("worker_pattern\noptional\n"
             "The worker name pattern. If specified then only matching keys returnedstring")
    fragment = read(edit(insert={79: added}))
    properties = schemas(fragment)["WorkersGetAllRequest"]["properties"]
    assert list(properties) == ["last_seen", "system_tags", "tags", "worker_pattern"]
    assert properties["worker_pattern"] == {
        "type": "string",
        "description": "The worker name pattern. If specified then only matching keys returned",
        "x-source": "page.txt:79",
    }
    assert properties["tags"]["description"].endswith("in order to exclude")
    assert errors(fragment) == []


def test_reordered_sections_give_the_same_schemas() -> None:
    # get_activity_report: Responses table and Response 200 section move above the request one
    lines = PAGE_LINES
    reordered = lines[:17] + lines[30:49] + lines[17:30] + lines[49:]
    fragment = read("\n".join(reordered))
    original = read(PAGE_TEXT)
    assert errors(fragment) == []

    def strip_sources(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip_sources(v) for k, v in node.items() if k != "x-source"}
        if isinstance(node, list):
            return [strip_sources(v) for v in node]
        return node

    assert strip_sources(fragment.document["paths"]) == strip_sources(original.document["paths"])
    assert strip_sources(schemas(fragment)) == strip_sources(schemas(original))


def test_extra_prose_and_chrome() -> None:
    text = edit(insert={
        11: "It counts workers that reported at least once.\n",
        18: "Some remark the site shows between tables.\n",
        50: "Skip to main content\n",
    })
    fragment = read(text)
    operation = fragment.document["paths"]["/workers.get_activity_report"]["post"]
    assert operation["description"] == (
        "Returns count of active company workers in the selected time range.\n\n"
        "It counts workers that reported at least once.")
    assert fragment.document["paths"].keys() == read(PAGE_TEXT).document["paths"].keys()
    messages = [message for _, _, message in diagnostics(fragment)]
    assert messages == [message for _, _, message in diagnostics(read(PAGE_TEXT))]


def test_default_glued_to_type_and_query_parameter() -> None:
    text = edit(
        replace={70: "Default : 3600integer"},
        insert={62: "Queryverbose\noptional\nPrint more detailsboolean"},
    )
    fragment = read(text)
    operation = fragment.document["paths"]["/workers.get_all"]["post"]
    assert operation["parameters"] == [{
        "name": "verbose", "in": "query", "required": False,
        "description": "Print more details", "schema": {"type": "boolean"},
        "x-source": "page.txt:62",
    }]
    last_seen = schemas(fragment)["WorkersGetAllRequest"]["properties"]["last_seen"]
    assert last_seen["type"] == "integer"
    assert last_seen["default"] == 3600
    assert last_seen["description"].endswith("will disable the filter.")
    assert errors(fragment) == []


def test_sections_defined_on_the_page_become_schemas() -> None:
    local = "\nstat_item\n\nNameDescriptionSchema\nkey\nrequired\nName of a metricstring\n"
    text = edit(replace={195: "List of metric keys and requested statistics< stat_item > array"},
                insert={210: local})
    fragment = read(text)
    items = schemas(fragment)["WorkersGetStatsRequest"]["properties"]["items"]
    assert items["items"] == {"$ref": REF + "WorkersGetStatsStatItem"}
    assert schemas(fragment)["WorkersGetStatsStatItem"]["properties"]["key"]["type"] == "string"
    assert schemas(fragment)["WorkersGetStatsStatItem"]["required"] == ["key"]
    assert "workers.stat_item" not in {d[2].split()[1] for d in diagnostics(fragment)}

    dotted = "\nworkers.machine_stats\n\nNameSchema\ncpu_usage\noptional\n< number > array\n"
    fragment = read(edit(insert={309: dotted}))
    assert schemas(fragment)["workers.machine_stats"]["properties"]["cpu_usage"] == {
        "type": "array", "items": {"type": "number"}, "x-source": "page.txt:313"}
    assert [d[2] for d in diagnostics(fragment) if "machine_stats" in d[2]] == []


def test_section_nobody_references_is_kept_with_a_warning() -> None:
    fragment = read(edit(insert={262: "notes\n\nNameSchema\nnote\noptional\nstring\n"}))
    assert schemas(fragment)["WorkersRegisterNotes"]["properties"]["note"]["type"] == "string"
    assert ("warning", 262, "schema WorkersRegisterNotes is defined but never referenced") in (
        diagnostics(fragment))


def test_glued_reference_with_a_namespace_used_nowhere_else() -> None:
    fragment = read(edit(replace={280: "The machine statistics.other.machine_stats"}))
    field = schemas(fragment)["WorkersStatusReportRequest"]["properties"]["machine_stats"]
    assert field["$ref"] == REF + "other.machine_stats"
    assert field["description"] == "The machine statistics."
    assert ("warning", 280, "type read as other.machine_stats (its namespace is not used "
            "elsewhere on the page)") in diagnostics(fragment)


# -- broken input ----------------------------------------------------------------------------


def test_field_without_type_is_a_string_with_a_warning_at_its_line() -> None:
    fragment = read(edit(replace={29: "Ending time (in seconds from epoch) for collecting"}))
    assert not [d for d in fragment.diagnostics if d.level == "error"]
    [warning] = [d for d in fragment.diagnostics if "to_date" in d.message]
    assert str(warning.location) == "page.txt:29" and warning.level == "warning"
    assert warning.message == (
        "field to_date of WorkersGetActivityReportRequest has no recognisable type; "
        "read as string")
    assert warning.hint and "overlay" in warning.hint
    field = schemas(fragment)["WorkersGetActivityReportRequest"]["properties"]["to_date"]
    assert field == {"type": "string",
                     "description": "Ending time (in seconds from epoch) for collecting",
                     "x-source": "page.txt:27"}


def test_glued_header_missing() -> None:
    fragment = read(edit(delete=range(20, 21)))  # NameDescriptionSchema under "request"
    assert errors(fragment) == [("error", 20, "table under 'request' has no header row (such as "
                                 "NameDescriptionSchema)")]
    properties = schemas(fragment)["WorkersGetActivityReportRequest"]["properties"]
    assert list(properties) == ["from_date", "interval", "to_date"]


def test_section_heading_missing() -> None:
    fragment = read(edit(delete=range(18, 20)))  # "request" and the blank after it
    assert sorted(errors(fragment)) == [
        ("error", 16, "parameter request refers to section 'request', which this operation "
         "does not define"),
        ("error", 18, "table has no heading above it"),
    ]
    assert "WorkersGetActivityReportRequest" not in schemas(fragment)
    assert "requestBody" not in fragment.document["paths"]["/workers.get_activity_report"]["post"]


def test_response_section_missing() -> None:
    fragment = read(edit(delete=range(85, 91)))  # get_all's Response 200 section
    assert errors(fragment) == [
        ("error", 83, "response 200 refers to 'Response 200', which is neither a type nor a "
         "section of this operation"),
    ]


def test_truncated_page() -> None:
    fragment = read("\n".join(PAGE_LINES[:198]))  # ends inside get_stats' split_by_variant
    assert len(fragment.document["paths"]) == 5
    assert ("error", 198, "field split_by_variant of WorkersGetStatsRequest has no "
            "recognisable type where the page ends") in errors(fragment)
    assert ("warning", 170, "operation POST /workers.get_stats has no Responses table") in (
        diagnostics(fragment))


@pytest.mark.parametrize("text", ["", "\n\n", "Skip to main content\n", "workers\n\nhello"])
def test_empty_page(text: str) -> None:
    fragment = read(text)
    assert fragment.document["paths"] == {}
    assert [str(d.location) for d in fragment.diagnostics] == ["page.txt:1"]
    assert fragment.diagnostics[0].message.startswith("no operation found")


def test_operation_without_sections() -> None:
    fragment = read("POST /workers.ping\n\nPOST /workers.pong\n\nDescription\n\nPong.\n")
    assert errors(fragment) == [
        ("error", 1, "operation POST /workers.ping has no sections (Parameters, Responses)"),
        ("error", 3, "operation POST /workers.pong has no sections (Parameters, Responses)"),
    ]
    assert fragment.document["paths"]["/workers.pong"]["post"]["description"] == "Pong."


def test_duplicate_operation() -> None:
    fragment = read(PAGE_TEXT + "\n" + "\n".join(PAGE_LINES[313:]))
    assert ("error", len(PAGE_LINES) + 1, "operation POST /workers.unregister appears twice; "
            "the second is ignored") in errors(fragment)


def test_pathological_lines() -> None:
    nested = "<" * 2000 + "string" + "> array" * 2000
    text = edit(replace={29: nested, 26: "x" * 100_000 + "integer"})
    fragment = read(text)
    properties = schemas(fragment)["WorkersGetActivityReportRequest"]["properties"]
    assert properties["interval"]["type"] == "integer"
    assert properties["to_date"]["type"] == "array"  # the longest known suffix: "array"
    assert read("< < string > array > array").diagnostics  # a lone type line: no operation


# -- never raises ----------------------------------------------------------------------------

_VOCABULARY = ["POST /a.b", "Description", "Parameters", "Responses", "request", "required",
               "optional", "NameDescriptionSchema", "TypeNameDescriptionSchema", "Bodyrequest",
               "200Response 200", "Response 200", "HTTP CodeSchema", "< string > array",
               "< a.b > array", "Default : 1e999", "Default : [[[", "integer", "x.y", "", "<>"]


def _assert_well_formed(fragment: Fragment) -> None:
    assert isinstance(fragment.document["paths"], dict)
    json.dumps(fragment.document, allow_nan=False)
    for diagnostic in fragment.diagnostics:
        assert diagnostic.location.line is not None and diagnostic.location.line >= 1


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.lists(st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=40)), max_size=40))
def test_fuzz_random_lines(lines: list[str]) -> None:
    _assert_well_formed(read("\n".join(lines)))


@_FUZZ
@given(st.lists(st.tuples(st.integers(0, len(PAGE_LINES) - 1),
                          st.sampled_from(["delete", "duplicate", "glue", "cut", "swap"]),
                          st.sampled_from(_VOCABULARY)), max_size=8))
def test_fuzz_mutated_page(mutations: list[tuple[int, str, str]]) -> None:
    lines = list(PAGE_LINES)
    for index, action, word in mutations:
        index %= max(len(lines), 1)
        if not lines:
            break
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "glue":
            lines[index] += word
        elif action == "cut":
            lines[index] = lines[index][: len(lines[index]) // 2]
        else:
            lines[index], lines[-1 - index] = lines[-1 - index], lines[index]
    _assert_well_formed(read("\n".join(lines)))


def test_query_parameter_without_a_recognisable_type_is_a_string_with_a_warning() -> None:
    fragment = read(edit(insert={62: "Queryverbose\noptional\nPrint more detailsb00lean"}))
    operation = fragment.document["paths"]["/workers.get_all"]["post"]
    assert operation["parameters"] == [{
        "name": "verbose", "in": "query", "required": False,
        "description": "Print more detailsb00lean", "schema": {"type": "string"},
        "x-source": "page.txt:62",
    }]
    assert errors(fragment) == []
    assert ("warning", 64, "parameter verbose has no recognisable type; read as string") in (
        diagnostics(fragment)
    )


def test_body_without_a_recognisable_type_is_still_an_error() -> None:
    fragment = read(edit(replace={61: "request bodyb0dy"}))
    assert any("has no recognisable type" in message for _, _, message in errors(fragment))


def test_an_operations_sections_read_the_same_in_any_order() -> None:
    description, parameters, responses = PAGE_LINES[6:10], PAGE_LINES[10:30], PAGE_LINES[30:49]
    assert (description[0], parameters[0], responses[0]) == (
        "Description", "Parameters", "Responses")
    reordered = PAGE_LINES[:6] + responses + parameters + description + PAGE_LINES[49:]
    fragment, original = read("\n".join(reordered)), read(PAGE_TEXT)
    assert errors(fragment) == []
    path = "/workers.get_activity_report"
    assert strip_sources(fragment.document["paths"][path]) == strip_sources(
        original.document["paths"][path])
    assert strip_sources(schemas(fragment)) == strip_sources(schemas(original))


# -- the same site's other pages and renderings -------------------------------------------------


def test_headings_scraped_with_their_permalink_marks_read_the_same() -> None:
    """Docusaurus puts a `#` link after each heading ("POST /queues.create#",
    "Description#"), and a scrape keeps it as text; Sphinx writes `¶`.  The page reads as
    without them; a description that ends in `#` keeps it."""
    marked = []
    for line in PAGE_LINES:
        if line.startswith("POST /") or line in ("Description", "Parameters", "Responses"):
            line += "#"
        elif line == "Response 200":  # a section heading
            line += " ¶"
        marked.append(line)
    marked[8] = "Returns count of active company workers, written in C#"
    fragment = read("\n".join(marked))
    plain = read(edit(replace={9: "Returns count of active company workers, written in C#"}))
    assert strip_sources(fragment.document) == strip_sources(plain.document)
    assert diagnostics(fragment) == diagnostics(plain)
    operation = fragment.document["paths"]["/workers.get_activity_report"]["post"]
    assert operation["description"].endswith("written in C#")


def test_map_format_and_enum_types_as_the_site_renders_them() -> None:
    """`< string, T > map` is an object of T values; `string (date-time)` a formatted
    scalar; `enum (a, b)` the values as written (integers when all are)."""
    text = edit(replace={
        75: "< string, workers.worker > map",
        78: "The list of allowed worker tags< string, < string (date-time) > array > map",
        70: "integer (int64)",
    }, insert={
        71: "sort\noptional\nSort orderenum (asc, desc)\nlevel\noptional\nenum (0, 1, 2)",
    })
    fragment = read(text)
    assert errors(fragment) == []
    properties = schemas(fragment)["WorkersGetAllRequest"]["properties"]
    assert properties["system_tags"]["type"] == "object"
    assert properties["system_tags"]["additionalProperties"] == {"$ref": REF + "workers.worker"}
    assert properties["tags"]["additionalProperties"] == {
        "type": "array", "items": {"type": "string", "format": "date-time"}}
    assert properties["tags"]["description"] == "The list of allowed worker tags"
    assert properties["last_seen"]["type"] == "integer"
    assert properties["last_seen"]["format"] == "int64"
    assert properties["sort"]["enum"] == ["asc", "desc"]
    assert properties["sort"]["type"] == "string"
    assert properties["sort"]["description"] == "Sort order"
    assert properties["level"] == {"type": "integer", "enum": [0, 1, 2], "x-source": "page.txt:74"}

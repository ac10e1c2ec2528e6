"""The MDX bullet-list reader, on the real page and on edited copies of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic
from generator.readers import Fragment, Page
from generator.readers._mdx_text import strip_mdx
from generator.readers.mdx_bullets import read_mdx_bullets

PAGE_PATH = Path(__file__).resolve().parent / "pages" / "vast" / "worker-list.mdx"
PAGE_TEXT = PAGE_PATH.read_text(encoding="utf-8")
DISPLAY = "specs/vast/worker-list.mdx"
ENDPOINT = "/get_endpoint_workers/"
AUTOGROUP = "/get_autogroup_workers/"


def read(text: str, display: str = "page.mdx") -> Fragment:
    return read_mdx_bullets(Page(display, text))


@pytest.fixture(scope="module")
def real() -> Fragment:
    return read(PAGE_TEXT, DISPLAY)


def operation(fragment: Fragment, path: str, method: str = "post") -> dict[str, Any]:
    op: dict[str, Any] = fragment.document["paths"][path][method]
    return op


def body_schema(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["requestBody"]["content"]["application/json"]["schema"]
    return schema


def response_media(op: dict[str, Any]) -> dict[str, Any]:
    media: dict[str, Any] = op["responses"]["200"]["content"]["application/json"]
    return media


def response_item(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = response_media(op)["schema"]
    item: dict[str, Any] = schema.get("items", schema)
    return item


def messages(fragment: Fragment, level: str | None = None) -> list[str]:
    return [d.format() for d in fragment.diagnostics if level in (None, d.level)]


def only(fragment: Fragment, level: str) -> Diagnostic:
    found = [d for d in fragment.diagnostics if d.level == level]
    assert len(found) == 1, messages(fragment)
    return found[0]


def sources(node: Any) -> list[str]:
    """Every x-source value in a document."""
    if isinstance(node, dict):
        own = [node["x-source"]] if isinstance(node.get("x-source"), str) else []
        return own + [s for key, v in node.items() if key != "example" for s in sources(v)]
    if isinstance(node, list):
        return [s for item in node for s in sources(item)]
    return []


def line_of(text: str, source: str) -> str:
    number = int(source.rpartition(":")[2])
    return text.split("\n")[number - 1]


def assert_sources_point_at_fields(fragment: Fragment, text: str) -> None:
    """Each property's x-source is the page line of the bullet naming it."""
    for op in (o for item in fragment.document["paths"].values() for o in item.values()):
        schemas = [response_media(op)["schema"]]
        if "requestBody" in op:
            schemas.append(body_schema(op))
        for schema in schemas:
            for name, prop in schema["properties"].items():
                assert line_of(text, prop["x-source"]).lstrip().startswith(f"* `{name}`")


# --- the real page ---------------------------------------------------------------


def test_real_page_has_both_operations_as_post_with_trailing_slash(real: Fragment) -> None:
    paths = real.document["paths"]
    assert list(paths) == [ENDPOINT, AUTOGROUP]
    assert all(list(item) == ["post"] for item in paths.values())
    assert real.document["servers"][0]["url"] == "https://run.vast.ai"
    assert operation(real, ENDPOINT)["operationId"] == "getEndpointWorkers"
    assert operation(real, AUTOGROUP)["operationId"] == "getAutogroupWorkers"


def test_real_page_reads_without_diagnostics(real: Fragment) -> None:
    assert messages(real) == []


def test_real_page_title_and_description(real: Fragment) -> None:
    info = real.document["info"]
    assert info["title"] == "Worker List"
    assert info["description"].startswith("Learn how to use the /get_endpoint_workers/")
    # It names both paths, so it describes the page, not one operation.
    assert "description" not in operation(real, ENDPOINT)


def test_request_body_fields_types_and_required(real: Fragment) -> None:
    schema = body_schema(operation(real, ENDPOINT))
    assert {n: p["type"] for n, p in schema["properties"].items()} == {
        "id": "integer",
        "api_key": "string",
    }
    assert schema["required"] == ["id"]
    assert schema["properties"]["id"]["description"] == "The id value of the Endpoint."
    autogroup = body_schema(operation(real, AUTOGROUP))["properties"]["id"]
    assert autogroup["description"] == "The id value of the Worker Group."


def test_request_example(real: Fragment) -> None:
    media = operation(real, ENDPOINT)["requestBody"]["content"]["application/json"]
    assert media["example"] == {"id": 123, "api_key": "$API_KEY"}
    autogroup = operation(real, AUTOGROUP)["requestBody"]["content"]["application/json"]
    assert autogroup["example"] == {"id": 1001, "api_key": "$API_KEY"}


def test_api_key_may_be_a_bearer_token_instead(real: Fragment) -> None:
    api_key = body_schema(operation(real, ENDPOINT))["properties"]["api_key"]
    assert api_key["x-alternative-auth"] == "bearer"
    scheme = real.document["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "bearer token" in line_of(PAGE_TEXT, scheme["x-source"])


def test_response_item_fields_and_types(real: Fragment) -> None:
    for path in (ENDPOINT, AUTOGROUP):
        op = operation(real, path)
        schema = response_media(op)["schema"]
        assert schema["type"] == "object"
        types = {n: p["type"] for n, p in schema["properties"].items()}
        assert len(types) == 13
        assert types["cur_load"] == "number"
        assert types["id"] == types["reqs_working"] == "integer"
        assert types["status"] == "string"
        assert op["x-response-per-item"] is True
        description = op["responses"]["200"]["description"]
        assert description.startswith("For each GPU instance") and description.endswith("returned")


def test_response_example_is_the_page_example(real: Fragment) -> None:
    example = response_media(operation(real, ENDPOINT))["example"]
    assert example["cur_load"] == 150
    assert example["status"] == "running"
    assert example["id"] == 123456


def test_descriptions_have_markdown_escapes_removed(real: Fragment) -> None:
    props = response_media(operation(real, ENDPOINT))["schema"]["properties"]
    assert props["perf"]["description"] == "measured_perf * reliability."
    dlperf = "Measured DLPerf of the instance. DLPerf is explained here."
    assert props["dlperf"]["description"] == dlperf
    assert "\\" not in json.dumps(real.document)


def test_x_source_lines_point_at_the_page(real: Fragment) -> None:
    assert operation(real, ENDPOINT)["x-source"] == f"{DISPLAY}:29"
    assert operation(real, AUTOGROUP)["x-source"] == f"{DISPLAY}:112"
    schema = body_schema(operation(real, ENDPOINT))
    assert schema["properties"]["id"]["x-source"] == f"{DISPLAY}:33"
    assert schema["x-source"] == f"{DISPLAY}:31"
    assert response_media(operation(real, AUTOGROUP))["schema"]["x-source"] == f"{DISPLAY}:128"
    assert_sources_point_at_fields(real, PAGE_TEXT)
    assert all(s.startswith(f"{DISPLAY}:") for s in sources(real.document))


def test_script_tag_is_ignored(real: Fragment) -> None:
    text = json.dumps(real.document)
    assert "TechArticle" not in text
    assert "dangerouslySetInnerHTML" not in text


def test_strip_mdx_keeps_line_count() -> None:
    stripped, front_matter = strip_mdx(PAGE_TEXT)
    assert stripped.count("\n") == PAGE_TEXT.count("\n")
    assert front_matter is None
    lines = stripped.split("\n")
    assert all(line == "" for line in lines[8:25])
    assert lines[28] == PAGE_TEXT.split("\n")[28]


# --- edited copies -----------------------------------------------------------------


def without_second_operation(text: str) -> str:
    return text[: text.index("***")]


def test_removing_an_operation_removes_it() -> None:
    fragment = read(without_second_operation(PAGE_TEXT))
    assert list(fragment.document["paths"]) == [ENDPOINT]
    assert messages(fragment) == []


def test_an_added_bullet_becomes_a_field() -> None:
    status = "* `status`(string): Current status of the worker.\n"
    added = "* `started_at` (float): When the worker started.\n"
    text = PAGE_TEXT.replace(status, status + added, 1)
    fragment = read(text)
    props = response_media(operation(fragment, ENDPOINT))["schema"]["properties"]
    assert props["started_at"] == {
        "type": "number",
        "description": "When the worker started.",
        "x-source": "page.mdx:62",
    }
    other = response_media(operation(fragment, AUTOGROUP))["schema"]["properties"]
    assert "started_at" not in other
    assert_sources_point_at_fields(fragment, text)


def test_reordered_sections_read_the_same() -> None:
    page = without_second_operation(PAGE_TEXT)
    head, rest = page.split("## Inputs\n", 1)
    inputs, rest = rest.split("## Outputs\n", 1)
    outputs, tail = rest.split("## Example\n", 1)
    text = head + "## Outputs\n" + outputs + "## Inputs\n" + inputs + "## Example\n" + tail
    fragment, original = read(text), read(page)
    op, before = operation(fragment, ENDPOINT), operation(original, ENDPOINT)
    assert list(body_schema(op)["properties"]) == list(body_schema(before)["properties"])
    assert body_schema(op)["required"] == ["id"]
    assert list(response_media(op)["schema"]["properties"]) == list(
        response_media(before)["schema"]["properties"]
    )
    assert op["x-response-per-item"] is True
    assert_sources_point_at_fields(fragment, text)
    assert messages(fragment) == []


def test_extra_prose_jsx_and_imports_are_ignored_and_lines_stay_right() -> None:
    extra = (
        "---\ntitle: Workers\ndescription: >\n  Lists the workers of /get_endpoint_workers/.\n---\n"
        "import { Note } from '/snippets/note.mdx'\n"
        "export const meta = {\n  hidden: true,\n}\n\n"
        "{/* an MDX comment */}\n\n"
        "<Note>\n  Some *extra* prose that is not a field.\n</Note>\n\n"
        '<Frame caption={{ text: "x" }}>\n  <img src="/a.png" />\n</Frame>\n\n'
    )
    inputs = "## Inputs\n\n"
    text = extra + without_second_operation(PAGE_TEXT).replace(
        inputs, inputs + "Here is some extra prose before the fields.\n\n", 1
    )
    fragment = read(text)
    assert messages(fragment) == []
    assert fragment.document["info"]["title"] == "Workers"
    op = operation(fragment, ENDPOINT)
    assert op["description"] == "Lists the workers of /get_endpoint_workers/."
    assert line_of(text, op["x-source"]).startswith("# [https://run.vast.ai/get")
    assert_sources_point_at_fields(fragment, text)
    dumped = json.dumps(fragment.document)
    assert "hidden" not in dumped and "extra prose" not in dumped


def test_example_key_no_bullet_documents_is_a_warning() -> None:
    text = without_second_operation(PAGE_TEXT).replace(
        '    "status": "running"\n', '    "status": "running",\n    "gpu_name": "RTX 4090"\n', 1
    )
    fragment = read(text)
    warning = only(fragment, "warning")
    assert "gpu_name" in warning.message
    assert '"gpu_name"' in text.split("\n")[(warning.location.line or 0) - 1]
    assert "gpu_name" not in response_media(operation(fragment, ENDPOINT))["schema"]["properties"]


def test_example_type_the_bullet_contradicts_keeps_the_bullet_type() -> None:
    text = without_second_operation(PAGE_TEXT).replace('"reqs_working": 2', '"reqs_working": "2"')
    fragment = read(text)
    assert "reqs_working" in only(fragment, "warning").message
    props = response_media(operation(fragment, ENDPOINT))["schema"]["properties"]
    assert props["reqs_working"]["type"] == "integer"


SMALL = """# [https://api.example.com/v1/things/](https://api.example.com/v1/things/)

## Inputs

* `name` (str): The thing's name.
* `limit` (integer, optional): At most this many.
* `tags` (list of string): Tags.

```json
{"name": "a", "limit": 3, "tags": ["x"]}
```

## Outputs

* `id` (int): The id.
* `ok` (bool): Whether it worked.
"""


def test_no_method_with_a_json_body_defaults_to_post_with_a_warning() -> None:
    fragment = read(SMALL)
    op = operation(fragment, "/v1/things/")
    assert op["operationId"] == "v1Things"
    schema = body_schema(op)
    assert schema["required"] == ["name", "tags"]  # `limit` says optional
    assert schema["properties"]["tags"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "Tags.",
        "x-source": "page.mdx:7",
    }
    warning = only(fragment, "warning")
    assert "POST assumed" in warning.message and warning.location.line == 1
    assert "x-response-per-item" not in op
    assert response_media(op)["schema"]["properties"]["ok"]["type"] == "boolean"


def test_no_method_and_no_body_is_stored_as_unknown_method() -> None:
    text = SMALL.replace('```json\n{"name": "a", "limit": 3, "tags": ["x"]}\n```\n', "")
    fragment = read(text)
    op = fragment.document["paths"]["/v1/things/"]["x-unknown-method"]
    assert [f["name"] for f in op["x-request-fields"]] == ["name", "limit", "tags"]
    assert op["x-request-fields"][0]["schema"] == {"type": "string"}
    assert op["x-request-fields"][0]["x-source"] == "page.mdx:5"
    assert messages(fragment) == []


def test_curl_with_data_and_no_method_is_post_and_get_heading_is_get() -> None:
    curl = '```bash\ncurl https://api.example.com/v1/things/ \\\n  -d \'{"name": "a"}\'\n```\n'
    assert "post" in read(SMALL + "\n" + curl).document["paths"]["/v1/things/"]
    text = SMALL.replace("# [https", "# GET [https", 1)
    fragment = read(text)
    op = operation(fragment, "/v1/things/", "get")
    assert [p["in"] for p in op["parameters"]] == ["query", "query", "query"]


def test_curl_bearer_header_declares_the_scheme() -> None:
    curl = "```bash\ncurl -X POST -H 'Authorization: Bearer $KEY' https://api.example.com/v1/things/\n```\n"
    fragment = read(SMALL + "\n" + curl)
    assert "bearer" in fragment.document["components"]["securitySchemes"]
    assert messages(fragment) == []


# --- broken input ---------------------------------------------------------------------


def test_unknown_type_is_a_warning_and_the_example_type_is_used() -> None:
    bullet = "* `id` (int): The id value of the Endpoint."
    text = PAGE_TEXT.replace(bullet, "* `id` (uuid): The id.", 1)
    fragment = read(text, DISPLAY)
    warning = only(fragment, "warning")
    assert str(warning.location) == f"{DISPLAY}:33"
    assert "uuid" in warning.message and warning.hint and "integer" in warning.hint
    assert body_schema(operation(fragment, ENDPOINT))["properties"]["id"]["type"] == "integer"


def test_bullet_without_type_takes_the_example_type_with_a_warning() -> None:
    text = PAGE_TEXT.replace("* `new_load` (float):", "* `new_load`:", 1)
    fragment = read(text)
    warning = only(fragment, "warning")
    assert warning.location.line == 50 and "new_load" in warning.message
    assert "integer" in warning.message and "example" in warning.message
    item = response_item(operation(fragment, ENDPOINT))
    assert item["properties"]["new_load"]["type"] == "integer"  # the example shows 50


def test_bullet_without_type_and_without_example_is_a_string() -> None:
    text = PAGE_TEXT.replace("* `new_load` (float):", "* `new_load`:", 1)
    text = text.replace('"new_load": 50,', "", 1)
    fragment = read(text)
    assert not [d for d in fragment.diagnostics if d.level == "error"]
    (warning,) = [d for d in fragment.diagnostics if "new_load" in d.message]
    assert warning.location.line == 50 and "string" in warning.message
    item = response_item(operation(fragment, ENDPOINT))
    assert item["properties"]["new_load"]["type"] == "string"


SIBLING = (PAGE_PATH.parent / "logs.mdx").read_text(encoding="utf-8")


def test_sibling_page_in_repository_source_form_reads_without_errors() -> None:
    """Front matter, `-` bullets, `(type)` absent, a method before an escaped URL, nesting."""
    fragment = read(SIBLING, "logs.mdx")
    assert not [d for d in fragment.diagnostics if d.level == "error"]
    assert fragment.document["info"]["title"] == "Logs"
    logs = operation(fragment, "/get_endpoint_logs/")
    schema = body_schema(logs)
    assert set(schema["properties"]) == {"id", "endpoint", "api_key"}
    assert schema["properties"]["id"]["type"] == "integer"
    assert "id" not in schema.get("required", []) and "endpoint" not in schema.get("required", [])
    outputs = logs["responses"]["200"]["content"]["application/json"]["schema"]
    assert {k: v["type"] for k, v in outputs["properties"].items()} == dict.fromkeys(
        ("info0", "info1", "trace", "debug"), "string"
    )
    untyped = [d for d in fragment.diagnostics if "has no type" in d.message]
    assert [d.location.line for d in untyped] == [64, 65, 66, 67, 96, 97, 98, 99]


def test_one_of_group_fields_are_optional_alternatives() -> None:
    page = SIBLING.replace("- One of the following:", "- Both of these:", 1)
    required = body_schema(operation(read(page), "/get_endpoint_logs/")).get("required", [])
    assert "id" not in required  # the example does not show it
    choice = body_schema(operation(read(SIBLING), "/get_endpoint_logs/")).get("required", [])
    assert "endpoint" in required and "endpoint" not in choice


def test_bad_json_example_is_reported_at_its_line() -> None:
    text = PAGE_TEXT.replace('"api_key": "$API_KEY"', "api_key: $API_KEY", 1)
    fragment = read(text)
    warning = only(fragment, "warning")
    assert warning.location.line == 41 and "JSON" in warning.message
    op = operation(fragment, ENDPOINT)
    assert "example" not in op["requestBody"]["content"]["application/json"]
    assert "required" not in body_schema(op)


def test_empty_page_is_an_error() -> None:
    for text in ("", "\n\n", "# Just a title\n\nSome prose.\n"):
        fragment = read(text)
        error = only(fragment, "error")
        assert str(error.location) == "page.mdx:1" and error.hint
        assert fragment.document["paths"] == {}


def test_heading_without_url_is_an_error_at_the_heading() -> None:
    text = PAGE_TEXT.replace(
        "# [https://run.vast.ai/get\\_autogroup\\_workers/](https://run.vast.ai/get_autogroup_workers/)",
        "# Get autogroup workers",
        1,
    )
    fragment = read(text)
    error = only(fragment, "error")
    assert error.location.line == 112 and "URL" in error.message
    assert list(fragment.document["paths"]) == [ENDPOINT]


def test_subheadings_under_a_url_less_heading_report_it_once() -> None:
    text = "# Things\n\n## Inputs\n\n### Details\n\n## Outputs\n\n* `a` (int): A.\n"
    errors = [d for d in read(text).diagnostics if d.level == "error"]
    assert [(d.location.line, "URL" in d.message) for d in errors][0] == (1, True)
    assert sum("URL" in d.message for d in errors) == 1


@pytest.mark.parametrize(
    "text",
    [
        "# https://[abc/x/\n",
        "# [a](https://[x/)\n",
        "# [https://h/p/](https://h/p/)\n\n```bash\ncurl https://[x/ -X POST\n```\n",
        "# [https://h/p/](https://h/p/)\n\n## Inputs\n\n" + "> " * 500 + "x\n",
        "# [https://h/p/](https://h/p/)\n\n## Inputs\n\n```json\n" + "[" * 5000 + "\n```\n",
    ],
)
def test_odd_urls_and_nesting_are_not_exceptions(text: str) -> None:
    fragment = read(text)
    assert isinstance(fragment.document.get("paths", {}), dict)
    # None of these pages describes a usable operation: each says so rather than crashing.
    assert fragment.diagnostics, "an odd page must be reported"


def test_unterminated_constructs_do_not_swallow_the_page() -> None:
    text = "<script>\nnever closed\n\n" + without_second_operation(PAGE_TEXT)
    text += "\n```json\n{\n"
    fragment = read(text)
    assert list(fragment.document["paths"]) == [ENDPOINT]


# --- the reader never raises ----------------------------------------------------------

MARKDOWN_ALPHABET = st.sampled_from(
    list("# *-`()[]{}<>/\\:\"'\n_&;!|~") + ["int", "float", "json", "```", "curl -X", "http://a/b/"]
)
LINES = PAGE_TEXT.split("\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_ALPHABET, max_size=80).map("".join))
def test_reader_never_raises_on_markdown_noise(text: str) -> None:
    fragment = read(text)
    assert isinstance(fragment.document["paths"], dict)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, len(LINES) - 1), max_size=12),
    st.lists(st.tuples(st.integers(0, len(LINES)), st.text(max_size=30)), max_size=6),
)
def test_reader_never_raises_on_mangled_pages(
    drop: list[int], insert: list[tuple[int, str]]
) -> None:
    lines = [line for number, line in enumerate(LINES) if number not in set(drop)]
    for at, line in insert:
        lines.insert(min(at, len(lines)), line)
    fragment = read("\n".join(lines))
    for diagnostic in fragment.diagnostics:
        assert diagnostic.location.line is not None

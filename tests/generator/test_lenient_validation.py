"""What a real OpenAPI document gets wrong without making correct code impossible is a
warning at ``file:line`` with its JSON pointer, and generation goes on; what does make it
impossible is an error, every one of them reported, each located in the page."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic
from generator.pipeline import ProviderBuild, build_provider

PROVIDER = """\
name = "doc"
display_name = "Doc"
client_name = "Doc"
base_url = "https://api.example.com"

[[pages]]
file = "openapi.yaml"
format = "openapi"
"""

HEAD = """\
openapi: 3.0.3
info: {title: Doc, version: "1"}
"""


def _build(tmp_path: Path, document: str, head: str = HEAD) -> ProviderBuild:
    folder = tmp_path / "specs" / "doc"
    folder.mkdir(parents=True)
    (folder / "provider.toml").write_text(PROVIDER)
    (folder / "openapi.yaml").write_text(head + textwrap.dedent(document))
    return build_provider(tmp_path / "specs", "doc")


def _line_of(tmp_path: Path, text: str) -> int:
    lines = (tmp_path / "specs" / "doc" / "openapi.yaml").read_text().splitlines()
    [number] = [n for n, line in enumerate(lines, 1) if text in line]
    return number


def _shown(items: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in items)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")


# The shape of openapi-python-client's /parameter-references/{path_param}: every parameter
# a Reference Object.
REF_PARAMETERS = """\
paths:
  /parameter-references/{path_param}:
    get:
      operationId: getParameterReferences
      parameters:
        - $ref: '#/components/parameters/string-param'
        - $ref: '#/components/parameters/integer-param'
        - $ref: '#/components/parameters/header-param'
        - $ref: '#/components/parameters/cookie-param'
        - $ref: '#/components/parameters/path-param'
      responses:
        '200': {description: OK}
components:
  parameters:
    string-param: {name: string_param, in: query, schema: {type: string}}
    integer-param: {name: integer_param, in: query, schema: {type: integer, default: 0}}
    header-param: {name: header param, in: header, required: false, schema: {type: string}}
    cookie-param: {name: cookie param, in: cookie, required: false, schema: {type: string}}
    path-param: {name: path_param, in: path, required: true, schema: {type: string}}
"""


def test_reference_parameters_pass_and_keep_their_lines(tmp_path: Path) -> None:
    build = _build(tmp_path, REF_PARAMETERS)
    assert build.ok, _shown(build.diagnostics.items)
    assert build.document is not None
    operation = build.document["paths"]["/parameter-references/{path_param}"]["get"]
    assert all(set(parameter) == {"$ref"} for parameter in operation["parameters"])
    assert build.api is not None
    [op] = [op for resource in build.api.resources for op in resource.operations]
    names = {param.name: param.source for param in op.params}
    assert names["path_param"] == f"specs/doc/openapi.yaml:{_line_of(tmp_path, 'path-param: {')}"


LENIENT = {
    "default of the wrong type": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              parameters:
                - name: limit
                  in: query
                  schema: {type: integer, default: '8'}
              responses: {'200': {description: OK}}
        """,
        "schema: {type: integer, default: '8'}",
        "/paths/~1items/get/parameters/0/schema/default",
        "default does not match its schema: '8' is not of type 'integer'",
    ),
    "example of the wrong type": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              responses: {'200': {description: OK}}
        components:
          schemas:
            Item:
              type: object
              properties:
                size:
                  type: integer
                  example: large
        """,
        "example: large",
        "/components/schemas/Item/properties/size/example",
        "example does not match its schema: 'large' is not of type 'integer'",
    ),
    "duplicate required entries": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              responses: {'200': {description: OK}}
        components:
          schemas:
            Item:
              type: object
              required: [id, id]
              properties: {id: {type: string}}
        """,
        "required: [id, id]",
        "/components/schemas/Item/required",
        "duplicate entries in required",
    ),
    "unknown schema keyword": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              responses: {'200': {description: OK}}
        components:
          schemas:
            Item:
              type: object
              properties:
                name: {type: string, minLenght: 3}
        """,
        "minLenght",
        "/components/schemas/Item/properties/name/minLenght",
        "unknown schema keyword 'minLenght'",
    ),
    "title on an operation": (
        """\
        paths:
          /items:
            get:
              title: List items
              operationId: listItems
              responses: {'200': {description: OK}}
        """,
        "get:",
        "/paths/~1items/get",
        "unknown field 'title'",
    ),
    "2019-09 recursion keywords": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              responses: {'200': {description: OK}}
        components:
          schemas:
            Filter:
              $recursiveAnchor: true
              type: object
              properties:
                filters:
                  type: array
                  items: {$recursiveRef: '#'}
        """,
        "$recursiveAnchor: true",
        "/components/schemas/Filter/$recursiveAnchor",
        "$recursiveAnchor is a JSON Schema 2019-09 keyword",
    ),
    "response without a description": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              responses:
                '204': {headers: {}}
        """,
        "'204': {headers: {}}",
        "/paths/~1items/get/responses/204",
        "'description' is a required property",
    ),
    "path parameter the path does not have": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: OK}}
        """,
        "get:",
        "/paths/~1items/get",
        "Path parameter 'id' for 'get' operation in '/items' was not resolved",
    ),
    "a constraint of the wrong kind": (
        """\
        paths:
          /items:
            get:
              operationId: listItems
              responses: {'200': {description: OK}}
        components:
          schemas:
            Item:
              type: object
              properties:
                timecode:
                  type: string
                  pattern: 0
        """,
        "pattern: 0",
        "/components/schemas/Item/properties/timecode/pattern",
        "pattern 0 is no valid pattern: 0 is not of type 'string'",
    ),
    "two paths that differ only in their parameters' names": (
        """\
        paths:
          /stores/{storeId}/orders/{orderId}/cancel:
            post:
              operationId: cancelOrder
              parameters:
                - {name: storeId, in: path, required: true, schema: {type: string}}
                - {name: orderId, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: OK}}
          /stores/{endpoint}/orders/{marketplaceOrderId}/cancel:
            post:
              operationId: cancelMarketplaceOrder
              parameters:
                - {name: endpoint, in: path, required: true, schema: {type: string}}
                - {name: marketplaceOrderId, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: OK}}
        """,
        "/stores/{endpoint}/orders/{marketplaceOrderId}/cancel:",
        "/paths/~1stores~1{endpoint}~1orders~1{marketplaceOrderId}~1cancel",
        "is '/stores/{storeId}/orders/{orderId}/cancel' with other parameter names: "
        "OpenAPI says such paths MUST NOT both exist",
    ),
}


@pytest.mark.parametrize("case", LENIENT, ids=str)
def test_what_code_can_be_right_without_is_a_located_warning(tmp_path: Path, case: str) -> None:
    document, line_text, pointer, message = LENIENT[case]
    build = _build(tmp_path, document)
    assert build.ok, _shown(build.diagnostics.items)
    where = f"specs/doc/openapi.yaml:{_line_of(tmp_path, line_text)}: warning: "
    found = [d.format() for d in build.diagnostics.warnings if f"(at {pointer})" in d.message]
    assert found, _shown(build.diagnostics.items)
    assert found[0].startswith(where) and message in found[0], found[0]


def test_every_error_is_listed_and_located(tmp_path: Path) -> None:
    """No cap at 20, no "(normalized OpenAPI)" and no pointer "/" for a nested problem."""
    schemas = "".join(
        f"    Broken{n}:\n      type: object\n      required: true\n" for n in range(25)
    )
    document = """\
        paths:
          /items:
            get:
              operationId: listItems
              parameters: {name: limit, in: query}
              responses: {'200': {description: OK}}
          /items/{id}:
            get:
              operationId: getItem
              responses: {'200': {description: OK}}
        components:
          schemas:
        """
    build = _build(tmp_path, textwrap.dedent(document) + schemas)
    errors = build.diagnostics.errors
    assert build.api is None
    assert len(errors) == 26, _shown(errors)
    for n in range(25):
        line = _line_of(tmp_path, f"Broken{n}:") + 2  # its `required: true`
        [error] = [e for e in errors if f"/components/schemas/Broken{n}/required)" in e.message]
        assert error.format().startswith(f"specs/doc/openapi.yaml:{line}: error: "), error
    shown = _shown(errors)
    assert "(normalized OpenAPI)" not in shown and "(at /)" not in shown
    parameters = _line_of(tmp_path, "parameters: {name: limit")
    assert f"openapi.yaml:{parameters}: error: invalid OpenAPI: " in shown
    assert "(at /paths/~1items/get/parameters)" in shown
    # an undeclared path parameter is a warning (it becomes a string argument), located too
    unresolved = _line_of(tmp_path, "/items/{id}:") + 1  # its `get:`
    assert re.search(
        rf"openapi.yaml:{unresolved}: warning: Path parameter 'id' .* "
        r"\(at /paths/~1items~1\{id\}/get\)",
        _shown(build.diagnostics.warnings),
    ), _shown(build.diagnostics.items)


def test_duplicate_operation_ids_get_distinct_names_and_a_warning(tmp_path: Path) -> None:
    build = _build(
        tmp_path,
        """\
        paths:
          /pets:
            get:
              operationId: list
              tags: [pets]
              responses: {'200': {description: OK}}
          /pets/{id}/toys:
            get:
              operationId: list
              tags: [pets]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: OK}}
            post:
              operationId: list
              tags: [pets]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: OK}}
        """,
    )
    assert build.ok, _shown(build.diagnostics.items)
    assert build.api is not None
    names = [op.python_name for resource in build.api.resources for op in resource.operations]
    assert names == ["list", "list_get_pets_id_toys", "list_post_pets_id_toys"]
    warnings = [d.format() for d in build.diagnostics.warnings if "operationId" in d.message]
    second = _line_of(tmp_path, "/pets/{id}/toys:") + 1  # its `get:`
    assert warnings[0] == (
        f"specs/doc/openapi.yaml:{second}: warning: operationId 'list' is also the id of "
        "GET /pets: GET /pets/{id}/toys is named 'list_get_pets_id_toys' (hint: give each "
        "operation its own operationId, or an x-python-name in the overlay)"
    )
    assert len(warnings) == 2


def test_a_reference_object_is_located_by_the_sources_table(tmp_path: Path) -> None:
    """A Reference Object carries no x-source; its own line still places what is wrong in it.

    OpenAPI 3.1 (a 3.0 document's siblings of $ref are ignored, as 3.0 says: no error).
    """
    build = _build(
        tmp_path,
        REF_PARAMETERS.replace(
            "- $ref: '#/components/parameters/string-param'",
            "- {$ref: '#/components/parameters/string-param', summary: 3}",
        ),
        HEAD.replace("openapi: 3.0.3", "openapi: 3.1.0"),
    )
    [error] = build.diagnostics.errors
    line = _line_of(tmp_path, "summary: 3")
    assert error.format().startswith(f"specs/doc/openapi.yaml:{line}: error: invalid OpenAPI: ")
    assert "(at /paths/~1parameter-references~1{path_param}/get/parameters/0/summary)" in (
        error.message
    )


def test_warnings_come_back_from_the_validation_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run reads the cached findings: a valid document with warnings keeps them."""
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))
    document = LENIENT["default of the wrong type"][0]
    first = _build(tmp_path / "first", document)
    second = _build(tmp_path / "second", document)
    assert list((tmp_path / "cache").iterdir())
    assert first.ok and second.ok
    assert [d.message for d in second.diagnostics.warnings] == [
        d.message for d in first.diagnostics.warnings
    ]
    assert any("default does not match" in d.message for d in second.diagnostics.warnings)


def test_a_yaml_date_is_a_string_as_in_json(tmp_path: Path) -> None:
    """A YAML timestamp in an example is the date's text: the document stays JSON data."""
    build = _build(
        tmp_path,
        """\
        paths:
          /items:
            get:
              operationId: listItems
              parameters:
                - {name: since, in: query, schema: {type: string}, example: 2024-01-31}
              responses: {'200': {description: OK}}
        """,
    )
    assert build.ok and not build.diagnostics.items, _shown(build.diagnostics.items)
    assert build.document is not None
    [parameter] = build.document["paths"]["/items"]["get"]["parameters"]
    assert parameter["example"] == "2024-01-31"
    json.dumps(build.document)


def test_a_dangling_reference_does_not_hide_the_other_errors(tmp_path: Path) -> None:
    build = _build(
        tmp_path,
        """\
        paths:
          /items:
            get:
              operationId: listItems
              parameters: {name: limit, in: query}
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Nowhere'}
        """,
    )
    shown = _shown(build.diagnostics.errors)
    assert len(build.diagnostics.errors) == 2, shown
    dangling = _line_of(tmp_path, "Nowhere")
    assert f"openapi.yaml:{dangling}: error: $ref '#/components/schemas/Nowhere' points" in shown
    assert "(at /paths/~1items/get/parameters)" in shown


def test_a_default_its_schema_rejects_is_not_the_arguments_default(tmp_path: Path) -> None:
    """`limit: int = '8'` would not be correct code: the default is dropped, and said so."""
    build = _build(tmp_path, LENIENT["default of the wrong type"][0])
    assert build.ok and build.api is not None and build.document is not None
    [warning] = build.diagnostics.warnings
    assert "it is dropped, so there is no default" in (warning.hint or "")
    [parameter] = build.document["paths"]["/items"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "integer"}
    [op] = [op for resource in build.api.resources for op in resource.operations]
    [limit] = op.params
    assert limit.default is None and not limit.required


PATTERNS = r"""
paths:
  /tags:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string, pattern: '[\p{all}]*'}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Tag'}}}
components:
  schemas:
    Tag:
      type: object
      properties:
        huge: {type: string, pattern: '^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,2048}$'}
        ahead: {type: string, pattern: '^(?!aws:)[a-z]+$'}
        plain: {type: string, pattern: '^[a-z]+$'}
"""


def test_a_pattern_the_models_cannot_compile_is_dropped_with_a_warning(tmp_path: Path) -> None:
    """Rust's regex engine (pydantic's) knows no ``\\p{all}`` and refuses a pattern over its
    size limit; either would make the package fail to import."""
    build = _build(tmp_path, PATTERNS)
    assert build.ok and build.document is not None, _shown(build.diagnostics.items)
    shown = _shown(build.diagnostics.warnings)
    query_line = _line_of(tmp_path, "name: q")
    assert f"openapi.yaml:{query_line}: warning: pattern '[\\\\p{{all}}]*': rust-regex cannot" in (
        shown
    )
    assert "Unicode property not found" in shown
    assert "exceeds size limit" in shown
    assert "the client does not check this pattern, the server still does" in shown
    tag = build.document["components"]["schemas"]["Tag"]["properties"]
    assert "pattern" not in tag["huge"]
    assert tag["ahead"]["pattern"] == "^(?!aws:)[a-z]+$"  # Python's re runs lookaround
    assert tag["plain"]["pattern"] == "^[a-z]+$"
    parameters = build.document["paths"]["/tags"]["get"]["parameters"]
    assert "pattern" not in parameters[0]["schema"]

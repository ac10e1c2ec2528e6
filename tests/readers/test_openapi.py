"""The OpenAPI reader never raises: broken documents become diagnostics (fuzzed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic
from generator.pipeline import build_provider
from generator.readers import Fragment, Page
from generator.readers.openapi import read_openapi
from tests.openapi_provider import openapi_provider
from tests.readers.fuzzing import FUZZ, line_mutations, mutate

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = (ROOT / "tests/specs/petstore/petstore.yaml").read_text(encoding="utf-8")
LINES = PETSTORE.splitlines()


def _checked(fragment: Fragment) -> Fragment:
    assert isinstance(fragment, Fragment)
    assert all(isinstance(d, Diagnostic) and d.location.file for d in fragment.diagnostics)
    return fragment


def test_the_petstore_reads_cleanly() -> None:
    fragment = _checked(read_openapi(Page("petstore.yaml", PETSTORE)))
    assert fragment.diagnostics == [] and len(fragment.document["paths"]) == 2


@FUZZ
@given(st.text(), st.sampled_from(["page.md", "page.yaml", "page.json"]))
def test_random_text_never_raises(text: str, name: str) -> None:
    _checked(read_openapi(Page(name, text)))


@FUZZ
@given(line_mutations(len(LINES), '{}[]":,#&*!|>- $refabc0123\\'))
def test_mutated_document_never_raises(mutations: list[tuple[int, str, str]]) -> None:
    text = mutate(LINES, mutations)
    _checked(read_openapi(Page("petstore.yaml", text)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@FUZZ
@given(st.sampled_from(["paths", "components", "info", "openapi"]), JSON_VALUES, st.booleans())
def test_wrong_shapes_never_raise(key: str, value: Any, fenced: bool) -> None:
    """Any JSON value in a place where the document expects a particular shape."""
    document = yaml.safe_load(PETSTORE)
    document[key] = value
    text = json.dumps(document)
    if fenced:
        _checked(read_openapi(Page("page.md", f"# API\n\n```json\n{text}\n```\n")))
    else:
        _checked(read_openapi(Page("page.json", text)))


OLDER_DIALECTS = """\
openapi: 3.1.0
info: {title: Dialects, version: "1"}
jsonSchemaDialect: http://json-schema.org/draft-04/schema#
paths:
  /numbers:
    get:
      parameters:
        - name: local
          in: query
          schema:
            $schema: http://json-schema.org/draft-04/schema#
            type: number
            maximum: 20
            exclusiveMaximum: true
        - name: modern
          in: query
          schema:
            $schema: https://json-schema.org/draft/2020-12/schema
            type: number
            exclusiveMaximum: 20
      responses: {"204": {description: none}}
"""


def test_schemas_in_an_older_dialect_are_brought_to_2020_12() -> None:
    """OpenAPI 3.1 lets a document (``jsonSchemaDialect``) or a schema (``$schema``) name
    draft-04, whose ``exclusiveMaximum`` is a boolean: it is rewritten, and so no longer
    declared draft-04 (the validator would read ``exclusiveMaximum: 20`` against draft-04)."""
    fragment = _checked(read_openapi(Page("dialects.yaml", OLDER_DIALECTS)))
    assert fragment.diagnostics == []
    assert "jsonSchemaDialect" not in fragment.document
    local, modern = fragment.document["paths"]["/numbers"]["get"]["parameters"]
    assert {k: v for k, v in local["schema"].items() if k != "x-source"} == {
        "type": "number", "exclusiveMaximum": 20}
    assert modern["schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_document_with_older_dialects_generates(tmp_path: Path) -> None:
    specs = openapi_provider(tmp_path / "specs", "dialects", OLDER_DIALECTS,
                             'base_url = "https://x.example"')
    build = build_provider(specs, "dialects")
    assert build.ok, [d.format() for d in build.diagnostics.items]


def test_a_document_of_only_webhooks_says_so(tmp_path: Path) -> None:
    hooks = ("openapi: 3.1.0\ninfo: {title: Hooks, version: '1'}\nwebhooks:\n"
             "  newPet:\n    post:\n      responses: {'200': {description: ok}}\n")
    build = build_provider(openapi_provider(tmp_path / "specs", "hooks", hooks), "hooks")
    [error] = [d.format() for d in build.diagnostics.errors]
    assert error.startswith("specs/hooks/openapi.yaml:1: error: the document has webhooks")


def _body_schema(version: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "$ref": "#/components/schemas/Body",
                                    "description": "kept: a note",
                                    "required": ["file"],
                                    "properties": {},
                                    "example": {"$ref": "data, not a reference", "x": 1},
                                }
                            }
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
        "components": {"schemas": {"Body": {"type": "object"}}},
    }
    if version.startswith("3.0"):
        content = document["paths"]["/upload"]["post"]["requestBody"]["content"]
        content["multipart/form-data"]["schema"]["nullable"] = True
    fragment = _checked(read_openapi(Page("doc.json", json.dumps(document))))
    media = fragment.document["paths"]["/upload"]["post"]["requestBody"]["content"]
    schema: dict[str, Any] = media["multipart/form-data"]["schema"]
    return schema


def test_openapi_30_ignores_what_stands_beside_a_ref() -> None:
    schema = _body_schema("3.0.3")
    reference = {"$ref": "#/components/schemas/Body", "description": "kept: a note"}
    # nullable beside a $ref is read as "or null" (3.0 practice), the rest is ignored.
    assert schema["anyOf"] == [{"$ref": "#/components/schemas/Body"}, {"type": "null"}]
    assert "properties" not in schema and "required" not in schema
    assert schema["description"] == reference["description"]
    assert schema["example"] == {"$ref": "data, not a reference", "x": 1}


def test_openapi_31_keeps_what_stands_beside_a_ref() -> None:
    schema = _body_schema("3.1.0")
    assert schema["properties"] == {} and schema["required"] == ["file"]

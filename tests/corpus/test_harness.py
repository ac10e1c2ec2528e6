"""The corpus harness's own parts: provider.toml, error lines, operations, minimal arguments."""

from __future__ import annotations

import copy
import dataclasses
import json
import tomllib
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

import httpx
import pydantic
import pytest

from generator import ir
from tests.corpus import calls, documents, report, serving
from tests.corpus.arguments import SAMPLE_FILE, MinimalArguments
from tests.corpus.stages import (
    DocumentResult,
    OperationResult,
    Run,
    _generate,
    _import,
    _mypy,
    _ruff,
    first_error,
)

PETSTORE_LIKE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pet Store", "version": "1"},
    "servers": [
        {"url": "https://{region}.pets.test/v1", "variables": {"region": {"default": "eu"}}}
    ],
    "paths": {
        "/pets": {"get": {"responses": {}}, "post": {"responses": {}}, "parameters": []},
        "/pets/{id}": {"delete": {"responses": {}}, "summary": "not an operation"},
    },
}


def test_minimal_provider_toml_is_the_name_and_the_page() -> None:
    text = documents.provider_toml("pets", "pets.yaml", PETSTORE_LIKE)
    assert tomllib.loads(text) == {
        "name": "pets",
        "pages": [{"file": "pets.yaml", "format": "openapi"}],
    }


def test_required_keys_are_filled_from_info_and_servers() -> None:
    fill = ("display_name", "client_name", "base_url")
    settings = tomllib.loads(documents.provider_toml("pet_store", "p.yaml", PETSTORE_LIKE, fill))
    assert settings["display_name"] == "Pet Store"
    assert settings["client_name"] == "PetStore"
    assert settings["base_url"] == "https://eu.pets.test/v1"
    relative = {**PETSTORE_LIKE, "servers": [{"url": "/api/v3"}]}
    assert tomllib.loads(documents.provider_toml("p", "p.yaml", relative, fill))["base_url"] == (
        "http://localhost/api/v3"
    )


def test_the_generator_accepts_the_provider_toml_the_harness_writes(tmp_path: Path) -> None:
    """Whatever keys today's generator still requires, the harness can fill them."""
    source = tmp_path / "pets.json"
    source.write_text(
        '{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},'
        ' "servers": [{"url": "https://pets.test"}],'
        ' "paths": {"/pets": {"get": {"operationId": "listPets",'
        ' "responses": {"204": {"description": "none"}}}}}}',
        encoding="utf-8",
    )
    document = documents.load(source)
    generated, filled, error = _generate(Run(tmp_path / "work", None), source, "pets", document)
    assert generated, error
    assert set(filled) <= {"display_name", "client_name", "base_url"}
    assert (tmp_path / "work" / "out" / "ir" / "pets.json").is_file()


def test_operations_are_the_path_items_http_methods() -> None:
    assert documents.operations(PETSTORE_LIKE) == [
        ("GET", "/pets"),
        ("POST", "/pets"),
        ("DELETE", "/pets/{id}"),
    ]


@pytest.mark.parametrize(
    ("stem", "name"),
    [("oapc-baseline-3.0", "oapc_baseline_3_0"), ("Stripe 2022", "stripe_2022"), ("3d", "api_3d")],
)
def test_provider_name_is_a_module_name(stem: str, name: str) -> None:
    assert documents.provider_name(Path(f"{stem}.json")) == name


def test_first_error_joins_a_heading_with_its_first_detail() -> None:
    output = (
        "reading stripe ...\n"
        "error: ruff check on the generated code failed:\n"
        "W291 Trailing whitespace\n"
        "  --> models.py:3:1\n"
        "error: something else\n"
    )
    assert first_error(output) == (
        "error: ruff check on the generated code failed: W291 Trailing whitespace"
        " (+1 more error lines)"
    )
    assert first_error("") == "failed with no output"


def test_the_table_and_the_failing_operations() -> None:
    result = DocumentResult("pets.yaml", 2, generated=True, ruff_issues=0, mypy_errors=0)
    result.calls = [
        OperationResult("GET /pets (pets.list)", True),
        OperationResult("POST /pets (pets.create)", False, "Prism: body.name: required"),
    ]
    text = report.text([result])
    assert "1/2 (50%)" in text
    assert "  [client] POST /pets (pets.create): Prism: body.name: required" in text
    markdown = report.markdown([result], "# Corpus")
    assert "| pets.yaml | 2 | minimal | yes | 0 | yes | 0 | 1/2 (50%) |" in markdown


# -- minimal arguments ----------------------------------------------------------------------------

_BODY = {
    "type": "object",
    "required": ["kind", "at", "owner", "count"],
    "properties": {
        "kind": {"type": "string", "enum": ["cat", "dog"]},
        "at": {"type": "string", "format": "date-time"},
        "owner": {"type": "string", "format": "email"},
        "count": {"type": "integer", "minimum": 5, "maximum": 9},
        "nickname": {"type": "string"},
    },
}
_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/pets/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"format": "uuid"}}
            ],
            "put": {
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {
                        "name": "tag",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "example": "fluffy"},
                    },
                ],
                "requestBody": {"content": {"application/json": {"schema": _BODY}}},
            },
        }
    },
}


def _param(name: str, location: Literal["path", "query"], required: bool) -> ir.Param:
    return ir.Param(name, name, location, "str", required)


def _operation() -> ir.Operation:
    return ir.Operation(
        operation_id="putPet",
        resource="pets",
        python_name="put",
        method="PUT",
        path="/pets/{id}",
        summary="",
        description="",
        idempotent=True,
        params=(
            _param("id", "path", True),
            _param("limit", "query", False),
            _param("tag", "query", True),
        ),
        body=ir.Body("application/json", True, flattened=False, annotation="dict[str, Any]"),
        returns="None",
        status="200",
    )


def _put(*, id: uuid.UUID, tag: str, limit: int | None = None, body: dict[str, Any]) -> None:
    """Stands for a generated method: only its annotations are read."""


def test_minimal_arguments_are_required_only_and_valid() -> None:
    values = MinimalArguments(_DOCUMENT).for_operation(_operation(), _put)
    assert set(values) == {"id", "tag", "body"}  # path-item-level `id` found, `limit` left out
    assert isinstance(values["id"], uuid.UUID)
    assert values["tag"] == "fluffy"  # the example, valid against its schema
    body = values["body"]
    assert set(body) == {"kind", "at", "owner", "count"}
    assert body["kind"] == "cat"
    assert datetime.fromisoformat(body["at"].replace("Z", "+00:00"))
    assert "@" in body["owner"]
    assert 5 <= body["count"] <= 9


def test_optional_arguments_are_added_when_asked_for() -> None:
    # What the harness resends when Prism validates optional deepObject fields left out.
    values = MinimalArguments(_DOCUMENT).for_operation(_operation(), _put, frozenset({"limit"}))
    assert set(values) == {"id", "tag", "limit", "body"} and values["limit"] == 1


def test_the_checks_count_what_they_find_in_the_package(tmp_path: Path) -> None:
    """ruff, the import and mypy --strict run on the generated folder, not on the repository's."""
    package = tmp_path / "out" / "src" / "gpuworkers" / "pets"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text("import os\n\n\ndef f(x):\n    return x \n")
    (package / "broken.py").write_text("raise ImportError('no such model: Pet')\n")
    run = Run(tmp_path, None)
    issues, first = _ruff(run)
    assert issues >= 2 and first.startswith("ruff: __init__.py:1: "), first  # F401, W291
    assert _import(run, "pets") == "import: ImportError: no such model: Pet"
    errors, first = _mypy(run)
    assert errors == 1 and "Function is missing a type annotation" in first, first


def test_the_body_is_built_for_the_media_type_the_client_sends() -> None:
    form = {"type": "object", "required": ["email"], "properties": {"email": {"format": "email"}}}
    document = copy.deepcopy(_DOCUMENT)
    content = document["paths"]["/pets/{id}"]["put"]["requestBody"]["content"]
    content["application/x-www-form-urlencoded"] = {"schema": form}
    op = dataclasses.replace(
        _operation(), body=ir.Body("application/x-www-form-urlencoded", True, flattened=False)
    )
    values = MinimalArguments(document).for_operation(op, _put)
    assert values["body"] == {"email": "user@example.com"}


_FileContent = IO[bytes] | bytes
_FileTypes = (
    _FileContent | tuple[str | None, _FileContent] | tuple[str | None, _FileContent, str | None]
)


def _upload(*, document: _FileTypes, pages: list[_FileTypes], kind: None) -> None:
    """Stands for a generated multipart method with the runtime's file type."""


def test_file_arguments_are_files_and_an_enum_of_only_null_is_null() -> None:
    upload = {
        "type": "object",
        "required": ["document", "pages", "kind"],
        "properties": {
            "document": {"type": "string", "format": "binary"},
            "pages": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "kind": {"enum": [None]},
        },
    }
    document = {
        "openapi": "3.0.3",
        "paths": {
            "/upload": {
                "post": {"requestBody": {"content": {"multipart/form-data": {"schema": upload}}}}
            }
        },
    }
    op = dataclasses.replace(
        _operation(),
        method="POST",
        path="/upload",
        params=tuple(
            ir.Param(name, name, "body", "FileTypes", True)
            for name in ("document", "pages", "kind")
        ),
        body=ir.Body("multipart/form-data", True, flattened=True),
    )
    values = MinimalArguments(document).for_operation(op, _upload)
    assert values == {"document": SAMPLE_FILE, "pages": [SAMPLE_FILE], "kind": None}


def test_an_example_outside_its_format_is_no_valid_value() -> None:
    """Prism (ajv-formats) and the generated models (date, datetime, UUID) both refuse a
    date-time where a date is due: such an example is neither sent nor answered with."""
    expiration = {"type": "string", "format": "date", "example": "2025-10-15T13:51:57Z"}
    schema = {"type": "object", "required": ["expiration", "id", "at"], "properties": {
        "expiration": expiration,
        "id": {"type": "string", "format": "uuid", "example": "12345"},
        "at": {"type": "string", "format": "date-time", "example": "2025-10-15T13:51:57Z"}}}
    operation = {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
    builder = MinimalArguments({"paths": {"/links": {"get": operation}}})
    assert not builder.valid("2025-10-15T13:51:57Z", expiration)
    expected = {"expiration": "2024-05-06", "id": "123e4567-e89b-12d3-a456-426614174000",
                "at": "2025-10-15T13:51:57Z"}
    assert builder.sample(schema) == expected
    reply = builder.valid_reply(operation)
    assert reply is not None and json.loads(reply[2]) == expected


def test_a_one_of_value_matches_exactly_one_branch() -> None:
    """``{}`` matches every free-form object: the value must be one only one branch accepts."""
    free: dict[str, Any] = {"type": "object"}
    strict: dict[str, Any] = {
        "type": "object",
        "properties": {"a": {"type": "string", "enum": ["x"]}},
        "additionalProperties": False,
    }
    document: dict[str, Any] = {"openapi": "3.1.0", "components": {"schemas": {"Free": free}}}
    arguments = MinimalArguments(document)
    free_ref = {"$ref": "#/components/schemas/Free"}
    for one_of in ([free_ref, strict, {}], [strict, free_ref], [free_ref, strict]):
        value = arguments.sample({"oneOf": one_of})
        assert sum(arguments.valid(value, branch) for branch in one_of) == 1, (one_of, value)
    nullable = {"anyOf": [{"oneOf": [free_ref, strict]}, {"type": "null"}]}
    value = arguments.sample(nullable)
    assert value is not None
    assert arguments.valid(value, {"oneOf": [free_ref, strict]})


def _dated(*, day: date | datetime) -> None:
    """Stands for a generated method taking a date or a date-time."""


def test_a_date_stays_a_date_where_a_date_time_is_accepted_too() -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {
            "/days": {
                "get": {
                    "parameters": [
                        {
                            "name": "day",
                            "in": "query",
                            "required": True,
                            "schema": {
                                "anyOf": [
                                    {"type": "string", "format": "date"},
                                    {"type": "string", "format": "date-time"},
                                ]
                            },
                        }
                    ]
                }
            }
        },
    }
    op = dataclasses.replace(
        _operation(),
        method="GET",
        path="/days",
        params=(ir.Param("day", "day", "query", "date | datetime", True),),
        body=None,
    )
    assert MinimalArguments(document).for_operation(op, _dated) == {"day": date(2024, 5, 6)}


def test_nested_all_of_keeps_every_part_required() -> None:
    base = {"allOf": [{"type": "object", "properties": {"user": {"type": "string"}}}]}
    document: dict[str, Any] = {"openapi": "3.1.0", "components": {"schemas": {"Base": base}}}
    request = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {
                "type": "object",
                "required": ["model"],
                "properties": {"model": {"type": "string", "enum": ["m1"]}},
            },
        ]
    }
    assert MinimalArguments(document).sample(request) == {"model": "m1"}


@pytest.mark.parametrize("key", ["anyOf", "oneOf"])
def test_branches_that_only_require_are_sampled_with_their_parent(key: str) -> None:
    reference = {
        "type": "object",
        "properties": {"url": {"type": "string", "format": "uri"}, "file_id": {"type": "string"}},
        key: [{"required": ["url"]}, {"required": ["file_id"]}],
        "additionalProperties": False,
    }
    arguments = MinimalArguments({"openapi": "3.1.0"})
    value = arguments.sample(reference)
    assert value == {"url": "https://example.com/hook"}
    assert arguments.valid(value, reference)


def test_a_string_with_a_pattern_no_candidate_matches_is_built_from_the_pattern() -> None:
    schema = {"type": "string", "pattern": "^tunnel_[a-z0-9]{32}$"}
    value = MinimalArguments({"openapi": "3.1.0"}).sample(schema)
    assert value == "tunnel_" + "0" * 32


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        ("^st-[a-zA-Z0-9]+$", "st-0\n"),  # Python's `$` also matches before a final newline
        ("^[\\p{L}\\p{Z}]+$", "1"),  # Unicode properties do not compile in Python's re
        ("^\\p{Lu}\\d+$", "A\u0661"),  # ECMA-262's \d is ASCII (U+0661 is an Arabic 1)
        ("^(?<key>[a-z]+)-[0-9]$", "a-b"),  # a named group, written (?P<key>...) in Python
    ],
)
def test_a_pattern_is_read_as_ecma_262_as_prism_and_pydantic_read_it(
    pattern: str, refused: str
) -> None:
    schema = {"type": "string", "pattern": pattern}
    arguments = MinimalArguments({"openapi": "3.1.0"})
    value = arguments.sample(schema)
    assert arguments.valid(value, schema)
    assert not arguments.valid(refused, schema)
    # pydantic's own engine (Rust's regex) is the one the generated models check with.
    assert pydantic.TypeAdapter(_constrained(pattern)).validate_python(value) == value


def _constrained(pattern: str) -> Any:
    from typing import Annotated

    return Annotated[str, pydantic.StringConstraints(pattern=pattern)]


def test_a_pattern_the_harness_cannot_read_fails_its_value_not_the_run() -> None:
    schema = {"type": "string", "pattern": "^\\p{Greek}+$"}
    arguments = MinimalArguments({"openapi": "3.1.0"})
    assert not arguments.valid("\u03b1", schema)
    with pytest.raises(ValueError, match=r"\\p\{Greek\} has no Python form"):
        arguments.sample(schema)
    # No string of the pattern has the length asked: what every sampler's caller catches.
    with pytest.raises(ValueError, match="no string of the pattern"):
        arguments.sample({"type": "string", "pattern": "^ab?$", "minLength": 3})


def _batch(
    *, store: str, file_ids: list[str] | None = None, files: list[str] | None = None
) -> None:
    """Stands for a generated method with a flattened body: only its annotations are read."""


def test_a_flattened_body_gets_the_fields_its_first_branch_requires() -> None:
    """``anyOf: [{required: [file_ids]}, {required: [files]}]``: both are optional
    arguments, yet a valid body has one of them."""
    items = {"type": "array", "minItems": 1, "items": {"type": "string"}}
    schema = {
        "type": "object",
        "properties": {"file_ids": items, "files": items},
        "anyOf": [{"required": ["file_ids"]}, {"required": ["files"]}],
    }
    document = {
        "openapi": "3.1.0",
        "paths": {
            "/stores/{store}/batches": {
                "post": {
                    "parameters": [
                        {"name": "store", "in": "path", "required": True,
                         "schema": {"type": "string"}}
                    ],
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                }
            }
        },
    }
    operation = dataclasses.replace(
        _operation(),
        method="POST",
        path="/stores/{store}/batches",
        params=(
            ir.Param("store", "store", "path", "str", True),
            ir.Param("file_ids", "file_ids", "body", "list[str]", False),
            ir.Param("files", "files", "body", "list[str]", False),
        ),
        body=ir.Body("application/json", True, flattened=True, model="Batch"),
    )
    values = MinimalArguments(document).for_operation(operation, _batch)
    assert values == {"store": "example", "file_ids": ["example"]}


def test_an_operations_server_path_is_stripped_before_prism_routes_it() -> None:
    assert calls.server_path("http://127.0.0.1:4010", "/v3") == "/v3"
    assert calls.server_path("http://127.0.0.1:4010", "https://other.test/anything/demo/") == (
        "/anything/demo"
    )
    assert calls.server_path("http://127.0.0.1:4010", "") == ""
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(204)

    routed = calls.ServerPaths(httpx.MockTransport(record))
    routed.prefix = "/v3"
    with httpx.Client(transport=routed, base_url="http://mock") as http:
        http.get("/v3/pets/a%2Fb", params={"q": "1"})
        http.get("/pets")  # not under the operation's server: sent as it is, Prism says 404
        http.get("/v3x/pets")
    assert seen == ["/pets/a%2Fb?q=1", "/pets", "/v3x/pets"]


def test_a_reference_in_uri_fragment_form_is_percent_decoded_before_unescaping() -> None:
    account = {"name": "account", "in": "path", "required": True, "schema": {"type": "string"}}
    reference = "#/paths/~1customers~1%7Baccount%7D/get/parameters/0"
    document = {
        "paths": {
            "/customers/{account}": {"get": {"parameters": [account]}},
            "/customers/{account}/items": {
                "get": {"parameters": [{"$ref": reference}]}
            },
        }
    }
    arguments = MinimalArguments(document)
    assert arguments.resolve({"$ref": reference}) == account


def test_a_request_body_without_any_value_is_the_documents_fault() -> None:
    def node(required: list[str]) -> dict[str, Any]:
        return {"type": "object", "required": required, "properties": {
            "id": {"type": "string"}, "parent": {"$ref": "#/components/schemas/Node"},
            "other": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Node"}]}}}

    def endless_for(schema: dict[str, Any]) -> str | None:
        document = {
            "paths": {"/direct": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Node"}}}}}}},
            "components": {"schemas": {"Node": schema}},
        }
        body = ir.Body(media_type="application/json", flattened=False, required=True)
        op = dataclasses.replace(_operation(), method="POST", path="/direct", params=(), body=body)
        return MinimalArguments(document).no_valid_request(op)

    assert "requires parent -> Node" in (endless_for(node(["id", "parent"])) or "")
    assert endless_for(node(["id"])) is None  # an optional parent ends the chain
    assert endless_for(node(["other"])) is None  # so does a branch that is a string
    assert endless_for({**node(["parent"]), "nullable": True}) is None
    clash = {"description": "both", "allOf": [{"type": "string"}, {"type": "integer"}]}
    assert "requires string and integer at once" in (endless_for(clash) or "")
    assert endless_for({"allOf": [{"type": "number"}, {"type": "integer"}]}) is None
    required = {"type": "object", "required": ["n"], "properties": {"n": clash}}
    assert "(property 'n')" in (endless_for(required) or "")
    # An array whose own enum lists strings (a document's slip): no array equals one.
    listed = {"type": "array", "items": {"type": "string"}, "enum": ["A", "B"]}
    assert "enum lists only values" in (endless_for(listed) or "")
    assert endless_for({"type": "string", "enum": ["A", 1]}) is None



def _post_message(*, text: str | None = None, file_url: str | None = None) -> None:
    """Stands for a generated method whose required form body has only optional fields."""


def test_a_required_form_body_of_optional_fields_gets_one() -> None:
    schema = {"type": "object", "properties": {"text": {"type": "string"},
                                               "fileURL": {"type": "string"}}}
    document = {"paths": {"/hooks": {"post": {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": schema}}}}}}}
    form = "application/x-www-form-urlencoded"
    op = dataclasses.replace(
        _operation(), method="POST", path="/hooks",
        params=(ir.Param("text", "text", "body", "str", False),
                ir.Param("fileURL", "file_url", "body", "str", False)),
        body=ir.Body(media_type=form, flattened=True, required=True),
    )
    assert MinimalArguments(document).for_operation(op, _post_message) == {"text": "example"}
    optional = dataclasses.replace(op, body=ir.Body(form, required=False, flattened=True))
    assert MinimalArguments(document).for_operation(optional, _post_message) == {}


def _post_xml(*, body: bytes) -> None:
    """Stands for a generated method with an XML body: sent as the bytes given."""


def test_an_xml_body_is_sent_as_an_xml_document() -> None:
    schema = {"type": "object", "properties": {"amount": {"type": "integer"}}}
    document = {"paths": {"/transfers": {"post": {"requestBody": {"required": True, "content": {
        "application/xml": {"schema": schema}}}}}}}
    body = ir.Body(media_type="application/xml", flattened=False, required=True)
    op = dataclasses.replace(_operation(), method="POST", path="/transfers", params=(), body=body)
    values = MinimalArguments(document).for_operation(op, _post_xml)
    assert values == {"body": b'<?xml version="1.0" encoding="UTF-8"?><example/>'}
    assert MinimalArguments(document).no_valid_request(op) is None


def _patch_bytes(*, body: bytes | None = None) -> None:
    """Stands for a generated method whose optional body is text or bytes."""


@pytest.mark.parametrize("media", ["text/plain", "application/octet-stream"])
def test_a_text_body_whose_schema_is_an_object_has_no_valid_request_or_is_left_out(
    media: str,
) -> None:
    """Only a required body no value satisfies makes the request impossible: an optional
    one is left out, as a caller may, and the call is made (it was labelled document)."""
    document = {"paths": {"/files": {"patch": {"requestBody": {"required": True, "content": {
        media: {"schema": {"type": "object", "format": "file"}}}}}}}}
    body = ir.Body(media_type=media, flattened=False, required=True)
    op = dataclasses.replace(_operation(), method="PATCH", path="/files", params=(), body=body)
    reason = MinimalArguments(document).no_valid_request(op) or ""
    assert f"{media}, yet its schema asks for an object" in reason
    optional = dataclasses.replace(op, body=dataclasses.replace(body, required=False))
    assert MinimalArguments(document).no_valid_request(optional) is None
    assert MinimalArguments(document).for_operation(optional, _patch_bytes) == {}
    textual = {"paths": {"/files": {"patch": {"requestBody": {"content": {
        media: {"schema": {"type": "string"}}}}}}}}
    assert MinimalArguments(textual).no_valid_request(op) is None
    assert MinimalArguments(textual).for_operation(optional, _patch_bytes) == {"body": b"example"}


def _post_encoded(*, body: str | bytes) -> None:
    """Stands for a generated method whose form body's schema is a string (no fields)."""


@pytest.mark.parametrize("media", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_form_body_whose_schema_names_no_fields_has_no_valid_request_or_is_left_out(
    media: str,
) -> None:
    document = {"paths": {"/detect": {"post": {"requestBody": {"required": True, "content": {
        media: {"schema": {"type": "string", "example": "q=hi"}}}}}}}}
    body = ir.Body(media_type=media, flattened=False, required=True)
    op = dataclasses.replace(_operation(), method="POST", path="/detect", params=(), body=body)
    reason = MinimalArguments(document).no_valid_request(op) or ""
    assert f"{media}, whose fields decode to an object, yet its schema asks for a string" in (
        reason
    )
    optional = dataclasses.replace(op, body=dataclasses.replace(body, required=False))
    assert MinimalArguments(document).for_operation(optional, _post_encoded) == {}
    fields = {"paths": {"/detect": {"post": {"requestBody": {"required": True, "content": {
        media: {"schema": {"type": "object", "properties": {"q": {"type": "string"}}}}}}}}}}
    assert MinimalArguments(fields).no_valid_request(op) is None


def _create(*, messages: list[str], model: str) -> None:
    """Stands for a generated method whose arguments are an allOf body's properties."""


def test_body_arguments_are_found_in_the_members_of_an_all_of_body() -> None:
    base = {"type": "object", "required": ["model"], "properties": {"model": {"type": "string"}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"Base": base}},
        "paths": {"/chat": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["messages"], "properties": {
                    "messages": {"type": "array", "minItems": 1, "items": {"type": "string"}}
                }},
            ]}}}},
            "responses": {"200": {"description": "ok"}},
        }}},
    }
    op = ir.Operation(
        operation_id="create", resource="chat", python_name="create", method="POST",
        path="/chat", summary="", description="", idempotent=False,
        params=(
            ir.Param("messages", "messages", "body", "list[str]", True),
            ir.Param("model", "model", "body", "str", True),
        ),
        body=ir.Body("application/json", True, flattened=True),
        returns="None", status="200", response_media="application/json",
    )
    values = MinimalArguments(document).for_operation(op, _create)
    assert values["model"] == "example" and values["messages"] and values["messages"][0]


def test_response_headers_that_frame_http_are_not_served() -> None:
    """Prism would send ``Transfer-Encoding: <a string from its schema>``; a real server's
    HTTP layer sets it, so the served copy leaves it out (and the other headers in)."""
    header = {"schema": {"type": "string"}}
    response = {"headers": {"Transfer-Encoding": header, "X-Request-Id": header}}
    document = {
        "paths": {"/speech": {"post": {"responses": {"200": response}}}},
        "components": {"responses": {"Streamed": {"headers": {"content-length": header}}}},
    }
    served = serving._unframed(document)
    assert served["paths"]["/speech"]["post"]["responses"]["200"]["headers"] == {
        "X-Request-Id": header
    }
    assert served["components"]["responses"]["Streamed"]["headers"] == {}

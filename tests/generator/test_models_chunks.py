"""models.py of a large provider is generated in chunks closed under $ref and merged.

The chunking threshold is lowered so that a handful of schemas takes the chunked path.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from generator import ir
from generator.emit import models
from generator.naming import field_names
from generator.perf import model_chunks, model_jobs, workers
from tests.ir_helpers import api_with_schemas

HEADER = "# demo header"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# Sorted by name, as the IR holds them.  ASub's base ZBase sorts after it, Order reaches
# into the Pet group, Error stands alone, Size is a case-insensitive enum.
SCHEMAS: dict[str, dict[str, Any]] = {
    "ASub": {
        "allOf": [_ref("ZBase"), {"type": "object", "properties": {"extra": {"type": "integer"}}}]
    },
    "Address": {
        "type": "object",
        "required": ["street"],
        "properties": {
            "street": {"type": "string", "maxLength": 80},
            "zipCode": {"type": "string"},
        },
    },
    "Error": {
        "type": "object",
        "description": "What went wrong.",
        "properties": {
            "message": {"type": "string"},
            "createdAt": {"type": "string", "format": "date-time"},
        },
    },
    "Order": {
        "type": "object",
        "required": ["pet"],
        "properties": {"pet": _ref("Pet"), "quantity": {"type": "integer", "minimum": 1}},
    },
    "Owner": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "address": _ref("Address")},
    },
    "Pet": {
        "type": "object",
        "required": ["id", "kind"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"anyOf": [_ref("PetKind"), {"type": "string"}]},
            "owner": {"anyOf": [_ref("Owner"), {"type": "null"}]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "size": _ref("Size"),
        },
    },
    "PetKind": {"type": "string", "enum": ["cat", "dog"]},
    "Size": {"type": "string", "enum": ["small", "large"], "x-case-insensitive": True},
    "ZBase": {"type": "object", "properties": {"label": {"type": ["string", "null"]}}},
}


def _api(schemas: dict[str, dict[str, Any]]) -> ir.Api:
    return api_with_schemas(
        tuple(ir.Schema(name, name, schema, _fields(schema)) for name, schema in schemas.items())
    )


def _fields(schema: dict[str, Any]) -> tuple[ir.Field, ...]:
    """The fields the IR carries (the emitter takes the Python names from them)."""
    properties = schema.get("properties") or {}
    python = field_names(properties)
    required = schema.get("required") or []
    return tuple(ir.Field(wire, python[wire], "Any", wire in required) for wire in properties)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")


def _classes(source: str) -> list[str]:
    return re.findall(r"^class (\w+)\b", source, re.M)


def _normalized(source: str) -> tuple[list[str], list[str]]:
    """The import lines, sorted (their order is datamodel-code-generator's and ruff's
    business), and every other line in order."""
    lines = source.splitlines()
    imports = sorted(line for line in lines if line.startswith(("from ", "import ")))
    return imports, [line for line in lines if not line.startswith(("from ", "import "))]


def test_plan_makes_chunks_closed_under_ref() -> None:
    chunks = model_chunks.plan(SCHEMAS, 3)
    assert len(chunks) > 2
    for chunk in chunks:
        for name in chunk:
            assert model_chunks._references(SCHEMAS[name], SCHEMAS) <= set(chunk)
    assert {name for chunk in chunks for name in chunk} == set(SCHEMAS)
    # Pet's group is reached from Order, so some schemas are in more than one chunk.
    assert sum(map(len, chunks)) > len(SCHEMAS)


def test_plan_keeps_one_chunk_when_chunks_would_repeat_a_large_common_part() -> None:
    common = {
        f"Common{i}": {"type": "object", "properties": {"next": _ref(f"Common{i + 1}")}}
        for i in range(9)
    }
    common["Common9"] = {"type": "string"}
    users = {
        f"User{i}": {"type": "object", "properties": {"c": _ref("Common0")}} for i in range(10)
    }
    schemas = {**common, **users}
    assert model_chunks.plan(schemas, 3) == [list(schemas)]
    # A small common part is repeated in each chunk.
    users = {
        f"User{i}": {"type": "object", "properties": {"c": _ref("Common9")}} for i in range(10)
    }
    chunks = model_chunks.plan({"Common9": common["Common9"], **users}, 4)
    assert len(chunks) == 4
    assert all("Common9" in chunk for chunk in chunks)


def test_chunked_models_are_the_single_call_models() -> None:
    api = _api(SCHEMAS)
    chunked = models.render_models(api, HEADER, chunk_size=3, chunked_from=1)
    single = models.render_models(api, HEADER, chunked_from=len(SCHEMAS) + 1)
    assert _normalized(chunked) == _normalized(single)
    assert sorted(_classes(chunked)) == sorted(SCHEMAS)  # each class once


def test_chunked_path_merges_rather_than_falling_back() -> None:
    api = _api(SCHEMAS)
    chunks = model_chunks.plan(SCHEMAS, 3)
    aliases = models._aliases(api.schemas)
    outputs = [
        model_jobs.generate(
            json.dumps(models._document(api.title, {name: SCHEMAS[name] for name in chunk})),
            aliases,
            HEADER,
        )
        for chunk in chunks
    ]
    source = model_chunks.merge(outputs, chunks, HEADER)
    assert source is not None
    assert sorted(_classes(source)) == sorted(SCHEMAS)
    # A base class comes before its subclass although it sorts after it.
    assert _classes(source).index("ZBase") < _classes(source).index("ASub")


def test_chunked_models_import_and_validate() -> None:
    source = models.render_models(_api(SCHEMAS), HEADER, chunk_size=3, chunked_from=1)
    namespace: dict[str, Any] = {}
    exec(compile(source, "models.py", "exec"), namespace)  # noqa: S102 - generated code
    for name in SCHEMAS:
        if hasattr(namespace[name], "model_rebuild"):
            namespace[name].model_rebuild(_types_namespace=namespace)
    order = namespace["Order"].model_validate(
        {"pet": {"id": 1, "kind": "cat", "size": "LARGE", "owner": {"address": {"street": "Main"}}}}
    )
    assert order.pet.kind == "cat"
    assert order.pet.size is namespace["Size"].LARGE
    assert order.pet.owner.address.street == "Main"
    error = namespace["Error"].model_validate({"createdAt": "2024-01-01T00:00:00Z"})
    assert error.created_at.year == 2024
    assert namespace["ASub"](label="x", extra=1).label == "x"
    assert namespace["__all__"] == sorted(SCHEMAS)


_CHUNK = f"""{HEADER}

from __future__ import annotations

from enum import Enum
from pydantic import Field


class {{name}}(str, Enum):
    A = '{{value}}'"""


def test_merge_unions_imports_and_keeps_each_class_once() -> None:
    first = _CHUNK.format(name="Kind", value="a")
    second = (
        _CHUNK.format(name="Kind", value="a").replace(
            "from pydantic import Field", "from typing import Annotated"
        )
        + "\n\n\nclass Other(str, Enum):\n    B = 'b'"
    )
    merged = model_chunks.merge([first, second], [["Kind"], ["Kind", "Other"]], HEADER)
    assert merged is not None
    assert "from pydantic import Field\nfrom typing import Annotated\n" in merged
    assert _classes(merged) == ["Kind", "Other"]


@pytest.mark.parametrize(
    ("second", "names"),
    [
        (_CHUNK.format(name="Kind", value="b"), ["Kind"]),  # the same class, different text
        (_CHUNK.format(name="Field", value="a"), ["Field"]),  # a class named like an import
        (_CHUNK.format(name="Kind1", value="a"), ["Kind"]),  # a name the chunk was not given
        (_CHUNK.format(name="Kind", value="a") + "\n\n\nKind.model_rebuild()", ["Kind"]),
    ],
)
def test_merge_refuses_what_it_cannot_merge_without_renaming(second: str, names: list[str]) -> None:
    first = _CHUNK.format(name="Kind", value="a")
    assert model_chunks.merge([first, second], [["Kind"], names], HEADER) is None


@pytest.mark.parametrize("chunked_from", [1, len(SCHEMAS) + 1], ids=["chunked", "one call"])
def test_background_workers_give_the_same_models(
    chunked_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", "")  # no cache: the workers must do the work
    api = _api(SCHEMAS)
    inline = models.render_models(api, HEADER, chunk_size=3, chunked_from=chunked_from)
    with workers.background():
        assert workers.current() is not None or workers.cpus() < 2
        pending = models.start_models(api, HEADER, chunk_size=3, chunked_from=chunked_from)
        assert pending.result() == inline
    assert workers.current() is None

"""``generator.spec_validator`` reports exactly what the pure-Python library reports.

Its jsonschema-rs pre-check may only skip the Python pass for instances the Python pass
would accept.  The oracle is openapi-spec-validator's own 3.1 validator on the jsonschema
backend; the inputs are the providers' normalized exports, broken by hand and at random.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import create_validator

from generator.spec_validator import SpecValidator, _document_validator

EXPORTS = sorted((Path(__file__).parents[2] / "generated" / "openapi").glob("*.json"))


class PurePython(OpenAPIV31SpecValidator):
    """The library as shipped, whatever backend it would pick for itself."""

    schema_validator = create_validator(dict(schema_v31))


@cache
def _export(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (Path(__file__).parents[2] / "generated" / "openapi" / name).read_text()
    )
    return document


def _errors(validator: type[OpenAPIV31SpecValidator], document: dict[str, Any]) -> list[str]:
    """Each error as path and message; the library can also raise once it has yielded."""
    found = []
    try:
        for error in validator(document).iter_errors():
            path = "/".join(map(str, getattr(error, "absolute_path", [])))
            found.append(f"/{path}: {error.message}")
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        found.append(f"raised {type(exc).__name__}: {exc}")
    return found


def _same_as_library(document: dict[str, Any]) -> list[str]:
    ours = _errors(SpecValidator, document)
    assert ours == _errors(PurePython, document)
    return ours


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.stem)
def test_exports_are_valid_and_vouched_for_by_the_rust_check(export: Path) -> None:
    document = _export(export.name)
    assert _same_as_library(document) == []
    assert _document_validator().rust.is_valid(document)


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


BREAKAGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "schema type is a number": lambda d: next(iter(_schemas(d).values())).update(type=5),
    "required is a string": lambda d: next(iter(_schemas(d).values())).update(required="id"),
    "properties is a list": lambda d: next(iter(_schemas(d).values())).update(properties=[]),
    "pattern is not a regex": lambda d: next(iter(_schemas(d).values())).update(pattern="(("),
    "discriminator is a string": lambda d: next(iter(_schemas(d).values())).update(
        discriminator="kind"
    ),
    "parameter without `in`": lambda d: next(
        op for item in d["paths"].values() for op in item.values() if isinstance(op, dict)
    ).update(parameters=[{"name": "limit", "schema": {"type": "integer"}}]),
    "info without title": lambda d: d["info"].pop("title"),
    "unknown top-level key": lambda d: d.update(paths2={}),
    "required names a missing property": lambda d: _schemas(d).update(
        Broken={"type": "object", "allOf": [{"type": "object"}], "required": ["ghost"]}
    ),
}


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_document_gets_the_library_errors(export: Path, breakage: str) -> None:
    document = copy.deepcopy(_export(export.name))
    BREAKAGES[breakage](document)
    assert _same_as_library(document), "the breakage must be reported"


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _nodes(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _nodes(value, (*path, index))
    return found


REPLACEMENTS = st.sampled_from(
    [5, -1, "x", None, True, [], {}, ["a"], {"type": "nope"}, {"$ref": 5}, {"type": 7}]
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data(), export=st.sampled_from([p.name for p in EXPORTS]))
def test_random_damage_gets_the_library_errors(data: st.DataObject, export: str) -> None:
    document = copy.deepcopy(_export(export))
    path = data.draw(st.sampled_from(_nodes(document)[1:]), label="path")
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if data.draw(st.booleans(), label="delete") and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(REPLACEMENTS, label="value")
    _same_as_library(document)


# The packages whose private names the fast path uses: pinned exactly in pyproject.toml.
PINNED = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "referencing")


def test_the_fast_path_finds_the_private_names_it_relies_on() -> None:
    """A library upgrade that moves them would make validation quietly slow again."""
    import tomllib
    from importlib.metadata import version

    from generator.spec_validator import fast_path_problems

    assert fast_path_problems() == []
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    dependencies = pyproject["project"]["dependencies"]
    for name in PINNED:
        assert f"{name}=={version(name)}" in dependencies


def test_a_moved_private_name_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import spec_validator

    monkeypatch.setattr(spec_validator, "_fast_meta", lambda checker: None)
    monkeypatch.setattr(spec_validator, "_crawled", lambda validator: validator)
    problems = spec_validator.fast_path_problems()
    assert any("_get_schema_checker" in p for p in problems)
    assert any("_resolver" in p for p in problems)

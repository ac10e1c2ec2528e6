"""Problems in a document's schemas that do not stop correct code: warnings, never errors.

openapi-spec-validator checks schemas against the JSON Schema dialect, which accepts any
unknown keyword and never looks at examples.  This walks every Schema Object of the
document (components, parameters, headers, request and response bodies, nested
subschemas) and finds what a user should still hear about:

* keywords JSON Schema 2020-12 and OpenAPI do not define (a typo such as ``minLenght``
  silently checks nothing), and the 2019-09 keywords ``$recursiveRef`` and
  ``$recursiveAnchor`` that 2020-12 replaced (with them, no recursion is followed);
* ``default``, ``example`` and ``examples`` values that their own schema rejects (the
  caller drops such a default: it would be the generated argument's or field's default);
* a ``pattern`` the generated model could not compile (``generator.patterns``; the caller
  drops it too).

Each problem is a ``(pointer, message, hint)``; the caller places it in a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.pagekit import HTTP_METHODS
from generator.patterns import DROPPED_PATTERN, pattern_problem
from generator.sourcemap import Pointer

Problem = tuple[Pointer, str, str]

_KEYWORDS = frozenset(
    {
        # core
        "$schema",
        "$id",
        "$ref",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$vocabulary",
        "$comment",
        "$defs",
        # applicator and unevaluated
        "prefixItems",
        "items",
        "contains",
        "additionalProperties",
        "properties",
        "patternProperties",
        "dependentSchemas",
        "propertyNames",
        "if",
        "then",
        "else",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "unevaluatedItems",
        "unevaluatedProperties",
        # validation, format, content, meta-data
        "type",
        "const",
        "enum",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "format",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "title",
        "description",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "examples",
        # OpenAPI's own, and the draft-07 names 2020-12's meta-schema still accepts
        "discriminator",
        "xml",
        "externalDocs",
        "example",
        "definitions",
        "dependencies",
    }
)
_DRAFT_2019 = frozenset({"$recursiveRef", "$recursiveAnchor"})
_ONE_SCHEMA = (
    "items",
    "contains",
    "additionalProperties",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_SCHEMA_LISTS = ("prefixItems", "allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_BASE = "urn:gpuworkers:openapi"
# The hint of a default its schema rejects: the caller drops it, since a default becomes
# the argument's or the field's default value, and one of the wrong type is not code.
DROPPED_DEFAULT = "it is dropped, so there is no default; fix it to match the schema"
_EXAMPLE_HINT = "the example is documentation only; fix it to match the schema"


def schema_problems(document: dict[str, Any]) -> Iterator[Problem]:
    values = _ValueChecker(document)
    for pointer, schema in _top_schemas(document):
        yield from _walk(schema, pointer, values)
    for pointer, holder in _example_holders(document):
        schema = holder.get("schema")
        if "example" in holder and isinstance(schema, (dict, bool)):
            yield from values.check(schema, holder["example"], (*pointer, "example"), "example")


def _walk(schema: Any, pointer: Pointer, values: _ValueChecker) -> Iterator[Problem]:
    if not isinstance(schema, dict):
        return
    for key in schema:
        if key.startswith("x-") or key in _KEYWORDS:
            continue
        if key in _DRAFT_2019:
            yield (
                (*pointer, key),
                f"{key} is a JSON Schema 2019-09 keyword, ignored",
                (
                    "OpenAPI 3.1 uses JSON Schema 2020-12: use $dynamicRef/$dynamicAnchor, "
                    "or a $ref to the schema itself"
                ),
            )
        else:
            yield (
                (*pointer, key),
                f"unknown schema keyword {key!r}, ignored",
                ("check its spelling, or prefix it with x- to keep it as an extension"),
            )
    pattern = schema.get("pattern")
    problem = pattern_problem(pattern) if isinstance(pattern, str) else None
    if problem is not None:
        yield (*pointer, "pattern"), f"pattern {pattern!r}: {problem}", DROPPED_PATTERN
    if "default" in schema:
        yield from values.check(schema, schema["default"], (*pointer, "default"), "default")
    if "example" in schema:
        yield from values.check(schema, schema["example"], (*pointer, "example"), "example")
    examples = schema.get("examples")
    for index, example in enumerate(examples if isinstance(examples, list) else []):
        yield from values.check(schema, example, (*pointer, "examples", index), "example")
    for key, child in _subschemas(schema):
        yield from _walk(child, (*pointer, *key), values)


def _subschemas(schema: dict[str, Any]) -> Iterator[tuple[Pointer, Any]]:
    for key in _ONE_SCHEMA:
        if key in schema:
            yield (key,), schema[key]
    for key in _SCHEMA_LISTS:
        members = schema.get(key)
        for index, member in enumerate(members if isinstance(members, list) else []):
            yield (key, index), member
    for key in _SCHEMA_MAPS:
        members = schema.get(key)
        for name, member in (members if isinstance(members, dict) else {}).items():
            yield (key, name), member


class _ValueChecker:
    """Checks a value against a schema of the document, ``$ref`` resolved in the document."""

    def __init__(self, document: dict[str, Any]) -> None:
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._resolver = Registry().with_resource(_BASE, resource).resolver(base_uri=_BASE)

    def check(self, schema: Any, value: Any, pointer: Pointer, what: str) -> Iterator[Problem]:
        try:
            validator = OAS31Validator(schema, _resolver=self._resolver)
            error = best_match(validator.iter_errors(value))
        except Exception:  # noqa: BLE001 - a schema the dialect check rejects is reported there
            return
        if error is None:
            return
        inside = "".join(f"/{part}" for part in error.absolute_path)
        hint = DROPPED_DEFAULT if what == "default" else _EXAMPLE_HINT
        yield (
            pointer,
            f"{what} does not match its schema: {inside and inside + ': '}{error.message}",
            hint,
        )


def _top_schemas(document: dict[str, Any]) -> Iterator[tuple[Pointer, Any]]:
    """Every Schema Object that is not inside another schema, with its pointer."""
    components = _mapping(document.get("components"))
    for name, schema in _mapping(components.get("schemas")).items():
        yield ("components", "schemas", name), schema
    for pointer, holder in _schema_holders(document):
        if "schema" in holder:
            yield (*pointer, "schema"), holder["schema"]


def _example_holders(document: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    return _schema_holders(document)


def _schema_holders(document: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Parameters, headers and media types: the objects with a ``schema`` and ``example``."""
    components = _mapping(document.get("components"))
    for name, parameter in _mapping(components.get("parameters")).items():
        yield from _parameter_like(("components", "parameters", name), parameter)
    for name, header in _mapping(components.get("headers")).items():
        yield from _parameter_like(("components", "headers", name), header)
    for name, body in _mapping(components.get("requestBodies")).items():
        yield from _content(("components", "requestBodies", name), body)
    for name, response in _mapping(components.get("responses")).items():
        yield from _response(("components", "responses", name), response)
    for section in ("paths", "webhooks"):
        for key, item in _mapping(document.get(section)).items():
            yield from _path_item((section, key), _mapping(item))


def _path_item(pointer: Pointer, item: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    yield from _parameters((*pointer, "parameters"), item.get("parameters"))
    for method in HTTP_METHODS:
        operation = _mapping(item.get(method))
        here = (*pointer, method)
        yield from _parameters((*here, "parameters"), operation.get("parameters"))
        yield from _content((*here, "requestBody"), _mapping(operation.get("requestBody")))
        for code, response in _mapping(operation.get("responses")).items():
            yield from _response((*here, "responses", code), response)


def _parameters(pointer: Pointer, parameters: Any) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
        yield from _parameter_like((*pointer, index), parameter)


def _parameter_like(pointer: Pointer, node: Any) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    if isinstance(node, dict) and "$ref" not in node:
        yield pointer, node
        yield from _content(pointer, node)


def _response(pointer: Pointer, response: Any) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    response = _mapping(response)
    for name, header in _mapping(response.get("headers")).items():
        yield from _parameter_like((*pointer, "headers", name), header)
    yield from _content(pointer, response)


def _content(pointer: Pointer, node: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    for media_type, media in _mapping(node.get("content")).items():
        if isinstance(media, dict):
            yield (*pointer, "content", media_type), media


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}

"""Check a normalized OpenAPI 3.1 document before lowering it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator import cache
from generator.diagnostics import Diagnostics, Location
from generator.refs import resolve_pointer
from generator.spec_validator import SpecValidator

_MAX_REPORTED = 20
_JSON_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
# Keys whose values are not schemas (nor hold any), skipped when looking for schema types.
_NOT_SCHEMAS = frozenset({"securitySchemes", "examples", "example", "default", "enum", "const"})


def validate_document(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    """Report dangling references, then what openapi-spec-validator finds.

    Each problem is placed at the nearest ``x-source`` so it points into a page.
    """
    dangling = list(_dangling_refs(document))
    for source, ref in dangling:
        diagnostics.error(
            Location.parse(source),
            f"$ref {ref!r} points at nothing",
            "define the schema in the provider's overlay, or fix the reference",
        )
    external = list(_external_refs(document))
    for source, ref in external:
        diagnostics.error(
            Location.parse(source),
            f"$ref {ref!r} points outside the document; the generator never fetches or reads it",
            "copy what it points at into the page or the overlay, and refer to it as '#/...'",
        )
    unknown = list(_unknown_types(document))
    for source, where, kind in unknown:
        diagnostics.error(
            Location.parse(source),
            f"unknown type {kind!r} at {where}",
            "use one of " + ", ".join(sorted(_JSON_TYPES)),
        )
    if dangling or unknown or external:
        return  # the validator's messages would only repeat these, less precisely
    before = len(diagnostics.errors)
    try:
        _report_validator_errors(document, diagnostics)
    except Exception as exc:  # noqa: BLE001 - the validator's own failures are still a spec problem
        if len(diagnostics.errors) == before:  # else it tripped over what it already reported
            diagnostics.error(
                Location("(normalized OpenAPI)"),
                f"cannot validate: {type(exc).__name__}: {exc}",
                "fix the page or the overlay",
            )


def _report_validator_errors(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    """Run openapi-spec-validator, unless this very document was found valid before."""
    key = cache.cache_key(
        json.dumps(document, sort_keys=True, ensure_ascii=False, default=repr),
        Path(__file__).with_name("spec_validator.py").read_text("utf-8"),
        version("openapi-spec-validator"),
        version("jsonschema"),
        version("jsonschema-rs"),
    )
    if cache.read("valid", key) is not None:
        return
    before = len(diagnostics.errors)
    _run_validator(document, diagnostics)
    if len(diagnostics.errors) == before:
        cache.write("valid", key, "")


def _run_validator(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    errors = SpecValidator(document).iter_errors()
    for count, error in enumerate(errors):
        if count == _MAX_REPORTED:
            diagnostics.error(Location("(normalized OpenAPI)"), "more validation errors not shown")
            break
        path = list(getattr(error, "absolute_path", []))
        diagnostics.error(
            _nearest_source(document, path, getattr(error, "instance", None)),
            f"normalized OpenAPI is invalid at /{'/'.join(map(str, path))}: {error.message}",
            "fix the page or the overlay",
        )


def _dangling_refs(node: Any, document: Any = None, source: str = "?") -> Iterator[tuple[str, str]]:
    document = node if document is None else document
    if isinstance(node, dict):
        source = node.get("x-source", source) if isinstance(node.get("x-source"), str) else source
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and resolve_pointer(document, ref) is None:
            yield source, ref
        for value in node.values():
            yield from _dangling_refs(value, document, source)
    elif isinstance(node, list):
        for value in node:
            yield from _dangling_refs(value, document, source)


def _external_refs(node: Any, source: str = "?") -> Iterator[tuple[str, str]]:
    """(x-source, ref) for each ``$ref`` that is not ``#...``: a URL, a file, a relative path.

    Following one would fetch from the network or read local files while generating (and
    put what they hold into messages), so none is followed, wherever it is.
    """
    if isinstance(node, dict):
        source = node["x-source"] if isinstance(node.get("x-source"), str) else source
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield source, ref
        for value in node.values():
            yield from _external_refs(value, source)
    elif isinstance(node, list):
        for value in node:
            yield from _external_refs(value, source)


def _nearest_source(document: Any, path: list[Any], instance: Any) -> Location:
    """The ``x-source`` nearest to ``path``.

    A validator path may be relative to a nested schema: then the first node from which
    the path leads to the offending value stands for it.
    """
    found = _source_along(document, path, instance)
    if found is None:
        found = next(
            (
                s
                for node, s in _nodes(document, "")
                if node is not document and _source_along(node, path, instance, s)
            ),
            None,
        )
    return Location.parse(found) if found else Location("(normalized OpenAPI)")


def _source_along(
    node: Any, path: list[Any], instance: Any, found: str | None = None
) -> str | None:
    """The last ``x-source`` on the way down ``path`` to ``instance``, or one beside it."""
    parent = node
    for part in path:
        if isinstance(node, dict) and isinstance(node.get("x-source"), str):
            found = node["x-source"]
        parent = node
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if node != instance:
        return None
    if isinstance(node, dict) and isinstance(node.get("x-source"), str):
        return str(node["x-source"])
    return found or next((s for _, s in _nodes(parent, "") if s), None)


def _nodes(node: Any, source: str) -> Iterator[tuple[Any, str]]:
    """Every dict and list in ``node``, with the nearest ``x-source`` at or above it."""
    if isinstance(node, dict):
        source = node["x-source"] if isinstance(node.get("x-source"), str) else source
        yield node, source
        for value in node.values():
            yield from _nodes(value, source)
    elif isinstance(node, list):
        yield node, source
        for value in node:
            yield from _nodes(value, source)


def _unknown_types(node: Any, where: str = "", source: str = "?") -> Iterator[tuple[str, str, str]]:
    """(x-source, JSON pointer, type) for each schema ``type`` that JSON Schema does not know."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _unknown_types(value, f"{where}/{index}", source)
        return
    if not isinstance(node, dict):
        return
    source = node["x-source"] if isinstance(node.get("x-source"), str) else source
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "type" in node:
        for name in kinds:
            if isinstance(name, str) and name not in _JSON_TYPES:
                yield source, where or "/", name
    for key, value in node.items():
        if (key in _NOT_SCHEMAS and key != "properties") or key.startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            for name, prop in value.items():
                yield from _unknown_types(prop, f"{where}/properties/{name}", source)
        else:
            yield from _unknown_types(value, f"{where}/{key}", source)

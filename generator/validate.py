"""Check a normalized OpenAPI 3.1 document before lowering it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openapi_spec_validator import OpenAPIV31SpecValidator

from generator.diagnostics import Diagnostics, Location

_MAX_REPORTED = 20


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
    if dangling:
        return  # the validator cannot resolve the document; its messages would only repeat these
    try:
        _report_validator_errors(document, diagnostics)
    except Exception as exc:  # noqa: BLE001 - the validator's own failures are still a spec problem
        diagnostics.error(Location("(normalized OpenAPI)"), f"cannot validate: {exc}")


def _report_validator_errors(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    errors = OpenAPIV31SpecValidator(document).iter_errors()
    for count, error in enumerate(errors):
        if count == _MAX_REPORTED:
            diagnostics.error(Location("(normalized OpenAPI)"), "more validation errors not shown")
            break
        path = list(getattr(error, "absolute_path", []))
        diagnostics.error(
            _nearest_source(document, path),
            f"normalized OpenAPI is invalid at /{'/'.join(map(str, path))}: {error.message}",
            "fix the page or the overlay",
        )


def _dangling_refs(node: Any, document: Any = None, source: str = "?") -> Iterator[tuple[str, str]]:
    document = node if document is None else document
    if isinstance(node, dict):
        source = node.get("x-source", source) if isinstance(node.get("x-source"), str) else source
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and _resolve(document, ref) is None:
            yield source, ref
        for value in node.values():
            yield from _dangling_refs(value, document, source)
    elif isinstance(node, list):
        for value in node:
            yield from _dangling_refs(value, document, source)


def _resolve(document: Any, ref: str) -> Any:
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _nearest_source(document: Any, path: list[Any]) -> Location:
    node, found = document, "(normalized OpenAPI)"
    for part in path:
        if isinstance(node, dict) and isinstance(node.get("x-source"), str):
            found = node["x-source"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("x-source"), str):
        found = node["x-source"]
    return Location.parse(found)

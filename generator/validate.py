"""Check a normalized OpenAPI 3.1 document before lowering it."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import OpenAPIV31SpecValidator

from generator.diagnostics import Diagnostics, Location

_MAX_REPORTED = 20


def validate_document(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    """Report what openapi-spec-validator finds, each at the nearest ``x-source``."""
    errors = OpenAPIV31SpecValidator(document).iter_errors()
    for count, error in enumerate(errors):
        if count == _MAX_REPORTED:
            diagnostics.error(Location("(normalized OpenAPI)"), "more validation errors not shown")
            break
        path = list(error.absolute_path) if hasattr(error, "absolute_path") else []
        diagnostics.error(
            _nearest_source(document, path),
            f"normalized OpenAPI is invalid at /{'/'.join(map(str, path))}: {error.message}",
            "fix the page or the overlay",
        )


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

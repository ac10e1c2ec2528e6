"""Local ``$ref`` resolution in an OpenAPI document (JSON Pointer fragments, ``#/a/b~1c``)."""

from __future__ import annotations

from typing import Any


def resolve_pointer(document: Any, ref: str) -> Any | None:
    """The node ``ref`` (``#/...``) points at; ``None`` if it is not local or points nowhere."""
    if not ref.startswith("#/"):
        return None
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def follow_refs(document: Any, node: Any) -> dict[str, Any]:
    """The mapping a chain of local ``$ref``s leads to; ``{}`` when it dangles or loops."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            return {}
        seen.add(ref)
        node = resolve_pointer(document, ref)
    return node if isinstance(node, dict) else {}

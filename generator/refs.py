"""Local ``$ref`` resolution in an OpenAPI document (JSON Pointer fragments, ``#/a/b~1c``)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

# An array index in a JSON Pointer: no leading zeros (RFC 6901).
_INDEX = re.compile(r"0|[1-9][0-9]*")


def resolve_pointer(document: Any, ref: str) -> Any | None:
    """The node ``ref`` (``#/...``) points at; ``None`` if it is not local or points nowhere."""
    if not ref.startswith("#/"):
        return None
    node = document
    # A JSON Pointer in a URI fragment is percent-encoded (RFC 6901, section 6).
    for part in unquote(ref[2:]).split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and _INDEX.fullmatch(part) and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
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

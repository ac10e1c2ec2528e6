"""Python annotation strings (as the IR holds them): parts, and how two of them relate.

``relate(old, new)`` says whether ``new`` accepts more values than ``old`` (``int`` ->
``int | str``, ``int`` -> ``float``, ``list[int]`` -> ``list[int | None]``), fewer, the
same, or neither.  ``field_annotation`` gives the annotation of a field of a model's
prepared JSON Schema (as ``lower_schemas`` writes it), to compare model fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

Relation = Literal["same", "wider", "narrower", "unrelated"]
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_PRIMITIVES["null"] = "None"


# (narrower, wider): a float field accepts every int, a datetime every Timestamp.
_WIDER_SCALARS = {("int", "float"), ("Timestamp", "datetime")}


def relate(old: str, new: str) -> Relation:
    """How the set of values ``new`` accepts relates to the set ``old`` accepts."""
    if old == new:
        return "same"
    old_parts, new_parts = split_union(old), split_union(new)
    if "Any" in new_parts or "Any" in old_parts:
        if "Any" in new_parts and "Any" in old_parts:
            return "same"
        return "wider" if "Any" in new_parts else "narrower"
    covered = all(any(_within(o, n) for n in new_parts) for o in old_parts)
    covers = all(any(_within(n, o) for o in old_parts) for n in new_parts)
    if covered and covers:
        return "same"
    if covered:
        return "wider"
    if covers:
        return "narrower"
    return "unrelated"


def _within(part: str, other: str) -> bool:
    """Every value of the (non-union) type ``part`` is a value of ``other``."""
    if part == other or (part, other) in _WIDER_SCALARS or other == "Any":
        return True
    head, args = _generic(part)
    other_head, other_args = _generic(other)
    if head is None or head != other_head or len(args) != len(other_args):
        return False
    return all(relate(a, b) in ("same", "wider") for a, b in zip(args, other_args, strict=True))


def _generic(annotation: str) -> tuple[str | None, list[str]]:
    match = re.fullmatch(r"(\w+)\[(.*)\]", annotation)
    if match is None:
        return None, []
    return match.group(1), _split_top(match.group(2), ",")


def split_union(annotation: str) -> list[str]:
    return [part for part in _split_top(annotation, "|") if part]


def _split_top(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "["
        depth -= char == "]"
        if char == separator and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def field_annotation(schema: Any, enums: set[str]) -> str:
    """The Python annotation of a field in a model's prepared JSON Schema (``lower_schemas``)."""
    if not isinstance(schema, dict):
        return "Any"
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return f"{name} | str" if name in enums else name
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            return _union(field_annotation(part, enums) for part in schema[key])
    python_type = schema.get("x-python-type")  # a runtime type (lower_schemas)
    if isinstance(python_type, str):
        return python_type.rsplit(".", 1)[-1]
    kind = schema.get("type")
    if isinstance(kind, list):
        return _union(field_annotation({**schema, "type": k}, enums) for k in kind)
    if kind == "array":
        return f"list[{field_annotation(schema.get('items'), enums)}]"
    if kind == "object" or (kind is None and "additionalProperties" in schema):
        extra = schema.get("additionalProperties")
        value = field_annotation(extra, enums) if isinstance(extra, dict) else "Any"
        return f"dict[str, {value}]"
    if kind == "string" and schema.get("format") == "date-time":
        return "datetime"
    return _PRIMITIVES.get(str(kind), "Any")


def _union(parts: Iterable[str]) -> str:
    unique: list[str] = []
    for part in parts:
        for piece in split_union(part):
            if piece not in unique:
                unique.append(piece)
    return " | ".join(unique)

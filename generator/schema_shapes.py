"""JSON Schema shapes that ``lower_schemas`` decides on: pure functions, no registry.

``flatten_all_of`` merges an ``allOf`` (its ``$ref`` members followed, nested ``allOf``
flattened) into one schema: properties in order, ``required`` joined, other keywords
from the first member that has them.  ``join`` builds a union from lowered parts.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

# Keywords a lowered schema rebuilds itself; every other keyword (constraints, format,
# description, default) is carried to datamodel-code-generator as written.
STRUCTURAL = frozenset(
    [
        "$ref",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "items",
        "prefixItems",
        "properties",
        "additionalProperties",
        "patternProperties",
        "required",
        "enum",
        "const",
        "discriminator",
        "type",
        "nullable",
        "title",
        "example",
        "examples",
    ]
)


# Keywords for readers other than a JSON client (XML serializers, documentation sites): in
# the models they would only be json_schema_extra noise.
_FOR_OTHER_READERS = frozenset({"xml", "externalDocs"})

PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
PRIMITIVES["null"] = "None"
_INTEGER_FORMATS = frozenset({"int32", "int64", "uint32", "uint64"})


@dataclass(frozen=True)
class Lowered:
    """A schema as Python sees it (``annotation``) and as datamodel-code-generator gets it
    (``schema``: refs by class name); both from one decision, so they cannot disagree."""

    annotation: str
    schema: dict[str, Any] = field(default_factory=dict)
    # What it is as a union's branch or a container's item, where that differs: a tuple
    # there would be wrapped by datamodel-code-generator in a root model the IR does not
    # know (its length bounds), so it is the list of what its positions hold.
    branch: Lowered | None = None


def clean_text(text: Any) -> str:
    """A description as a docstring can hold it: no trailing blanks on any line."""
    return "\n".join(line.rstrip() for line in str(text).strip().splitlines())


# Formats that become a typed field: their pydantic type keeps the value as sent and needs
# nothing beyond pydantic.  Any other format is documentation only and the field keeps its
# JSON type: `email` would need email-validator, `password` (SecretStr) would send
# "**********", `uri` (AnyUrl) rewrites the URL, `byte` (Base64Str) decodes it, `ipv4`,
# `decimal` or `path` would not take a plain string under mypy.
# Per JSON type: a number stays a number (`unixtime` would be read as int, `date-time` as a
# datetime, `decimal` as Decimal, and 1.5 refused).
TYPED_FORMATS = {
    # and the integer formats of an integer sent as a decimal string (``is_integer_string``)
    "string": frozenset({"date-time", "date", "time", "uuid", "binary"}) | _INTEGER_FORMATS,
    "integer": frozenset({"int32", "int64"}),
    "number": frozenset({"int32", "int64", "float", "double"}),
}


def carried(schema: dict[str, Any]) -> dict[str, Any]:
    """The keywords of ``schema`` that are not rebuilt (constraints, format, default...)."""
    result = {
        key: copy.deepcopy(value)
        for key, value in schema.items()
        if key not in STRUCTURAL and key not in _FOR_OTHER_READERS and not key.startswith("x-")
    }
    if "description" in result:
        result["description"] = clean_text(result["description"])
        if not result["description"]:
            del result["description"]
    if isinstance(result.get("format"), str) and not _typed_format(result["format"], schema):
        del result["format"]
    if _holds_objects(result.get("default")):
        # An object default would be a dict literal where the field's type is a model (or
        # a dict of models): not code mypy accepts.  The server applies its own default.
        del result["default"]
    return result


def _typed_format(format_: str, schema: dict[str, Any]) -> bool:
    """Whether ``format_`` is kept for every JSON type ``schema`` allows (a string if none)."""
    kinds = schema.get("type", "string")
    kinds = [kinds] if isinstance(kinds, str) else [k for k in kinds if k != "null"]
    return bool(kinds) and all(
        format_ in TYPED_FORMATS.get(str(kind), frozenset()) for kind in kinds
    )


def _holds_objects(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value)
    )


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.?")
_CAMEL = re.compile(r"[a-z0-9][A-Z]")


def informative(text: str, *names: str, single_word: bool = False) -> str:
    """``text``, unless it only repeats a name: one of ``names`` written another way
    (``"GPU Type"`` for ``gpuType``, ``"ID"`` for ``id``), a raw schema title
    (``"OpenapiScaleWorkersRequest"``: one CamelCase identifier), or with ``single_word``
    (a model's description) any one word, which says nothing its class name does not."""
    squeezed = _squeeze(text)
    if not squeezed or any(squeezed == _squeeze(name) for name in names):
        return ""
    word = _IDENTIFIER.fullmatch(text.strip())
    if word and (single_word or _CAMEL.search(text)):
        return ""
    return text


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def description_of(schema: Any) -> dict[str, Any]:
    if isinstance(schema, dict) and clean_text(schema.get("description") or ""):
        return {"description": clean_text(schema["description"])}
    return {}


def annotations_of(schema: Any) -> dict[str, Any]:
    """What a node beside a ``$ref`` says about its field: description and default."""
    result = description_of(schema)
    if isinstance(schema, dict) and "default" in schema:
        result["default"] = copy.deepcopy(schema["default"])
    return result


def join(parts: Iterable[Lowered]) -> Lowered:
    """The union of lowered parts: annotations deduplicated, ``Any`` absorbing, ``None`` last."""
    annotations: list[str] = []
    schemas: list[dict[str, Any]] = []
    seen: set[str] = set()
    for part in parts:
        for piece in part.annotation.split(" | "):
            if piece not in annotations:
                annotations.append(piece)
        key = json.dumps(part.schema, sort_keys=True)
        if key not in seen:
            seen.add(key)
            schemas.append(part.schema)
    if "Any" in annotations or not annotations:
        return Lowered("Any", {})
    ordered = [a for a in annotations if a != "None"] + (["None"] if "None" in annotations else [])
    flat: list[dict[str, Any]] = []
    for schema in schemas:  # `anyOf` inside `anyOf` reads the same flattened
        flat.extend(schema["anyOf"] if list(schema) == ["anyOf"] else [schema])
    joined = flat[0] if len(flat) == 1 else with_literal_marker({"anyOf": flat}, flat)
    return Lowered(" | ".join(ordered), joined)


def flatten_all_of(
    schema: dict[str, Any], resolve: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """``schema`` with its ``allOf`` merged in (refs followed, nested ``allOf`` flattened)."""
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for member in _members(schema, resolve, set()):
        for name, prop in (member.get("properties") or {}).items():
            properties[name] = prop  # a later member refines an earlier one's property
        for name in member.get("required") or []:
            if name not in required:
                required.append(name)
        for key, value in member.items():
            if key not in ("allOf", "properties", "required", "$ref"):
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = required
    return merged


def distributed(schema: dict[str, Any], key: str) -> dict[str, Any]:
    """``schema``'s ``oneOf``/``anyOf`` with the properties written beside it merged into
    each branch: ``{properties: P, oneOf: [A, B]}`` asks for P and one of A or B, which is
    ``oneOf: [allOf [P, A], allOf [P, B]]``.  Without such properties, ``schema`` itself."""
    if not schema.get("properties") or not adds_shape(schema.get(key)):
        return schema
    shared_keys = ("type", "properties", "required", "additionalProperties")
    shared = {k: schema[k] for k in shared_keys if k in schema}
    rest = {k: v for k, v in schema.items() if k not in shared_keys}
    rest[key] = [{"allOf": [shared, branch]} for branch in schema[key]]
    return rest


def adds_shape(branches: Any) -> bool:
    """Whether a ``oneOf``/``anyOf`` beside properties adds a shape of its own, rather than
    only saying which of the properties are required (``anyOf: [{required: [a]}, ...]``,
    which stays a model of the properties, its fields arguments)."""
    notes = {"required", "description", "title"}
    return isinstance(branches, list) and any(
        not isinstance(branch, dict) or set(branch) - notes for branch in branches
    )


def object_properties(schema: dict[str, Any]) -> dict[str, Any]:
    """``properties``, plus each ``required`` name they leave out.

    JSON Schema asks only that such a key be present; its value is what
    ``additionalProperties`` allows (any value when that is absent).  Under
    ``additionalProperties: false`` no object satisfies the schema, and the name is left out.
    """
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    required = schema.get("required")
    missing = [
        name
        for name in dict.fromkeys(required if isinstance(required, list) else [])
        if isinstance(name, str) and name not in properties
    ]
    extra = schema.get("additionalProperties", True)
    if not missing or extra is False:
        return properties
    value = extra if isinstance(extra, dict) else {}
    return {**properties, **{name: value for name in missing}}


def _members(
    schema: dict[str, Any], resolve: Callable[[Any], dict[str, Any]], seen: set[int]
) -> list[dict[str, Any]]:
    """``schema`` itself (without ``allOf``), then each member's members, depth first."""
    if id(schema) in seen:  # a cycle through allOf: nothing more to merge
        return []
    seen = seen | {id(schema)}
    own = {k: v for k, v in schema.items() if k != "allOf"}
    found = [own]
    for member in schema.get("allOf") or []:
        target = resolve(member) if isinstance(member, dict) else {}
        if target:
            found.extend(_members(target, resolve, seen))
    return found


def enum_base(values: list[Any]) -> str | None:
    """``str`` or ``int`` when every (non-null) value is one; None for a mixed enum."""
    kinds = {type(value) for value in values}
    if kinds == {str}:
        return "str"
    if kinds == {int}:
        return "int"
    return None


def python_literal(value: Any) -> str | None:
    """``value`` as a ``Literal[...]`` member, when it can be one."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    return None


SCALAR_ANNOTATIONS = {str: "str", int: "int", float: "float", bool: "bool", type(None): "None"}
JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
JSON_TYPES["None"] = "null"


def default_fits(value: Any, annotation: str, required: bool) -> bool:
    """Whether a type checker accepts ``value`` as the default of a field of ``annotation``
    (an optional field is also ``None``).  A default the page got wrong is not emitted."""
    parts = annotation.split(" | ")
    if "Any" in parts:
        return True
    if value is None:
        return "None" in parts or not required
    if isinstance(value, bool):
        return "bool" in parts or f"Literal[{value}]" in parts
    if isinstance(value, int | float) and not isinstance(value, bool):
        wanted = ("int", "float") if isinstance(value, int) else ("float",)
        return any(p in wanted for p in parts) or f"Literal[{value}]" in parts
    if isinstance(value, str):
        return "str" in parts or f"Literal[{json.dumps(value, ensure_ascii=False)}]" in parts
    if isinstance(value, list):
        return any(p.startswith("list[") for p in parts)
    return isinstance(value, dict) and any(p.startswith("dict[") for p in parts)


def is_integer_string(schema: dict[str, Any]) -> bool:
    """An integer sent as a decimal string (``type: string, format: int64``; or null too)."""
    kind = schema.get("type")
    text = kind == "string" or (isinstance(kind, list) and set(kind) == {"string", "null"})
    return text and schema.get("format") in _INTEGER_FORMATS


def lower_const(schema: dict[str, Any]) -> Lowered:
    value = schema["const"]
    literal = python_literal(value)
    result = {**carried(schema), "const": value}
    if value is None:
        return Lowered("None", {"type": "null"})
    if literal is None:
        return Lowered("Any", result)
    return Lowered(f"Literal[{literal}]", result)


def nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return (isinstance(kind, list) and "null" in kind) or None in (schema.get("enum") or [])


def sent_differently(
    node: Any, resolve: Callable[[Any], dict[str, Any]], inside: Callable[[Any], bool]
) -> bool:
    """Whether what the caller sends of ``node`` lowers differently from what it receives:
    an ``enum`` in it (a closed ``Literal`` when sent), a ``readOnly`` property (left out of
    what is sent) or a ``writeOnly`` one (required, if so, only in what is sent).  Each
    ``$ref`` is asked of ``inside`` (which caches, and stops cycles)."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            return True
        if isinstance(node.get("$ref"), str):
            return inside(resolve(node))
        properties = node.get("properties")
        if isinstance(properties, dict) and any(
            map(partial(_one_sided, resolve=resolve), properties.values())
        ):
            return True
        return any(sent_differently(v, resolve, inside) for k, v in node.items() if k != "example")
    return isinstance(node, list) and any(sent_differently(v, resolve, inside) for v in node)


def _one_sided(prop: Any, resolve: Callable[[Any], dict[str, Any]]) -> bool:
    """Whether a property is marked ``readOnly`` or ``writeOnly`` (or what it references)."""
    if not isinstance(prop, dict):
        return False
    target = resolve(prop)
    return any(True in (prop.get(key), target.get(key)) for key in ("readOnly", "writeOnly"))


def has_integer_strings(node: Any) -> bool:
    if isinstance(node, dict):
        return is_integer_string(node) or any(map(has_integer_strings, node.values()))
    return isinstance(node, list) and any(map(has_integer_strings, node))


def in_container(lowered: Lowered) -> Lowered:
    """``lowered`` as list items or dict values, where datamodel-code-generator would wrap a
    discriminated union or a constrained type in a root model of its own (``list[Column]``,
    ``Column(RootModel[str])``, where the IR says ``list[str]``): there, only the type (a
    discriminated union as a plain one: each branch's ``Literal`` field still picks it)."""
    branch = as_branch(lowered)
    schema = branch.schema
    if "discriminator" not in schema:
        return branch
    plain = {k: v for k, v in schema.items() if k not in ("discriminator", "oneOf")}
    return Lowered(branch.annotation, {**plain, "anyOf": schema["oneOf"]})


# What a union's branch keeps for datamodel-code-generator: its type.  Constraints, a
# default or a description on a branch make it hoist the branch into a root model of its
# own (`BatchSize(RootModel[int])`), a class the IR does not know, in place of `int`.
_BRANCH_KEYS = frozenset(
    {"$ref", "type", "format", "items", "additionalProperties", "anyOf", "oneOf", "const"}
    | {"enum", "discriminator", "x-enum-field-as-literal"}
)
# datamodel-code-generator writes an enum as a `Literal` when the *field's* schema carries
# this key: a field whose union or items hold a closed (request) enum carries it too.
ENUM_AS_LITERAL = "x-enum-field-as-literal"


def with_literal_marker(schema: dict[str, Any], parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``schema`` marked as holding closed enums when one of ``parts`` is (or holds) one."""
    if any(isinstance(part, dict) and part.get(ENUM_AS_LITERAL) for part in parts):
        return {**schema, ENUM_AS_LITERAL: True}
    return schema


def as_branch(lowered: Lowered) -> Lowered:
    if lowered.branch is not None:
        lowered = lowered.branch
    kept = {k: v for k, v in lowered.schema.items() if k in _BRANCH_KEYS}
    return Lowered(lowered.annotation, kept)


# datamodel-code-generator's keyword for the Python type of a field (a runtime class).
PYTHON_TYPE = "x-python-type"
_FIELD_KEYWORDS = ("description", "title", "default", "example", "examples", "deprecated")


def type_list(schema: dict[str, Any], kinds: list[Any], parts: list[Lowered]) -> Lowered:
    """A 3.1 type array (``[integer, null]``): kept as one schema when every type is a
    primitive (its constraints and default stay on the field), else a union of bare types."""
    lowered = join(as_branch(part) for part in parts)
    if all(kind in PRIMITIVES for kind in kinds) and not is_integer_string(schema):
        typed = [part for part, kind in zip(parts, kinds, strict=True) if kind != "null"]
        # One type and null: that type's own schema (a date-time's runtime type, no text
        # constraints on a date); several: what they share.
        kept = dict(typed[0].schema) if len(typed) == 1 else carried(schema)
        if PYTHON_TYPE in kept and "null" in kinds:
            # datamodel-code-generator reads a runtime type only on a schema of one type
            outer = {k: kept.pop(k) for k in _FIELD_KEYWORDS if k in kept}
            return Lowered(lowered.annotation, {**outer, "anyOf": [kept, {"type": "null"}]})
        if not any("format" in part.schema for part in typed):
            kept.pop("format", None)  # a format no type keeps (decimal): documentation only
        return Lowered(lowered.annotation, {**kept, "type": list(kinds)})
    outer = carried(schema)
    outer.pop("format", None)  # it belongs to one of the types, which carries it
    return Lowered(lowered.annotation, {**outer, **lowered.schema})

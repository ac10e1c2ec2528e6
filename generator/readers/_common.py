"""Helpers shared by the table readers (and open to the MDX and scraped-text readers).

Nothing here knows a page format: the functions take plain values (cell texts,
parsed JSON, field dicts) and return OpenAPI 3.1 pieces.  What each covers:

* ``parse_type_name``: a type as written in a field table -> JSON Schema.
* ``infer_schema`` / ``json_key_lines``: a JSON example -> JSON Schema, with the
  line of every object key so properties can carry ``x-source``.
* ``operation_id`` / ``schema_name``: names from titles and headings.
* ``parse_default`` / ``field_entry``: one field-table row -> an ``x-request-fields``
  entry (the shape the reader contract fixes).
* ``place_fields``: fields -> ``parameters`` + ``requestBody`` once the method is known.
* ``enum_schema`` / ``attach_enums``: enum tables -> component schemas, referenced
  from the response properties whose example values they contain.
* ``OperationDraft`` / ``build_document``: what a reader found per operation ->
  the fragment.  It lives here (making this module longer than the house ~400
  lines) so that every table-style reader yields exactly the same shape: the
  merge joins fragments of one provider's pages by that shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostics, Location
from generator.pagekit import (  # noqa: F401  (re-exported: readers import them from here)
    ITEMS,
    JsonPath,
    json_key_lines,
    path_parameter_names,
    place_fields,
)
from generator.readers import Page, empty_document

_PRIMITIVES = {
    "string": {"type": "string"},
    "str": {"type": "string"},
    "text": {"type": "string"},
    "integer": {"type": "integer"},
    "int": {"type": "integer"},
    "int32": {"type": "integer", "format": "int32"},
    "int64": {"type": "integer", "format": "int64"},
    "long": {"type": "integer", "format": "int64"},
    "number": {"type": "number"},
    "float": {"type": "number"},
    "double": {"type": "number"},
    "boolean": {"type": "boolean"},
    "bool": {"type": "boolean"},
    "object": {"type": "object"},
    "dict": {"type": "object"},
    "map": {"type": "object"},
    "array": {"type": "array"},
    "list": {"type": "array"},
    "date-time": {"type": "string", "format": "date-time"},
    "datetime": {"type": "string", "format": "date-time"},
}

TYPE_HINT = "use string, integer, number, boolean, object, array or array[<type>]"

# A single type name such as ``array[string]``, ``list<int>`` or ``string[]``.
_GENERIC_TYPE = re.compile(r"^(?:array|list)\s*[\[<(]\s*(.+?)\s*[\])>]$", re.IGNORECASE)
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)
# "Defaults to `x`", "default: x", "default is x", "default 2" (inside one description).
_DEFAULT = re.compile(
    r"\bdefaults?(?P<link>\s+to|\s+is|\s*:|\s*=)?\s+(?P<quote>[`'\"]?)(?P<value>[^\s`'\",;]+)(?P=quote)",
    re.IGNORECASE,
)
_LITERAL = re.compile(r"^(?:-?\d+(?:\.\d+)?|true|false)$", re.IGNORECASE)


def parse_type_name(text: str) -> dict[str, Any] | None:
    """The JSON Schema for a type name from a field table; ``None`` if unknown."""
    name = text.strip().strip("`").strip()
    known = _PRIMITIVES.get(name.lower())
    if known is not None:
        return dict(known)
    generic = _GENERIC_TYPE.match(name)
    inner = generic.group(1) if generic else name[:-2] if name.endswith("[]") else None
    if inner is None:
        return None
    items = parse_type_name(inner)
    return None if items is None else {"type": "array", "items": items}


def type_or_assumed(
    text: str, name: str, where: Location, diagnostics: Diagnostics
) -> dict[str, Any]:
    """The schema a table's type cell names; a missing or unknown type is read as `string`
    with a warning at the row, for the provider's overlay to settle (it never blocks)."""
    schema = parse_type_name(text) if text.strip() else None
    if schema is not None:
        return schema
    said = f"has unknown type {text.strip()!r}" if text.strip() else "has no type"
    diagnostics.warning(
        where,
        f"field {name!r} {said}; read as string",
        f"{TYPE_HINT}; or set its type in the provider's overlay",
    )
    return {"type": "string"}


def is_rfc3339(value: str) -> bool:
    if not _RFC3339.match(value):
        return False
    # fromisoformat rejects more than 6 fractional digits; the date part is what matters.
    try:
        datetime.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def infer_schema(
    example: Any,
    key_lines: dict[JsonPath, int] | None = None,
    source: Callable[[int], str] | None = None,
    path: JsonPath = (),
) -> dict[str, Any]:
    """A JSON Schema describing ``example``; object properties carry ``x-source``.

    ``key_lines`` maps a key's path to its 1-based line on the page and ``source``
    turns such a line into an ``x-source`` value; both come from the reader.  Items
    of an array are merged: properties are the union, ``integer`` widens to ``number``.
    """
    if isinstance(example, bool):
        return {"type": "boolean"}
    if isinstance(example, int):
        return {"type": "integer"}
    if isinstance(example, float):
        return {"type": "number"}
    if isinstance(example, str):
        return (
            {"type": "string", "format": "date-time"} if is_rfc3339(example) else {"type": "string"}
        )
    if isinstance(example, list):
        schema: dict[str, Any] = {"type": "array"}
        item_schemas = [infer_schema(i, key_lines, source, (*path, ITEMS)) for i in example]
        if item_schemas:
            merged = item_schemas[0]
            for other in item_schemas[1:]:
                merged = merge_schemas(merged, other)
            schema["items"] = merged
        return schema
    if isinstance(example, dict):
        properties: dict[str, Any] = {}
        for key, value in example.items():
            prop = infer_schema(value, key_lines, source, (*path, key))
            line = (key_lines or {}).get((*path, key))
            if line is not None and source is not None:
                prop["x-source"] = source(line)
            properties[key] = prop
        return {"type": "object", "properties": properties}
    return {}  # null: the example says nothing about the type


def merge_schemas(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two inferred schemas of the same place (e.g. two array items) as one."""
    if first.get("type") != second.get("type"):
        types = {first.get("type"), second.get("type")}
        if types == {"integer", "number"}:
            return {**first, "type": "number"}
        return first if first else second
    merged = dict(first)
    if first.get("type") == "object":
        properties = dict(first.get("properties", {}))
        for key, schema in second.get("properties", {}).items():
            known = properties.get(key)
            properties[key] = schema if known is None else merge_schemas(known, schema)
        merged["properties"] = properties
    elif first.get("type") == "array" and "items" in second:
        merged["items"] = (
            merge_schemas(first["items"], second["items"]) if "items" in first else second["items"]
        )
    elif first.get("format") != second.get("format"):
        merged.pop("format", None)
    return merged


def operation_id(title: str) -> str:
    """lowerCamelCase of a title: "Scale down workers" -> ``scaleDownWorkers``."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", title) if w]
    if not words:
        return ""
    head = words[0].lower()
    camel = head + "".join(w[0].upper() + w[1:] for w in words[1:])
    return camel if not camel[0].isdigit() else f"op{camel[0].upper()}{camel[1:]}"


def schema_name(title: str) -> str:
    """PascalCase of a heading: "Worker Detail Status" -> ``WorkerDetailStatus``."""
    camel = operation_id(title)
    return camel[:1].upper() + camel[1:]


def parse_default(description: str, schema: dict[str, Any]) -> Any:
    """The default a description states ("Defaults to `x`"), typed by ``schema``.

    Returns ``None`` when the prose states none, or states one that does not fit
    the type.  Without a linking word ("default 2 day") only a literal number or
    boolean counts, so "the default namespace" is not read as a default.
    """
    for match in _DEFAULT.finditer(description):
        value = match.group("value").rstrip(".")
        if not (match.group("link") or match.group("quote") or _LITERAL.match(value)):
            continue
        typed = typed_literal(value, schema.get("type"))
        if typed is not None:
            return typed
    return None


def typed_literal(value: str, type_name: Any) -> Any:
    """``value`` as a ``type_name`` literal (a string as is), None when it is not one."""
    if type_name == "boolean":
        return {"true": True, "false": False}.get(value.lower())
    if type_name in ("integer", "number"):
        try:
            number = float(value)
        except ValueError:
            return None
        return (
            int(number)
            if type_name == "integer" and number.is_integer()
            else (number if type_name == "number" else None)
        )
    if type_name in ("string", None):
        return value
    return None


def field_entry(
    name: str,
    schema: dict[str, Any],
    description: str,
    required: bool,
    source: str,
) -> dict[str, Any]:
    """One ``x-request-fields`` entry; a default stated in the description goes into the schema."""
    schema = dict(schema)
    default = parse_default(description, schema) if description else None
    if default is not None and "default" not in schema:  # a Default column wins over prose
        schema["default"] = default
    entry: dict[str, Any] = {"name": name, "schema": schema, "required": required}
    if description:
        entry["description"] = description
    entry["x-source"] = source
    return entry


def enum_schema(values: list[tuple[str, str]], source: str) -> dict[str, Any]:
    """A string enum component from ``(value, description)`` rows of an enum table."""
    schema: dict[str, Any] = {"type": "string", "enum": [v for v, _ in values]}
    if any(description for _, description in values):
        schema["x-enum-descriptions"] = [description for _, description in values]
    schema["x-source"] = source
    return schema


def add_enum(
    enums: dict[str, dict[str, Any]],
    label: str,
    values: list[tuple[str, str]],
    page: Page,
    line: int,
    diagnostics: Diagnostics,
    hint: str,
) -> None:
    """Add an enum table's schema under a name made from its label.

    A second table with the same name is kept under the name plus its line, with a warning.
    """
    name = schema_name(label) or "Enum"
    if name in enums:
        diagnostics.warning(page.at(line), f"second enum named {name!r}", hint)
        name = f"{name}{line}"
    enums[name] = enum_schema(values, page.source(line))


def observed_strings(example: Any, path: JsonPath = ()) -> dict[JsonPath, set[str]]:
    """Every string value of a JSON example, grouped by where it sits."""
    found: dict[JsonPath, set[str]] = {}
    for where, value in _leaves(example, path):
        if isinstance(value, str):
            found.setdefault(where, set()).add(value)
    return found


def _leaves(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, (*path, ITEMS))
    else:
        yield path, value


def attach_enums(
    schema: dict[str, Any],
    example: Any,
    enums: dict[str, dict[str, Any]],
) -> list[tuple[JsonPath, list[str]]]:
    """Point string properties at the enum component that holds their example values.

    A property is replaced by ``$ref`` (keeping its ``x-source``) when every value
    the example shows for it is a member of exactly one enum in ``enums`` (name ->
    component schema).  Returns the paths where several enums matched, left alone.
    """
    ambiguous: list[tuple[JsonPath, list[str]]] = []
    for path, values in sorted(observed_strings(example).items()):
        matches = sorted(
            name for name, enum in enums.items() if values <= set(enum.get("enum", []))
        )
        if len(matches) > 1:
            ambiguous.append((path, matches))
        elif matches:
            _replace_at(schema, path, matches[0])
    return ambiguous


def _replace_at(schema: dict[str, Any], path: JsonPath, enum_name: str) -> None:
    parent: dict[str, Any] | None = None
    node = schema
    for step in path:
        parent = node
        container = node.get("items") if step == ITEMS else node.get("properties", {}).get(step)
        if not isinstance(container, dict):
            return
        node = container
    if parent is None or node.get("type") != "string":
        return
    ref: dict[str, Any] = {"$ref": f"#/components/schemas/{enum_name}"}
    ref.update({k: v for k, v in node.items() if k in ("description", "x-source")})
    if path[-1] == ITEMS:
        parent["items"] = ref
    else:
        parent["properties"][path[-1]] = ref


def json_response(schema: dict[str, Any], example: Any, description: str = "OK") -> dict[str, Any]:
    """A 200 response whose JSON body is described by ``schema`` and shown by ``example``."""
    return {
        "description": description,
        "content": {"application/json": {"schema": schema, "example": example}},
    }


@dataclass
class JsonExample:
    """A JSON example found on a page: its value and the page line of each key."""

    value: Any
    line: int
    key_lines: dict[JsonPath, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, line: int) -> JsonExample | tuple[str, int]:
        """Parse ``text`` (starting at page ``line``); else the error and its page line."""
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return exc.msg, line + exc.lineno - 1
        except ValueError as exc:  # e.g. a number too long to convert
            return str(exc), line
        relative = json_key_lines(text)
        return cls(value, line, {path: line + rel - 1 for path, rel in relative.items()})


@dataclass
class OperationDraft:
    """What a reader found about one operation, before it becomes OpenAPI."""

    title: str
    line: int
    url: str
    description: str = ""
    method: str | None = None
    fields: list[dict[str, Any]] = field(default_factory=list)
    body_names: set[str] | None = None
    response: JsonExample | None = None
    security: list[dict[str, list[str]]] | None = None


def build_document(
    page: Page,
    title: str,
    drafts: list[OperationDraft],
    enums: dict[str, dict[str, Any]],
    diagnostics: Diagnostics,
) -> dict[str, Any]:
    """The fragment for ``drafts``: servers, one operation per draft, ``enums`` as components.

    Operations whose method is unknown go under ``x-unknown-method`` with their
    non-path fields in ``x-request-fields`` (the reader contract).
    """
    document = empty_document(title)
    servers: list[str] = []
    used_ids: set[str] = set()
    for draft in drafts:
        parts = urlsplit(draft.url)
        server = f"{parts.scheme}://{parts.netloc}"
        if parts.netloc and server not in servers:
            servers.append(server)
        path = parts.path or "/"
        operation = _operation(page, draft, path, enums, used_ids, diagnostics)
        key = draft.method.lower() if draft.method else "x-unknown-method"
        path_item = document["paths"].setdefault(path, {})
        if key in path_item:
            diagnostics.error(
                page.at(draft.line),
                f"second operation for {key} {path}",
                "each method and path may be documented once per page",
            )
            continue
        path_item[key] = operation
    if servers:
        document["servers"] = [{"url": url} for url in servers]
    document["components"]["schemas"].update(enums)
    return document


def _operation(
    page: Page,
    draft: OperationDraft,
    path: str,
    enums: dict[str, dict[str, Any]],
    used_ids: set[str],
    diagnostics: Diagnostics,
) -> dict[str, Any]:
    op_id = operation_id(draft.title) or "operation"
    if op_id in used_ids:
        diagnostics.warning(
            page.at(draft.line),
            f"operationId {op_id!r} is used twice",
            "give the operations distinct titles",
        )
        op_id = f"{op_id}{draft.line}"
    used_ids.add(op_id)
    operation: dict[str, Any] = {"operationId": op_id, "summary": draft.title}
    if draft.description and draft.description != draft.title:
        operation["description"] = draft.description
    fields = _with_path_fields(page, draft, path, diagnostics)
    if draft.method:
        parameters, body = place_fields(draft.method, path, fields, body_names=draft.body_names)
    else:
        in_path = set(path_parameter_names(path))
        parameters, body = place_fields("get", path, [f for f in fields if f["name"] in in_path])
        operation["x-request-fields"] = [f for f in fields if f["name"] not in in_path]
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
    if draft.security is not None:
        operation["security"] = draft.security
    operation["responses"] = {"200": _response(page, draft, enums, diagnostics)}
    operation["x-source"] = page.source(draft.line)
    return operation


def _with_path_fields(
    page: Page,
    draft: OperationDraft,
    path: str,
    diagnostics: Diagnostics,
) -> list[dict[str, Any]]:
    named = {f["name"] for f in draft.fields}
    fields = list(draft.fields)
    for name in path_parameter_names(path):
        if name not in named:
            diagnostics.warning(
                page.at(draft.line),
                f"path parameter {{{name}}} is not described",
                "add it to the operation's field table",
            )
            fields.append(field_entry(name, {"type": "string"}, "", True, page.source(draft.line)))
    return fields


def _response(
    page: Page,
    draft: OperationDraft,
    enums: dict[str, dict[str, Any]],
    diagnostics: Diagnostics,
) -> dict[str, Any]:
    if draft.response is None:
        diagnostics.warning(
            page.at(draft.line),
            f"operation {draft.title!r} shows no response",
            "add a JSON example of the response",
        )
        return {"description": "OK"}
    example = draft.response
    schema = infer_schema(example.value, example.key_lines, page.source)
    for where, names in attach_enums(schema, example.value, enums):
        line = example.key_lines.get(where, example.line)
        diagnostics.warning(
            page.at(line),
            f"values fit several enums: {', '.join(names)}",
            "left as a plain string; an overlay can pick the enum",
        )
    return json_response(schema, example.value)

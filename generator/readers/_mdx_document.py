"""The OpenAPI document an MDX bullet-list page describes, from what the reader collected.

Bullets give fields, fenced JSON examples settle what bullets leave open (types, required
fields, undocumented keys: each reported at its line), and prose gives hints such as a
response sent per item or a credential that may come as a bearer token.
"""

from __future__ import annotations

import re
from typing import Any

from generator.pagekit import json_key_lines
from generator.readers import Page, empty_document
from generator.readers._mdx_model import (
    BEARER,
    FIELD_SHAPE,
    TYPE_WORDS,
    BulletField,
    Example,
    Operation,
    Reading,
    Section,
)

_PER_ITEM = re.compile(r"\b(?:for each|for every)\b", re.IGNORECASE)
_ALTERNATIVE = re.compile(r"\b(?:alternativ\w*|instead)\b", re.IGNORECASE)


def build_document(reading: Reading) -> dict[str, Any]:
    page = reading.page
    document = empty_document(reading.title or page.display)
    if reading.description:
        document["info"]["description"] = reading.description
    first = next((op for op in reading.operations if op.server), None)
    server = first.server if first else None
    if first is not None:
        document["servers"] = [{"url": server, "x-source": page.source(first.line)}]
    for op in reading.operations:
        _add_operation(reading, document, op, server)
    if reading.bearer_line is not None:
        scheme = {"type": "http", "scheme": "bearer", "x-source": page.source(reading.bearer_line)}
        document["components"]["securitySchemes"] = {"bearer": scheme}
    return document


def _add_operation(
    reading: Reading, document: dict[str, Any], op: Operation, server: str | None
) -> None:
    page = reading.page
    operation: dict[str, Any] = {"operationId": _operation_id(op.path)}
    if _describes_only(reading, op):
        operation["description"] = reading.description
    if op.method is None and op.inputs is not None and op.inputs.example is not None:
        op.method = "post"
        reading.diags.warning(
            page.at(op.line),
            "operation shows no HTTP method; POST assumed from its JSON body",
            "add a curl example with -X <METHOD>",
        )
    fields = _request_fields(reading, op)
    if op.method is None:
        operation["x-request-fields"] = [_request_field(page, f, op) for f in fields]
    elif op.method in ("get", "head", "delete"):
        _add_parameters(page, operation, fields, op)
    else:
        _add_body(page, operation, fields, op)
    operation["responses"] = {"200": _response(reading, operation, op)}
    operation["x-source"] = page.source(op.line)
    path_item = document["paths"].setdefault(op.path, {})
    if op.server is not None and op.server != server:
        path_item["servers"] = [{"url": op.server, "x-source": page.source(op.line)}]
    key = op.method or "x-unknown-method"
    if key in path_item:
        reading.diags.error(
            page.at(op.line), f"{key.upper()} {op.path} is documented twice; the second is ignored"
        )
        return
    path_item[key] = operation


def _describes_only(reading: Reading, op: Operation) -> bool:
    """The page's description suits an operation when it names its path and no other's."""
    text = reading.description or ""
    others = {other.path for other in reading.operations} - {op.path}
    return op.path in text and not any(path in text for path in others)


def _request_fields(reading: Reading, op: Operation) -> list[BulletField]:
    section = op.inputs
    if section is None:
        return []
    _mark_alternative_auth(reading, section)
    return _section_fields(reading, section)


def _section_fields(reading: Reading, section: Section) -> list[BulletField]:
    """A section's fields, checked against its example (or read from it, if none)."""
    fields = section.fields
    _settle_untyped(reading, fields, section.example)
    if not fields and section.example is not None:
        return _fields_from_example(reading, section.example)
    if section.example is not None:
        _reconcile(reading, fields, section.example)
    return fields


def _mark_alternative_auth(reading: Reading, section: Section) -> None:
    """Prose like "`api_key` could alternatively be provided ... as a bearer token"."""
    names = {f.name: f for f in section.fields}
    for line, text, code in section.prose:
        if not (BEARER.search(text) and _ALTERNATIVE.search(text)):
            continue
        reading.bearer_line = reading.bearer_line or line
        for name in code:
            if name in names:
                names[name].alternative_auth = "bearer"
                names[name].optional = True


def _is_required(f: BulletField, example: Example | None) -> bool:
    if f.required_flag:
        return True
    in_example = example is not None and isinstance(example.value, dict) and f.name in example.value
    return in_example and not f.optional


def _add_body(
    page: Page, operation: dict[str, Any], fields: list[BulletField], op: Operation
) -> None:
    section = op.inputs
    if section is None:
        return
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    for f in fields:
        schema["properties"][f.name] = field_property(page, f)
    required = [f.name for f in fields if _is_required(f, section.example)]
    if required:
        schema["required"] = required
    schema["x-source"] = page.source(section.line)
    media: dict[str, Any] = {"schema": schema}
    if section.example is not None:
        media["example"] = section.example.value
    operation["requestBody"] = {"required": bool(required), "content": {"application/json": media}}


def _add_parameters(
    page: Page, operation: dict[str, Any], fields: list[BulletField], op: Operation
) -> None:
    parameters = []
    for f in fields:
        location = "path" if "{" + f.name + "}" in op.path else "query"
        parameter: dict[str, Any] = {"name": f.name, "in": location}
        if f.description:
            parameter["description"] = f.description
        parameter["required"] = location == "path" or f.required_flag
        parameter["schema"] = f.schema
        parameter["x-source"] = page.source(f.line)
        parameters.append(parameter)
    if parameters:
        operation["parameters"] = parameters


def _request_field(page: Page, f: BulletField, op: Operation) -> dict[str, Any]:
    example = op.inputs.example if op.inputs else None
    entry: dict[str, Any] = {"name": f.name, "schema": f.schema, "description": f.description}
    entry["required"] = _is_required(f, example)
    if f.alternative_auth:
        entry["x-alternative-auth"] = f.alternative_auth
    entry["x-source"] = page.source(f.line)
    return entry


def _response(reading: Reading, operation: dict[str, Any], op: Operation) -> dict[str, Any]:
    section = op.outputs
    if section is None:
        reading.diags.warning(reading.page.at(op.line), "operation documents no output")
        return {"description": "Success"}
    texts = [text.strip() for _, text, _ in section.prose if text.strip()]
    if any(_PER_ITEM.search(text) for text in texts):
        operation["x-response-per-item"] = True
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    for f in _section_fields(reading, section):
        schema["properties"][f.name] = field_property(reading.page, f)
    if isinstance(section.example and section.example.value, list):
        schema = {"type": "array", "items": schema}
    schema["x-source"] = reading.page.source(section.line)
    media: dict[str, Any] = {"schema": schema}
    if section.example is not None:
        media["example"] = section.example.value
    response: dict[str, Any] = {"description": texts[0].rstrip(":") if texts else "Success"}
    response["content"] = {"application/json": media}
    return response


def field_property(page: Page, f: BulletField) -> dict[str, Any]:
    prop = dict(f.schema)
    if f.description:
        prop["description"] = f.description
    if f.alternative_auth:
        prop["x-alternative-auth"] = f.alternative_auth
    prop["x-source"] = page.source(f.line)
    return prop


# --- examples ----------------------------------------------------------------


def _example_object(example: Example) -> dict[str, Any] | None:
    value = example.value
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0]
    return value if isinstance(value, dict) else None


def _key_line(example: Example, key: str) -> int:
    """The page line of a top-level key (of the first item, for a list example)."""
    lines = json_key_lines(example.text)
    offset = lines.get((key,), lines.get(("[]", key)))
    return example.line + offset if offset is not None else example.line


def _settle_untyped(reading: Reading, fields: list[BulletField], example: Example | None) -> None:
    """A field the page gives no type takes the example's, else `string`; the overlay may refine."""
    value = _example_object(example) if example is not None else None
    for f in fields:
        if not f.untyped:
            continue
        shown = _infer_schema(value[f.name]) if value is not None and f.name in value else {}
        f.schema = shown or {"type": "string"}
        source = "as the example shows" if shown else "assumed: no example shows it"
        reading.diags.warning(
            reading.page.at(f.line),
            f"field `{f.name}` {f.untyped}; read as {f.schema['type']} ({source})",
            f"write it as {FIELD_SHAPE} with one of: {', '.join(sorted(TYPE_WORDS))};"
            " or set its type in the provider's overlay",
        )
        f.untyped = None


def _reconcile(reading: Reading, fields: list[BulletField], example: Example) -> None:
    """Example keys no bullet documents are reported; bullet types win over the example's."""
    value = _example_object(example)
    if value is None:
        return
    documented = {f.name: f for f in fields}
    for key, item in value.items():
        f = documented.get(key)
        if f is None:
            reading.diags.warning(
                reading.page.at(_key_line(example, key)),
                f"example has `{key}`, which no bullet documents",
                "document it, or add it with the provider's overlay",
            )
        elif not _compatible(f.schema.get("type"), item):
            reading.diags.warning(
                reading.page.at(_key_line(example, key)),
                f"example gives `{key}` a {_json_type(item)}, the bullet says {f.schema['type']};"
                " the bullet's type is kept",
            )


def _fields_from_example(reading: Reading, example: Example) -> list[BulletField]:
    value = _example_object(example)
    if value is None:
        return []
    reading.diags.warning(
        reading.page.at(example.line), "fields are not documented; types inferred from the example"
    )
    return [
        BulletField(key, _infer_schema(item), "", _key_line(example, key), True, False)
        for key, item in value.items()
    ]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), "null")


def _compatible(documented: Any, value: Any) -> bool:
    found = _json_type(value)
    if documented is None or found == "null" or found == documented:
        return True
    return documented == "number" and found == "integer"


def _infer_schema(value: Any) -> dict[str, Any]:
    kind = _json_type(value)
    return {} if kind == "null" else {"type": kind}


def _operation_id(path: str) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", path) if w]
    if not words:
        return "root"
    first, rest = words[0], words[1:]
    return first[0].lower() + first[1:] + "".join(w[0].upper() + w[1:] for w in rest)

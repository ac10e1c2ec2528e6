"""Reader for MDX pages that document endpoints as bullet lists.

The format: a heading holding an endpoint URL (``# [https://host/path/](...)``)
starts an operation; under it an "Inputs" section lists request fields as
bullets (`` * `id` (int): The id. ``) followed by a fenced JSON example, an
"Outputs" section does the same for the response, and curl examples anywhere in
the operation carry the HTTP method.  MDX-only constructs (JSX elements,
``import``/``export`` lines, expressions) are blanked out first, keeping every
newline, so that the markdown parser's line numbers are the page's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from generator.diagnostics import Diagnostics
from generator.pagekit import HTTP_METHODS, json_key_lines, parse_curl
from generator.readers import Fragment, Page, empty_document
from generator.readers._mdx_text import front_matter_scalars, strip_mdx

TYPE_WORDS: dict[str, str] = {
    "int": "integer",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "number": "number",
    "double": "number",
    "string": "string",
    "str": "string",
    "bool": "boolean",
    "boolean": "boolean",
    "list": "array",
    "array": "array",
    "object": "object",
    "dict": "object",
}
INPUT_HEADINGS = frozenset({"inputs", "input", "parameters", "request", "request body", "body"})
OUTPUT_HEADINGS = frozenset({"outputs", "output", "response", "responses", "returns", "result"})
_CURL_COMMAND = re.compile(r"(?:^|\s)curl(?:\s|$)")
FIELD_SHAPE = "`name` (type): description"
OPERATION_HINT = "start each operation with a heading holding its URL: # [https://host/path/](https://host/path/)"
_TYPED_REST = re.compile(r"^\s*\(([^()]*)\)\s*:?\s*(.*)$", re.DOTALL)
_PLAIN_FIELD = re.compile(r"^\s*([A-Za-z_][\w.\-]*)\s*\(([^()]*)\)\s*:?\s*(.*)$", re.DOTALL)
_LIST_OF = re.compile(r"^(?:list|array)\s*(?:of\s+|\[)\s*(\w+)\s*\]?$|^(\w+)\s*\[\]$")
_HEADING_TARGET = re.compile(r"^\s*(?:([A-Za-z]+)\s+)?(\S+)\s*$")
_PER_ITEM = re.compile(r"\b(?:for each|for every)\b", re.IGNORECASE)
_ALTERNATIVE = re.compile(r"\b(?:alternativ\w*|instead)\b", re.IGNORECASE)
_BEARER = re.compile(r"\bbearer\b", re.IGNORECASE)
_OPTIONAL = re.compile(r"\b(?:optional(?:ly)?|alternativ\w*)\b", re.IGNORECASE)
_CHOICE = re.compile(r"\b(?:one of|either|any of)\b", re.IGNORECASE)


@dataclass
class _Field:
    name: str
    schema: dict[str, Any]
    description: str
    line: int
    optional: bool
    required_flag: bool
    alternative_auth: str | None = None
    # Why the page's type cannot be used (none, or an unknown word): the example or `string`
    # settles it when the page is built.
    untyped: str | None = None


@dataclass
class _Example:
    value: Any
    line: int  # the fence's first line
    text: str


@dataclass
class _Section:
    line: int
    fields: list[_Field] = field(default_factory=list)
    prose: list[tuple[int, str, list[str]]] = field(default_factory=list)  # line, text, code
    example: _Example | None = None


@dataclass
class _Operation:
    line: int
    level: int
    server: str | None
    path: str
    method: str | None
    inputs: _Section | None = None
    outputs: _Section | None = None


@dataclass
class _Reading:
    """What one pass over the page collects before the document is built."""

    page: Page
    diags: Diagnostics
    title: str | None = None
    description: str | None = None
    operations: list[_Operation] = field(default_factory=list)
    bearer_line: int | None = None


def read_mdx_bullets(page: Page) -> Fragment:
    """Read one MDX bullet-list page into an OpenAPI 3.1 fragment."""
    diags = Diagnostics()
    text, front_matter = strip_mdx(page.text)
    reading = _Reading(page, diags)
    _read_front_matter(reading, front_matter)
    root = SyntaxTreeNode(MarkdownIt("commonmark").parse(text))
    _walk(reading, root.children)
    document = _build_document(reading)
    if not reading.operations:
        diags.error(page.at(1), "page documents no operation", OPERATION_HINT)
    return Fragment(document, list(diags))


# --- MDX: blank out what is not markdown, keeping every newline ----------------


def _read_front_matter(reading: _Reading, front_matter: tuple[int, str] | None) -> None:
    if front_matter is None:
        return
    values = front_matter_scalars(front_matter[1])
    reading.title = values.get("title") or None
    reading.description = values.get("description") or None


class _Cursor:
    """Where the walk is: the current operation and the section kind inside it."""

    def __init__(self) -> None:
        self.op: _Operation | None = None
        self.section: _Section | None = None
        self.section_level = 0
        self.orphan_heading: tuple[int, int] | None = None  # level, line of a URL-less heading
        self.orphan_reported = False


def _walk(reading: _Reading, nodes: list[SyntaxTreeNode]) -> None:
    cursor = _Cursor()
    for node in nodes:
        line = _line(node)
        if node.type == "heading":
            _on_heading(reading, cursor, node, line)
        elif cursor.op is None:
            _on_page_block(reading, node)
        elif node.type == "fence":
            _on_fence(reading, cursor.op, cursor.section, node, line)
        elif cursor.section is not None and node.type == "bullet_list":
            cursor.section.fields.extend(_read_bullets(reading, node))
        elif cursor.section is not None and node.type == "paragraph":
            cursor.section.prose.append((line, _plain(node), _code_spans(node)))


def _on_heading(reading: _Reading, cursor: _Cursor, node: SyntaxTreeNode, line: int) -> None:
    level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
    target = _operation_target(reading, node, line)
    if target is not None:
        cursor.op = _Operation(line, level, *target)
        reading.operations.append(cursor.op)
        cursor.section, cursor.orphan_heading = None, None
        return
    if cursor.op is not None and level <= cursor.op.level:
        cursor.op, cursor.section = None, None
    if cursor.op is None:
        _on_heading_outside_operation(reading, cursor, node, level, line)
        return
    kind = _section_kind(_plain(node))
    if kind is not None:
        cursor.section = _Section(line)
        cursor.section_level = level
        _attach_section(reading, cursor.op, kind, cursor.section)
    elif level <= cursor.section_level:
        cursor.section = None


def _on_heading_outside_operation(
    reading: _Reading, cursor: _Cursor, node: SyntaxTreeNode, level: int, line: int
) -> None:
    orphan = cursor.orphan_heading
    if _section_kind(_plain(node)) is not None and orphan is not None and level > orphan[0]:
        if not cursor.orphan_reported:
            reading.diags.error(
                reading.page.at(orphan[1]),
                "heading has request/response sections but names no endpoint URL",
                OPERATION_HINT,
            )
            cursor.orphan_reported = True
        return
    if reading.title is None and level == 1:
        reading.title = _plain(node).strip() or None
    if orphan is None or level <= orphan[0]:
        cursor.orphan_heading, cursor.orphan_reported = (level, line), False


def _on_page_block(reading: _Reading, node: SyntaxTreeNode) -> None:
    """A block before any operation: the blockquote after the title describes the page."""
    if node.type == "blockquote" and reading.title is not None and reading.description is None:
        reading.description = _plain(node).strip() or None


def _attach_section(reading: _Reading, op: _Operation, kind: str, section: _Section) -> None:
    if kind == "inputs" and op.inputs is None:
        op.inputs = section
    elif kind == "outputs" and op.outputs is None:
        op.outputs = section
    else:
        reading.diags.warning(
            reading.page.at(section.line), f"second {kind} section for this operation ignored"
        )


def _section_kind(heading: str) -> str | None:
    words = heading.strip().rstrip(":").strip().lower()
    if words in INPUT_HEADINGS:
        return "inputs"
    if words in OUTPUT_HEADINGS:
        return "outputs"
    return None


def _operation_target(
    reading: _Reading, node: SyntaxTreeNode, line: int
) -> tuple[str | None, str, str | None] | None:
    """(server, path, method) when the heading holds an endpoint URL."""
    text = _plain(node)
    match = _HEADING_TARGET.match(text)
    if match is None:
        return None
    method_word, target = match.group(1), match.group(2)
    links = [n.attrs.get("href") for n in node.walk() if n.type == "link"]
    href = links[0] if len(links) == 1 and isinstance(links[0], str) else None
    url = target if href is None or not href.startswith(("http://", "https://")) else href
    method = method_word.lower() if method_word and method_word.lower() in HTTP_METHODS else None
    if method_word and method is None:
        return None
    parts = _split_url(url)
    if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}", unquote(parts.path) or "/", method
    if url.startswith("/") and (method is not None or href is not None):
        reading.diags.warning(
            reading.page.at(line),
            f"operation heading names the path {url} but no host",
            "give the full URL, or set the base URL in provider.toml",
        )
        return None, unquote(url.split("?")[0]), method
    return None


def _on_fence(
    reading: _Reading, op: _Operation, section: _Section | None, node: SyntaxTreeNode, line: int
) -> None:
    language = node.info.split()[0].lower() if node.info.split() else ""
    if language == "json" and section is not None:
        if section.example is None:
            section.example = _read_json(reading, node.content, line)
    elif language in ("bash", "sh", "shell", "console", "curl", "") and "curl" in node.content:
        _read_curl(reading, op, node.content, line)


def _read_json(reading: _Reading, content: str, line: int) -> _Example | None:
    try:
        return _Example(json.loads(content), line, content)
    except (ValueError, RecursionError) as exc:
        at = line + getattr(exc, "lineno", 1)
        message = getattr(exc, "msg", "too deeply nested")
        reading.diags.warning(
            reading.page.at(at),
            f"JSON example is not valid JSON: {message}; example ignored",
            "make the fenced block valid JSON",
        )
        return None


def _read_curl(reading: _Reading, op: _Operation, code: str, line: int) -> None:
    if _CURL_COMMAND.search(code) is None:
        return
    call = parse_curl(code)
    if isinstance(call, str):
        reading.diags.warning(reading.page.at(line), "curl example has unbalanced quotes; ignored")
        return
    parts = _split_url(call.url) if call.url is not None else None
    if call.url is not None and (parts is None or unquote(parts.path) != op.path):
        reading.diags.warning(
            reading.page.at(line),
            f"curl example calls {call.url}, not this operation's path {op.path}; ignored",
        )
        return
    if any(_BEARER.search(value) for _, value, _ in call.headers):
        reading.bearer_line = reading.bearer_line or line
    stated = call.method.lower() if call.method else None
    method = stated if stated in HTTP_METHODS else None
    method = method or ("post" if call.data is not None else "get")
    if op.method is not None and op.method != method:
        reading.diags.warning(
            reading.page.at(line),
            f"curl example uses {method.upper()} but the operation says {op.method.upper()}",
        )
        return
    op.method = method


# --- bullets -----------------------------------------------------------------


def _read_bullets(reading: _Reading, node: SyntaxTreeNode) -> list[_Field]:
    fields: list[_Field] = []
    for item in node.children:
        grouped = _read_group(reading, item)
        if grouped is not None:
            fields.extend(grouped)
            continue
        read = _read_bullet(reading, item)
        if read is not None:
            fields.append(read)
    return fields


def _read_group(reading: _Reading, item: SyntaxTreeNode) -> list[_Field] | None:
    """A bullet that is not a field but holds field bullets ("One of the following:").

    Its fields belong to the section; when the bullet offers a choice, none is required.
    """
    paragraphs = [c for c in item.children if c.type == "paragraph"]
    nested = [c for c in item.children if c.type in ("bullet_list", "ordered_list")]
    if not nested or (paragraphs and _split_bullet(paragraphs[0]) is not None):
        return None
    fields = _read_bullets(reading, nested[0])
    lead = _plain(paragraphs[0]) if paragraphs else ""
    if _CHOICE.search(lead):
        for f in fields:
            f.optional = True
    return fields


def _read_bullet(reading: _Reading, item: SyntaxTreeNode) -> _Field | None:
    line = _line(item)
    paragraphs = [c for c in item.children if c.type == "paragraph"]
    if not paragraphs:
        return None
    parsed = _split_bullet(paragraphs[0])
    if parsed is None:
        reading.diags.warning(
            reading.page.at(line),
            "bullet is not a field description; ignored",
            f"write fields as {FIELD_SHAPE}",
        )
        return None
    name, type_text, description = parsed
    more = " ".join(_plain(p).strip() for p in paragraphs[1:])
    description = " ".join(f"{description} {more}".split())
    schema: dict[str, Any] = {}
    flags: list[str] = []
    if type_text is not None:
        schema, flags = _read_type(reading, name, type_text, line)
    untyped = None
    if type_text is None:
        untyped = "has no type"
    elif not schema:
        untyped = f"has unknown type {type_text.strip()!r}"
    nested = [c for c in item.children if c.type in ("bullet_list", "ordered_list")]
    if nested:
        schema = schema or {"type": "object"}  # fields under it: an object, whatever the word
        _nest(reading, schema, name, _read_bullets(reading, nested[0]), line)
        untyped = None
    optional = "optional" in flags or bool(_OPTIONAL.search(description))
    return _Field(name, schema, description, line, optional, "required" in flags, untyped=untyped)


def _split_bullet(paragraph: SyntaxTreeNode) -> tuple[str, str | None, str] | None:
    """`name` (type): description -> (name, type or None, description)."""
    inline = paragraph.children[0] if paragraph.children else paragraph
    parts = inline.children
    if parts and parts[0].type == "code_inline":
        name = parts[0].content.strip()
        rest = _plain_nodes(parts[1:])
        typed = _TYPED_REST.match(rest)
        if typed is not None:
            return name, typed.group(1), typed.group(2).strip()
        return name, None, rest.strip().lstrip(":-–— ").strip()
    plain = _PLAIN_FIELD.match(_plain(inline))
    if plain is not None:
        return plain.group(1), plain.group(2), plain.group(3).strip()
    return None


def _read_type(
    reading: _Reading, name: str, type_text: str, line: int
) -> tuple[dict[str, Any], list[str]]:
    words = [w.strip().lower() for w in type_text.split(",")]
    flags = words[1:]
    type_word = words[0]
    listed = _LIST_OF.match(type_word)
    if type_word in TYPE_WORDS:
        return {"type": TYPE_WORDS[type_word]}, flags
    if listed is not None and (listed.group(1) or listed.group(2)) in TYPE_WORDS:
        item = TYPE_WORDS[listed.group(1) or listed.group(2)]
        return {"type": "array", "items": {"type": item}}, flags
    return {}, flags  # reported once the example has had its say (_settle_untyped)


def _nest(
    reading: _Reading, schema: dict[str, Any], name: str, fields: list[_Field], line: int
) -> None:
    target: dict[str, Any] = {"type": "object"}
    if schema.get("type") == "array":
        schema["items"] = target
    elif schema.get("type") == "object":
        target = schema
    else:
        reading.diags.warning(
            reading.page.at(line), f"nested bullets under `{name}` ignored: it is not an object"
        )
        return
    target["properties"] = {f.name: _property(reading.page, f) for f in fields}


# --- building the document ---------------------------------------------------


def _build_document(reading: _Reading) -> dict[str, Any]:
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
    reading: _Reading, document: dict[str, Any], op: _Operation, server: str | None
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


def _describes_only(reading: _Reading, op: _Operation) -> bool:
    """The page's description suits an operation when it names its path and no other's."""
    text = reading.description or ""
    others = {other.path for other in reading.operations} - {op.path}
    return op.path in text and not any(path in text for path in others)


def _request_fields(reading: _Reading, op: _Operation) -> list[_Field]:
    section = op.inputs
    if section is None:
        return []
    _mark_alternative_auth(reading, section)
    fields = section.fields
    _settle_untyped(reading, fields, section.example)
    if not fields and section.example is not None:
        fields = _fields_from_example(reading, section.example)
    elif section.example is not None:
        _reconcile(reading, fields, section.example)
    return fields


def _mark_alternative_auth(reading: _Reading, section: _Section) -> None:
    """Prose like "`api_key` could alternatively be provided ... as a bearer token"."""
    names = {f.name: f for f in section.fields}
    for line, text, code in section.prose:
        if not (_BEARER.search(text) and _ALTERNATIVE.search(text)):
            continue
        reading.bearer_line = reading.bearer_line or line
        for name in code:
            if name in names:
                names[name].alternative_auth = "bearer"
                names[name].optional = True


def _is_required(f: _Field, example: _Example | None) -> bool:
    if f.required_flag:
        return True
    in_example = example is not None and isinstance(example.value, dict) and f.name in example.value
    return in_example and not f.optional


def _add_body(page: Page, operation: dict[str, Any], fields: list[_Field], op: _Operation) -> None:
    section = op.inputs
    if section is None:
        return
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    for f in fields:
        schema["properties"][f.name] = _property(page, f)
    required = [f.name for f in fields if _is_required(f, section.example)]
    if required:
        schema["required"] = required
    schema["x-source"] = page.source(section.line)
    media: dict[str, Any] = {"schema": schema}
    if section.example is not None:
        media["example"] = section.example.value
    operation["requestBody"] = {"required": bool(required), "content": {"application/json": media}}


def _add_parameters(
    page: Page, operation: dict[str, Any], fields: list[_Field], op: _Operation
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


def _request_field(page: Page, f: _Field, op: _Operation) -> dict[str, Any]:
    example = op.inputs.example if op.inputs else None
    entry: dict[str, Any] = {"name": f.name, "schema": f.schema, "description": f.description}
    entry["required"] = _is_required(f, example)
    if f.alternative_auth:
        entry["x-alternative-auth"] = f.alternative_auth
    entry["x-source"] = page.source(f.line)
    return entry


def _response(reading: _Reading, operation: dict[str, Any], op: _Operation) -> dict[str, Any]:
    section = op.outputs
    if section is None:
        reading.diags.warning(reading.page.at(op.line), "operation documents no output")
        return {"description": "Success"}
    texts = [text.strip() for _, text, _ in section.prose if text.strip()]
    if any(_PER_ITEM.search(text) for text in texts):
        operation["x-response-per-item"] = True
    fields = section.fields
    _settle_untyped(reading, fields, section.example)
    if not fields and section.example is not None:
        fields = _fields_from_example(reading, section.example)
    elif section.example is not None:
        _reconcile(reading, fields, section.example)
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    for f in fields:
        schema["properties"][f.name] = _property(reading.page, f)
    if isinstance(section.example and section.example.value, list):
        schema = {"type": "array", "items": schema}
    schema["x-source"] = reading.page.source(section.line)
    media: dict[str, Any] = {"schema": schema}
    if section.example is not None:
        media["example"] = section.example.value
    response: dict[str, Any] = {"description": texts[0].rstrip(":") if texts else "Success"}
    response["content"] = {"application/json": media}
    return response


def _property(page: Page, f: _Field) -> dict[str, Any]:
    prop = dict(f.schema)
    if f.description:
        prop["description"] = f.description
    if f.alternative_auth:
        prop["x-alternative-auth"] = f.alternative_auth
    prop["x-source"] = page.source(f.line)
    return prop


# --- examples ----------------------------------------------------------------


def _example_object(example: _Example) -> dict[str, Any] | None:
    value = example.value
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0]
    return value if isinstance(value, dict) else None


def _key_line(example: _Example, key: str) -> int:
    """The page line of a top-level key (of the first item, for a list example)."""
    lines = json_key_lines(example.text)
    offset = lines.get((key,), lines.get(("[]", key)))
    return example.line + offset if offset is not None else example.line


def _settle_untyped(reading: _Reading, fields: list[_Field], example: _Example | None) -> None:
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


def _reconcile(reading: _Reading, fields: list[_Field], example: _Example) -> None:
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


def _fields_from_example(reading: _Reading, example: _Example) -> list[_Field]:
    value = _example_object(example)
    if value is None:
        return []
    reading.diags.warning(
        reading.page.at(example.line), "fields are not documented; types inferred from the example"
    )
    return [
        _Field(key, _infer_schema(item), "", _key_line(example, key), True, False)
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


# --- text helpers --------------------------------------------------------------


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 1


def _plain(node: SyntaxTreeNode) -> str:
    """The text a reader sees: escapes and entities resolved, markup and HTML dropped."""
    return _plain_nodes(node.children)


def _plain_nodes(nodes: list[SyntaxTreeNode]) -> str:
    parts: list[str] = []
    for node in nodes:
        if node.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif node.type in ("html_inline", "html_block"):
            continue
        elif node.children:
            parts.append(_plain_nodes(node.children))
            if node.is_nested and node.type in ("paragraph", "list_item", "heading"):
                parts.append(" ")
        else:
            parts.append(node.content)
    return " ".join("".join(parts).split())


def _code_spans(node: SyntaxTreeNode) -> list[str]:
    return [n.content.strip() for n in node.walk() if n.type == "code_inline"]


def _split_url(url: str) -> SplitResult | None:
    try:
        return urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" read as an IPv6 host
        return None


def _operation_id(path: str) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", path) if w]
    if not words:
        return "root"
    first, rest = words[0], words[1:]
    return first[0].lower() + first[1:] + "".join(w[0].upper() + w[1:] for w in rest)

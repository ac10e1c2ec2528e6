"""Reader for MDX pages that document endpoints as bullet lists.

The format: a heading holding an endpoint URL (``# [https://host/path/](...)``)
starts an operation; under it an "Inputs" section lists request fields as
bullets (`` * `id` (int): The id. ``) followed by a fenced JSON example, an
"Outputs" section does the same for the response, and curl examples anywhere in
the operation carry the HTTP method.  MDX-only constructs (JSX elements,
``import``/``export`` lines, expressions) are blanked out first, keeping every
newline, so that the markdown parser's line numbers are the page's.

This module walks the page (headings, bullets, fences); ``_mdx_model`` holds what the
walk collects and ``_mdx_document`` builds the OpenAPI document from it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from generator.diagnostics import Diagnostics
from generator.pagekit import HTTP_METHODS, parse_curl
from generator.readers import Fragment, Page
from generator.readers._mdx_document import build_document, field_property
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
from generator.readers._mdx_text import front_matter_scalars, strip_mdx

INPUT_HEADINGS = frozenset({"inputs", "input", "parameters", "request", "request body", "body"})
OUTPUT_HEADINGS = frozenset({"outputs", "output", "response", "responses", "returns", "result"})
_CURL_COMMAND = re.compile(r"(?:^|\s)curl(?:\s|$)")
OPERATION_HINT = "start each operation with a heading holding its URL: # [https://host/path/](https://host/path/)"
_TYPED_REST = re.compile(r"^\s*\(([^()]*)\)\s*:?\s*(.*)$", re.DOTALL)
_PLAIN_FIELD = re.compile(r"^\s*([A-Za-z_][\w.\-]*)\s*\(([^()]*)\)\s*:?\s*(.*)$", re.DOTALL)
_LIST_OF = re.compile(r"^(?:list|array)\s*(?:of\s+|\[)\s*(\w+)\s*\]?$|^(\w+)\s*\[\]$")
_HEADING_TARGET = re.compile(r"^\s*(?:([A-Za-z]+)\s+)?(\S+)\s*$")
_OPTIONAL = re.compile(r"\b(?:optional(?:ly)?|alternativ\w*)\b", re.IGNORECASE)
_CHOICE = re.compile(r"\b(?:one of|either|any of)\b", re.IGNORECASE)


def read_mdx_bullets(page: Page) -> Fragment:
    """Read one MDX bullet-list page into an OpenAPI 3.1 fragment."""
    diags = Diagnostics()
    text, front_matter = strip_mdx(page.text)
    reading = Reading(page, diags)
    _read_front_matter(reading, front_matter)
    root = SyntaxTreeNode(MarkdownIt("commonmark").parse(text))
    _walk(reading, root.children)
    document = build_document(reading)
    if not reading.operations:
        diags.error(page.at(1), "page documents no operation", OPERATION_HINT)
    return Fragment(document, list(diags))


# --- MDX: blank out what is not markdown, keeping every newline ----------------


def _read_front_matter(reading: Reading, front_matter: tuple[int, str] | None) -> None:
    if front_matter is None:
        return
    values = front_matter_scalars(front_matter[1])
    reading.title = values.get("title") or None
    reading.description = values.get("description") or None


class _Cursor:
    """Where the walk is: the current operation and the section kind inside it."""

    def __init__(self) -> None:
        self.op: Operation | None = None
        self.section: Section | None = None
        self.section_level = 0
        self.orphan_heading: tuple[int, int] | None = None  # level, line of a URL-less heading
        self.orphan_reported = False


def _walk(reading: Reading, nodes: list[SyntaxTreeNode]) -> None:
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


def _on_heading(reading: Reading, cursor: _Cursor, node: SyntaxTreeNode, line: int) -> None:
    level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
    target = _operation_target(reading, node, line)
    if target is not None:
        cursor.op = Operation(line, level, *target)
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
        cursor.section = Section(line)
        cursor.section_level = level
        _attach_section(reading, cursor.op, kind, cursor.section)
    elif level <= cursor.section_level:
        cursor.section = None


def _on_heading_outside_operation(
    reading: Reading, cursor: _Cursor, node: SyntaxTreeNode, level: int, line: int
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


def _on_page_block(reading: Reading, node: SyntaxTreeNode) -> None:
    """A block before any operation: the blockquote after the title describes the page."""
    if node.type == "blockquote" and reading.title is not None and reading.description is None:
        reading.description = _plain(node).strip() or None


def _attach_section(reading: Reading, op: Operation, kind: str, section: Section) -> None:
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
    reading: Reading, node: SyntaxTreeNode, line: int
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
    reading: Reading, op: Operation, section: Section | None, node: SyntaxTreeNode, line: int
) -> None:
    language = node.info.split()[0].lower() if node.info.split() else ""
    if language == "json" and section is not None:
        if section.example is None:
            section.example = _read_json(reading, node.content, line)
    elif language in ("bash", "sh", "shell", "console", "curl", "") and "curl" in node.content:
        _read_curl(reading, op, node.content, line)


def _read_json(reading: Reading, content: str, line: int) -> Example | None:
    try:
        return Example(json.loads(content), line, content)
    except (ValueError, RecursionError) as exc:
        at = line + getattr(exc, "lineno", 1)
        message = getattr(exc, "msg", "too deeply nested")
        reading.diags.warning(
            reading.page.at(at),
            f"JSON example is not valid JSON: {message}; example ignored",
            "make the fenced block valid JSON",
        )
        return None


def _read_curl(reading: Reading, op: Operation, code: str, line: int) -> None:
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
    if any(BEARER.search(value) for _, value, _ in call.headers):
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


def _read_bullets(reading: Reading, node: SyntaxTreeNode) -> list[BulletField]:
    fields: list[BulletField] = []
    for item in node.children:
        grouped = _read_group(reading, item)
        if grouped is not None:
            fields.extend(grouped)
            continue
        read = _read_bullet(reading, item)
        if read is not None:
            fields.append(read)
    return fields


def _read_group(reading: Reading, item: SyntaxTreeNode) -> list[BulletField] | None:
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


def _read_bullet(reading: Reading, item: SyntaxTreeNode) -> BulletField | None:
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
    return BulletField(
        name, schema, description, line, optional, "required" in flags, untyped=untyped
    )


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
    reading: Reading, name: str, type_text: str, line: int
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
    reading: Reading, schema: dict[str, Any], name: str, fields: list[BulletField], line: int
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
    target["properties"] = {f.name: field_property(reading.page, f) for f in fields}


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

"""Reader for markdown pages that describe endpoints with field tables.

The format: headings; under an operation's heading a fenced block holding the
URL (optionally preceded by the HTTP method), a field table (``Field Name |
Type | Description``, optionally ``Required``), a fenced JSON example of the
response, and enum tables (``Status | Description``) anywhere on the page.

Rules, all structural (the page is parsed with markdown-it, GFM tables):

* An operation is the *outermost* heading whose section (the heading and
  everything up to the next heading of the same or a higher level) holds exactly
  one fenced block containing a URL.  The page's first heading is its title.
* In that section, a table with a ``Type`` column gives the request fields; a
  fenced JSON block (under a heading that mentions "response", else the first
  one) is the 200 response example.
* A table with a ``Description`` column, no ``Type`` column and identifier-like
  values in its first column is an enum, named after the heading it sits under
  (or its first column's header when that heading is an operation or a label).
* Without a method, the operation goes under ``x-unknown-method`` (see
  ``generator.readers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.diagnostics import Diagnostics
from generator.pagekit import HTTP_METHODS
from generator.readers import Fragment, Page, empty_document
from generator.readers._columns import read_header, report_unknown_columns, table_field
from generator.readers._common import (
    JsonExample,
    OperationDraft,
    add_enum,
    build_document,
    type_or_assumed,
)

_URL = re.compile(r"^(?:(?P<method>[A-Za-z]+)\s+)?(?P<url>https?://\S+)$")
_ENUM_VALUE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")


@dataclass
class _Heading:
    level: int
    text: str
    line: int


@dataclass
class _Fence:
    info: str
    content: str
    line: int  # the opening fence's line


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[list[str], int]]
    line: int

    def column(self, *names: str) -> int | None:
        lowered = [cell.lower() for cell in self.header]
        for index, cell in enumerate(lowered):
            if any(name in cell for name in names):
                return index
        return None


@dataclass
class _Paragraph:
    text: str
    line: int


_Block = _Heading | _Fence | _Table | _Paragraph


@dataclass
class _Section:
    heading: _Heading
    blocks: list[_Block] = field(default_factory=list)


def read_markdown_tables(page: Page) -> Fragment:
    diagnostics = Diagnostics()
    blocks = _blocks(MarkdownIt("commonmark").enable("table").parse(page.text))
    title = next((b.text for b in blocks if isinstance(b, _Heading)), page.display)
    operations = _operation_sections(blocks, page, diagnostics)
    if not operations:
        diagnostics.error(
            page.at(1),
            "no operation found on the page",
            "an operation is a heading followed by a fenced block holding its URL",
        )
        return Fragment(empty_document(title), diagnostics.items)
    op_headings = {id(section.heading) for section in operations}
    _check_orphan_tables(blocks, operations, page, diagnostics)
    enums = _enums(blocks, op_headings, page, diagnostics)
    drafts = [_draft(section, page, diagnostics) for section in operations]
    document = build_document(page, title, drafts, enums, diagnostics)
    return Fragment(document, diagnostics.items)


def _blocks(tokens: list[Token]) -> list[_Block]:
    blocks: list[_Block] = []
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open":
            blocks.append(_Heading(int(token.tag[1:]), tokens[index + 1].content.strip(), line))
        elif token.type in ("fence", "code_block"):
            blocks.append(_Fence(token.info.strip(), token.content, line))
        elif token.type == "paragraph_open":
            blocks.append(_Paragraph(tokens[index + 1].content.strip(), line))
        elif token.type == "table_open":
            blocks.append(_table(tokens, index, line))
    return blocks


def _table(tokens: list[Token], start: int, line: int) -> _Table:
    header: list[str] = []
    rows: list[tuple[list[str], int]] = []
    in_body = False
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and in_body:
            rows.append(([], token.map[0] + 1 if token.map else line))
        elif token.type == "inline":
            (rows[-1][0] if in_body else header).append(token.content.strip())
    return _Table(header, rows, line)


def _url_in(fence: _Fence) -> re.Match[str] | None:
    lines = [line.strip() for line in fence.content.splitlines() if line.strip()]
    return _URL.match(lines[0]) if len(lines) == 1 else None


def _sections(blocks: list[_Block]) -> list[_Section]:
    """Every heading with the blocks of its section, nested headings included."""
    sections = []
    for index, block in enumerate(blocks):
        if not isinstance(block, _Heading):
            continue
        section = _Section(block)
        for later in blocks[index + 1 :]:
            if isinstance(later, _Heading) and later.level <= block.level:
                break
            section.blocks.append(later)
        sections.append(section)
    return sections


def _operation_sections(
    blocks: list[_Block], page: Page, diagnostics: Diagnostics
) -> list[_Section]:
    sections = _sections(blocks)
    url_fences = [b for b in blocks if isinstance(b, _Fence) and _url_in(b)]
    chosen: list[_Section] = []
    for fence in url_fences:
        enclosing = [s for s in sections if any(b is fence for b in s.blocks)]
        single = [s for s in enclosing if sum(1 for b in s.blocks if b in url_fences) == 1]
        if not single:
            diagnostics.error(
                page.at(fence.line),
                "URL block does not belong to an operation",
                "put each operation's URL under its own heading",
            )
        elif not any(s is single[0] for s in chosen):
            chosen.append(single[0])
    return chosen


def _check_orphan_tables(
    blocks: list[_Block], operations: list[_Section], page: Page, diagnostics: Diagnostics
) -> None:
    inside = {id(b) for section in operations for b in section.blocks}
    for block in blocks:
        if (
            isinstance(block, _Table)
            and block.column("type") is not None
            and id(block) not in inside
        ):
            diagnostics.error(
                page.at(block.line),
                "field table outside any operation",
                "its operation has no fenced block holding the URL",
            )


def _draft(section: _Section, page: Page, diagnostics: Diagnostics) -> OperationDraft:
    fence = next(b for b in section.blocks if isinstance(b, _Fence) and _url_in(b))
    match = _url_in(fence)
    assert match is not None
    method = match.group("method")
    if method and method.lower() not in HTTP_METHODS:
        diagnostics.warning(
            page.at(fence.line + 1),
            f"{method!r} is not an HTTP method",
            "write the URL alone or after GET/POST/...",
        )
        method = None
    draft = OperationDraft(
        section.heading.text,
        section.heading.line,
        match.group("url"),
        method=method.upper() if method else None,
    )
    draft.description = "\n\n".join(_intro(section))
    label = ""
    for block in section.blocks:
        if isinstance(block, _Heading):
            label = block.text.lower()
        elif isinstance(block, _Table) and block.column("type") is not None:
            if "response" in label:
                diagnostics.warning(
                    page.at(block.line),
                    "response field tables are not read",
                    "the response schema comes from the JSON example",
                )
            else:
                draft.fields.extend(_fields(block, page, diagnostics))
        elif (
            isinstance(block, _Fence)
            and block is not fence
            and _is_json(block)
            and (draft.response is None or "response" in label)
        ):
            _set_response(draft, block, page, diagnostics)
    return draft


def _intro(section: _Section) -> list[str]:
    texts = []
    for block in section.blocks:
        if not isinstance(block, _Paragraph):
            break
        texts.append(block.text)
    return texts


def _is_json(fence: _Fence) -> bool:
    return fence.info.lower().startswith("json") or fence.content.lstrip()[:1] in ("{", "[")


def _set_response(
    draft: OperationDraft, fence: _Fence, page: Page, diagnostics: Diagnostics
) -> None:
    parsed = JsonExample.parse(fence.content, fence.line + 1)
    if isinstance(parsed, tuple):
        diagnostics.error(
            page.at(parsed[1]),
            f"JSON example does not parse: {parsed[0]}",
            "fix the example's JSON syntax",
        )
    else:
        draft.response = parsed


def _fields(table: _Table, page: Page, diagnostics: Diagnostics) -> list[dict[str, Any]]:
    columns = read_header(table.header)
    report_unknown_columns(columns, page, table.line, diagnostics)
    fields = []
    for cells, line in table.rows:
        name = columns.cell(cells, "name").strip("` ")
        type_text = columns.cell(cells, "type")
        if not name:
            diagnostics.error(
                page.at(line),
                "field row has no name",
                "each row needs at least the field's name and type",
            )
            continue
        schema = type_or_assumed(type_text, name, page.at(line), diagnostics)
        row = (cells, line)
        fields.append(table_field(columns, table.header, row, name, schema, page, diagnostics))
    return fields


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _enums(
    blocks: list[_Block], op_headings: set[int], page: Page, diagnostics: Diagnostics
) -> dict[str, dict[str, Any]]:
    enums: dict[str, dict[str, Any]] = {}
    heading: _Heading | None = None
    heading_used = False
    for block in blocks:
        if isinstance(block, _Heading):
            heading, heading_used = block, False
        elif isinstance(block, _Table) and _is_enum_table(block):
            label = heading.text if heading and not heading_used else ""
            if (
                not label
                or id(heading) in op_headings
                or label.lower() in ("request", "response", "parameters")
            ):
                label = block.header[0]
            heading_used = True
            description_col = block.column("description")
            values = [
                (cells[0].strip("` "), _cell(cells, description_col)) for cells, _ in block.rows
            ]
            add_enum(
                enums,
                label,
                values,
                page,
                block.line,
                diagnostics,
                "give each enum table its own heading",
            )
    return enums


def _is_enum_table(table: _Table) -> bool:
    return (
        table.column("type") is None
        and table.column("description") not in (None, 0)
        and bool(table.rows)
        and all(cells and _ENUM_VALUE.match(cells[0].strip("` ")) for cells, _ in table.rows)
    )

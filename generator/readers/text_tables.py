"""Reader for plain-text pages (scraped HTML) with pipe tables and curl calls.

The format has no markup: a page title line; per operation a title line, maybe
a description, a URL line, a ``curl`` call (``\\`` continuations, ``-X``,
``-H``, ``-d``), a field table (``Name | Type | Required | Description |``,
outer pipes optional, a ``---|---|`` separator row, trailing cells may be
missing), a JSON response example spread over several lines; enum tables
(``Status | Description |``) anywhere.

Lines are first classified into blocks: blank, URL line (one ``http(s)://``
token, optionally after a method), curl call, table, JSON block (a line that
starts with ``{`` or ``[`` up to its balanced close) and prose.

Operation boundaries: an operation starts at a *title line*, found from a URL
line: take the run of prose lines directly above it (no blank line, table, JSON
or curl in between) and drop the page's first line (the page title) when the run
holds more; the title is the first remaining line that looks like a title (at
most ten words, not ending in ``.`` or ``:``), the lines after it up to the URL
are its description.  The operation runs until the next operation's title line.
A curl call, table or JSON block before the first operation, or a second curl
call inside one (an operation whose URL line is missing), is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostics
from generator.pagekit import parse_curl
from generator.readers import Fragment, Page, empty_document
from generator.readers._columns import read_header, report_unknown_columns, table_field
from generator.readers._common import (
    JsonExample,
    OperationDraft,
    add_enum,
    build_document,
    field_entry,
    infer_schema,
    operation_id,
    type_or_assumed,
)

_URL = re.compile(
    r"^(?:(?P<method>GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\s+)?"
    r"(?P<url>https?://\S+)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_ENUM_VALUE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
_PLACEHOLDER = re.compile(r"<([^<>/]+)>")
# How far a wrapped cell may run on before the row is taken as left open instead.
_MAX_WRAPPED_LINES = 8
_LABELS = {"request", "response", "parameters", "example", "examples"}


@dataclass
class _Block:
    kind: str  # "prose", "url", "curl", "table", "json", "broken" (unclosed JSON)
    line: int  # first line, 1-based
    lines: list[str]
    end: int = 0  # last line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[list[str], int]]
    line: int

    def column(self, name: str) -> int | None:
        return next((i for i, cell in enumerate(self.header) if name in cell.lower()), None)


@dataclass
class _Curl:
    method: str | None = None
    url: str = ""
    headers: list[tuple[str, str, int]] = field(default_factory=list)
    data: str | None = None
    user: str | None = None


def read_text_tables(page: Page) -> Fragment:
    diagnostics = Diagnostics()
    blocks = _classify(page.text.splitlines(), page, diagnostics)
    title = next((b.lines[0].strip() for b in blocks if b.kind == "prose"), page.display)
    starts = _operation_starts(blocks, page, diagnostics)
    if not starts:
        diagnostics.error(
            page.at(1),
            "no operation found on the page",
            "an operation is a title line followed by a URL line",
        )
        return Fragment(empty_document(title), diagnostics.items)
    tables = {id(b): _table(b) for b in blocks if b.kind == "table"}
    enums = _enums(blocks, tables, {s for s, _ in starts}, page, diagnostics)
    _check_orphans(blocks[: starts[0][0]], page, diagnostics)
    schemes: dict[str, dict[str, Any]] = {}
    drafts = []
    for number, (start, description) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(blocks)
        drafts.append(_draft(blocks[start:end], description, tables, schemes, page, diagnostics))
    document = build_document(page, title, drafts, enums, diagnostics)
    if schemes:
        document["components"]["securitySchemes"] = schemes
    return Fragment(document, diagnostics.items)


def _classify(lines: list[str], page: Page, diagnostics: Diagnostics) -> list[_Block]:
    blocks: list[_Block] = []
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        start = index
        if not stripped:
            index += 1
            continue
        if _URL.match(stripped):
            kind, index = "url", index + 1
        elif stripped == "curl" or stripped.startswith("curl "):
            kind, index = "curl", _curl_end(lines, index)
        elif (
            "|" in stripped
            and index + 1 < len(lines)
            and _SEPARATOR.match(lines[index + 1].strip())
        ):
            kind, index = "table", _table_end(lines, index + 2, _closes_rows(stripped))
        elif stripped[0] in "{[":
            end = _json_end(lines, index)
            if end is None:
                diagnostics.error(
                    page.at(index + 1),
                    "JSON example never closes its brackets",
                    "balance the example's { } and [ ]",
                )
            kind, index = ("json", end) if end is not None else ("broken", index + 1)
        else:
            kind, index = "prose", index + 1
        blocks.append(_Block(kind, start + 1, lines[start:index], index))
    return blocks


def _curl_end(lines: list[str], index: int) -> int:
    while index < len(lines) and lines[index].rstrip().endswith("\\"):
        index += 1
    return min(index + 1, len(lines))


def _table_end(lines: list[str], index: int, closed: bool) -> int:
    while index < len(lines) and "|" in lines[index]:
        index = _row_end(lines, index, closed)
    return index


def _closes_rows(header: str) -> bool:
    """Whether the table's rows end with a ``|`` (its header does)."""
    return header.rstrip().endswith("|")


def _row_end(lines: list[str], index: int, closed: bool) -> int:
    """The index after the row starting at ``index``, joining lines a long cell wrapped.

    In a table whose rows end with ``|``, a row line that does not is continued by the
    next lines, up to the one that ends with ``|``: a scrape wraps a long description.
    A line holding a cell boundary, a blank line, or no closing line within reach means
    the row was simply left open, and it ends on its own line.
    """
    if not closed or lines[index].rstrip().endswith("|"):
        return index + 1
    for ahead in range(index + 1, min(index + 1 + _MAX_WRAPPED_LINES, len(lines))):
        text = lines[ahead].strip()
        if not text or "|" in text[:-1]:
            break
        if text.endswith("|"):
            return ahead + 1
    return index + 1


def _json_end(lines: list[str], index: int) -> int | None:
    """The index after the line where the bracket opened at ``lines[index]`` closes."""
    depth, in_string, escaped = 0, False, False
    for number in range(index, len(lines)):
        for char in lines[number]:
            if in_string:
                escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
            elif char == '"':
                in_string = True
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
        if depth <= 0:
            return number + 1
    return None


def _operation_starts(
    blocks: list[_Block], page: Page, diagnostics: Diagnostics
) -> list[tuple[int, str]]:
    """(title block index, description) of each operation."""
    starts: list[tuple[int, str]] = []
    first_line = blocks[0].line if blocks else 0
    for index, block in enumerate(blocks):
        if block.kind != "url":
            continue
        run = _prose_run(blocks, index)
        candidates = [
            i for i in range(run, index) if not (blocks[i].line == first_line and index - run > 1)
        ]
        titles = [i for i in candidates if _looks_like_title(blocks[i].text)]
        if not candidates:
            if not starts:
                diagnostics.error(
                    page.at(block.line),
                    "URL line has no title line above it",
                    "put the operation's title on the line before its URL",
                )
            continue
        title = titles[0] if titles else candidates[0]
        description = "\n".join(blocks[i].text.strip() for i in range(title + 1, index))
        starts.append((title, description))
    return starts


def _prose_run(blocks: list[_Block], index: int) -> int:
    """First block of the prose above block ``index``: the lines touching it, and past
    blank lines while no title line is among them (pages that space every line out)."""
    run = index
    while run > 0 and blocks[run - 1].kind == "prose":
        gap = blocks[run - 1].end != blocks[run].line - 1
        if gap and any(_looks_like_title(blocks[i].text) for i in range(run, index)):
            break
        run -= 1
    return run


def _looks_like_title(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) <= 10 and not stripped.endswith((".", ":"))


def _check_orphans(blocks: list[_Block], page: Page, diagnostics: Diagnostics) -> None:
    for block in blocks:
        if block.kind == "curl":
            diagnostics.error(
                page.at(block.line),
                "curl call before any operation",
                "is the operation's URL line missing?",
            )


def _draft(
    blocks: list[_Block],
    description: str,
    tables: dict[int, _Table],
    schemes: dict[str, dict[str, Any]],
    page: Page,
    diagnostics: Diagnostics,
) -> OperationDraft:
    url_blocks = [b for b in blocks if b.kind == "url"]
    url_block = url_blocks[0]
    for extra in url_blocks[1:]:
        diagnostics.warning(
            page.at(extra.line),
            "URL line without a title line above it",
            "ignored; an operation starts at a title line followed by a URL",
        )
    match = _URL.match(url_block.text.strip())
    assert match is not None
    method = match.group("method")
    draft = OperationDraft(
        blocks[0].text.strip(),
        blocks[0].line,
        match.group("url"),
        description=description,
        method=method.upper() if method else None,
    )
    curls = [b for b in blocks if b.kind == "curl"]
    for extra in curls[1:]:
        diagnostics.error(
            page.at(extra.line),
            f"second curl call in operation {draft.title!r}",
            "is the next operation's URL line missing?",
        )
    body: dict[str, Any] | None = None
    if curls:
        body = _apply_curl(draft, curls[0], schemes, page, diagnostics)
    label = ""
    for block in blocks:
        if block.kind == "prose":
            label = block.text.strip().lower()
        elif block.kind == "table" and tables[id(block)].column("type") is not None:
            draft.fields.extend(_fields(tables[id(block)], page, diagnostics))
        elif block.kind == "json" and (draft.response is None or label.startswith("response")):
            _set_response(draft, block, page, diagnostics)
    if body is not None:
        _merge_body_fields(draft, body, curls[0], page, diagnostics)
    return draft


def _set_response(
    draft: OperationDraft, block: _Block, page: Page, diagnostics: Diagnostics
) -> None:
    parsed = JsonExample.parse(block.text, block.line)
    if isinstance(parsed, tuple):
        diagnostics.error(
            page.at(parsed[1]),
            f"JSON example does not parse: {parsed[0]}",
            "fix the example's JSON syntax",
        )
    else:
        draft.response = parsed


def _apply_curl(
    draft: OperationDraft,
    block: _Block,
    schemes: dict[str, dict[str, Any]],
    page: Page,
    diagnostics: Diagnostics,
) -> dict[str, Any] | None:
    """Take method, auth and body fields from the curl call; returns the example body."""
    curl = _parse_curl(block, page, diagnostics)
    if curl is None:
        return None
    method = (curl.method or ("POST" if curl.data is not None else "GET")).upper()
    if draft.method and draft.method != method:
        diagnostics.warning(
            page.at(block.line),
            f"curl uses {method}, the URL line {draft.method}",
            "the curl call's method is used",
        )
    draft.method = method
    stated = _PLACEHOLDER.sub(r"{\1}", urlsplit(curl.url).path)
    if curl.url and stated != urlsplit(draft.url).path:
        diagnostics.warning(
            page.at(block.line),
            f"curl calls {stated}, the URL line names {urlsplit(draft.url).path}",
            "the URL line's path is used",
        )
    draft.security = _security(curl, schemes, page)
    if curl.data is None:
        return None
    parsed = JsonExample.parse(curl.data, block.line)
    if isinstance(parsed, tuple):
        diagnostics.error(
            page.at(block.line),
            f"curl body is not JSON: {parsed[0]}",
            "write the -d body as a JSON object",
        )
        return None
    if not isinstance(parsed.value, dict):
        diagnostics.warning(
            page.at(block.line), "curl body is not a JSON object", "its fields cannot be told apart"
        )
        return None
    draft.body_names = set(parsed.value)
    return parsed.value


def _parse_curl(block: _Block, page: Page, diagnostics: Diagnostics) -> _Curl | None:
    call = parse_curl(block.text)
    if isinstance(call, str):
        diagnostics.error(
            page.at(block.line),
            f"curl call does not parse: {call}",
            "check the quotes of the curl call",
        )
        return None
    headers = [(name, value, block.line + offset) for name, value, offset in call.headers]
    return _Curl(call.method, call.url or "", headers, call.data, call.user)


def _security(
    curl: _Curl, schemes: dict[str, dict[str, Any]], page: Page
) -> list[dict[str, list[str]]] | None:
    found: list[tuple[str, dict[str, Any]]] = []
    for name, value, line in curl.headers:
        scheme_word = value.split(" ", 1)[0].lower()
        if name.lower() == "authorization" and scheme_word in ("bearer", "basic"):
            found.append(
                (
                    f"{scheme_word}Auth",
                    {"type": "http", "scheme": scheme_word, "x-source": page.source(line)},
                )
            )
        elif name.lower() == "authorization" or any(w in name.lower() for w in ("key", "token")):
            found.append(
                (
                    f"{operation_id(name)}Auth",
                    {"type": "apiKey", "in": "header", "name": name, "x-source": page.source(line)},
                )
            )
    if curl.user is not None:
        found.append(("basicAuth", {"type": "http", "scheme": "basic"}))
    for scheme_name, scheme in found:
        schemes.setdefault(scheme_name, scheme)
    return [{name: [] for name, _ in found}] if found else None


def _merge_body_fields(
    draft: OperationDraft, body: dict[str, Any], block: _Block, page: Page, diagnostics: Diagnostics
) -> None:
    """Compare the table's fields with the curl body; add body fields the table lacks."""
    documented = {f["name"]: f for f in draft.fields}
    for name, value in body.items():
        sent = infer_schema(value).get("type")
        entry = documented.get(name)
        if entry is None:
            diagnostics.warning(
                page.at(block.line),
                f"body field {name!r} is not in the table",
                "add it to the operation's field table",
            )
            draft.fields.append(
                field_entry(name, infer_schema(value), "", False, page.source(block.line))
            )
        elif entry["schema"].get("type") not in (None, sent):
            diagnostics.warning(
                page.at(block.line),
                f"field {name!r} is documented as {entry['schema'].get('type')} "
                f"but the curl call sends a {sent}",
                "the table's type is used; an overlay can change it",
            )


def _table(block: _Block) -> _Table:
    closed = _closes_rows(block.lines[0])
    rows, index = [], 2
    while index < len(block.lines):
        end = _row_end(block.lines, index, closed)
        text = " ".join(line.strip() for line in block.lines[index:end])
        rows.append((_cells(text), block.line + index))
        index = end
    return _Table(_cells(block.lines[0]), rows, block.line)


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    return [cell.strip() for cell in text.split("|")]


def _fields(table: _Table, page: Page, diagnostics: Diagnostics) -> list[dict[str, Any]]:
    columns = read_header(table.header)
    report_unknown_columns(columns, page, table.line, diagnostics)
    type_col = columns.roles.get("type")
    fields = []
    for cells, line in table.rows:
        name = columns.cell(cells, "name").strip("` ")
        if type_col is None or len(cells) <= type_col or not name:
            diagnostics.error(
                page.at(line),
                "field row has fewer cells than name and type",
                "each row needs at least the field's name and type",
            )
            continue
        if len(cells) > len(table.header):
            diagnostics.warning(
                page.at(line),
                "field row has more cells than the header",
                "is there a | inside a description?",
            )
        schema = type_or_assumed(cells[type_col], name, page.at(line), diagnostics)
        row = (cells, line)
        fields.append(table_field(columns, table.header, row, name, schema, page, diagnostics))
    return fields


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _enums(
    blocks: list[_Block],
    tables: dict[int, _Table],
    titles: set[int],
    page: Page,
    diagnostics: Diagnostics,
) -> dict[str, dict[str, Any]]:
    enums: dict[str, dict[str, Any]] = {}
    for index, block in enumerate(blocks):
        table = tables.get(id(block))
        if table is None or not _is_enum_table(table):
            continue
        above = blocks[index - 1] if index else None
        label = table.header[0]
        if (
            above is not None
            and above.kind == "prose"
            and (above.end == block.line - 1 or _looks_like_title(above.text))
            and index - 1 not in titles
            and above.text.strip().lower() not in _LABELS
        ):
            label = above.text.strip()
        description_col = table.column("description")
        values = [(cells[0], _cell(cells, description_col)) for cells, _ in table.rows]
        add_enum(
            enums,
            label,
            values,
            page,
            block.line,
            diagnostics,
            "give each enum table its own title line",
        )
    return enums


def _is_enum_table(table: _Table) -> bool:
    return (
        table.column("type") is None
        and table.column("description") not in (None, 0)
        and bool(table.rows)
        and all(_ENUM_VALUE.match(cells[0]) for cells, _ in table.rows)
    )

"""Reader for API references scraped as text from HTML tables.

The format: operations one after another, blocks of lines separated by blank lines::

    POST /service.action                  starts an operation (method and path)
    Description                           heading; the paragraphs under it describe the operation
    Parameters                            heading; its table's header cells are glued together
    TypeNameDescriptionSchema             (a header row), then one row per parameter:
    Bodyrequest / required / request bodyrequest      location+name, flag, description+schema
    Responses / HTTP CodeSchema / 200Response 200     one row per status: code+schema
    request                               a section: a heading line followed by a field table
    NameDescriptionSchema                 each field is a name line, ``required``/``optional``,
    from_date / required / ...statisticsnumber        description lines, and its type glued to
                                          the end of the last line or on a line of its own

Types are string, integer, number, boolean, object, array, ``< T > array``, ``< string, T >
map`` (an object of T values), a scalar with its format (``string (date-time)``), ``enum (a,
b)``, a dotted schema name (``service.thing``) or the name of a section of the same
operation.  A heading's permalink mark, scraped as text after it (``Description#``,
``POST /queues.create#``, ``¶``), is not part of it.  Where a type is
glued to prose, the longest suffix that is a known type wins; a dotted name counts as known
when a section defines it, or when its first part is a namespace the page uses unambiguously
(the service of an RPC path, a name inside ``< >`` or alone on a line) and its last part is
not a primitive (``Worker id.string`` is the prose "Worker id." and ``string``).  A field's
``Default : x`` line becomes ``default``.  Lines of site chrome ("Skip to main content") and
prose outside a Description are ignored.

Fragment shape:

* ``paths[path][method]``; ``operationId`` is the lowerCamelCase of the path's words
  (``/workers.get_all`` -> ``workersGetAll``), and an RPC path (``service.action``) adds
  ``x-rpc-name: "workers.get_all"``, which names the method when nothing else does
  (``client.workers.get_all``: no ``x-resource``, ``x-python-name`` or tags).
* Every section becomes a component schema.  A plain section name belongs to its operation
  and is keyed PascalCase(operationId) + PascalCase(section): ``request`` of
  ``/workers.get_all`` is ``WorkersGetAllRequest``, its ``Response 200`` is
  ``WorkersGetAllResponse200``.  A dotted section name is page-wide and keeps its name.
  ``requestBody`` and each response (``application/json``) ``$ref`` these components, so an
  overlay can target ``$.components.schemas.WorkersGetAllRequest``.
* A dotted name the page never defines becomes ``{"$ref": "#/components/schemas/<name>"}``
  with the name as written, plus one warning per name at its first reference: the
  provider's overlay defines it.  Nothing missing from the page is invented here.
* Operations, parameters, request bodies, responses, component schemas and properties
  carry ``x-source: "<page.display>:<line>"``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic
from generator.readers import Fragment, Page, empty_document

Schema = dict[str, Any]

# A heading's permalink, scraped as text after it ("Description#", "POST /x.y#", "¶").
_MARK = r"\s*[#¶]"
_ANCHOR = re.compile(_MARK + "$")
_METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE"
_OPERATION = re.compile(rf"({_METHODS})\s+(/\S*?)(?:{_MARK})?")
_HEADER = re.compile(r"(?:Type|Name|Description|Schema|HTTP Code|Required|Default){2,}")
_FLAG = re.compile(r"required|optional", re.IGNORECASE)
_FIELD_NAME = re.compile(r"[A-Za-z_$@][\w.\-\[\]$@]*")
_LOCATION = re.compile(r"(Body|Query|Path|Header|Cookie)(\S+)")
_CODE_ROW = re.compile(r"(\d{3}|default|[1-5]XX)(?!\d)(.*)")
_ARRAY = re.compile(r"<\s*(.+)>\s*array")
_MAP = re.compile(r"<\s*string\s*,\s*(.+)>\s*map")
_FORMATTED = re.compile(r"(string|integer|number|boolean)\s*\(\s*([\w.\-]+)\s*\)")
_ENUM = re.compile(r"enum\s*\((.+)\)")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_TRAILING_DOTTED = re.compile(r"[A-Za-z_]\w*\.[A-Za-z_]\w*$")
_BRACKETED = re.compile(r"<\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*>")
_RPC = re.compile(r"([A-Za-z_]\w*)\.[A-Za-z_]\w*")
_DEFAULT = re.compile(r"\bDefault\s*:\s*(\S.*)$")
_WORD = re.compile(r"[^\W_]+")
_PRIMITIVES = frozenset({"string", "integer", "number", "boolean", "object", "array", "null"})
_CHROME = frozenset({"skip to main content", "on this page", "edit this page"})
_HEADINGS = frozenset({"description", "parameters", "responses"})
_MAX_TYPE_LENGTH = 200  # a glued type is looked for in this many trailing characters
_REF = "#/components/schemas/"

_TYPE_HINT = (
    "the page gives no type here (expected string, integer, number, boolean, object, "
    "'< T > array', a dotted schema name or a section of this operation); "
    "declare the schema in the provider's overlay"
)
_TRUNCATED_HINT = "the page may be truncated or scraped differently; scrape it again"


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


_Block = tuple[_Line, ...]


@dataclass
class _RawOperation:
    method: str
    path: str
    line: int
    blocks: list[_Block] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    heading: _Line
    rows: _Block  # the lines under the header row


@dataclass
class _Layout:
    description: list[str] = field(default_factory=list)
    parameters: _Table | None = None
    responses: _Table | None = None
    sections: list[_Table] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    name: _Line
    required: bool
    content: _Block


@dataclass(frozen=True)
class _Cell:
    """A row's description, type and default, once the glued type is split off."""

    description: str
    schema: Schema
    extras: Schema

    def annotated(self, source: str) -> Schema:
        out = dict(self.schema)
        if self.description:
            out["description"] = self.description
        return out | self.extras | {"x-source": source}


def read_reference_text(page: Page) -> Fragment:
    """Read a scraped API-reference page into an OpenAPI 3.1 fragment."""
    preamble, operations = _split_operations(_blocks(page.text))
    document = empty_document(preamble[0][0].text if preamble else page.display)
    reader = _Reader(page, _namespaces(preamble, operations))
    layouts = [reader.layout(op.blocks) for op in operations]
    reader.global_sections = {
        t.heading.text for lay in layouts for t in lay.sections if _DOTTED.fullmatch(t.heading.text)
    }
    for op, lay in zip(operations, layouts, strict=True):
        reader.read_operation(op, lay, document["paths"])
    if not operations:
        reader.error(1, "no operation found (expected a line such as 'POST /service.action')",
                     _TRUNCATED_HINT)
    reader.report_references()
    document["components"]["schemas"] = reader.schemas
    return Fragment(document, reader.diagnostics)


def _blocks(text: str) -> list[_Block]:
    """Runs of non-blank lines; an operation line always starts a new run."""
    blocks: list[_Block] = []
    current: list[_Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line.lower() in _CHROME:
            continue
        if (not line or _OPERATION.fullmatch(line)) and current:
            blocks.append(tuple(current))
            current = []
        if line:
            current.append(_Line(number, line))
    if current:
        blocks.append(tuple(current))
    return blocks


def _split_operations(blocks: list[_Block]) -> tuple[list[_Block], list[_RawOperation]]:
    preamble: list[_Block] = []
    operations: list[_RawOperation] = []
    for block in blocks:
        match = _OPERATION.fullmatch(block[0].text)
        if match:
            operations.append(_RawOperation(match[1], match[2], block[0].number))
            if len(block) > 1:
                operations[-1].blocks.append(block[1:])
        elif operations:
            operations[-1].blocks.append(block)
        else:
            preamble.append(block)
    return preamble, operations


def _namespaces(preamble: list[_Block], operations: list[_RawOperation]) -> set[str]:
    """First parts of dotted names the page uses where they cannot be prose."""
    names = {m[1] for op in operations if (m := _RPC.fullmatch(op.path.lstrip("/")))}
    blocks = preamble + [b for op in operations for b in op.blocks]
    for line in (line for block in blocks for line in block):
        names.update(m[1].split(".")[0] for m in _BRACKETED.finditer(line.text))
        if _DOTTED.fullmatch(line.text):
            names.add(line.text.split(".")[0])
    return names


def _is_table(block: _Block) -> bool:
    if _HEADER.fullmatch(block[0].text):
        return True
    return len(block) > 1 and bool(_FLAG.fullmatch(block[1].text)) and _starts_row(block, 0)


def _starts_row(lines: _Block, index: int) -> bool:
    return (
        index + 1 < len(lines)
        and bool(_FLAG.fullmatch(lines[index + 1].text))
        and not _FLAG.fullmatch(lines[index].text)
        and bool(_FIELD_NAME.fullmatch(lines[index].text))
    )


def _block_kind(block: _Block, following: _Block | None) -> str:
    if _is_table(block):
        return "table"
    if len(block) == 1:
        word = _heading(block[0]).text.lower()
        if word in _HEADINGS:
            return word
        if following is not None and _is_table(following):
            return "section"
    return "prose"


def _heading(line: _Line) -> _Line:
    """A heading line without its permalink mark; prose keeps a trailing ``#`` (C#)."""
    bare = _ANCHOR.sub("", line.text)
    return _Line(line.number, bare) if bare else line


def _words(text: str) -> list[str]:
    return [w[0].upper() + w[1:] for w in _WORD.findall(text)]


def _operation_id(method: str, path: str) -> str:
    words = _words(path)
    if not words:
        return method.lower()
    return words[0][0].lower() + words[0][1:] + "".join(words[1:])


def _default(raw: str, schema: Schema) -> Any:
    if schema.get("type") == "string":
        return raw.strip("\"'")
    try:
        return json.loads(raw, parse_constant=str, parse_float=_finite)
    except (ValueError, RecursionError):
        return raw


def _enum(values: list[str]) -> Schema | None:
    """``enum (a, b)``: the values as written; integers when every one is an integer."""
    if not all(values):
        return None
    if all(re.fullmatch(r"-?\d+", value) for value in values):
        return {"type": "integer", "enum": [int(value) for value in values]}
    return {"type": "string", "enum": values}


def _finite(text: str) -> float | str:
    value = float(text)
    return value if math.isfinite(value) else text


def _prose(lines: list[str], schema: Schema) -> tuple[str, Schema]:
    """The description, and ``default`` when a line says ``Default : x``."""
    kept: list[str] = []
    extras: Schema = {}
    for line in lines:
        match = _DEFAULT.search(line)
        if match:
            extras["default"] = _default(match[1], schema)
            line = line[: match.start()].rstrip()
        if line:
            kept.append(line)
    return " ".join(kept), extras


@dataclass
class _Reader:
    page: Page
    namespaces: set[str]
    global_sections: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    schemas: dict[str, Schema] = field(default_factory=dict)
    references: dict[str, int] = field(default_factory=dict)  # component -> first line
    defined: dict[str, int] = field(default_factory=dict)  # component -> heading line
    operation_ids: set[str] = field(default_factory=set)

    def error(self, line: int, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic("error", self.page.at(line), message, hint))

    def warning(
        self, line: int, message: str, hint: str | None = None,
        subject: tuple[str | int, ...] | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic("warning", self.page.at(line), message, hint, subject)
        )

    # -- layout: which block is a heading, a table, a description -----------------------

    def layout(self, blocks: list[_Block]) -> _Layout:
        layout = _Layout()
        pending: _Line | None = None  # a heading waiting for its table
        in_description = False
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            kind = _block_kind(block, following)
            if pending is not None:
                if kind in ("table", "prose") or self._is_response_row(pending, block):
                    self._attach(layout, pending, block)
                    pending = None
                    continue
                self.error(pending.number, f"'{pending.text}' has no table under it",
                           _TRUNCATED_HINT)
                pending = None
            if kind in ("parameters", "responses", "section"):
                pending, in_description = _heading(block[0]), False
            elif kind == "table":
                self.error(block[0].number, "table has no heading above it", _TRUNCATED_HINT)
                in_description = False
            elif kind == "description":
                in_description = True
            elif in_description:
                layout.description.append(" ".join(line.text for line in block))
        if pending is not None:
            self.error(pending.number, f"'{pending.text}' has no table under it", _TRUNCATED_HINT)
        return layout

    @staticmethod
    def _is_response_row(pending: _Line, block: _Block) -> bool:
        return pending.text.lower() == "responses" and bool(_CODE_ROW.fullmatch(block[0].text))

    def _attach(self, layout: _Layout, heading: _Line, block: _Block) -> None:
        rows = block[1:]
        if not _HEADER.fullmatch(block[0].text):
            self.error(block[0].number,
                       f"table under '{heading.text}' has no header row (such as "
                       "NameDescriptionSchema)", _TRUNCATED_HINT)
            rows = block
        table = _Table(heading, rows)
        kind = heading.text.lower()
        if kind in ("parameters", "responses"):
            if getattr(layout, kind) is not None:
                self.error(heading.number, f"second '{heading.text}' table ignored")
            else:
                setattr(layout, kind, table)
        else:
            layout.sections.append(table)

    # -- operations ---------------------------------------------------------------------

    def read_operation(self, op: _RawOperation, layout: _Layout, paths: Schema) -> None:
        where = f"{op.method} {op.path}"
        item = paths.setdefault(op.path, {})
        operation_id = _operation_id(op.method, op.path)
        if op.method.lower() in item or operation_id in self.operation_ids:
            self.error(op.line, f"operation {where} appears twice; the second is ignored")
            return
        self.operation_ids.add(operation_id)
        operation: Schema = {"operationId": operation_id}
        if rpc := _RPC.fullmatch(op.path.lstrip("/")):
            operation["x-rpc-name"] = rpc[0]
        if layout.description:
            operation["description"] = "\n\n".join(layout.description)
        if not (layout.parameters or layout.responses or layout.sections):
            self.error(op.line, f"operation {where} has no sections (Parameters, Responses)",
                       _TRUNCATED_HINT)
        scope = self._scope(operation_id, layout.sections)
        for table in layout.sections:
            self._read_section(table, scope)
        if layout.parameters:
            self._read_parameters(layout.parameters, scope, operation)
        if layout.responses:
            operation["responses"] = self._read_responses(layout.responses, scope)
        elif layout.parameters or layout.sections:
            self.warning(op.line, f"operation {where} has no Responses table", _TRUNCATED_HINT)
        operation["x-source"] = self.page.source(op.line)
        item[op.method.lower()] = operation

    def _scope(self, operation_id: str, sections: list[_Table]) -> dict[str, str]:
        """Section name -> component key, for the names this operation defines."""
        scope: dict[str, str] = {}
        prefix = operation_id[:1].upper() + operation_id[1:]
        for table in sections:
            name = table.heading.text
            if name in scope:
                self.error(table.heading.number, f"section '{name}' appears twice")
                continue
            dotted = _DOTTED.fullmatch(name)
            scope[name] = name if dotted else prefix + ("".join(_words(name)) or "Section")
        return scope

    def _read_section(self, table: _Table, scope: dict[str, str]) -> None:
        key = scope[table.heading.text]
        if key in self.schemas:
            self.warning(table.heading.number, f"schema {key} is defined twice; first kept")
            return
        properties: Schema = {}
        required: list[str] = []
        for row in self._rows(table):
            name = row.name.text
            if name in properties:
                self.warning(row.name.number, f"field {name} appears twice in {key}")
                continue
            properties[name] = self._property(row, scope, key)
            if row.required:
                required.append(name)
        schema: Schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        schema["x-source"] = self.page.source(table.heading.number)
        self.schemas[key] = schema
        self.defined[key] = table.heading.number

    def _property(self, row: _Row, scope: dict[str, str], owner: str) -> Schema:
        source = self.page.source(row.name.number)
        cell = self._cell(row.content, scope)
        if cell is not None:
            return cell.annotated(source)
        line = (row.content or (row.name,))[-1].number
        if line >= self._last_line():  # the page ends inside the row
            self.error(line, f"field {row.name.text} of {owner} has no recognisable type "
                       "where the page ends", _TRUNCATED_HINT)
        else:  # never blocks the page: read as string, for the overlay to settle
            self.warning(line, f"field {row.name.text} of {owner} has no recognisable type; "
                         "read as string", _TYPE_HINT)
        description = " ".join(line.text for line in row.content)
        schema: Schema = {"type": "string", "x-source": source}
        return {**schema, "description": description} if description else schema

    def _read_parameters(self, table: _Table, scope: dict[str, str], operation: Schema) -> None:
        parameters: list[Schema] = []
        for row in self._rows(table):
            match = _LOCATION.fullmatch(row.name.text)
            if not match:
                self.error(row.name.number, f"parameter row '{row.name.text}' does not start "
                           "with its location (Body, Query, Path, Header, Cookie)")
                continue
            location, name = match[1], match[2]
            cell = self._cell(row.content, scope)
            if cell is None and location != "Body":
                cell = self._assumed_string(row, name)
            if cell is None:
                self._missing_schema(row, name)
            elif location == "Body":
                self._add_body(row, cell, operation)
            else:
                parameter: Schema = {"name": name, "in": location.lower(),
                                     "required": row.required or location == "Path"}
                if cell.description:
                    parameter["description"] = cell.description
                parameter["schema"] = cell.schema | cell.extras
                parameter["x-source"] = self.page.source(row.name.number)
                parameters.append(parameter)
        if parameters:
            operation["parameters"] = parameters

    def _assumed_string(self, row: _Row, name: str) -> _Cell | None:
        """A query/path/header parameter the page gives no type: a string, with a warning.

        Not where the row names a section the operation lacks, nor where the page ends
        inside the row (truncated): those stay errors.
        """
        line = (row.content or (row.name,))[-1]
        if (row.content and line.text.endswith(name)) or line.number >= self._last_line():
            return None
        self.warning(line.number, f"parameter {name} has no recognisable type; read as string",
                     _TYPE_HINT)
        return _Cell(" ".join(part.text for part in row.content), {"type": "string"}, {})

    def _last_line(self) -> int:
        return len(self.page.text.rstrip().splitlines())

    def _missing_schema(self, row: _Row, name: str) -> None:
        line = (row.content or (row.name,))[-1]
        if row.content and line.text.endswith(name):
            self.error(line.number, f"parameter {name} refers to section '{name}', which this "
                       "operation does not define", _TRUNCATED_HINT)
        else:
            self.error(line.number, f"parameter {name} has no recognisable type", _TYPE_HINT)

    def _add_body(self, row: _Row, cell: _Cell, operation: Schema) -> None:
        if "requestBody" in operation:
            self.error(row.name.number, "second request body ignored")
            return
        body: Schema = {"required": row.required}
        if cell.description:
            body["description"] = cell.description
        body["content"] = {"application/json": {"schema": cell.schema | cell.extras}}
        body["x-source"] = self.page.source(row.name.number)
        operation["requestBody"] = body

    def _read_responses(self, table: _Table, scope: dict[str, str]) -> Schema:
        responses: Schema = {}
        for code, code_line, content in self._response_rows(table.rows):
            response: Schema = {"description": f"Response {code}"}
            cell = self._cell(content, scope) if content else None
            if content and cell is None:
                self.error(content[-1].number, f"response {code} refers to "
                           f"'{content[-1].text}', which is neither a type nor a section of "
                           "this operation", _TRUNCATED_HINT)
                continue
            if cell is not None:
                response["description"] = cell.description or response["description"]
                response["content"] = {"application/json": {"schema": cell.schema}}
            response["x-source"] = self.page.source(code_line.number)
            if code in responses:
                self.warning(code_line.number, f"response {code} appears twice; first kept")
                continue
            responses[code] = response
        return responses

    def _response_rows(self, lines: _Block) -> list[tuple[str, _Line, _Block]]:
        rows: list[tuple[str, _Line, list[_Line]]] = []
        for line in lines:
            match = _CODE_ROW.fullmatch(line.text)
            if match:
                rest = match[2].strip()
                rows.append((match[1], line, [_Line(line.number, rest)] if rest else []))
            elif rows:
                rows[-1][2].append(line)
            else:
                self.error(line.number, f"'{line.text}' is not a response row (an HTTP code "
                           "followed by a schema)", _TRUNCATED_HINT)
        return [(code, line, tuple(content)) for code, line, content in rows]

    # -- rows and types -----------------------------------------------------------------

    def _rows(self, table: _Table) -> list[_Row]:
        lines = table.rows
        starts = [i for i in range(len(lines)) if _starts_row(lines, i)]
        if lines and (not starts or starts[0] > 0):
            self.error(lines[0].number, f"'{lines[0].text}' in '{table.heading.text}' is not "
                       "part of a field (a name line, then required or optional)",
                       _TRUNCATED_HINT)
        ends = starts[1:] + [len(lines)]
        return [
            _Row(lines[s], lines[s + 1].text.lower() == "required", lines[s + 2: e])
            for s, e in zip(starts, ends, strict=False)  # no starts: no rows
        ]

    def _cell(self, content: _Block, scope: dict[str, str]) -> _Cell | None:
        """Split the type off a row's last line; ``None`` when there is no type."""
        if not content:
            return None
        last = content[-1]
        prose = [line.text for line in content[:-1]]
        schema = self._type(last.text, scope, strict=False)
        if schema is None:
            found = self._glued_type(last, scope)
            if found is None:
                return None
            prefix, schema = found
            prose.append(prefix)
        self._note_references(schema, last.number)
        description, extras = _prose(prose, schema)
        return _Cell(description, schema, extras)

    def _glued_type(self, line: _Line, scope: dict[str, str]) -> tuple[str, Schema] | None:
        text = line.text
        for start in range(max(1, len(text) - _MAX_TYPE_LENGTH), len(text)):
            schema = self._type(text[start:], scope, strict=True)
            if schema is not None:
                return text[:start].rstrip(), schema
        guess = _TRAILING_DOTTED.search(text)
        if guess is None or guess[0].rsplit(".", 1)[1] in _PRIMITIVES:
            return None
        self.warning(line.number, f"type read as {guess[0]} (its namespace is not used "
                     "elsewhere on the page)", "check the field's type in the overlay")
        return text[: guess.start()].rstrip(), {"$ref": _REF + guess[0]}

    def _type(self, text: str, scope: dict[str, str], strict: bool) -> Schema | None:
        text = text.strip()
        if len(text) > _MAX_TYPE_LENGTH:  # also bounds the recursion on nested arrays
            return None
        if text in _PRIMITIVES:
            return {"type": text}
        array = _ARRAY.fullmatch(text)
        if array:
            items = self._type(array[1], scope, strict=False)
            return None if items is None else {"type": "array", "items": items}
        mapping = _MAP.fullmatch(text)  # `< string, T > map`: keys are always strings
        if mapping:
            values = self._type(mapping[1], scope, strict=False)
            return None if values is None else {"type": "object", "additionalProperties": values}
        formatted = _FORMATTED.fullmatch(text)
        if formatted:
            return {"type": formatted[1], "format": formatted[2]}
        enum = _ENUM.fullmatch(text)
        if enum:
            return _enum([value.strip() for value in enum[1].split(",")])
        if text in scope:
            return {"$ref": _REF + scope[text]}
        if _DOTTED.fullmatch(text) and (not strict or self._known_dotted(text)):
            return {"$ref": _REF + text}
        return None

    def _known_dotted(self, name: str) -> bool:
        if name in self.global_sections:
            return True
        first, last = name.split(".")[0], name.rsplit(".", 1)[1]
        return first in self.namespaces and last not in _PRIMITIVES

    def _note_references(self, schema: Schema, line: int) -> None:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            self.references.setdefault(ref.removeprefix(_REF), line)
        items = schema.get("items")
        if isinstance(items, dict):
            self._note_references(items, line)

    def report_references(self) -> None:
        for name, line in sorted(self.references.items(), key=lambda item: item[1]):
            if name not in self.schemas:
                self.warning(line, f"schema {name} is referenced but never defined on the page",
                             "define it in the provider's overlay",
                             subject=("components", "schemas", name))
        for name, line in self.defined.items():
            if name not in self.references:
                self.warning(line, f"schema {name} is defined but never referenced")

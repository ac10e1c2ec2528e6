"""What the columns of a field table mean, whatever their order and wording.

Field tables on real pages vary: ``Name | Type | Required | Description``, ``Parameter |
Mandatory | Type``, ``Field | Type | Optional | Default | Example``...  Each header cell
is given one role by the words it holds; a column no role claims is reported (never
silently dropped).  Shared by the markdown- and text-table readers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostics
from generator.readers import Page
from generator.readers._common import field_entry, typed_literal

# Checked in this order: "Default Value" is a default (not an enum's values), "Field Name"
# a name, "Data Type" a type.  Words are matched whole.
_ROLE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("default", frozenset({"default", "defaults"})),
    ("example", frozenset({"example", "examples", "sample"})),
    ("enum", frozenset({"enum", "allowed", "values", "options", "choices", "possible"})),
    ("format", frozenset({"format"})),
    ("required", frozenset({"required", "mandatory", "optional", "req"})),
    ("type", frozenset({"type"})),
    ("description", frozenset({"description", "desc", "details", "notes", "meaning"})),
    ("name", frozenset({"name", "field", "parameter", "param", "key", "property", "attribute"})),
)
_YES = frozenset({"yes", "y", "true", "required", "mandatory", "✓", "x"})
_NO = frozenset({"no", "n", "false", "optional", ""})
_WORD = re.compile(r"[a-z]+|✓")
_LIST_SPLIT = re.compile(r"\s*[,|/]\s*")


@dataclass
class Columns:
    """Column index of each role; ``unknown`` holds the headers no role claims."""

    roles: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    optional_column: bool = False  # the "required" column says Optional: yes means not required

    def cell(self, cells: list[str], role: str) -> str:
        index = self.roles.get(role)
        return cells[index].strip() if index is not None and index < len(cells) else ""


def read_header(header: list[str]) -> Columns:
    columns = Columns()
    for index, cell in enumerate(header):
        words = set(_WORD.findall(cell.lower()))
        role = next(
            (r for r, names in _ROLE_WORDS if words & names and r not in columns.roles), None
        )
        if role is None:
            if cell.strip():
                columns.unknown.append(cell.strip())
            continue
        columns.roles[role] = index
        if role == "required":
            columns.optional_column = "optional" in words and "required" not in words
    if "name" not in columns.roles and 0 not in columns.roles.values() and header:
        columns.roles["name"] = 0
        if header[0].strip() in columns.unknown:
            columns.unknown.remove(header[0].strip())
    return columns


def is_required(columns: Columns, cells: list[str]) -> bool | None:
    """True/False from the required column, None when its cell cannot be told."""
    text = columns.cell(cells, "required").strip("` ").lower()
    if text not in _YES | _NO:
        return None
    required = text in _YES
    return not required if columns.optional_column and text else required


def unknown_cells(columns: Columns, header: list[str], cells: list[str]) -> str:
    """The cells of unknown columns as "Header: value" text, kept in the description."""
    parts = []
    for index, title in enumerate(header):
        if title.strip() in columns.unknown and index < len(cells) and cells[index].strip():
            parts.append(f"{title.strip()}: {cells[index].strip()}")
    return "; ".join(parts)


def apply_extra_columns(columns: Columns, cells: list[str], schema: dict[str, Any]) -> list[str]:
    """Default, example, enum and format cells into ``schema``; the cells that did not fit."""
    problems: list[str] = []
    default = columns.cell(cells, "default").strip("`")
    if default and default.lower() not in ("-", "none", "n/a", "—"):
        value = typed_literal(default.strip("\"'"), schema.get("type"))
        if value is None:
            problems.append(f"default {default!r} is not a {schema.get('type')}")
        else:
            schema["default"] = value
    example = columns.cell(cells, "example").strip("`")
    if example and example not in ("-", "—"):
        schema["examples"] = [_example_value(example, schema)]
    enum = columns.cell(cells, "enum").strip()
    if enum and enum not in ("-", "—"):
        values = [v.strip("`\"' ") for v in _LIST_SPLIT.split(enum) if v.strip("`\"' ")]
        typed = [typed_literal(v, schema.get("type")) for v in values]
        schema["enum"] = [v if t is None else t for v, t in zip(values, typed, strict=True)]
    fmt = columns.cell(cells, "format").strip("` ")
    if fmt and fmt not in ("-", "—"):
        schema["format"] = fmt
    return problems


def _example_value(text: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") in ("array", "object"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    value = typed_literal(text.strip("\"'"), schema.get("type"))
    return text if value is None else value


def report_unknown_columns(
    columns: Columns, page: Page, line: int, diagnostics: Diagnostics
) -> None:
    for title in columns.unknown:
        diagnostics.warning(
            page.at(line),
            f"column {title!r} is not one a field table is known to have; its cells are"
            " kept in each field's description",
            "known columns: name, type, required/optional, description, default, example,"
            " enum, format",
        )


def table_field(
    columns: Columns,
    header: list[str],
    row: tuple[list[str], int],
    name: str,
    schema: dict[str, Any],
    page: Page,
    diagnostics: Diagnostics,
) -> dict[str, Any]:
    """One field entry from a table row (its cells and line), with every column it fills."""
    cells, line = row
    required = is_required(columns, cells)
    if required is None:
        diagnostics.warning(
            page.at(line),
            f"cannot tell whether {columns.cell(cells, 'required')!r} means required",
            "write Yes or No",
        )
    schema = dict(schema)
    for problem in apply_extra_columns(columns, cells, schema):
        diagnostics.warning(page.at(line), f"field {name!r}: {problem}; not used")
    description = columns.cell(cells, "description")
    extra = unknown_cells(columns, header, cells)
    if extra:
        description = f"{description} ({extra})" if description else extra
    return field_entry(name, schema, description, bool(required), page.source(line))

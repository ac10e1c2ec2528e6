"""Realistic edits of published pages, found by structure so they survive page updates."""

from __future__ import annotations

import re
from collections.abc import Callable

_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> tuple[list[str], bool]:
    text = line.strip()
    outer = text.startswith("|")
    text = text[1:] if outer else text
    text = text[:-1] if text.endswith("|") else text
    return [cell.strip() for cell in text.split("|")], outer


def _join(cells: list[str], outer: bool) -> str:
    body = " | ".join(cells)
    return f"| {body} |" if outer else f"{body} |"


def edit_tables(
    text: str, wanted: Callable[[list[str]], bool], change: Callable[[list[list[str]]], None]
) -> str:
    """Apply ``change`` to the cell rows (header, separator, rows) of each wanted table."""
    lines = text.split("\n")
    index = 0
    while index + 1 < len(lines):
        if "|" in lines[index] and _SEPARATOR.match(lines[index + 1].strip()):
            header, outer = _cells(lines[index])
            end = index + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            if wanted(header):
                rows = [_cells(line)[0] for line in lines[index:end]]
                width = len(header)
                rows = [row + [""] * (width - len(row)) for row in rows]
                rows[1] = ["---"] * width
                change(rows)
                lines[index:end] = [_join(row, outer) for row in rows]
            index = end
        else:
            index += 1
    return "\n".join(lines)


def is_field_table(header: list[str]) -> bool:
    return any(cell.lower() == "type" for cell in header)


def add_column(text: str, title: str, values: dict[str, str]) -> str:
    """A column ``title`` at the end of every field table, filled for the named rows."""

    def change(rows: list[list[str]]) -> None:
        rows[0].append(title)
        rows[1].append("---")
        for row in rows[2:]:
            row.append(values.get(row[0].strip("` "), ""))

    return edit_tables(text, is_field_table, change)


def swap_columns(text: str, first: str, second: str) -> str:
    def change(rows: list[list[str]]) -> None:
        names = [cell.lower() for cell in rows[0]]
        i, j = names.index(first), names.index(second)
        for row in rows:
            row[i], row[j] = row[j], row[i]

    def wanted(header: list[str]) -> bool:
        names = [cell.lower() for cell in header]
        return first in names and second in names

    return edit_tables(text, wanted, change)


def rename_headers(text: str, names: dict[str, str]) -> str:
    def change(rows: list[list[str]]) -> None:
        rows[0] = [names.get(cell, cell) for cell in rows[0]]

    return edit_tables(text, is_field_table, change)


def add_enum_row(text: str, first_value_prefix: str, value: str) -> str:
    """One more row in the enum table whose first value starts with the prefix."""

    def wanted(header: list[str]) -> bool:
        return not is_field_table(header)

    def change(rows: list[list[str]]) -> None:
        if len(rows) > 2 and rows[2][0].strip("` ").startswith(first_value_prefix):
            rows.append([value] + [""] * (len(rows[0]) - 1))

    return edit_tables(text, wanted, change)


def space_out(text: str) -> str:
    """A blank line between blocks of a plain-text page (not inside tables, JSON or curl)."""
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        before = lines[index - 1] if index else ""
        inside = (
            ("|" in before and "|" in line)
            or (line.startswith(("-", '"', "}", "]", " ")) and not line.startswith("---"))
            or before.rstrip().endswith(("{", "[", ",", "\\"))
        )
        if index and not inside:
            out.append("")
        out.append(line)
    return "\n".join(out)


def double_blank_lines(text: str, which: set[int]) -> str:
    """The blank lines whose rank is in ``which`` (modulo their count) written twice."""
    lines = text.split("\n")
    blanks = [i for i, line in enumerate(lines) if not line.strip()]
    chosen = {blanks[k % len(blanks)] for k in which} if blanks else set()
    out: list[str] = []
    for index, line in enumerate(lines):
        out.extend([line, ""] if index in chosen else [line])
    return "\n".join(out)


def trailing_spaces(text: str, which: set[int]) -> str:
    """One trailing space on the chosen lines (not after a line-continuing backslash)."""
    lines = text.split("\n")
    for k in which:
        i = k % len(lines)
        if lines[i].strip() and not lines[i].rstrip().endswith("\\"):
            lines[i] = lines[i] + " "
    return "\n".join(lines)


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")

"""``perf.code_shape``: docstrings blanked by a scan that agrees with the parser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.perf.code_shape import code_shape

REPO = Path(__file__).resolve().parents[2]


def _by_parser(text: str) -> str:
    """The reference: each string statement the parser finds, replaced by ``""``."""
    starts = [0]
    for line in text.encode("utf-8").splitlines(keepends=True):  # the parser's line ends
        starts.append(starts[-1] + len(line))
    spans = sorted(
        (starts[n.lineno - 1] + n.col_offset, starts[n.end_lineno - 1] + n.end_col_offset)
        for n in ast.walk(ast.parse(text))
        if isinstance(n, ast.Expr)
        and isinstance(n.value, ast.Constant)
        and isinstance(n.value.value, str)
        and n.end_lineno is not None
        and n.end_col_offset is not None
    )
    data, pieces, done = text.encode("utf-8"), [], 0
    for start, end in spans:
        pieces += [data[done:start], b'""']
        done = end
    pieces.append(data[done:])
    return b"".join(pieces).decode("utf-8")


def _python_files() -> list[Path]:
    folders = [REPO / "generated" / "src", REPO / "generator"]
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_scan_blanks_exactly_the_string_statements_the_parser_finds(path: Path) -> None:
    text = path.read_text("utf-8")
    assert code_shape(text) == _by_parser(text)


def test_docstrings_of_every_kind_are_blanked() -> None:
    text = (
        '"""Module, é."""\n'
        "x = 'a'  # a string that is data\n"
        "class A:\n"
        "    r'''Raw,\n    two lines, \\''' and a quote.'''\n"
        "    y: int = 1\n"
        '    """A field\'s."""  # with a comment\n'
        "\n"
        "    def f(self) -> None:\n"
        '        "\\"escaped\\" quotes"\n'
        "\f\n"
        "if x:\n"
        "    u'in a branch'"
    )
    assert code_shape(text) == _by_parser(text)
    assert code_shape(text).count('""') == 5


@pytest.mark.parametrize(
    "text",
    [
        'f"{run()}"\n',  # evaluates code
        'b"bytes"\n',
        '"a" "b"\n',  # implicitly joined: left to the parser's stricter reading
        '"a" \\\n"b"\n',
        'x = (\n    "in brackets"\n)\n',
        'x = 1; "after a semicolon"\n',
        'x = \\\n    "a continued line"\n',
        '"a bad escape \\N{NO SUCH NAME}"\n',  # a syntax error: never blanked into a good one
        '"text".strip()\n',
    ],
)
def test_what_is_not_plainly_a_string_statement_is_kept(text: str) -> None:
    assert code_shape(text) == text


@pytest.mark.parametrize(
    "text", ['"open\n', "x = (1,\n", "x = 1)\n", "'''never closed\n", '"a\\\\\nb"\n']
)
def test_text_that_does_not_scan_is_its_own_shape(text: str) -> None:
    assert code_shape(text) == text


def test_a_docstring_edit_keeps_the_shape_and_a_code_edit_does_not() -> None:
    def module(doc: str, value: str) -> str:
        return f'"""{doc}"""\n\n\nclass Thing:\n    """{doc}"""\n\n    size: int = {value}\n'

    assert code_shape(module("One.", "1")) == code_shape(module("Two,\nlines.", "1"))
    assert code_shape(module("One.", "1")) != code_shape(module("One.", "2"))

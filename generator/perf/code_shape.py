"""A module's source with its docstrings blanked: two modules of one shape import alike.

A string statement (a module's, class's or function's docstring, or a field's, under it)
evaluates a constant and drops it; a docstring is kept as ``__doc__``, which the generated
code never reads while it imports.  So an edit of a page's descriptions, which reaches the
generated code only as docstrings, needs no new import check (``staged``).

The statements are found by a scan of the source's strings, comments and brackets, not by
the parser: on the 112,000-line client of 1,000 operations, parsing, walking and dumping
the tree took 2.8 s of CPU and ~250 MB at its peak; the scan takes 0.36 s and keeps
nothing (``tests/generator/test_code_shape.py`` holds it to the parser's answer).  It is
conservative: a string is blanked only when it is a whole logical line by itself (outside
brackets, first on its line, nothing but a comment after it, no ``f`` or ``b`` prefix) and
a valid literal
(``ast.literal_eval``: a bad escape in a docstring is a syntax error, and must not pass for
a module that imported).  Anything else, a docstring written some other way included,
stays as it is: the shape then differs more often than it must, never less.
"""

from __future__ import annotations

import ast
import functools
import re

# What the scan stops at outside strings: quotes, comments and brackets (one character
# class, which the regular expression engine skips to quickly).
_TOKEN = re.compile(r"""["'#()\[\]{}]""")
_PREFIX = "rRuUbBfF"
_NEWLINE = re.compile(r"\r\n|\r|\n")
_BLANK = re.compile(r"[ \t\f]*")
_LINE_END = re.compile(r"[ \t\f]*(?:\#[^\r\n]*)?(?:\r\n|\r|\n|\Z)")
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=]", re.M)  # PEP 263


@functools.lru_cache(maxsize=64)
def code_shape(text: str) -> str:
    """``text`` with every string statement found replaced by ``""``; ``text`` itself when
    the scan meets what it does not understand (it then never imported as scanned)."""
    if _CODING.search("\n".join(text.splitlines()[:2])):
        return text  # decoded by its own declaration when imported, not as read here
    spans = _string_statements(text)
    if spans is None:
        return text
    pieces, done = [], 0
    for start, end in spans:
        pieces += [text[done:start], '""']
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _string_statements(text: str) -> list[tuple[int, int]] | None:
    """The (start, end) of each string that is a statement by itself; None for text that
    does not scan (an unclosed string or bracket)."""
    spans: list[tuple[int, int]] = []
    depth, position = 0, 0
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            return spans if depth == 0 else None
        token, position = match[0], match.end()
        if token in "\"'":
            quote = text[position - 1 : position + 2]
            quote = quote if quote in ('"""', "'''") else token
            end = _string_end(text, position - 1 + len(quote), quote)
            if end is None:
                return None
            start = _prefix_start(text, position - 1)
            if depth == 0 and start is not None and _alone(text, start, end):
                spans.append((start, end))
            position = end
        elif token == "#":
            newline = _NEWLINE.search(text, position)
            position = newline.start() if newline else len(text)
        elif token in "([{":
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                return None


def _prefix_start(text: str, quote: int) -> int | None:
    """Where the string whose quote is at ``quote`` starts: its prefix, if any; None for a
    prefix with ``f`` or ``b`` (code, or bytes) or letters that are no prefix."""
    start = quote
    while start > quote - 2 and start > 0 and text[start - 1] in _PREFIX:
        start -= 1
    if set(text[start:quote]) & set("bBfF"):
        return None
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return None  # a name's last letters, as in `if"x"`: left alone
    return start


def _alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, a string outside brackets, is a whole logical line: first
    on a line that does not continue another, nothing after it but a comment, and a valid
    string literal."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    if not _BLANK.fullmatch(text, line_start, start) or not _LINE_END.match(text, end):
        return False
    newline = line_start - 1
    if newline > 0 and text[newline] == "\n" and text[newline - 1] == "\r":
        newline -= 1
    if newline > 0 and text[newline - 1] == "\\":
        return False  # the line continues the one before
    return _is_literal(text[start:end])


def _string_end(text: str, position: int, quote: str) -> int | None:
    """Where the string whose body starts at ``position`` ends (after its closing quote)."""
    while True:
        close = text.find(quote, position)
        if close < 0:
            return None
        if len(quote) == 1 and _unescaped_newline(text, position, close):
            return None  # a one-line string left open
        if _escaped(text, position, close):
            position = close + 1
        else:
            return close + len(quote)


def _escaped(text: str, start: int, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes (from ``start``)."""
    before = index
    while before > start and text[before - 1] == "\\":
        before -= 1
    return (index - before) % 2 == 1


def _unescaped_newline(text: str, start: int, end: int) -> bool:
    return any(
        not _escaped(text, start, line_end.start())
        for line_end in _NEWLINE.finditer(text, start, end)
    )


def _is_literal(token: str) -> bool:
    try:
        return isinstance(ast.literal_eval(token), str)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False

"""Page text inside generated Python source: only ever as escaped string content.

Doc pages are third-party input.  Whatever they say (``\"\"\"``, a trailing quote or
backslash, ``\\N{...}``, NUL, CR, bidi overrides that make code read differently from
what runs) must land in the generated source as the *content* of a string literal that
reads back as exactly that text.  Code literals go through ``repr`` (always a complete,
escaped literal); docstrings, which are written by hand in the templates, go through
``docstring_text``; datamodel-code-generator's models through ``escape_invisible``.
"""

from __future__ import annotations

import re
import unicodedata

# Characters written as escapes rather than raw: control characters (NUL cannot even be
# in a source file; a raw CR becomes a line break), format characters (bidi overrides,
# zero-width characters: "trojan source"), line/paragraph separators, lone surrogates
# (which UTF-8 cannot encode).  The newline is kept: docstrings have several lines.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


# Printable ASCII and the newline never need looking at; anything else is looked up.
_NOT_PLAIN = re.compile(r"[^\n\x20-\x7e]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_invisible(text: str) -> str:
    """``text`` with every invisible or control character (but newline) as an escape.

    Only for text inside non-raw string literals (or comments), where the escape reads back
    as the character itself.
    """
    return _NOT_PLAIN.sub(_escape_char, text)


def docstring_text(text: str) -> str:
    """``text`` as content of a ``\"\"\"`` docstring whose value is exactly ``text``.

    Backslashes are doubled (so ``\\N{...}``, ``\\x41`` or a trailing backslash stay text);
    a quote is escaped when another quote or the end of ``text`` follows it, so no three
    quotes ever meet, not even with the closing ``\"\"\"``; invisible characters become
    escapes.  Jinja delimiters need nothing: rendered values are never rendered again.
    """
    text = text.replace("\\", "\\\\")
    text = re.sub(r'"(?="|\Z)', r'\\"', text)
    return escape_invisible(text)

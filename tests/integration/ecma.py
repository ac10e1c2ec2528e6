"""JSON Schema's ``pattern`` (an ECMA-262 regular expression) as a Python one.

The harness builds strings for patterns with hypothesis and checks values with jsonschema,
both on Python's ``re``; Prism and the generated models (pydantic's Rust engine) match as
ECMA-262 says.  Where the two differ the harness built values the others refuse:

- ``$`` (no ``m`` flag) matches at the very end in ECMA-262, but also before a final
  newline in Python: ``^st-[a-z0-9]+$`` took ``"st-0\\n"``.  It becomes ``\\Z``.
- ``\\d`` and ``\\w`` are ASCII in ECMA-262, Unicode in Python: they become their ASCII classes.
- ``\\p{...}`` (Unicode properties) does not compile in Python at all.  The common ones become
  a subset of what they match (Latin letters for ``\\p{L}``), which is enough to build and
  check values that every engine accepts; any other is a ``ValueError`` naming it.
- ``(?<name>...)`` is ``(?P<name>...)``.
"""

from __future__ import annotations

import functools
import re

_LATIN_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_LATIN_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff"
# Unicode property -> a subset of it, as the inside of a character class.
_PROPERTIES = {
    **dict.fromkeys(("L", "Letter", "Alphabetic", "Alpha"), _LATIN_UPPER + _LATIN_LOWER),
    **dict.fromkeys(("Lu", "Uppercase_Letter", "Upper"), _LATIN_UPPER),
    **dict.fromkeys(("Ll", "Lowercase_Letter", "Lower"), _LATIN_LOWER),
    **dict.fromkeys(("N", "Nd", "Number", "Decimal_Number", "digit"), "0-9"),
    **dict.fromkeys(("Z", "Zs", "Separator", "Space_Separator"), " "),
    **dict.fromkeys(("P", "Punctuation"), r"!-#%-*,\-./:;?@_"),
    **dict.fromkeys(("S", "Symbol"), r"$+<=>\^`|~"),
    **dict.fromkeys(("M", "Mark"), "\u0300-\u036f"),
}
_SHORTHANDS = {"d": "0-9", "w": "A-Za-z0-9_"}


@functools.lru_cache(maxsize=512)
def to_python(pattern: str) -> str:
    """``pattern`` (ECMA-262) as a Python pattern that matches what it matches (a subset
    of it, for Unicode properties); ``ValueError`` for what has no such form here."""
    out: list[str] = []
    in_class, index = False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            letter = pattern[index + 1]
            if letter in "pP" and pattern[index + 2 : index + 3] == "{":
                end = pattern.find("}", index)
                name = pattern[index + 3 : end].split("=")[-1]
                subset = _PROPERTIES.get(name) if letter == "p" and end > 0 else None
                if subset is None:
                    raise ValueError(f"the pattern's \\{letter}{{{name}}} has no Python form here")
                out.append(subset if in_class else f"[{subset}]")
                index = end + 1
                continue
            if letter in _SHORTHANDS:
                shorthand = _SHORTHANDS[letter]
                out.append(shorthand if in_class else f"[{shorthand}]")
            else:
                out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        elif pattern.startswith("(?<", index) and pattern[index + 3 : index + 4] not in "=!":
            char, index = "(?P<", index + 2
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled as ECMA-262 reads it; ``ValueError`` when it cannot be."""
    try:
        return re.compile(to_python(pattern))
    except re.error as error:
        raise ValueError(f"the pattern {pattern!r} does not compile: {error}") from None


def search(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern`` somewhere, as JSON Schema's ``pattern`` asks."""
    return compiled(pattern).search(text) is not None

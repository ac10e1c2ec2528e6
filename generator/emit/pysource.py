"""Page text inside generated Python source: only ever as escaped string content.

Doc pages are third-party input.  Whatever they say (``\"\"\"``, a trailing quote or
backslash, ``\\N{...}``, NUL, CR, bidi overrides that make code read differently from
what runs) must land in the generated source as the *content* of a string literal that
reads back as exactly that text.  Code literals go through ``repr`` (always a complete,
escaped literal); docstrings, which are written by hand in the templates, go through
``docstring_text``; datamodel-code-generator's models through ``escape_invisible``.
Names, annotations and defaults written as code are checked by ``check_code``.
"""

from __future__ import annotations

import ast
import keyword
import re
import unicodedata

from generator import ir

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


# What an annotation the templates write may be made of: names, `a.b`, `a[b, c]`, `a | b`
# and literals (`Literal["x"]`).  No call, no operator but `|`, nothing that runs.
_ANNOTATION_NODES = (
    ast.Expression,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Tuple,
    ast.List,
    ast.Constant,
    ast.BinOp,
    ast.BitOr,
    ast.UnaryOp,
    ast.USub,
    ast.Load,
)
_LITERAL_NODES = (
    ast.Expression,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.UnaryOp,
    ast.USub,
    ast.Load,
)


def check_code(api: ir.Api) -> None:
    """What the templates write as code rather than as a string literal must be harmless.

    Names must be plain identifiers, annotations type expressions, defaults literals.
    Lowering builds them from page text through ``generator.naming``; this is the last
    guard that no page or provider.toml text reaches the source unescaped that way.
    """
    names = [api.name, api.client_name, *(c.name for c in api.credentials)]
    names += [s.class_name for s in api.schemas]
    annotations: list[str] = []
    defaults: list[object] = []
    for resource in api.resources:
        names += [resource.name, resource.class_name]
        for op in resource.operations:
            names += [op.python_name, op.resource, *(p.python_name for p in op.params)]
            annotations += [op.returns, *(p.annotation for p in op.params)]
            defaults += [p.default for p in op.params]
            if op.body:
                annotations += [op.body.annotation or "None", op.body.model or "None"]
            if op.pagination:
                annotations += [op.pagination.page_annotation, op.pagination.item_annotation]
    bad = sorted({n for n in names if not n.isidentifier() or keyword.iskeyword(n)})
    bad += sorted({a for a in annotations if not _made_of(a, _ANNOTATION_NODES)})
    bad += sorted({repr(d) for d in defaults if not _made_of(repr(d), _LITERAL_NODES)})
    if bad:
        raise ValueError(f"cannot be written as code (not a name, type or literal): {bad!r}")


def _made_of(source: str, allowed: tuple[type[ast.AST], ...]) -> bool:
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return False
    return all(isinstance(node, allowed) for node in ast.walk(tree))

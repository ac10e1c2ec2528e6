"""MDX source -> plain markdown with the same line numbers.

Front matter, ``import``/``export`` lines, ``{expressions}``, comments and JSX tags are
blanked out (newlines kept, so every line keeps its number); ``<script>``/``<style>``
elements are removed whole.  Something unterminated blanks only its own line.
"""

from __future__ import annotations

import re

_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*):(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TAG_NAME = re.compile(r"</?([A-Za-z][\w.:-]*)")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_RAW_TEXT_ELEMENTS = ("script", "style")


def strip_mdx(text: str) -> tuple[str, tuple[int, str] | None]:
    """The page with JSX, expressions, import/export and front matter blanked out.

    Removed text keeps its newlines, so line numbers stay the page's.  Returns the
    front matter's first line and text, when the page has one.
    """
    out: list[str] = []
    i, front_matter = _front_matter(text, out)
    fence: str | None = None
    while i < len(text):
        newline = text.find("\n", i)
        line_end = len(text) if newline < 0 else newline
        line = text[i:line_end]
        fence, is_fence_line = _fence_state(fence, line)
        end = i if fence is not None or is_fence_line else _mdx_construct_end(text, i, line)
        if end > i:
            out.append("\n" * text.count("\n", i, end))
            i = end
            continue
        out.append(text[i : line_end + 1])
        i = line_end + 1
    return "".join(out), front_matter


def _front_matter(text: str, out: list[str]) -> tuple[int, tuple[int, str] | None]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return 0, None
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            out.append("\n" * (number + 1))
            end = sum(len(x) + 1 for x in lines[: number + 1])
            return min(end, len(text)), (2, "\n".join(lines[1:number]))
    return 0, None


def _fence_state(fence: str | None, line: str) -> tuple[str | None, bool]:
    """(the open fence after this line, whether the line opens or closes one)."""
    match = _FENCE.match(line)
    if fence is None:
        return (match.group(1), True) if match else (None, False)
    closes = match is not None and len(match.group(1)) >= len(fence)
    if closes and not line.strip().strip(fence[0]):
        return None, True
    return fence, False


def _mdx_construct_end(text: str, start: int, line: str) -> int:
    """Where the MDX construct starting this line ends (``start`` when there is none)."""
    stripped = line.lstrip(" ")
    at = start + len(line) - len(stripped)
    if len(line) - len(stripped) > 3:
        return start
    if stripped.startswith(("import ", "export ")):
        return _balanced_end(text, at)
    if stripped.startswith("{"):
        return _balanced_end(text, at)
    if stripped.startswith("<!--"):
        close = text.find("-->", at)
        return start if close < 0 else close + 3
    if stripped.startswith("<") and not _AUTOLINK.match(stripped):
        return _tag_end(text, at) or start
    return start


def _balanced_end(text: str, start: int) -> int:
    """End of a statement or expression: the first newline with brackets balanced."""
    depth, quote, k = 0, "", start
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    while k < len(text):
        char = text[k]
        if quote:
            quote = "" if char == quote and text[k - 1] != "\\" else quote
        elif char in "\"'`":
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif char == "\n" and depth <= 0:
            return k
        k += 1
    return len(text) if depth <= 0 else line_end


def _tag_end(text: str, start: int) -> int | None:
    """End of the JSX tag at ``start``; for <script>/<style>, of the whole element."""
    name = _TAG_NAME.match(text, start)
    if name is None:
        return None
    depth, quote, k = 0, "", name.end()
    while k < len(text):
        char = text[k]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" or (char == "`" and depth):
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ">" and depth == 0:
            break
        k += 1
    else:
        return None
    closing, self_closing = text[start + 1] == "/", text[k - 1] == "/"
    if closing or self_closing or name.group(1).lower() not in _RAW_TEXT_ELEMENTS:
        return k + 1
    close = text.lower().find("</" + name.group(1).lower(), k)
    close_end = text.find(">", close) if close >= 0 else -1
    return k + 1 if close_end < 0 else close_end + 1


# --- reading the page --------------------------------------------------------


def front_matter_scalars(body: str) -> dict[str, str]:
    """Top-level ``key: value`` strings of YAML front matter (folded values joined)."""
    values: dict[str, str] = {}
    key = ""
    for line in body.split("\n"):
        match = _FRONT_MATTER_KEY.match(line)
        if match is not None:
            key, value = match.group(1), match.group(2).strip()
            values[key] = "" if value in (">", "|", ">-", "|-") else value.strip("\"'")
        elif key and line.startswith((" ", "\t")):
            values[key] = f"{values[key]} {line.strip()}".strip()
        else:
            key = ""
    return values

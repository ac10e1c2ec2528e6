"""Media types and serialization styles of OpenAPI requests, responses and parameters.

Pure functions of the document's words: which media type of several an operation uses,
how its bodies travel (JSON, form, multipart, text or bytes), and how a parameter's
``style``/``explode`` map onto the runtime's encodings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator import ir

# What the client does with a media type is the runtime's rule; the generator reads the same one.
from generator.media_types import MediaKind
from generator.media_types import media_kind as media_kind  # re-exported

# The runtime's annotation for one uploaded file (bytes, a file object or a tuple).
FILE_ANNOTATION = "FileTypes"

# Which request body the client sends when a document offers several: JSON first, then the
# forms, then text, then anything else; the page's order within a rank.
_REQUEST_RANK: dict[MediaKind, int] = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}
# Responses: the structured forms first; server-sent events (a stream of JSON events, read as
# text here) only when nothing else is offered.
_RESPONSE_RANK: dict[MediaKind, int] = {
    "json": 0,
    "text": 1,
    "binary": 2,
    "form": 3,
    "multipart": 3,
}
_EVENT_STREAM = "text/event-stream"


def request_media(content: dict[str, Any]) -> str:
    """The request media type the client sends (deterministic: see ``_REQUEST_RANK``)."""
    return _first(content, lambda media: _REQUEST_RANK[media_kind(media)])


def response_media(content: dict[str, Any]) -> str:
    def rank(media: str) -> int:
        events = media.split(";")[0].strip().lower() == _EVENT_STREAM
        return len(_RESPONSE_RANK) if events else _RESPONSE_RANK[media_kind(media)]

    return _first(content, rank)


def _first(content: dict[str, Any], rank: Callable[[str], int]) -> str:
    ordered = sorted(enumerate(content), key=lambda pair: (rank(str(pair[1])), pair[0]))
    return str(ordered[0][1]) if ordered else ""


def wire_media(media_type: str, schema: dict[str, Any]) -> str:
    """A wildcard (``*/*``, ``application/*``) carrying a structured schema means JSON, as
    generators such as springdoc write it; with a string or no schema it stays raw bytes."""
    structured = bool(schema) and not is_file(schema) and schema.get("type") != "string"
    if "*" in media_type and media_kind(media_type) == "binary" and structured:
        return "application/json"
    return media_type


def query_style(parameter: dict[str, Any]) -> ir.ParamStyle:
    """A query parameter's (or form field's) style; defaults are OpenAPI's: form, exploded."""
    style = str(parameter.get("style") or "form")
    explode = parameter.get("explode", style == "form")
    if style == "deepObject":
        return "deepObject"
    if style in ("spaceDelimited", "pipeDelimited") and explode is False:
        return style  # type: ignore[return-value]
    return "comma" if explode is False else "form"


def path_or_header_style(parameter: dict[str, Any]) -> ir.ParamStyle:
    """A path or header parameter's style ("form": simple, not exploded, their default)."""
    style = str(parameter.get("style") or "simple")
    explode = parameter.get("explode") is True
    if parameter.get("in") == "path" and style in ("label", "matrix"):
        return f"{style}_explode" if explode else style  # type: ignore[return-value]
    return "simple_explode" if explode else "form"


def form_encoding(media: dict[str, Any]) -> tuple[tuple[str, ir.ParamStyle], ...]:
    """Properties of a form body whose ``encoding`` asks for another style than "form"."""
    encoding = media.get("encoding") or {}
    result = []
    for name, spec in encoding.items() if isinstance(encoding, dict) else ():
        if isinstance(spec, dict) and ("style" in spec or "explode" in spec):
            style = query_style(spec)
            if style != "form":
                result.append((str(name), style))
    return tuple(result)


def part_content_types(media: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Multipart properties whose ``encoding`` declares their part's ``contentType``.

    Without one, OpenAPI's defaults apply (the runtime knows them): JSON for objects
    and arrays of objects, text for scalars, ``application/octet-stream`` for files.
    """
    encoding = media.get("encoding") or {}
    return tuple(
        (str(name), spec["contentType"].strip())
        for name, spec in (encoding.items() if isinstance(encoding, dict) else ())
        if isinstance(spec, dict)
        and isinstance(spec.get("contentType"), str)
        and spec["contentType"].strip()
    )


def is_file(schema: dict[str, Any]) -> bool:
    """A string schema whose value is raw bytes: 3.0 ``format: binary``, 3.1 content keywords."""
    if schema.get("type") not in ("string", None):
        return False
    if schema.get("format") == "binary":
        return True
    return "contentMediaType" in schema and schema.get("contentEncoding") is None


def file_annotation(schema: dict[str, Any], resolve: Callable[[Any], dict[str, Any]]) -> str:
    """``FileTypes`` for a file, ``list[FileTypes]`` for an array of them (a multipart field
    sent once per file), their union for ``anyOf``/``oneOf`` of both; "" when no file."""
    if is_file(schema):
        return FILE_ANNOTATION
    if schema.get("type") == "array":
        items = resolve(schema.get("items"))
        return f"list[{FILE_ANNOTATION}]" if items and is_file(items) else ""
    branches = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(branches, list):
        return ""
    found = [file_annotation(resolve(branch), resolve) for branch in branches]
    return union_of([annotation for annotation in found if annotation])


def union_of(annotations: list[str]) -> str:
    """``A | B | None`` from the annotations of several responses, each once, None last."""
    parts: list[str] = []
    for annotation in annotations:
        for part in _top_level_parts(annotation):
            if part not in parts:
                parts.append(part)
    if "Any" in parts:
        return "Any"
    return " | ".join([p for p in parts if p != "None"] + (["None"] if "None" in parts else []))


def _top_level_parts(annotation: str) -> list[str]:
    """``A | dict[str, B | C]`` -> ``["A", "dict[str, B | C]"]``."""
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]

"""Request bodies in the media type an operation declares: JSON, forms, multipart, text, bytes.

Every body is encoded to bytes once per call, so a retry sends the same bytes again (a file
object is read once, not re-read from where the failed attempt left it).
"""

from __future__ import annotations

import functools
import json
import os
import typing
from collections.abc import Mapping
from typing import IO, Literal, TypeAlias
from urllib.parse import urlencode

import httpx
import pydantic

from ._params import Style, jsonable, scalar_text, style_pairs
from ._types import NotGiven

__all__ = [
    "FileTypes",
    "accept_header",
    "accepts_none",
    "decodes_json",
    "encode_content",
    "media_kind",
]

FileContent: TypeAlias = IO[bytes] | bytes
# What a multipart file field accepts, as httpx does: the content, or a
# `(filename, content)` / `(filename, content, content_type)` tuple.
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
MediaKind = Literal["json", "form", "multipart", "text", "binary"]
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


@functools.lru_cache(maxsize=64)  # a client sees a handful of media types, on every call
def media_kind(media_type: str) -> MediaKind:
    """How a body of ``media_type`` is encoded or decoded (``*+json`` is JSON)."""
    essence = media_type.split(";")[0].strip().lower()
    if essence in ("", "application/json") or essence.endswith("+json"):
        return "json"
    if essence == FORM:
        return "form"
    if essence == MULTIPART:
        return "multipart"
    return "text" if essence.startswith("text/") else "binary"


def decodes_json(response_media: str) -> bool:
    return media_kind(response_media) == "json"


def accept_header(response_media: str) -> str:
    """The success response's media type; plain JSON for a JSON family's wildcard."""
    wildcard = "*" in response_media or not response_media
    return "application/json" if wildcard and decodes_json(response_media) else response_media


def accepts_none(cast_to: object) -> bool:
    """``None`` or a union with it: an empty body (204) is a valid answer."""
    return cast_to is type(None) or type(None) in typing.get_args(cast_to)


def encode_content(
    media_type: str,
    form_styles: tuple[tuple[str, Style], ...],
    body: object,
    extra: Mapping[str, object] | None,
    auth_fields: Mapping[str, str],
) -> tuple[bytes | None, str | None]:
    """The request body and its Content-Type; ``(None, None)`` when there is nothing to send."""
    kind = media_kind(media_type)
    if kind in ("form", "multipart"):
        if body is None and extra is None and not auth_fields:
            return None, None
        fields = _fields(body, extra, auth_fields)
        styles = dict(form_styles)
        if kind == "multipart":
            return _multipart(fields, styles)
        # A form without fields is no body at all (GETs in some documents declare one).
        encoded = _form(fields, styles)
        return (encoded, FORM) if encoded else (None, None)
    if kind == "json":
        content = _json(body, extra, auth_fields)
        return content, None if content is None else _declared(media_type, "application/json")
    if body is None:
        return None, None
    if kind == "text":
        text = body if isinstance(body, str) else scalar_text(body)
        return text.encode(), _declared(media_type, "text/plain")
    return _bytes(body), _declared(media_type, "application/octet-stream")


def _declared(media_type: str, fallback: str) -> str:
    return fallback if "*" in media_type or not media_type else media_type


def _json(
    body: object, extra: Mapping[str, object] | None, auth_fields: Mapping[str, str]
) -> bytes | None:
    if body is None and extra is None and not auth_fields:
        return None
    if body is None or isinstance(body, Mapping | pydantic.BaseModel):
        data = jsonable(_fields(body, extra, auth_fields))
    else:  # an array or a scalar: sent as it is
        data = jsonable(body)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _fields(
    body: object, extra: Mapping[str, object] | None, auth_fields: Mapping[str, str]
) -> dict[str, object]:
    """The body's fields by wire name, those nobody set left out, then ``extra`` and auth
    fields.  A field set to None stays: JSON sends it as ``null``, a form leaves it out."""
    if isinstance(body, pydantic.BaseModel):
        body = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if body is not None and not isinstance(body, Mapping):
        raise TypeError(f"a form body must be a mapping or a model, not {type(body).__name__}")
    merged = {
        str(key): value for key, value in (body or {}).items() if not isinstance(value, NotGiven)
    }
    merged.update(extra or {})
    merged.update(auth_fields)
    return merged


def _form(fields: Mapping[str, object], styles: Mapping[str, Style]) -> bytes:
    pairs = [
        pair
        for name, value in fields.items()
        for pair in style_pairs(name, value, styles.get(name, "form"))
    ]
    return urlencode(pairs).encode("ascii")


def _is_file(value: object) -> bool:
    return isinstance(value, bytes | bytearray | tuple) or hasattr(value, "read")


def _multipart(fields: Mapping[str, object], styles: Mapping[str, Style]) -> tuple[bytes, str]:
    """Files as file parts; objects as JSON parts; scalars (and arrays of them) as text parts;
    a field with a style (``deepObject``) as the text parts that style makes."""
    parts: list[tuple[str, object]] = []
    for name, value in fields.items():
        if name in styles:
            for key, text in style_pairs(name, value, styles[name]):
                parts.append((key, (None, text.encode())))
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if _is_file(item):
                parts.append((name, item))
            elif isinstance(item, Mapping | pydantic.BaseModel | list):
                text = json.dumps(jsonable(item), ensure_ascii=False, separators=(",", ":"))
                parts.append((name, (None, text.encode(), "application/json")))
            elif item is not None:
                parts.append((name, (None, scalar_text(item).encode())))
    if not parts:  # httpx sends no multipart body without a part: close an empty one by hand
        boundary = os.urandom(16).hex()
        return f"--{boundary}--\r\n".encode(), f"{MULTIPART}; boundary={boundary}"
    # httpx writes the parts (boundary, headers, file names); the request goes nowhere.
    request = httpx.Request("POST", "http://multipart.invalid/", files=parts)  # type: ignore[arg-type]
    return request.read(), request.headers["Content-Type"]


def _bytes(body: object) -> bytes:
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode()
    read = getattr(body, "read", None)
    if callable(read):
        data = read()
        return data if isinstance(data, bytes) else str(data).encode()
    raise TypeError(f"a binary body must be bytes or a file object, not {type(body).__name__}")

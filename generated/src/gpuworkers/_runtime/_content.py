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
    """``None``, ``Any`` or a union with None: an empty body (204) is a valid answer."""
    return cast_to is type(None) or cast_to is typing.Any or type(None) in typing.get_args(cast_to)


def encode_content(
    media_type: str,
    form_styles: tuple[tuple[str, Style], ...],
    body: object,
    extra: Mapping[str, object] | None,
    auth_fields: Mapping[str, str],
    *,
    part_types: tuple[tuple[str, str], ...] = (),
) -> tuple[bytes | None, str | None]:
    """The request body and its Content-Type; ``(None, None)`` when there is nothing to send.

    ``part_types``: multipart fields -> the part Content-Type the document's ``encoding``
    declares (else OpenAPI's defaults: JSON for objects and arrays of them, text for scalars).
    """
    kind = media_kind(media_type)
    if kind in ("form", "multipart"):
        if body is None and extra is None and not auth_fields:
            return None, None
        if isinstance(body, str | bytes | bytearray):
            return _encoded(kind, media_type, body, extra, auth_fields, dict(form_styles))
        fields = _fields(body, extra, auth_fields)
        styles = dict(form_styles)
        if kind == "multipart":
            return _multipart(fields, styles, dict(part_types))
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


def _encoded(
    kind: MediaKind,
    media_type: str,
    body: str | bytes | bytearray,
    extra: Mapping[str, object] | None,
    auth_fields: Mapping[str, str],
    styles: Mapping[str, Style],
) -> tuple[bytes, str]:
    """A form or multipart body given as text or bytes (its schema names no fields): sent as
    it is, already encoded; a form's extra and auth fields follow it as more pairs.  A
    multipart body's boundary is the caller's to declare (``extra_headers``)."""
    content = body.encode() if isinstance(body, str) else bytes(body)
    if kind == "multipart":
        if extra or auth_fields:
            raise TypeError("a multipart body given as bytes cannot take more fields")
        return content, _declared(media_type, MULTIPART)
    more = _form({**(extra or {}), **auth_fields}, styles)
    return (content + b"&" + more if content and more else content or more), FORM


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


def _multipart(
    fields: Mapping[str, object], styles: Mapping[str, Style], declared: Mapping[str, str]
) -> tuple[bytes, str]:
    """Files as file parts; objects as JSON parts; scalars (and arrays of them) as text parts;
    a field with a style (``deepObject``) as the text parts that style makes; a field whose
    part type the document declares, in that type."""
    parts: list[tuple[str, object]] = []
    for name, value in fields.items():
        if name in styles:
            for key, text in style_pairs(name, value, styles[name]):
                parts.append((key, (None, text.encode())))
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            part = _part(item, declared.get(name))
            if part is not None:
                parts.append((name, part))
    if not parts:  # httpx sends no multipart body without a part: close an empty one by hand
        boundary = os.urandom(16).hex()
        return f"--{boundary}--\r\n".encode(), f"{MULTIPART}; boundary={boundary}"
    # httpx writes the parts (boundary, headers, file names); the request goes nowhere.
    request = httpx.Request("POST", "http://multipart.invalid/", files=parts)  # type: ignore[arg-type]
    return request.read(), request.headers["Content-Type"]


def _part(item: object, declared: str | None) -> object:
    """One multipart part: ``(None, content, content type)`` as httpx takes it, a file as
    given, or None for a null item (left out, as an omitted field)."""
    # "image/png, image/jpeg" lists the types accepted: the first one is sent.
    content_type = declared.split(",")[0].strip() if declared else None
    if _is_file(item):
        if not content_type or (isinstance(item, tuple) and len(item) == 3):
            return item  # the caller's own content type wins
        if isinstance(item, tuple):
            return (*item, content_type)
        # The file name httpx would give the bare file, with the declared type.
        return (os.path.basename(str(getattr(item, "name", "upload"))), item, content_type)
    if item is None:
        return None
    if content_type is not None and media_kind(content_type) != "json":
        text = item if isinstance(item, str) else _json_text(item)
        return (None, text.encode(), content_type)
    if content_type is not None or isinstance(item, Mapping | pydantic.BaseModel | list):
        return (None, _json_text(item).encode(), content_type or "application/json")
    return (None, scalar_text(item).encode())


def _json_text(item: object) -> str:
    return json.dumps(jsonable(item), ensure_ascii=False, separators=(",", ":"))


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

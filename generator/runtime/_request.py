"""Turning a call's arguments into URL, query, headers and JSON body."""

from __future__ import annotations

import enum
import functools
import json
import platform
import re
from collections.abc import Mapping
from urllib.parse import quote

import pydantic
from pydantic_core import to_jsonable_python

__all__ = ["encode_body", "encode_query", "fill_path", "join_url", "user_agent"]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@functools.lru_cache(maxsize=1)
def user_agent() -> str:
    import importlib.metadata  # here, not at the top: it is slow to import and needed once

    try:
        version = importlib.metadata.version("gpuworkers")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    return f"gpuworkers/{version} python/{platform.python_version()}"


def fill_path(template: str, params: Mapping[str, object] | None) -> str:
    """``{name}`` placeholders replaced by percent-quoted values (``/`` too)."""
    values = params or {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values or values[name] is None:
            raise ValueError(f"missing path parameter {name!r}")
        text = _scalar_text(values[name])
        if not text:
            raise ValueError(f"path parameter {name!r} must not be empty")
        return quote(text, safe="")

    return _PLACEHOLDER.sub(substitute, template)


def join_url(base_url: str, path: str) -> str:
    """Base URL plus path, keeping the path's trailing slash (Vast needs it)."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def encode_query(
    query: Mapping[str, object] | None, extra: Mapping[str, object] | None
) -> tuple[tuple[str, str], ...]:
    """None dropped, lists repeated, bools as ``true``/``false``; ``extra`` keys replace."""
    merged = {**(query or {}), **(extra or {})}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        items = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, _scalar_text(item)) for item in items if item is not None)
    return tuple(pairs)


def encode_body(
    body: Mapping[str, object] | pydantic.BaseModel | None,
    extra: Mapping[str, object] | None,
    auth_fields: Mapping[str, str],
) -> bytes | None:
    """The JSON request body, or None when there is nothing to send.

    A model (a validated request body) is sent by its wire names, unset fields left out.
    """
    if body is None and extra is None and not auth_fields:
        return None
    if isinstance(body, pydantic.BaseModel):
        body = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    merged = {key: value for key, value in (body or {}).items() if value is not None}
    merged.update(extra or {})
    merged.update(auth_fields)
    return json.dumps(_jsonable(merged), ensure_ascii=False, separators=(",", ":")).encode()


def _jsonable(value: object) -> object:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return to_jsonable_python(value, by_alias=True, exclude_none=True)


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar_text(value.value)
    return str(value)

"""Parameter serialization: OpenAPI ``style``/``explode`` for query strings and form bodies,
and header and cookie parameters.

``form`` (exploded, OpenAPI's default) repeats arrays (``a=1&a=2``) and spreads an object's
fields as their own keys; ``comma`` joins (``a=1,2``; an object as ``a=k,v,k2,v2``);
``spaceDelimited`` and ``pipeDelimited`` join arrays with ``" "`` and ``"|"``;
``deepObject`` nests with brackets, lists by index (``a[b][0]=c``), as Rails and Stripe read it;
``json`` (a parameter described by ``content``) sends the value as one JSON text.

A path segment is ``simple`` by default (``3,4,5``; an object ``k,v,k2,v2``, exploded
``k=v,k2=v2``), or ``label`` (``.3,4,5``, exploded ``.3.4.5``) or ``matrix`` (``;id=3,4,5``,
exploded ``;id=3;id=4``, an exploded object ``;k=v;k2=v2``); a header is ``simple``.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import pydantic
from pydantic_core import to_jsonable_python

from ._types import Style

__all__ = ["Style", "Styled", "jsonable", "parameter_headers", "path_segment", "scalar_text",
           "style_pairs", "styled"]

_JOINERS = {"comma": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


@dataclass(frozen=True)
class Styled:
    """A query value with a style other than exploded ``form``; see ``styled``."""

    value: object
    style: Style


def styled(value: object, style: Style) -> Styled | None:
    """``value`` marked to be sent in ``style``; None stays None (the parameter is left out)."""
    return None if value is None else Styled(value, style)


def style_pairs(name: str, value: object, style: Style) -> list[tuple[str, str]]:
    """The ``(key, text)`` pairs that carry ``value`` under ``name`` in ``style``."""
    data = jsonable(value)
    if data is None:
        return []
    if style == "json":
        return [(name, json.dumps(data, ensure_ascii=False, separators=(",", ":")))]
    if style == "deepObject" and isinstance(data, dict | list):
        return _deep_pairs(name, data)
    if isinstance(data, dict):
        items = {key: item for key, item in data.items() if item is not None}
        if style == "form":
            return [(str(key), _text(item)) for key, item in items.items()]
        flat = [text for key, item in items.items() for text in (str(key), _text(item))]
        return [(name, _JOINERS.get(style, ",").join(flat))]
    if isinstance(data, list):
        texts = [_text(item) for item in data if item is not None]
        if style == "form":
            return [(name, text) for text in texts]
        return [(name, _JOINERS.get(style, ",").join(texts))]
    return [(name, _text(data))]


def _deep_pairs(prefix: str, data: object) -> list[tuple[str, str]]:
    if isinstance(data, dict):
        items: list[tuple[object, object]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return [] if data is None else [(prefix, _text(data))]
    pairs: list[tuple[str, str]] = []
    for key, item in items:
        pairs.extend(_deep_pairs(f"{prefix}[{key}]", item))
    return pairs


def parameter_headers(
    extra_headers: Mapping[str, str] | None,
    *,
    headers: Mapping[str, object] | None = None,
    cookies: Mapping[str, object] | None = None,
) -> Mapping[str, str] | None:
    """Header and cookie parameters as headers, under the caller's ``extra_headers``.

    Values use OpenAPI's ``simple`` style (arrays comma-joined); cookies share one
    ``Cookie`` header. None values are left out.
    """
    merged = {
        name: _simple(value) for name, value in (headers or {}).items() if value is not None
    }
    crumbs = [f"{name}={_simple(value)}" for name, value in (cookies or {}).items()
              if value is not None]
    if crumbs:
        merged["Cookie"] = "; ".join(crumbs)
    merged.update(extra_headers or {})
    return merged or None


def _simple(value: object) -> str:
    if isinstance(value, Styled) and value.style in _PATH_STYLES:
        return _segment("", value.value, value.style, str)
    if isinstance(value, Styled):
        return style_pairs("", value.value, value.style)[0][1]
    return _segment("", value, "form", str)


# Path (and header) styles: (prefix, separator between values, whether name=value pairs).
_PATH_STYLES: dict[str, tuple[str, str, bool]] = {
    "form": ("", ",", False),  # simple, the default of a path or header
    "simple_explode": ("", ",", True),
    "label": (".", ",", False),
    "label_explode": (".", ".", True),
    "matrix": (";", ",", False),
    "matrix_explode": (";", ";", True),
}


def path_segment(name: str, value: object) -> tuple[str, str]:
    """The text of a path parameter in its style, as written and percent-quoted.

    Each value (a key, an item) is quoted with ``/`` too; the style's own delimiters
    (``.``, ``;``, ``=``, ``,``) stay as they are, as RFC 6570 expansion writes them.
    """
    style = value.style if isinstance(value, Styled) else "form"
    data = value.value if isinstance(value, Styled) else value
    written = _segment(name, data, style, lambda text: text)
    return written, _segment(name, data, style, lambda text: quote(text, safe=""))


def _segment(name: str, value: object, style: str, escape: Callable[[str], str]) -> str:
    prefix, separator, exploded = _PATH_STYLES.get(style, _PATH_STYLES["form"])
    matrix = prefix == ";"
    data = jsonable(value)
    if isinstance(data, dict):
        items = [(escape(str(k)), escape(_text(v))) for k, v in data.items() if v is not None]
        if exploded:
            return prefix + separator.join(f"{k}={v}" for k, v in items)
        flat = ",".join(f"{k},{v}" for k, v in items)
        return prefix + (f"{escape(name)}={flat}" if matrix else flat)
    if isinstance(data, list):
        texts = [escape(_text(item)) for item in data if item is not None]
        if matrix:
            if exploded:
                return "".join(f";{escape(name)}={text}" for text in texts)
            return f";{escape(name)}=" + ",".join(texts)
        return prefix + separator.join(texts)
    text = escape(_text(data))
    return f";{escape(name)}={text}" if matrix else prefix + text


def jsonable(value: object) -> object:
    """Models by wire name with the fields nobody set left out (a field set to None is
    ``null``); enums, dates and the like as JSON."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return to_jsonable_python(value, by_alias=True)


def scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return scalar_text(value.value)
    return str(value)


def _text(value: object) -> str:
    """A scalar as text; a nested object or array (no style defines it) as compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return scalar_text(value)

"""Turning a call's arguments into URL, query and headers (bodies: ``_content``)."""

from __future__ import annotations

import functools
import platform
import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import pydantic

from ._config import ProviderConfig
from ._errors import MissingBaseURLError, PathParameterError
from ._params import Styled, path_segment, scalar_text, style_pairs

__all__ = [
    "absolute_base_url",
    "encode_query",
    "fill_path",
    "join_url",
    "split_target",
    "user_agent",
]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_SEPARATORS = re.compile(r"[/\\]")
_DECODE_ROUNDS = 4  # "%25252e" is still a dot after three decodings; more is absurd


@functools.lru_cache(maxsize=1)
def user_agent() -> str:
    import importlib.metadata  # here, not at the top: it is slow to import and needed once

    try:
        version = importlib.metadata.version("gpuworkers")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    return f"gpuworkers/{version} python/{platform.python_version()}"


def fill_path(template: str, params: Mapping[str, object] | None) -> str:
    """``{name}`` placeholders replaced by values in their style, percent-quoted (``/`` too).

    Each value must be exactly one segment: empty values and dot segments are refused.
    """
    values = params or {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values or values[name] is None:
            raise PathParameterError(f"missing path parameter {name!r}")
        text, quoted = path_segment(name, values[name])
        _check_segment(name, text)
        return quoted

    return _PLACEHOLDER.sub(substitute, template)


def _check_segment(name: str, text: str) -> None:
    if not text:
        raise PathParameterError(f"path parameter {name!r} must not be empty")
    if _has_dot_segment(text):
        # Quoting leaves dots alone, and RFC 3986 resolution (httpx, proxies, servers) then
        # removes the segment: `id=".."` would address the parent resource.
        raise PathParameterError(
            f"path parameter {name!r} must be one segment, not a dot segment: {text!r} "
            "addresses another resource once the URL is normalised"
        )


def _has_dot_segment(text: str) -> bool:
    """``.``/``..`` as the value or a ``/``-separated part of it, also once percent-decoded
    (servers may decode twice, or split on a decoded ``%2F``) or NFKC-folded (``．．``)."""
    for _ in range(_DECODE_ROUNDS):
        folded = unicodedata.normalize("NFKC", text)
        if any(part.strip() in (".", "..") for part in _SEPARATORS.split(folded)):
            return True
        decoded = unquote(text)
        if decoded == text:
            return False
        text = decoded
    return False


def absolute_base_url(given: str | None, config: ProviderConfig) -> str:
    """``given`` (argument or env var), else the document's; an absolute http(s) URL or raise."""
    url = given or config.base_url
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    where = " or ".join(["pass base_url='https://...'", *(f"set {e}" for e in config.base_url_env)])
    if given:
        why = f"{given!r} is not an absolute http(s) URL"
    elif url:
        why = f"the API document's server URL {url!r} is relative"
    else:
        why = "the API document names no server"
    raise MissingBaseURLError(f"{config.client_name} needs a base URL: {where} ({why}).")


def operation_base_url(base_url: str, server: str, default_base_url: str) -> str:
    """Where an operation with its own ``servers`` entry is sent.

    A relative server resolves against the client's base URL (``/v2`` on its host). An
    absolute one is used as it is, unless the caller chose the client's host (``base_url=``,
    a proxy or a mock server): then its path is kept on that host, so no call leaves the
    host the caller chose.
    """
    if not server:
        return base_url
    target = urlsplit(server)
    if not target.scheme:
        return urljoin(base_url.rstrip("/") + "/", server)
    if base_url.rstrip("/") == default_base_url.rstrip("/"):
        return server
    chosen = urlsplit(base_url)
    return urlunsplit((chosen.scheme, chosen.netloc, target.path, "", ""))


def split_target(template: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A path key's path and the query it fixes: ``/rest?method=echo`` is ``/rest`` with
    ``method=echo`` sent first.  A fragment (``/analyze#overload=stream``, how some documents
    tell apart two operations on one path) is never sent (RFC 3986, section 3.5)."""
    path, _, query = template.split("#", 1)[0].partition("?")
    return path, tuple(parse_qsl(query, keep_blank_values=True))


def join_url(base_url: str, path: str) -> str:
    """Base URL plus path, keeping the path's trailing slash (Vast needs it)."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def encode_query(
    query: Mapping[str, object] | None, extra: Mapping[str, object] | None
) -> tuple[tuple[str, str], ...]:
    """None dropped, lists repeated, bools as ``true``/``false``; ``extra`` keys replace.

    Objects are spread into their fields (exploded ``form``); a ``Styled`` value is sent in
    its own style (``_params``).
    """
    merged = {**(query or {}), **(extra or {})}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if isinstance(value, Styled):
            pairs.extend(style_pairs(key, value.value, value.style))
            continue
        if isinstance(value, Mapping | pydantic.BaseModel):
            pairs.extend(style_pairs(key, value, "form"))
            continue
        items = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, scalar_text(item)) for item in items if item is not None)
    return tuple(pairs)


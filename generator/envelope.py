"""Say in the normalized OpenAPI what success looks like inside a provider's envelope.

A page describes ``{code, message, data}`` with ``code`` an integer, so a mock
server (Prism) or an example generator fills in any integer, and every call of
a generated client against it fails with "failure code inside a 200".  The
success code comes from ``provider.toml``; it becomes the ``example`` of the
envelope's code field in every 2xx response (where the page gives none), which
is true of every success and changes no type.

A provider whose pages show only the payload declares the envelope's shape once,
``[envelope] wrapper`` in ``provider.toml``: every operation's JSON success
response (those a page gains later too) becomes that shape with the page's schema
at the ``data`` key.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.pagekit import HTTP_METHODS
from generator.provider import EnvelopeSpec
from generator.refs import follow_refs


def mark_success_code(document: dict[str, Any], envelope: EnvelopeSpec | None) -> None:
    """Set, in place, the success code as the example of each 2xx response's code field."""
    if envelope is None or not envelope.code or not envelope.success:
        return
    for item in (document.get("paths") or {}).values():
        for method, operation in (item or {}).items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            for status, response in (operation.get("responses") or {}).items():
                if str(status).startswith("2"):
                    _mark_response(document, response, envelope.code, envelope.success[0])


def _mark_response(document: dict[str, Any], response: Any, code: str, success: int) -> None:
    for media in (follow_refs(document, response).get("content") or {}).values():
        node = follow_refs(document, (media or {}).get("schema"))
        for part in code.split("."):
            node = follow_refs(document, (node.get("properties") or {}).get(part))
        if node and "example" not in node and "examples" not in node:
            node["example"] = success


def wrap_in_envelope(document: dict[str, Any], envelope: EnvelopeSpec | None) -> None:
    """Put, in place, each 2xx JSON schema at the ``data`` key of the declared wrapper."""
    if envelope is None or envelope.wrapper is None or not envelope.data:
        return
    for item in (document.get("paths") or {}).values():
        for method, operation in (item or {}).items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            for status, response in (operation.get("responses") or {}).items():
                if str(status).startswith("2") and isinstance(response, dict):
                    _wrap_response(response, envelope.wrapper, envelope.data)


def _wrap_response(response: dict[str, Any], wrapper: dict[str, Any], data: str) -> None:
    for media_type, media in (response.get("content") or {}).items():
        if not isinstance(media, dict) or "schema" not in media or "json" not in media_type:
            continue
        wrapped = copy.deepcopy(wrapper)
        node = wrapped
        *outer, last = data.split(".")
        for part in outer:
            node = node.setdefault("properties", {}).setdefault(part, {"type": "object"})
        node.setdefault("properties", {})[last] = media["schema"]
        media["schema"] = wrapped

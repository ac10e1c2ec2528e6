"""Looking into reader fragments: shared by the reader tests."""

from __future__ import annotations

from typing import Any

from generator.readers import Fragment


def request_schema(operation: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
    return schema


def response_media(operation: dict[str, Any]) -> dict[str, Any]:
    media: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"]
    return media


def messages(fragment: Fragment) -> list[str]:
    return [d.format() for d in fragment.diagnostics]


def sources(node: Any) -> list[str]:
    """Every ``x-source`` value in a fragment, depth first."""
    if isinstance(node, dict):
        own = [node["x-source"]] if isinstance(node.get("x-source"), str) else []
        return own + [s for value in node.values() for s in sources(value)]
    if isinstance(node, list):
        return [s for value in node for s in sources(value)]
    return []


def source_line(source: str, display: str) -> int:
    """The line of an ``x-source`` that must point into the page shown as ``display``."""
    file, _, line = source.rpartition(":")
    assert file == display
    return int(line)


def only_error(fragment: Fragment, display: str) -> tuple[int | None, str]:
    """The one error of a fragment (with a hint, in the page): its line and message."""
    errors = [d for d in fragment.diagnostics if d.level == "error"]
    assert len(errors) == 1, messages(fragment)
    assert errors[0].location.file == display and errors[0].hint
    return errors[0].location.line, errors[0].message

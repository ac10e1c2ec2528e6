"""Apply an OpenAPI Overlay 1.0 document (``specs/<provider>/overlay.yaml``).

Actions are applied in order.  ``target`` is a JSONPath; ``update`` is merged
into each matched object (objects recursively, other values replaced) or
appended to a matched array; ``remove: true`` deletes each matched node.
``copy: <JSONPath>`` (from Overlay 1.1) merges the one node it selects into each
target the same way, so a fix can reuse what a page says instead of repeating
it (e.g. make a page's inline object a named component).  One extension:
``x-rename-key: <key>`` moves each matched node to a new key in its parent
(Overlay 1.0 cannot rename, e.g. a ``*/*`` media type to ``application/json``).
A target (or a ``copy`` source) that matches nothing is an error: it means the
page changed under the fix, and the maintainer must look at it.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from jsonpath_ng import DatumInContext, JSONPath
from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from jsonpath_ng.ext.parser import ExtendedJsonPathParser

from generator.diagnostics import Diagnostics, Location
from generator.sourcemap import LoadError, Located, load_located

_JSONPATH_HINT = "RFC 9535 JSONPath, e.g. $.paths['/items'].get"


def load_overlay(path: Path, display: str, diagnostics: Diagnostics) -> Located | None:
    """Read and check an overlay file; ``None`` when it cannot be used."""
    try:
        located = load_located(path.read_text(encoding="utf-8"))
    except OSError as exc:
        diagnostics.error(Location(display), f"cannot read overlay: {exc.strerror}")
        return None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        diagnostics.error(Location(display, line), "overlay is not valid UTF-8", "save it as UTF-8")
        return None
    except LoadError as exc:
        diagnostics.error(Location(display, exc.line, exc.column), f"invalid YAML: {exc.message}")
        return None
    overlay = located.data
    if not isinstance(overlay, dict) or not str(overlay.get("overlay", "")).startswith("1."):
        diagnostics.error(
            Location(display, 1),
            "not an Overlay 1.x document",
            "start the file with `overlay: 1.0.0`",
        )
        return None
    if not isinstance(overlay.get("actions"), list):
        diagnostics.error(
            Location(display, 1),
            "an overlay needs an `actions` list",
            "actions:\n  - target: <JSONPath>\n    update: {...}",
        )
        return None
    return located


def apply_overlay(
    document: dict[str, Any],
    overlay: Located,
    display: str,
    diagnostics: Diagnostics,
    settled: set[str] | None = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` with every action of ``overlay`` applied.

    ``settled`` collects the ``x-source`` of every node an ``update`` or ``copy`` addressed:
    the maintainer has looked at what the page says there.
    """
    result = copy.deepcopy(document)
    for number, action in enumerate(overlay.data["actions"], start=1):
        where = Location(display, overlay.line_of(action))
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            diagnostics.error(
                where,
                f"action {number} has no `target` string",
                "target: a JSONPath such as $.info",
            )
            continue
        _apply_action(result, action, where, diagnostics, settled)
    return result


def _apply_action(
    document: dict[str, Any],
    action: dict[str, Any],
    where: Location,
    diagnostics: Diagnostics,
    settled: set[str] | None,
) -> None:
    target = action["target"]
    try:
        matches = _jsonpath(target).find(document)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001
        diagnostics.error(where, f"invalid JSONPath {target!r}: {exc}", _JSONPATH_HINT)
        return
    if not matches:
        diagnostics.error(
            where,
            f"overlay target {target!r} matches nothing",
            "the page changed under this fix: update or drop the action",
        )
        return
    if (action.get("remove") is True or "x-rename-key" in action) and any(
        match.context is None for match in matches
    ):
        diagnostics.error(
            where,
            f"overlay target {target!r} is the whole document, which cannot be removed or renamed",
            "target the nodes to drop inside it, e.g. $.paths['/items']",
        )
        return
    if action.get("remove") is True:
        for match in reversed(matches):
            _remove(match)
    elif isinstance(action.get("x-rename-key"), str):
        for match in matches:
            _rename(match, action["x-rename-key"])
    elif "update" in action:
        for match in matches:
            _note_settled(match.value, settled)
            _update(match.value, action["update"], where, diagnostics)
    elif isinstance(action.get("copy"), str):
        source = _copy_source(document, action["copy"], where, diagnostics)
        for match in matches if source is not None else []:
            _note_settled(match.value, settled)
            _update(match.value, source, where, diagnostics)
    else:
        diagnostics.error(
            where,
            "action has none of `update`, `copy`, `remove: true`, `x-rename-key`",
            "say what to do with the target",
        )


def _note_settled(node: Any, settled: set[str] | None) -> None:
    if settled is not None and isinstance(node, dict) and isinstance(node.get("x-source"), str):
        settled.add(node["x-source"])


def _copy_source(
    document: dict[str, Any], path: str, where: Location, diagnostics: Diagnostics
) -> Any:
    """The single node a ``copy`` selects (a deep copy), or None after reporting why not."""
    try:
        found = _jsonpath(path).find(document)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001
        diagnostics.error(where, f"invalid JSONPath {path!r}: {exc}", _JSONPATH_HINT)
        return None
    if len(found) != 1:
        diagnostics.error(
            where,
            f"copy source {path!r} matches {len(found)} nodes; it must select exactly one",
            "the page changed under this fix: update or drop the action",
        )
        return None
    return copy.deepcopy(found[0].value)


def _update(node: Any, update: Any, where: Location, diagnostics: Diagnostics) -> None:
    if isinstance(node, list):
        node.append(copy.deepcopy(update))
    elif isinstance(node, dict) and isinstance(update, dict):
        deep_update(node, update)
    else:
        diagnostics.error(
            where,
            "`update` must be a mapping when the target is an object",
            "write the keys to set: update: {key: value}",
        )


def deep_update(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_update(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _rename(match: DatumInContext, new_key: str) -> None:
    """Give the matched node a new key in its parent mapping, keeping its position."""
    parent = match.context.value if match.context is not None else None
    if isinstance(parent, dict):
        items = [(new_key if value is match.value else key, value) for key, value in parent.items()]
        parent.clear()
        parent.update(items)


def _remove(match: DatumInContext) -> None:
    parent = match.context.value if match.context is not None else None
    if isinstance(parent, dict):
        for key, value in list(parent.items()):
            if value is match.value:
                del parent[key]
                return
    elif isinstance(parent, list):
        for index, value in enumerate(parent):
            if value is match.value:
                del parent[index]
                return


@functools.cache
def _jsonpath_parser() -> ExtendedJsonPathParser:
    return ExtendedJsonPathParser()


def _jsonpath(expression: str) -> JSONPath:
    """``expression`` parsed by one parser for the run: jsonpath-ng's ``parse()`` builds a
    new PLY parser on every call, a third of applying a 56-action overlay."""
    return _jsonpath_parser().parse(expression)

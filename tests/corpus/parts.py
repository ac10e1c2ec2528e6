"""A document served in parts, for a mock that cannot load it whole.

Prism 5.14.2 never starts on some large documents (Stripe's: 4 MB of mutually recursive
schemas).  Each part keeps one group of paths (those sharing the first path segment after
the segments every path shares, ``/v1/customers/...`` -> ``customers``) and exactly the
components they reach: the ``$ref`` closure, computed from the document, so a part is a
valid document on its own and Prism validates its operations as it would in the whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from tests.corpus.documents import HTTP_METHODS
from tests.integration.prism import pointer_segments

_LOCAL = "#/"


def groups(document: dict[str, Any]) -> dict[str, list[str]]:
    """Path templates by group name, in the document's order (every path in one group)."""
    paths = [str(path) for path in document.get("paths") or {}]
    split = [[segment for segment in path.split("/") if segment] for path in paths]
    shared = _shared_prefix(split)
    found: dict[str, list[str]] = {}
    for path, segments in zip(paths, split, strict=True):
        rest = segments[shared:]
        name = rest[0] if rest and not rest[0].startswith("{") else "(root)"
        found.setdefault(name, []).append(path)
    return found


# What stands where a reference to a component not kept was: the reference in, a schema out.
StandIn = Callable[[str], dict[str, Any]]


def reduced(
    document: dict[str, Any],
    paths: list[str],
    hops: int | None = None,
    stand_in: StandIn | None = None,
) -> dict[str, Any]:
    """``document`` with only ``paths``, and only the components they reach by ``$ref``.

    With ``hops``, only components at most that many references away are kept; a
    reference to one farther is replaced by ``stand_in(reference)``, by default ``{}``
    (any value), so validation is exact up to that depth and permissive below it.
    Security schemes are referred to by name, not by ``$ref``, so all of them stay.
    """
    kept_paths = {path: document["paths"][path] for path in paths}
    components = document.get("components") or {}
    reached = closure(document, kept_paths, hops)
    kept: dict[str, dict[str, Any]] = {}
    for kind, name in reached:
        kept.setdefault(kind, {})[name] = components[kind][name]
    if "securitySchemes" in components:
        kept["securitySchemes"] = components["securitySchemes"]
    part = {key: value for key, value in document.items() if key not in ("paths", "components")}
    part["paths"] = kept_paths
    part["components"] = {kind: kept[kind] for kind in components if kind in kept}
    kept_refs = {f"{_LOCAL}components/{k}/{n}" for k, n in reached}
    pruned: dict[str, Any] = _pruned(part, kept_refs, stand_in or (lambda ref: {}))
    return pruned


def closure(
    document: dict[str, Any], start: Any, hops: int | None = None
) -> set[tuple[str, str]]:
    """``(kind, name)`` of every component ``start`` reaches (within ``hops`` references)."""
    components = document.get("components") or {}
    seen: set[tuple[str, str]] = set()
    layer = set(_references(start))
    depth = 1
    while layer and (hops is None or depth <= hops):
        layer = {
            target
            for target in layer - seen
            if target[1] in (components.get(target[0]) or {})
        }
        seen |= layer
        layer = {found for kind, name in layer for found in _references(components[kind][name])}
        depth += 1
    return seen


def _pruned(node: Any, kept: set[str], stand_in: StandIn) -> Any:
    """A copy without the ``x-`` extensions that hold ``$ref``s (extensions carry no
    validation meaning, and Stripe's ``x-expansionResources`` name every expandable
    object), and with references to components not kept replaced by their stand-in."""
    if isinstance(node, list):
        return [_pruned(item, kept, stand_in) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_LOCAL + "components/") and ref not in kept:
        return stand_in(ref)
    return {
        key: _pruned(value, kept, stand_in)
        for key, value in node.items()
        if not (str(key).startswith("x-") and _holds_reference(value))
    }


def _holds_reference(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_holds_reference(value) for value in node.values())
    if isinstance(node, list):
        return any(_holds_reference(item) for item in node)
    return False


def operation_count(document: dict[str, Any], paths: list[str]) -> int:
    items = [document["paths"][path] for path in paths]
    return sum(isinstance(item.get(m), dict) for item in items for m in HTTP_METHODS)


def _references(node: Any) -> Iterator[tuple[str, str]]:
    """``(kind, name)`` of each ``#/components/<kind>/<name>`` reference under ``node``
    (not under ``x-`` extensions: see ``_pruned``)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith(_LOCAL + "components/"):
                parts = pointer_segments(ref)
                if len(parts) >= 3:
                    yield parts[1], parts[2]
            stack.extend(v for k, v in current.items() if not str(k).startswith("x-"))
        elif isinstance(current, list):
            stack.extend(current)


def _shared_prefix(split: list[list[str]]) -> int:
    """How many leading segments every path shares (a version such as ``v1``), never a
    path's last segment: a group needs a name of its own."""
    if not split:
        return 0
    count = 0
    shortest = min(len(segments) for segments in split)
    while count < shortest - 1 and len({segments[count] for segments in split}) == 1:
        count += 1
    return count

"""Combine OpenAPI fragments of one provider into one document.

Fragments come from the readers (one per page, or one per fenced document in a
page).  The first fragment wins a disagreement, so ``provider.toml`` lists the
most trusted page first; every disagreement is reported with both sources so
the provider's overlay can decide.  Operations that a page could not give an
HTTP method (``x-unknown-method``) are bound here to the method another page
gives for the same path.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from generator.diagnostics import Diagnostics, Location, Subject
from generator.pagekit import HTTP_METHODS, place_fields

UNKNOWN_METHOD = "x-unknown-method"
_UNION_LISTS = frozenset({"enum", "required", "tags"})
# Examples differ between pages by nature (placeholders vs real values): the first is kept.
_NOT_COMPARED = frozenset({"x-source", "example", "examples"})


def merge_documents(
    documents: Iterable[dict[str, Any]],
    diagnostics: Diagnostics,
    origins: Sequence[str] = (),
) -> dict[str, Any]:
    """Merge OpenAPI documents in priority order; report conflicts to ``diagnostics``.

    ``origins`` gives, per document, where it starts (``file`` or ``file:line``): the
    location of a conflict in a node no reader marked with ``x-source`` (``info.title``).
    """
    merged: dict[str, Any] = {}
    first_origin = "?"
    for index, document in enumerate(documents):
        origin = origins[index] if index < len(origins) else "?"
        if not merged:
            merged, first_origin = copy.deepcopy(document), origin
            continue
        _Merger(diagnostics).merge_into(merged, document, (), (first_origin, origin))
    _bind_unknown_methods(merged, diagnostics)
    return merged


def strip_sources(value: Any) -> Any:
    """``value`` without ``x-source`` keys, for comparing what two pages say."""
    if isinstance(value, dict):
        return {k: strip_sources(v) for k, v in value.items() if k != "x-source"}
    if isinstance(value, list):
        return [strip_sources(v) for v in value]
    return value


class _Merger:
    def __init__(self, diagnostics: Diagnostics) -> None:
        self._diagnostics = diagnostics

    def merge_into(
        self,
        target: dict[str, Any],
        other: dict[str, Any],
        path: Subject,
        sources: tuple[str, str] = ("?", "?"),
    ) -> None:
        # The nearest x-source on each side, so a conflict deep inside a node names its page.
        sources = (str(target.get("x-source", sources[0])), str(other.get("x-source", sources[1])))
        for key, value in other.items():
            if key not in target:
                target[key] = copy.deepcopy(value)
            elif key in _NOT_COMPARED:
                continue
            else:
                target[key] = self._merge_value(target, other, key, path, sources)

    def _merge_value(
        self,
        target: dict[str, Any],
        other: dict[str, Any],
        key: str,
        parent: Subject,
        sources: tuple[str, str],
    ) -> Any:
        mine, theirs = target[key], other[key]
        path = (*parent, key)
        if isinstance(mine, dict) and isinstance(theirs, dict):
            self.merge_into(mine, theirs, path, sources)
            return mine
        if isinstance(mine, list) and isinstance(theirs, list):
            return self._merge_lists(key, mine, theirs, sources, path)
        if mine != theirs:
            self._conflict(path, mine, theirs, sources)
        return mine

    def _merge_lists(
        self, key: str, mine: list[Any], theirs: list[Any], sources: tuple[str, str], path: Subject
    ) -> list[Any]:
        if key == "parameters":
            return self._merge_parameters(mine, theirs, path, sources)
        if key == "servers":
            urls = {s.get("url") for s in mine if isinstance(s, dict)}
            return mine + [s for s in theirs if not isinstance(s, dict) or s.get("url") not in urls]
        if key in _UNION_LISTS:
            added = [v for v in theirs if v not in mine]
            missing = [v for v in mine if v not in theirs]
            if key == "enum" and (added or missing):
                self._conflict(path, mine, theirs, sources, "the union is kept")
            return mine + added
        if strip_sources(mine) != strip_sources(theirs):
            self._conflict(path, mine, theirs, sources)
        return mine

    def _merge_parameters(
        self, mine: list[Any], theirs: list[Any], path: Subject, sources: tuple[str, str]
    ) -> list[Any]:
        index = {
            (p.get("name"), p.get("in")): (i, p) for i, p in enumerate(mine) if isinstance(p, dict)
        }
        for parameter in theirs:
            key = (
                (parameter.get("name"), parameter.get("in"))
                if isinstance(parameter, dict)
                else None
            )
            if key in index:
                position, known = index[key]
                self.merge_into(known, parameter, (*path, position), sources)
            else:
                mine.append(copy.deepcopy(parameter))
        return mine

    def _conflict(
        self,
        path: Subject,
        mine: Any,
        theirs: Any,
        sources: tuple[str, str],
        outcome: str = "the first is kept",
    ) -> None:
        first, second = sources
        self._diagnostics.warning(
            Location.parse(first),
            f"pages disagree on {jsonpath(path)}: {_short(mine)} here, "
            f"{_short(theirs)} at {second}; {outcome}",
            "decide in the provider's overlay.yaml (this warning goes once the overlay does)",
            subject=path,
        )


def jsonpath(path: Subject) -> str:
    """A node's path as an overlay target: ``$.paths['/a/{id}'].get.parameters[0]``."""
    text = "$"
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"['{part}']"
    return text


def _short(value: Any) -> str:
    text = repr(strip_sources(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _bind_unknown_methods(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict) or UNKNOWN_METHOD not in item:
            continue
        unknown = item.pop(UNKNOWN_METHOD)
        known = [m for m in HTTP_METHODS if m in item]
        source = Location.parse(str(unknown.get("x-source", "?")))
        if len(known) != 1:
            diagnostics.error(
                source,
                f"no page gives the HTTP method of {unknown.get('operationId', path)!r} ({path})",
                "add a page with the method, or set it in the overlay",
            )
            continue
        method = known[0]
        fields = unknown.pop("x-request-fields", [])
        parameters, body = place_fields(method, path, fields)
        unknown.setdefault("parameters", [])
        unknown["parameters"] = list(unknown["parameters"]) + parameters
        if body is not None:
            unknown["requestBody"] = body
        bound = {method: item[method]}
        _Merger(diagnostics).merge_into(bound, {method: unknown}, ("paths", path))

"""OpenAPI parameters -> the arguments of one method: which apply, their schema and style,
and distinct Python names when several would share one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from generator import ir
from generator.lower_media import path_or_header_style, query_style
from generator.lower_schemas import CASE_INSENSITIVE

Renamed = tuple[tuple[ir.Param, ...], tuple[str, ...]]  # fields that collided, their new names


def merged_parameters(
    item: dict[str, Any], op: dict[str, Any], resolve: Callable[[Any], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The path item's parameters, each replaced by the operation's of the same name and
    place (``in``); page order, the path item's first."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for level in (item.get("parameters"), op.get("parameters")):
        for raw in level if isinstance(level, list) else []:
            parameter = resolve(raw)
            merged[(str(parameter.get("name")), str(parameter.get("in")))] = parameter
    return list(merged.values())


def parameter_schema(parameter: dict[str, Any]) -> tuple[dict[str, Any], ir.ParamStyle]:
    """A parameter's schema and style; one described by ``content`` travels as JSON text."""
    content = parameter.get("content")
    if "schema" not in parameter and isinstance(content, dict) and content:
        media = next(iter(content.values())) or {}
        return (media.get("schema") or {}), "json"
    location = parameter.get("in")
    if location == "query":
        style = query_style(parameter)
    elif location in ("path", "header"):
        style = path_or_header_style(parameter)
    else:
        style = "form"
    return (parameter.get("schema") or {}), style


def disambiguated(params: list[ir.Param]) -> tuple[list[ir.Param], list[Renamed]]:
    """Fields that would share an argument name get distinct ones, deterministically.

    The same name in two places (a path and a query ``id``) becomes ``id_path`` and
    ``id_query``; names equal only once snake-cased (``mixedCase``, ``mixed_case``) get
    ``_2``, ``_3`` after the first.  Returns the params and each renamed group.
    """
    groups: dict[str, list[ir.Param]] = {}
    for param in params:
        groups.setdefault(param.python_name, []).append(param)
    used = {name for name, group in groups.items() if len(group) == 1}
    names: dict[int, str] = {}  # id(param) -> its argument name
    for param in params:
        group = groups[param.python_name]
        if len(group) == 1:
            continue
        several_places = len({p.location for p in group}) > 1
        base = f"{param.python_name}_{param.location}" if several_places else param.python_name
        name, number = base, 2
        while name in used:
            name, number = f"{base}_{number}", number + 1
        used.add(name)
        names[id(param)] = name
    renamed = [
        (tuple(group), tuple(names[id(p)] for p in group))
        for group in groups.values()
        if len(group) > 1
    ]
    result = [dataclasses.replace(p, python_name=names[id(p)]) if id(p) in names else p
              for p in params]
    return result, renamed


def case_insensitive(schema: Any, resolve: Callable[[Any], dict[str, Any]], depth: int = 0) -> bool:
    """Whether an enum the argument takes (itself, its items, a branch) is marked
    ``x-case-insensitive: true``: the service reads its values in any letter case."""
    target = resolve(schema) if isinstance(schema, dict) else {}
    if not target or depth > 8:
        return False
    if target.get(CASE_INSENSITIVE) is True and isinstance(target.get("enum"), list):
        return True
    parts = [target.get("items"), *(target.get("anyOf") or []), *(target.get("oneOf") or [])]
    return any(case_insensitive(part, resolve, depth + 1) for part in parts)


FieldType = Callable[[str, str], "str | None"]  # (model class, wire name) -> its annotation


def identity_mismatches(op: ir.Operation, field_type: FieldType) -> list[str]:
    """Values the caller reads from a response and passes back, typed differently in each:
    a pagination cursor (the query parameter and the page field it is read from), and the
    last path parameter of an operation returning a model with a field of the same name
    (``GET /deploy/{id}`` returning ``Deployment.id``).  ``None`` is ignored: a field may
    be absent."""
    pairs: list[tuple[ir.Param, str, str]] = []
    by_wire = {(p.location, p.name): p for p in op.params}
    if op.pagination:
        for query, page_field in op.pagination.cursor:
            if ("query", query) in by_wire:
                pairs.append((by_wire["query", query], op.pagination.page_annotation, page_field))
    path = [p for p in op.params if p.location == "path"]
    if path and op.returns.isidentifier():
        last = max(path, key=lambda p: op.path.find("{" + p.name + "}"))
        pairs.append((last, op.returns, last.name))
    problems = []
    for param, model, wire in pairs:
        returned = field_type(model, wire)
        if returned is not None and _without_none(returned) != _without_none(param.annotation):
            problems.append(
                f"{op.operation_id}: {param.location} parameter {param.name!r} is "
                f"{_without_none(param.annotation)} but {model}.{wire}, which a caller passes "
                f"back to it, is {_without_none(returned)}"
            )
    return problems


def _without_none(annotation: str) -> str:
    return " | ".join(part for part in annotation.split(" | ") if part != "None")

"""A call's arguments, checked against the API document and made ready to send.

Generated methods pass their arguments by wire name, one mapping per place (path, query,
header, cookie, body); ``Endpoint.arguments`` says what each must be.  ``bind`` then, before
anything is sent:

- leaves out every argument still ``NOT_GIVEN`` (the caller did not pass it);
- matches a case-insensitive value to the declared one (``"running"`` -> ``"RUNNING"``);
- checks every value against its type, and a flattened JSON body against its model, and
  raises one ``InvalidArgumentError`` naming each bad argument (its Python name) and why;
- leaves out a query, header or cookie argument passed as ``None`` (a query string has no
  null), while ``None`` in a JSON body is sent as ``null``.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from ._config import Argument, Endpoint
from ._errors import InvalidArgumentError
from ._models import validate_as
from ._params import Styled
from ._types import NotGiven

__all__ = ["Bound", "bind"]

Values = Mapping[str, object]


@dataclass(frozen=True)
class Bound:
    """What goes on the wire, by wire name: NOT_GIVEN gone, values checked and encoded."""

    path: dict[str, object]
    query: dict[str, object]
    headers: dict[str, object]
    cookies: dict[str, object]
    body: object


def bind(
    endpoint: Endpoint,
    *,
    path: Values | None = None,
    query: Values | None = None,
    headers: Values | None = None,
    cookies: Values | None = None,
    body: object = None,
) -> Bound:
    declared = _declared(endpoint)
    problems: dict[str, str] = {}
    places = {"path": path, "query": query, "header": headers, "cookie": cookies}
    bound: dict[str, dict[str, object]] = {}
    for location, values in places.items():
        bound[location] = {}
        if not values:
            continue
        for wire, value in _given(values).items():
            argument = declared.get((location, wire))
            if argument is not None:
                value = _checked(argument, value, problems)
            if value is not None or location == "path":
                bound[location][wire] = _encoded(argument, value)
    body = _bound_body(endpoint, declared, body, problems)
    if problems:
        raise InvalidArgumentError(endpoint.operation or _where(endpoint), problems)
    return Bound(bound["path"], bound["query"], bound["header"], bound["cookie"], body)


def _declared(endpoint: Endpoint) -> dict[tuple[str, str | None], Argument]:
    """The endpoint's arguments by place and wire name, built once per endpoint (kept in the
    frozen instance's ``__dict__``, as ``functools.cached_property`` does)."""
    table = endpoint.__dict__.get("_argument_table")
    if table is None:
        table = {(a.location, a.wire): a for a in endpoint.arguments}
        endpoint.__dict__["_argument_table"] = table
    return typing.cast(dict[tuple[str, str | None], Argument], table)


def _where(endpoint: Endpoint) -> str:
    return f"{endpoint.method} {endpoint.path}"


def _given(values: Values | None) -> dict[str, object]:
    return {k: v for k, v in (values or {}).items() if not isinstance(v, NotGiven)}


def _checked(argument: Argument, value: object, problems: dict[str, str]) -> object:
    """``value`` as ``argument.type`` validates it (case folded first); a problem if not."""
    if argument.type is None:
        return value
    if argument.case_insensitive:
        value = fold_case(value, argument.type)
    if isinstance(value, str) and _is_list(argument.type):
        value = [value]  # one item (`status_list="RUNNING"`), not its characters
    try:
        return _adapter(argument).validate_python(value)
    except pydantic.ValidationError as exc:
        problems.update(_reasons(exc, lambda loc: argument.name + _suffix(loc)))
        return value


def _adapter(argument: Argument) -> pydantic.TypeAdapter[Any]:
    """The validator of ``argument.type``, built on first use and kept with the argument."""
    adapter = argument.__dict__.get("_adapter")
    if adapter is None:
        adapter = pydantic.TypeAdapter(typing.cast(Any, argument.type))
        argument.__dict__["_adapter"] = adapter
    return typing.cast(pydantic.TypeAdapter[Any], adapter)


def _encoded(argument: Argument | None, value: object) -> object:
    if argument is None or value is None:
        return value
    if argument.as_string:
        return str(value)
    if argument.style != "form" and argument.location != "body":
        return Styled(value, argument.style)
    return value


def _bound_body(
    endpoint: Endpoint,
    declared: Mapping[tuple[str, str | None], Argument],
    body: object,
    problems: dict[str, str],
) -> object:
    if isinstance(body, NotGiven):
        return None
    whole = declared.get(("body", None))
    if whole is not None:  # `body=`: the whole body is one argument
        return None if body is None else _checked(whole, body, problems)
    if not isinstance(body, Mapping):
        return body
    fields: dict[str, object] = {}
    for wire, value in _given(body).items():
        argument = declared.get(("body", str(wire)))
        if argument is not None and (
            endpoint.body_model is None or argument.as_string or value is None
        ):
            # None too: the model takes it for any optional field, the document only where
            # the field is nullable.
            value = _encoded(argument, _checked(argument, value, problems))
        elif argument is not None and argument.case_insensitive:
            value = fold_case(value, argument.type)  # the model checks the rest
        fields[str(wire)] = value
    if endpoint.body_model is None:
        return fields
    return _validated_model(endpoint.body_model, fields, declared, problems)


def _validated_model(
    model: type,
    fields: dict[str, object],
    declared: Mapping[tuple[str, str | None], Argument],
    problems: dict[str, str],
) -> object:
    """The body model of exactly the fields given: it sends those only (``exclude_unset``)."""
    names = {wire: a.name for (location, wire), a in declared.items() if location == "body"}
    try:
        return validate_as(model, fields)
    except pydantic.ValidationError as exc:

        def named(loc: tuple[int | str, ...]) -> str:
            if not loc:
                return "body"
            return names.get(str(loc[0]), str(loc[0])) + _suffix(loc[1:])

        problems.update(_reasons(exc, named))
        return fields


def _reasons(exc: pydantic.ValidationError, name: Any) -> dict[str, str]:
    """Each error of ``exc`` as ``{argument: why}``; the value itself is not repeated (it may
    be a secret), only what pydantic says about it."""
    reasons: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        loc = tuple(part for part in error["loc"] if not _is_branch_tag(part))
        key = name(loc)
        reasons[key] = f"{reasons[key]}, or {error['msg']}" if key in reasons else error["msg"]
    return reasons


def _is_branch_tag(part: int | str) -> bool:
    """pydantic names the union branch it tried (`list[int]`, `function-after[...]`) in
    ``loc``; the argument's name is what the caller needs."""
    return isinstance(part, str) and ("[" in part or part in _SCALAR_TAGS)


_SCALAR_TAGS = frozenset({"str", "int", "float", "bool", "none", "literal", "list", "dict"})


def _suffix(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _is_list(tp: object) -> bool:
    """Whether ``tp`` is a list type, or a union whose only container is one."""
    if typing.get_origin(tp) is list:
        return True
    parts = typing.get_args(tp) if _is_union(tp) else ()
    return any(typing.get_origin(p) is list for p in parts) and str not in parts


def _is_union(tp: object) -> bool:
    import types

    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def fold_case(value: object, tp: object) -> object:
    """``value`` with each string that matches a ``Literal`` value of ``tp`` in another letter
    case replaced by that value; lists are folded item by item."""
    literals = _literal_strings(tp)
    if not literals:
        return value
    if isinstance(value, str):
        return literals.get(value.casefold(), value)
    if isinstance(value, list | tuple):
        return [literals.get(v.casefold(), v) if isinstance(v, str) else v for v in value]
    return value


@functools.lru_cache(maxsize=256)
def _literal_strings(tp: object) -> dict[str, str]:
    """Every string ``Literal`` value reachable in ``tp``, keyed by its case-folded form."""
    if typing.get_origin(tp) is typing.Literal:
        return {v.casefold(): v for v in typing.get_args(tp) if isinstance(v, str)}
    found: dict[str, str] = {}
    for arg in typing.get_args(tp):
        found.update(_literal_strings(arg))
    return found

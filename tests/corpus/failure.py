"""A failed corpus call as the fault rules see it: the verdict, the failure, Prism's violations.

``verdicts.classify`` runs the rules (``request_rules``: what the client sent;
``response_rules``: what Prism answered, how it routed and negotiated) over a ``Failure``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

import httpx

CLIENT, DOCUMENT, MOCK, HARNESS = "client", "document", "mock", "harness"

_VIOLATION = re.compile(r'\{"location":')


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""
    fault: str = ""  # CLIENT, DOCUMENT, MOCK or HARNESS when not ok
    note: str = ""  # how an ok call got there, when not the plain way


@dataclass(frozen=True)
class Failure:
    """One failed call, with all a rule may look at."""

    operation: dict[str, Any]  # the OpenAPI operation, $refs unresolved
    resolve: Callable[[Any], dict[str, Any]]  # a $ref to its target
    request: httpx.Request | None  # the last request the client sent
    error: BaseException
    violations: list[dict[str, Any]]  # Prism's, from sl-violations or its problem body
    arguments: dict[str, Any]  # what the harness passed, by Python name
    query_names: dict[str, str]  # a query parameter's wire name -> its Python name
    document: dict[str, Any] = field(default_factory=dict)  # the whole document Prism serves
    builder: Builder | None = None  # the harness's value builder, for rules that try values
    path_key: str = ""  # the operation's key under ``paths`` (``/tags/{arn}#tagKeys``)


class Builder(Protocol):
    """What a rule may ask of the harness's argument builder (``MinimalArguments``)."""

    def valid(self, value: Any, schema: dict[str, Any]) -> bool: ...

    def branch_values(self, branch: Any) -> list[Any]: ...


def violations(error: BaseException) -> list[dict[str, Any]]:
    """Prism's violations: the ``sl-violations`` header, else its problem body's ``validation``;
    errors only.  Prism lists its warnings there too (``Query param status is deprecated``,
    a security scheme it does not support), but neither rejects a request nor fails a
    response on them (``--errors`` acts on severity ``Error`` alone)."""
    return prism_violations(getattr(error, "response", None), getattr(error, "body", None))


def prism_violations(response: httpx.Response | None, body: Any) -> list[dict[str, Any]]:
    """``violations`` of Prism's answer and its decoded body, before a client raised on it."""
    header = response.headers.get("sl-violations") if response is not None else None
    if header:
        found = _header_violations(header)
    else:
        listed = body.get("validation") if isinstance(body, dict) else None
        found = (
            [_sided(v) for v in listed if isinstance(v, dict)] if isinstance(listed, list) else []
        )
    return [v for v in found if v.get("severity", "Error") == "Error"]


def _sided(violation: dict[str, Any]) -> dict[str, Any]:
    """A problem body's violation located as ``sl-violations`` locates it.  Prism's own 422
    (an invalid request, no validation response in the document) lists the request's
    violations unprefixed (``["body", "meta"]``); its ``--errors`` answer prefixes them
    (``["response", "body", ...]``), as the header always does.  Rules read one shape."""
    location = violation.get("location")
    if (
        not isinstance(location, list)
        or not location
        or location[:1] in (["request"], ["response"])
    ):
        return violation
    return {**violation, "location": ["request", *location]}


def _header_violations(header: str) -> list[dict[str, Any]]:
    """``sl-violations``: a JSON list, or past a limit ``Too many violations! [...]`` with the
    list possibly cut short (each complete violation is still read)."""
    text = header.split("!", 1)[1].strip() if header.startswith("Too many violations!") else header
    try:
        found = json.loads(text)
    except ValueError:
        found = _complete_violations(text)
        if not found:
            return [{"location": [], "message": header}]
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


def _complete_violations(text: str) -> list[Any]:
    """The violations read whole from a list cut short, each decoded as JSON (a message may
    hold braces and brackets: a pattern's ``\\p{L}``)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (start := _VIOLATION.search(text, at)) is not None:
        try:
            item, at = decoder.raw_decode(text, start.start())
        except ValueError:
            break
        found.append(item)
    return found


def response_side(found: list[dict[str, Any]]) -> bool:
    """Every violation is in Prism's own response (its example), none in the request."""
    return bool(found) and all((v.get("location") or [""])[0] == "response" for v in found)


def sent_keys(request: httpx.Request | None) -> set[str]:
    """The query's and the form body's keys (``a[b][0]`` as sent)."""
    return sent_query(request) | _sent_form(request)


def sent_query(request: httpx.Request | None) -> set[str]:
    if request is None:
        return set()
    return {name for name, _ in parse_qsl(urlsplit(str(request.url)).query, keep_blank_values=True)}


def _sent_form(request: httpx.Request | None) -> set[str]:
    """The keys of a form-encoded request body."""
    if request is None or not request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        return set()
    return {name for name, _ in parse_qsl(request.read().decode(), keep_blank_values=True)}


def problem_text(error: BaseException) -> str:
    body = getattr(error, "body", None)
    return json.dumps(body) if isinstance(body, dict) else ""

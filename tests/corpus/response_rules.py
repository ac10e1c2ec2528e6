"""Rules about Prism's answer: its crashes, responses the document cannot give or that it
makes up wrong, and requests it routes or negotiates wrongly."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import jsonschema

from tests.corpus.failure import DOCUMENT, MOCK, Failure, problem_text, sent_query
from tests.integration.prism import EcmaValidator


def prism_crashed(failure: Failure) -> tuple[str, str] | None:
    """Prism's own exception (a JavaScript ``TypeError``), answered as HTTP 500."""
    detail = crash(failure.error)
    return None if detail is None else (MOCK, f"Prism crashed: {detail}")


def crash(error: BaseException) -> str | None:
    """The exception Prism answered with HTTP 500 (``RangeError: Maximum call stack size
    exceeded``), or ``None`` when the answer is not one."""
    text = problem_text(error)
    if getattr(error, "status_code", None) == 500 and "Error:" in text:
        detail = re.search(r"(\w*Error: [^\"]{0,120})", text)
        return detail.group(1) if detail else "HTTP 500"
    return None


def unserialisable_response(failure: Failure) -> tuple[str, str] | None:
    """Prism has no serialiser for the documented success media type (``image/jpeg``), or
    cannot write its schema in it (an object as ``text/plain``): it answers 500 instead."""
    text = problem_text(failure.error)
    if getattr(failure.error, "status_code", None) != 500:
        return None
    said = re.search(r"Cannot (serialise complex objects as text|find serializer for [^\"]+)", text)
    if said is None:
        return None
    return MOCK, f"Prism limitation: it answers 500 ({said.group(0)}) for the documented response"


def no_success_documented(failure: Failure) -> tuple[str, str] | None:
    """The operation documents no success response: Prism answers with one it does document
    (``405 Invalid input``), and the client raises it as the typed error it is."""
    responses = failure.operation.get("responses") or {}
    status = getattr(failure.error, "status_code", None)
    codes = [str(code) for code in responses]
    if status is None or any(code.startswith("2") or code == "default" for code in codes):
        return None
    if not codes:
        if "No response defined" in problem_text(failure.error):
            return DOCUMENT, "the operation documents no response at all; Prism has none to send"
        return None
    if str(status) in codes or f"{str(status)[0]}XX" in codes:
        return DOCUMENT, (
            f"the operation documents no success response, only {', '.join(codes)}: Prism "
            f"answers {status} and the client raises it as documented"
        )
    return None


def response_outside_document(failure: Failure) -> tuple[str, str] | None:
    """A success response the client would not parse, that the document's own schema
    rejects too: the mock made it up wrong (a part served with its schemas cut lets Prism
    generate what the whole document forbids), not the client."""
    response = getattr(failure.error, "response", None)
    if response is None or not 200 <= response.status_code < 300 or not failure.document:
        return None
    schema = _response_schema(failure, response)
    try:
        body = response.json()
    except ValueError:
        return None
    if schema is None:
        return None
    root = {**schema, "components": failure.document.get("components") or {}}
    errors = EcmaValidator(root).iter_errors(body)
    error = jsonschema.exceptions.best_match(errors)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(the body)"
    return MOCK, (
        f"Prism's response violates the document's schema at {where} ({error.message[:80]}), "
        "unflagged by the mock"
    )


def untyped_schema_not_object(failure: Failure) -> tuple[str, str] | None:
    """A success response whose schema has properties but no ``type`` (through ``$ref`` and
    ``allOf``): JSON Schema then accepts any value, and Prism sent one that is no object
    (``null``).  The client reads such a schema as an object, as every generator does."""
    response = getattr(failure.error, "response", None)
    if response is None or not 200 <= response.status_code < 300 or not failure.document:
        return None
    schema = _response_schema(failure, response)
    try:
        body = response.json()
    except ValueError:
        return None
    if schema is None or isinstance(body, dict) or _typed(schema, failure.resolve, set()):
        return None
    root = {**schema, "components": failure.document.get("components") or {}}
    if not EcmaValidator(root).is_valid(body):
        return None
    return DOCUMENT, (
        f"the response schema has properties but no type, so {json.dumps(body)[:40]} is valid "
        "against it; Prism sent that, and the client reads the schema as an object"
    )


def _typed(schema: Any, resolve: Callable[[Any], dict[str, Any]], seen: set[int]) -> bool:
    """Whether ``schema``, its ``$ref`` or an ``allOf`` member declares a ``type``."""
    node = resolve(schema) if isinstance(schema, dict) and "$ref" in schema else schema
    if not isinstance(node, dict) or id(node) in seen:
        return False
    seen.add(id(node))
    members = node.get("allOf")
    if not isinstance(members, list):
        members = []
    return "type" in node or any(_typed(member, resolve, seen) for member in members)


def _response_schema(failure: Failure, response: httpx.Response) -> dict[str, Any] | None:
    responses = failure.operation.get("responses") or {}
    status = str(response.status_code)
    declared = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
    content = failure.resolve(declared).get("content") or {}
    media = response.headers.get("content-type", "").split(";")[0].strip()
    chosen = content.get(media) or next(iter(content.values()), None)
    schema = chosen.get("schema") if isinstance(chosen, dict) else None
    return schema if isinstance(schema, dict) else None


def wildcard_not_negotiated(failure: Failure) -> tuple[str, str] | None:
    """Prism answers 406 to an ``Accept`` that the documented success content's media range
    (``*/*``, ``application/*``) covers: it looks the sent type up literally."""
    if getattr(failure.error, "status_code", None) != 406 or failure.request is None:
        return None
    accepted = [
        part.split(";")[0].strip().lower()
        for part in failure.request.headers.get("accept", "").split(",")
    ]
    ranges = [
        media
        for code, response in (failure.operation.get("responses") or {}).items()
        if str(code).startswith("2")
        for media in failure.resolve(response).get("content") or {}
        if media.split(";")[0].strip().endswith("/*")
    ]
    for media in ranges:
        kind = media.split(";")[0].strip().lower()[:-1]  # "*/" or "application/"
        covered = [sent for sent in accepted if kind == "*/" or sent.startswith(kind)]
        if covered:
            return MOCK, (
                f"Prism limitation: the success response's content is the media range {media!r}, "
                f"which covers the {covered[0]!r} the client accepts, yet Prism answers 406"
            )
    return None


def informational_only(failure: Failure) -> tuple[str, str] | None:
    """Every documented response is informational (1xx), which HTTP makes interim (RFC 9110
    section 15.2): the operation has no final response, so no exchange ends as documented.
    Prism sends the 1xx as if final, and the client waits for a final one that never comes."""
    codes = [str(code) for code in failure.operation.get("responses") or {}]
    status = getattr(failure.error, "status_code", None)
    if not codes or any(not code.startswith("1") for code in codes):
        return None
    unanswered = status is None and "Connection" in type(failure.error).__name__
    if failure.request is None or not (unanswered or (status or 0) // 100 == 1):
        return None
    return DOCUMENT, (
        f"the operation documents only informational responses ({', '.join(codes)}), which "
        "HTTP makes interim (RFC 9110 section 15.2): there is no final response to end the "
        "call, and Prism sends the 1xx as if it were one"
    )


def fragment_in_path_key(failure: Failure) -> tuple[str, str] | None:
    """A path key with a ``#`` (``/tags/{arn}#tagKeys``) or a ``?`` (``/rest?method=echo``):
    a fragment is never sent (RFC 3986 section 3.5) and a query is sent as query pairs, and
    Prism routes on the whole key, so a request to the path before them (with the key's own
    query pairs and every required query parameter) reaches another path item, or none."""
    key = failure.path_key
    request = failure.request
    status = getattr(failure.error, "status_code", None)
    if not ("#" in key or "?" in key) or request is None or status not in (404, 405):
        return None
    path, _, fixed = key.split("#", 1)[0].partition("?")
    pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path))
    if not re.fullmatch(pattern, request.url.raw_path.split(b"?")[0].decode()):
        return None
    sent = set(parse_qsl(request.url.query.decode(), keep_blank_values=True))
    if not set(parse_qsl(fixed, keep_blank_values=True)) <= sent:
        return None  # the key's own query was not sent: the client's
    required = {
        str(parameter.get("name"))
        for parameter in map(failure.resolve, failure.operation.get("parameters") or [])
        if parameter.get("in") == "query" and parameter.get("required")
    }
    if not required <= sent_query(request):
        return None  # the request lacks what the operation needs: not only Prism's routing
    part = "its fragment, which no request carries (RFC 3986 section 3.5)" if "#" in key else (
        "its query, which a request carries after the path"
    )
    return MOCK, (
        f"Prism limitation: it routes on the path key {key!r} including {part}, so the "
        f"request sent to {path!r} gets {status}"
    )

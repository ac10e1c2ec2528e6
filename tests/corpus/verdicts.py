"""Whose fault a failed call is: the client's, the document's, or the mock's (Prism's).

A call that Prism rejects is the client's fault unless one of the rules below proves
otherwise from the document, the request actually sent, and Prism's answer.  Each
rule is general (it reads the OpenAPI specification's rules, or a Prism behaviour
shown on the wire), never a list of operations; whatever no rule explains stays a
client fault, so the table can only understate the client.
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import jsonschema

CLIENT, DOCUMENT, MOCK, HARNESS = "client", "document", "mock", "harness"

# RFC 6838 section 4.2: a media type is one "type/subtype" of restricted-name tokens.
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}$")
# Headers that frame the HTTP message itself (RFC 9112): a value made up for them breaks it.
_FRAMING_HEADERS = frozenset({"transfer-encoding", "content-length", "connection"})
_VIOLATION = re.compile(r'\{"location":\s*\[[^\]]*\][^{}]*\}')
_MISSING = re.compile(r"must have required property '([^']+)'")


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


def violations(error: BaseException) -> list[dict[str, Any]]:
    """Prism's violations: the ``sl-violations`` header, else its problem body's ``validation``."""
    response = getattr(error, "response", None)
    header = response.headers.get("sl-violations") if response is not None else None
    if header:
        return _header_violations(header)
    body = getattr(error, "body", None)
    listed = body.get("validation") if isinstance(body, dict) else None
    return [v for v in listed if isinstance(v, dict)] if isinstance(listed, list) else []


def _header_violations(header: str) -> list[dict[str, Any]]:
    """``sl-violations``: a JSON list, or past a limit ``Too many violations! [...]`` with the
    list possibly cut short (each complete violation is still read)."""
    text = header.split("!", 1)[1].strip() if header.startswith("Too many violations!") else header
    try:
        found = json.loads(text)
    except ValueError:
        found = [json.loads(item) for item in _VIOLATION.findall(text)]
        if not found:
            return [{"location": [], "message": header}]
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


def response_side(found: list[dict[str, Any]]) -> bool:
    """Every violation is in Prism's own response (its example), none in the request."""
    return bool(found) and all((v.get("location") or [""])[0] == "response" for v in found)


def classify(failure: Failure) -> tuple[str, str] | None:
    """``(fault, reason)`` when a rule shows the failure is not the client's, else ``None``."""
    # A rejected request is answered from the document's error response, which Prism checks
    # too: those violations are about the mock's answer, not about what the client sent.
    asked = [v for v in failure.violations if (v.get("location") or [""])[0] != "response"]
    if asked and len(asked) < len(failure.violations):
        failure = dataclasses.replace(failure, violations=asked)
    for rule in _RULES:
        found = rule(failure)
        if found is not None:
            return found
    return None


# -- rules -----------------------------------------------------------------------------------------


def _prism_crashed(failure: Failure) -> tuple[str, str] | None:
    """Prism's own exception (a JavaScript ``TypeError``), answered as HTTP 500."""
    text = _problem_text(failure.error)
    if getattr(failure.error, "status_code", None) == 500 and "Error:" in text:
        detail = re.search(r"(\w*Error: [^\"]{0,120})", text)
        return MOCK, f"Prism crashed: {detail.group(1) if detail else 'HTTP 500'}"
    return None


def _response_outside_document(failure: Failure) -> tuple[str, str] | None:
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
    errors = jsonschema.Draft202012Validator(root).iter_errors(body)
    error = jsonschema.exceptions.best_match(errors)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(the body)"
    return MOCK, (
        f"Prism's response violates the document's schema at {where} ({error.message[:80]}), "
        "unchecked by the mock (a part with its schemas cut)"
    )


def _response_schema(failure: Failure, response: httpx.Response) -> dict[str, Any] | None:
    responses = failure.operation.get("responses") or {}
    status = str(response.status_code)
    declared = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
    content = failure.resolve(declared).get("content") or {}
    media = response.headers.get("content-type", "").split(";")[0].strip()
    chosen = content.get(media) or next(iter(content.values()), None)
    schema = chosen.get("schema") if isinstance(chosen, dict) else None
    return schema if isinstance(schema, dict) else None


def _invalid_media_type(failure: Failure) -> tuple[str, str] | None:
    """A request media type that is not ``type/subtype``: Prism cannot parse it and answers 500."""
    if getattr(failure.error, "status_code", None) != 500 or failure.request is None:
        return None
    sent = failure.request.headers.get("content-type", "").split(";")[0].strip()
    content = failure.resolve(failure.operation.get("requestBody")).get("content") or {}
    if sent in content and not _MEDIA_TYPE.match(sent):
        return DOCUMENT, (
            f"request media type {sent!r} is not a media type (RFC 6838: one type/subtype); "
            "Prism fails with HTTP 500 parsing it"
        )
    return None


def _framing_header_mocked(failure: Failure) -> tuple[str, str] | None:
    """The document declares a response header that frames HTTP (``Transfer-Encoding``);
    Prism sends it with a value made from its schema, which makes the response unreadable."""
    if "RemoteProtocolError" not in type(failure.error.__cause__).__name__ + str(failure.error):
        return None
    declared = {
        name
        for code, response in (failure.operation.get("responses") or {}).items()
        if str(code).startswith("2")
        for name in (failure.resolve(response).get("headers") or {})
        if name.lower() in _FRAMING_HEADERS
    }
    if not declared:
        return None
    return MOCK, (
        f"Prism sends the documented response header(s) {', '.join(sorted(declared))} with a "
        "value made from the header's schema, so the HTTP response is malformed (httpx: "
        "RemoteProtocolError)"
    )


def _percent_encoded_query_name(failure: Failure) -> tuple[str, str] | None:
    """Prism looks up a query parameter whose name needs escaping by its escaped form."""
    sent = _sent_query(failure.request)
    names = [
        name
        for v in failure.violations
        for name in _MISSING.findall(str(v.get("message")))
        if (v.get("location") or [""])[:2] == ["request", "query"]
    ]
    escaped = [name for name in names if "%" in name and unquote(name) in sent]
    if not escaped or len(escaped) != len(names):
        return None
    shown = ", ".join(repr(unquote(name)) for name in escaped)
    return MOCK, (
        f"Prism bug: query parameter {shown} was sent (percent-encoded on the wire) but Prism "
        f"looks it up by its encoded name {escaped[0]!r}"
    )


def _null_only_query(failure: Failure) -> tuple[str, str] | None:
    """A required query parameter whose every valid value is null or a list of nulls: null
    is "undefined" in RFC 6570 (OpenAPI's style rules), so it has no form in a query."""
    sent = _sent_query(failure.request)
    for v in failure.violations:
        if (v.get("location") or [""])[:2] != ["request", "query"]:
            continue
        for name in _MISSING.findall(str(v.get("message"))):
            value = failure.arguments.get(failure.query_names.get(name, ""), 0)
            if name not in sent and _only_nulls(value):
                return DOCUMENT, (
                    f"required query parameter {name!r} allows only null (items), and null has "
                    "no query form (RFC 6570, which OpenAPI's styles follow, leaves it out): no "
                    "request can carry it"
                )
    return None


def _multipart_json_parts(failure: Failure) -> tuple[str, str] | None:
    """Prism reads every multipart part as text, so a JSON part (an object property's
    default content type per OpenAPI's Encoding Object) never matches ``type: object``."""
    request = failure.request
    if request is None or not failure.violations:
        return None
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    json_parts = _json_parts(request)
    blamed = []
    for v in failure.violations:
        location = [str(p) for p in v.get("location") or []]
        message = str(v.get("message"))
        part = location[2] if location[:2] == ["request", "body"] and len(location) == 3 else ""
        if part not in json_parts or not re.search(r"must be (object|array)", message):
            return None
        blamed.append(location[2])
    return MOCK, (
        "Prism limitation: multipart parts are validated as text, so the JSON part(s) "
        f"{', '.join(dict.fromkeys(blamed))} (sent as application/json, the Encoding Object's "
        "default for objects) never match their object schema"
    )


def _absent_deep_object(failure: Failure) -> tuple[str, str] | None:
    """Prism's reading of ``deepObject`` fields (form bodies, queries) is wrong two ways, both
    seen on the wire: it builds an object from its schema's properties whether or not any
    ``name[...]`` key was sent, so an optional object left out is validated as ``{}``; and
    it loses some nested keys that were sent (``a[b][c][0]=x``), then says ``a.b`` lacks
    ``c``.  Each violation must be one of these, or the request really lacked something."""
    if not failure.violations:
        return None
    sent = sent_keys(failure.request)
    unsent, lost = [], []
    for v in failure.violations:
        location = [str(p) for p in v.get("location") or []]
        missing = re.search(r"required property '([^']+)'", str(v.get("message")))
        if location[:2] not in (["request", "query"], ["request", "body"]) or len(location) < 3:
            return None
        if missing is None:
            return None
        if not _sent_under(_bracketed(location[2:]), sent):
            unsent.append(".".join(location[2:]))
        elif _sent_under(_bracketed([*location[2:], missing[1]]), sent):
            lost.append(".".join([*location[2:], missing[1]]))
        else:
            return None
    said = []
    if unsent:
        said.append(
            f"the deepObject field(s) {', '.join(sorted(set(unsent)))} were not sent, yet Prism "
            "builds them from their schema as objects missing their required properties"
        )
    if lost:
        said.append(
            f"the deepObject field(s) {', '.join(sorted(set(lost)))} were sent, yet Prism's "
            "reading of the request has them missing"
        )
    return MOCK, "Prism bug: " + "; ".join(said)


def _bracketed(location: list[str]) -> str:
    """The key a ``deepObject`` encoding gives a value at ``location`` (``a[b][0]``)."""
    return location[0] + "".join(f"[{part}]" for part in location[1:])


def _sent_under(key: str, sent: set[str]) -> bool:
    return any(name == key or name.startswith(key + "[") for name in sent)


def _form_object_array(failure: Failure) -> tuple[str, str] | None:
    """Prism reads an array of objects in a form body only as JSON texts, not as the
    ``a[0][b]=c`` keys a ``deepObject`` encoding makes."""
    said = [str(v.get("message")) for v in failure.violations] + [_problem_text(failure.error)]
    if any("Cannot deserialize JSON object array in form data" in text for text in said):
        return MOCK, (
            "Prism limitation: an array of objects in a form body is read only as JSON texts, "
            "not as the a[0][b]=c keys its deepObject encoding makes"
        )
    return None


def _duplicate_one_of(failure: Failure) -> tuple[str, str] | None:
    """``oneOf`` listing one schema twice: every value matches both, never exactly one."""
    said = [str(v.get("message")) for v in failure.violations] + [_problem_text(failure.error)]
    if not any("exactly one schema in oneOf" in text for text in said):
        return None
    content = failure.resolve(failure.operation.get("requestBody")).get("content") or {}
    for media in content.values():
        branches = failure.resolve((media or {}).get("schema")).get("oneOf")
        if isinstance(branches, list) and _has_duplicates(branches):
            return DOCUMENT, (
                "the request body's oneOf lists the same schema twice, so no value matches "
                "exactly one branch"
            )
    return None


def _no_success_documented(failure: Failure) -> tuple[str, str] | None:
    """The operation documents no success response: Prism answers with one it does document
    (``405 Invalid input``), and the client raises it as the typed error it is."""
    responses = failure.operation.get("responses") or {}
    status = getattr(failure.error, "status_code", None)
    codes = [str(code) for code in responses]
    if status is None or any(code.startswith("2") or code == "default" for code in codes):
        return None
    if not codes:
        if "No response defined" in _problem_text(failure.error):
            return DOCUMENT, "the operation documents no response at all; Prism has none to send"
        return None
    if str(status) in codes or f"{str(status)[0]}XX" in codes:
        return DOCUMENT, (
            f"the operation documents no success response, only {', '.join(codes)}: Prism "
            f"answers {status} and the client raises it as documented"
        )
    return None


_RULES = (
    _prism_crashed,
    _no_success_documented,
    _response_outside_document,
    _invalid_media_type,
    _framing_header_mocked,
    _percent_encoded_query_name,
    _null_only_query,
    _multipart_json_parts,
    _absent_deep_object,
    _form_object_array,
    _duplicate_one_of,
)


# -- helpers -------------------------------------------------------------------------------------


def sent_keys(request: httpx.Request | None) -> set[str]:
    """The query's and the form body's keys (``a[b][0]`` as sent)."""
    return _sent_query(request) | _sent_form(request)


def _sent_query(request: httpx.Request | None) -> set[str]:
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


def _only_nulls(value: object) -> bool:
    if isinstance(value, list | tuple):
        return all(item is None for item in value)
    return value is None


def _json_parts(request: httpx.Request) -> set[str]:
    """Names of the multipart parts sent with ``Content-Type: application/json``."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
    return {
        str(part.get_param("name", header="content-disposition"))
        for part in message.iter_parts()
        if part.get_content_type() == "application/json"
    }


def _has_duplicates(branches: Iterable[Any]) -> bool:
    seen = [json.dumps(branch, sort_keys=True) for branch in branches]
    return len(seen) != len(set(seen))


def _problem_text(error: BaseException) -> str:
    body = getattr(error, "body", None)
    return json.dumps(body) if isinstance(body, dict) else ""

"""Rules about the request the client sent: whether the document allows any, and what
Prism misreads in it (query names, multipart parts, deepObject keys, oneOf)."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx

from generator.pagekit import PATH_PARAM
from tests.corpus.failure import (
    DOCUMENT,
    MOCK,
    Failure,
    problem_text,
    sent_keys,
    sent_query,
)

# RFC 6838 section 4.2: a media type is one "type/subtype" of restricted-name tokens.
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}$")
_MISSING = re.compile(r"must have required property '([^']+)'")


def invalid_media_type(failure: Failure) -> tuple[str, str] | None:
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


def percent_encoded_query_name(failure: Failure) -> tuple[str, str] | None:
    """Prism looks up a query parameter whose name needs escaping by its escaped form."""
    sent = sent_query(failure.request)
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


# Header parameters OpenAPI 3 says "SHALL be ignored": the media types and security schemes
# set these headers.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def ignored_header_required(failure: Failure) -> tuple[str, str] | None:
    """Prism requires an ``Accept``, ``Content-Type`` or ``Authorization`` header parameter,
    which OpenAPI 3 says to ignore (the client sets them from the media types and security
    schemes, and a request with no body has no Content-Type)."""
    missing = [
        name.lower()
        for v in failure.violations
        if (v.get("location") or [""])[:2] == ["request", "header"]
        for name in _MISSING.findall(str(v.get("message")))
    ]
    if not missing or len(missing) != len(failure.violations):
        return None
    # The operation's own parameters and its path item's, which it shares.
    path_item = ((failure.document.get("paths") or {}).get(failure.path_key)) or {}
    shared = path_item.get("parameters") or []
    parameters = [*(failure.operation.get("parameters") or []), *shared]
    declared = {
        str(parameter.get("name", "")).lower()
        for parameter in map(failure.resolve, parameters)
        if parameter.get("in") == "header"
    }
    if not set(missing) <= (_IGNORED_HEADERS & declared):
        return None
    return MOCK, (
        f"Prism requires the header parameter(s) {', '.join(sorted(set(missing)))}, which "
        "OpenAPI 3 says SHALL be ignored: the media types and security schemes set them"
    )


def twin_path(failure: Failure) -> tuple[str, str] | None:
    """Two path keys that differ only in their parameters' names, which OpenAPI says MUST NOT
    both exist: no server tells their requests apart, and Prism checked this request against
    the other operation (it asks for body properties this operation does not declare)."""
    paths = failure.document.get("paths") or {}
    item = paths.get(failure.path_key) or {}
    method = next((m for m, op in item.items() if op is failure.operation), None)
    shape = PATH_PARAM.sub("{}", failure.path_key)
    twins = [
        key
        for key, other in paths.items()
        if key != failure.path_key
        and PATH_PARAM.sub("{}", key) == shape
        and isinstance(other, dict)
        and method in other
    ]
    missing = {
        name
        for v in failure.violations
        # sl-violations says ["request", "body"]; Prism's own 422 problem body ["body"]
        if [p for p in v.get("location") or [] if p != "request"][:1] == ["body"]
        for name in _MISSING.findall(str(v.get("message")))
    }
    if not twins or not missing:
        return None
    content = failure.resolve(failure.operation.get("requestBody")).get("content") or {}
    declared: set[str] = set()
    for media in content.values():
        schema = failure.resolve((media or {}).get("schema"))
        declared |= set(schema.get("properties") or {}) | set(schema.get("required") or [])
    if missing & declared:
        return None
    return DOCUMENT, (
        f"path {failure.path_key!r} is {twins[0]!r} with other parameter names, which OpenAPI "
        "says MUST NOT both exist: Prism checked the request against that path's operation "
        f"(it asks for {', '.join(sorted(missing))}, which this one does not declare)"
    )


def null_only_query(failure: Failure) -> tuple[str, str] | None:
    """A required query parameter whose every valid value is null or a list of nulls: null
    is "undefined" in RFC 6570 (OpenAPI's style rules), so it has no form in a query."""
    sent = sent_query(failure.request)
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


def multipart_json_parts(failure: Failure) -> tuple[str, str] | None:
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
        location = _location(v)
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


def multipart_array_parts(failure: Failure) -> tuple[str, str] | None:
    """An array property of a multipart body is sent as one part per item, all of its name
    (RFC 7578 section 4.3; OpenAPI's Encoding Object: an array's parts are its items).
    Prism reads no array from a multipart body, whether one part or several carry it."""
    request = failure.request
    if request is None or not failure.violations:
        return None
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    parts = _parts(request)
    blamed = []
    for v in failure.violations:
        location = _location(v)
        part = location[2] if location[:2] == ["request", "body"] and len(location) == 3 else ""
        sent = [(media, payload) for name, media, payload in parts if name == part]
        if not sent or any(
            media == "application/json" or payload.lstrip().startswith(b"[")
            for media, payload in sent
        ):  # a JSON part, or the whole array in one part (an item each is what is due)
            return None
        if not str(v.get("message")).endswith("must be array"):
            return None
        blamed.append(part)
    return MOCK, (
        "Prism limitation: it reads no array from a multipart body; the array(s) "
        f"{', '.join(dict.fromkeys(blamed))} were sent as one part per item (RFC 7578 "
        "section 4.3), which it reads as a single value"
    )


def absent_deep_object(failure: Failure) -> tuple[str, str] | None:
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
        location = _location(v)
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


def _location(violation: dict[str, Any]) -> list[str]:
    """A violation's location as text (``["request", "body", ...]``: ``failure._sided``
    gives the problem body's violations the prefix ``sl-violations`` has)."""
    return [str(part) for part in violation.get("location") or []]


def _bracketed(location: list[str]) -> str:
    """The key a ``deepObject`` encoding gives a value at ``location`` (``a[b][0]``)."""
    return location[0] + "".join(f"[{part}]" for part in location[1:])


def _sent_under(key: str, sent: set[str]) -> bool:
    return any(name == key or name.startswith(key + "[") for name in sent)


def form_object_array(failure: Failure) -> tuple[str, str] | None:
    """Prism reads an array of objects in a form body only as JSON texts, not as the
    ``a[0][b]=c`` keys a ``deepObject`` encoding makes."""
    said = [str(v.get("message")) for v in failure.violations] + [problem_text(failure.error)]
    if any("Cannot deserialize JSON object array in form data" in text for text in said):
        return MOCK, (
            "Prism limitation: an array of objects in a form body is read only as JSON texts, "
            "not as the a[0][b]=c keys its deepObject encoding makes"
        )
    return None


def form_single_item_array(failure: Failure) -> tuple[str, str] | None:
    """An array of one item in a form body is one ``key=value`` pair (style ``form``,
    exploded), which Prism reads as a string; two items would be two pairs, an array."""
    request = failure.request
    if request is None or not failure.violations:
        return None
    media = request.headers.get("content-type", "").split(";")[0].strip()
    if media != "application/x-www-form-urlencoded":
        return None
    pairs = parse_qsl(request.content.decode("ascii", "replace"), keep_blank_values=True)
    counts = {key: sum(1 for k, _ in pairs if k == key) for key, _ in pairs}
    for v in failure.violations:
        where = _location(v)
        if where[:2] != ["request", "body"] or not str(v.get("message")).endswith("must be array"):
            return None
        if counts.get(".".join(str(part) for part in where[2:])) != 1:
            return None
    return MOCK, (
        "Prism limitation: an array of one item in a form body, sent as one key=value pair "
        "(style form, explode), is read as a string"
    )


def duplicate_one_of(failure: Failure) -> tuple[str, str] | None:
    """``oneOf`` listing one schema twice: every value matches both, never exactly one."""
    said = [str(v.get("message")) for v in failure.violations] + [problem_text(failure.error)]
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


def overlapping_one_of(failure: Failure) -> tuple[str, str] | None:
    """A ``oneOf`` whose branches overlap: the JSON body sent matches more than one, and so
    does every value the harness builds for any branch (its required properties only, with
    every optional one, with an unknown one).  What tells such branches apart is at most a
    ``discriminator``, which JSON Schema's ``oneOf`` ignores: no value meant for one branch
    is accepted, whatever the client."""
    builder = failure.builder
    if builder is None:
        return None
    if any("exactly one schema in oneOf" not in str(v.get("message")) for v in failure.violations):
        return None
    body = _json_body(failure)
    if body is None:
        return None
    root, sent = body
    for v in failure.violations:
        location = _location(v)
        location = location[1:] if location[:1] == ["request"] else location
        if location[:1] != ["body"]:
            return None
        schema, value = _at(failure, root, sent, location[1:])
        branches = schema.get("oneOf") if schema is not None else None
        if not isinstance(branches, list):
            return None

        def matched(candidate: Any, branches: list[Any] = branches) -> int:
            return sum(builder.valid(candidate, failure.resolve(b)) for b in branches)

        if matched(value) < 2:
            return None
        for branch in branches:
            if any(matched(candidate) == 1 for candidate in builder.branch_values(branch)):
                return None
    return DOCUMENT, (
        "the request body's oneOf branches overlap: the body sent matches more than one, and "
        "so does every value built for any branch (minimal, or with all its properties); only "
        "a discriminator would tell them apart, and JSON Schema's oneOf ignores it"
    )


def enum_outside_type(failure: Failure) -> tuple[str, str] | None:
    """A JSON body property whose ``enum`` lists no value of its own ``type`` (``type: string,
    enum: [true, false]``): JSON Schema checks both, so no value satisfies it, whatever the
    client sends there.  Every violation must be of such a property."""
    blamed = _blamed_in_body(failure, " must be ", _enum_outside_type)
    if blamed is None:
        return None
    return DOCUMENT, (
        f"the request body's {blamed}: its enum lists no value of "
        "its own type, so no value satisfies the schema"
    )


def closed_without_properties(failure: Failure) -> tuple[str, str] | None:
    """A JSON body object whose schema sets ``additionalProperties: false`` where it declares
    no ``properties`` (nor ``patternProperties``) of its own, beside ``anyOf``/``oneOf``/
    ``allOf`` branches that declare them: JSON Schema's ``additionalProperties`` sees only
    its siblings, so it admits only ``{}``; when ``{}`` fails the schema (a branch requires a
    property) and it admits only objects, no value satisfies it, whatever the client sends.
    Every violation must be of such an object."""
    builder = failure.builder
    if builder is None:
        return None

    def admits_nothing(schema: dict[str, Any]) -> bool:
        return _closed_objects_only(failure, schema) and not builder.valid({}, schema)

    blamed = _blamed_in_body(failure, "must NOT have additional properties", admits_nothing)
    if blamed is None:
        return None
    return DOCUMENT, (
        f"the request body's {blamed}: its schema forbids every "
        "property (additionalProperties: false, and no properties of its own; the ones its "
        "branches declare do not count) yet admits only objects that have some, so no value "
        "satisfies it"
    )


def _json_body(failure: Failure) -> tuple[dict[str, Any], Any] | None:
    """The schema of the request body as sent (its media type's) and the JSON value sent;
    None when no violation is reported or the body is not JSON."""
    if failure.request is None or not failure.violations:
        return None
    media = failure.request.headers.get("content-type", "").split(";")[0].strip()
    content = failure.resolve(failure.operation.get("requestBody")).get("content") or {}
    try:
        sent = json.loads(failure.request.read())
    except ValueError:
        return None
    return failure.resolve((content.get(media) or {}).get("schema")), sent


def _blamed_in_body(
    failure: Failure, message: str, unsatisfiable: Callable[[dict[str, Any]], bool]
) -> str | None:
    """The places in the JSON body (dotted, `body` for the whole) that every violation is
    at, when each says ``message`` of a schema ``unsatisfiable`` holds for; else None."""
    body = _json_body(failure)
    if body is None:
        return None
    root, sent = body
    blamed = []
    for v in failure.violations:
        location = _location(v)
        if location[:2] != ["request", "body"] or message not in str(v.get("message")):
            return None
        schema, _ = _at(failure, root, sent, location[2:])
        if schema is None or not unsatisfiable(schema):
            return None
        blamed.append(".".join(location[2:]) or "body")
    return ", ".join(dict.fromkeys(blamed))


def _closed_objects_only(failure: Failure, schema: dict[str, Any]) -> bool:
    """Whether the schema (with its ``allOf`` parts) forbids every property and admits only
    objects (its own ``type``, or every ``anyOf``/``oneOf`` branch's)."""
    members, closed, objects = [schema], False, False
    while members:
        member = members.pop()
        members += [failure.resolve(part) for part in member.get("allOf") or []]
        if member.get("additionalProperties") is False and not (
            member.get("properties") or member.get("patternProperties")
        ):
            closed = True
        branches = member.get("anyOf") or member.get("oneOf")
        objects = objects or member.get("type") == "object" or (
            isinstance(branches, list) and bool(branches)
            and all(failure.resolve(b).get("type") == "object" for b in branches)
        )
    return closed and objects


def _enum_outside_type(schema: dict[str, Any]) -> bool:
    values, declared = schema.get("enum"), schema.get("type")
    if not isinstance(values, list) or not values or declared is None:
        return False
    types = set(declared) if isinstance(declared, list) else {declared}
    if schema.get("nullable") is True:
        types.add("null")
    return not any(_json_type(value) in types for value in values) and not (
        "number" in types and any(_json_type(value) == "integer" for value in values)
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    names = {str: "string", float: "number", dict: "object", list: "array"}
    return names.get(type(value), "unknown")


def _at(
    failure: Failure, schema: dict[str, Any], value: Any, path: list[str]
) -> tuple[dict[str, Any] | None, Any]:
    """The schema and the sent value at ``path`` (property names, array indexes)."""
    for key in path:
        if isinstance(value, dict) and key in value:
            schema = failure.resolve((schema.get("properties") or {}).get(key))
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            schema = failure.resolve(schema.get("items"))
            value = value[int(key)]
        else:
            return None, None
    return schema, value


def _only_nulls(value: object) -> bool:
    if isinstance(value, list | tuple):
        return all(item is None for item in value)
    return value is None


def _json_parts(request: httpx.Request) -> set[str]:
    """Names of the multipart parts sent with ``Content-Type: application/json``."""
    return {name for name, media, _ in _parts(request) if media == "application/json"}


def _parts(request: httpx.Request) -> list[tuple[str, str, bytes]]:
    """Each multipart part's name, content type and payload, in the order sent."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
    found = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        found.append((
            str(part.get_param("name", header="content-disposition")),
            part.get_content_type(),
            payload if isinstance(payload, bytes) else b"",
        ))
    return found


def _has_duplicates(branches: Iterable[Any]) -> bool:
    seen = [json.dumps(branch, sort_keys=True) for branch in branches]
    return len(seen) != len(set(seen))

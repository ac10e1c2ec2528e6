"""Whose fault a failed corpus call is, and Prism served whole or in parts."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generator import ir
from tests.corpus import calls, parts, report, serving
from tests.corpus.arguments import MinimalArguments
from tests.corpus.stages import DocumentResult, OperationResult, served_summary
from tests.corpus.verdicts import (
    CLIENT,
    DOCUMENT,
    MOCK,
    Failure,
    Verdict,
    classify,
    response_side,
    violations,
)


class _StatusError(Exception):
    """What a generated client raises for an HTTP error: the response, its status and body."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response
        self.status_code = response.status_code
        self.body = response.json() if response.content else None


def _rejected(found: list[dict[str, Any]], status: int = 422) -> _StatusError:
    headers = {"sl-violations": json.dumps(found)}
    return _StatusError(httpx.Response(status, headers=headers, json={"title": "Invalid"}))


def _violation(location: list[str], message: str) -> dict[str, Any]:
    return {"location": location, "severity": "Error", "message": message}


def _own_422(found: list[dict[str, Any]]) -> _StatusError:
    """Prism's own 422 (no validation response documented): the violations in its problem
    body, located without the ``request`` prefix ``sl-violations`` has."""
    kind = "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"
    return _StatusError(httpx.Response(422, json={"type": kind, "validation": found}))


def _failure(
    operation: dict[str, Any],
    request: httpx.Request | None,
    error: BaseException,
    arguments: dict[str, Any] | None = None,
    query_names: dict[str, str] | None = None,
) -> Failure:
    return Failure(
        operation,
        lambda node: node if isinstance(node, dict) else {},
        request,
        error,
        violations(error),
        arguments or {},
        query_names or {},
    )


def test_violations_come_from_the_header_or_from_the_problem_body() -> None:
    found = [_violation(["request", "query"], "Request query must have required property 'a'")]
    assert violations(_rejected(found)) == found
    problem = {"type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
               "validation": found}
    assert violations(_StatusError(httpx.Response(422, json=problem))) == found
    assert response_side([_violation(["response", "body"], "must be string")])
    many = [_violation(["response", "body", str(i)], "must be string") for i in range(3)]
    cut = "Too many violations! " + json.dumps(many)[:-20]  # Prism cuts the list short
    header = _StatusError(httpx.Response(500, headers={"sl-violations": cut}, json={}))
    assert violations(header) == many[:2] and response_side(violations(header))
    # A message holding braces and brackets (a pattern's \p{L}) is still read whole.
    pattern = "must match pattern \"^([\\p{L}\\p{N}_.:/=+\\-@]*)$\""
    braced = [_violation(["response", "body", "Tags", str(i), "Key"], pattern) for i in range(3)]
    cut = "Too many violations! " + json.dumps(braced)[:-20]
    header = _StatusError(httpx.Response(500, headers={"sl-violations": cut}, json={}))
    assert violations(header) == braced[:2] and response_side(violations(header))
    assert not response_side([*found, _violation(["response", "body"], "must be string")])


def test_prisms_warnings_are_not_violations() -> None:
    warned = {"location": ["request", "query", "status"], "severity": "Warning",
              "code": "deprecated", "message": "Query param status is deprecated"}
    wrong = _violation(["response", "body", "0", "id"], "must be integer")
    found = violations(_rejected([warned, wrong], 500))
    assert found == [wrong] and response_side(found)  # so the dynamic retry is made


def test_a_query_name_prism_looks_up_percent_encoded_is_a_mock_fault() -> None:
    request = httpx.Request("POST", "http://mock/defaults", params={"string with num": "1"})
    found = [_violation(["request", "query"],
                        "Request query must have required property 'string%20with%20num'")]
    fault, reason = classify(_failure({}, request, _rejected(found))) or ("", "")
    assert fault == MOCK and "'string with num'" in reason
    # Not sent at all: the client's fault, whatever its name looks like.
    unsent = httpx.Request("POST", "http://mock/defaults")
    assert classify(_failure({}, unsent, _rejected(found))) is None


def test_a_required_query_parameter_of_only_nulls_cannot_be_sent() -> None:
    found = [_violation(["request", "query"],
                        "Request query must have required property 'only_null'")]
    request = httpx.Request("GET", "http://mock/tests/")
    names = {"only_null": "only_null"}
    fault, reason = classify(
        _failure({}, request, _rejected(found), {"only_null": [None]}, names)
    ) or ("", "")
    assert fault == DOCUMENT and "RFC 6570" in reason
    # A value that has a query form and was still left out: the client's fault.
    assert classify(_failure({}, request, _rejected(found), {"only_null": ["a"]}, names)) is None


def _multipart(fields: dict[str, Any]) -> httpx.Request:
    files = [
        (name, (None, json.dumps(value).encode(), "application/json"))
        if isinstance(value, dict)
        else (name, (None, str(value).encode()))
        for name, value in fields.items()
    ]
    request = httpx.Request("POST", "http://mock/upload", files=files)
    request.read()
    return request


def test_json_parts_prism_validates_as_text_are_a_mock_fault() -> None:
    request = _multipart({"meta": {"a": 1}, "count": 2})
    found = [_violation(["request", "body", "meta"], "Request body property meta must be object")]
    fault, reason = classify(_failure({}, request, _rejected(found))) or ("", "")
    assert fault == MOCK and "meta" in reason
    # A text part rejected as not an object: the client should have sent JSON.
    found = [_violation(["request", "body", "count"], "Request body property count must be object")]
    assert classify(_failure({}, request, _rejected(found))) is None
    # Prism's own 422 (no validation response documented) lists the same violation in its
    # problem body, unprefixed: still the mock's.
    unprefixed = [_violation(["body", "meta"], "Request body property meta must be object")]
    fault, reason = classify(_failure({}, request, _own_422(unprefixed))) or ("", "")
    assert fault == MOCK and "meta" in reason


@pytest.mark.parametrize("own_422", [False, True])
@pytest.mark.parametrize("items", [1, 2])
def test_an_array_sent_as_multipart_parts_prism_reads_as_one_value_is_a_mock_fault(
    items: int, own_422: bool
) -> None:
    """An array of files is one part per item, all named alike; Prism reads neither one such
    part nor several as an array."""
    files = [("file", (f"{n}.xlsx", b"PK", "application/octet-stream")) for n in range(items)]
    request = httpx.Request("POST", "http://mock/upload", files=[*files, ("note", (None, b"x"))])
    request.read()
    message = "Request body property file must be array"
    where = ["body", "file"] if own_422 else ["request", "body", "file"]
    error = _own_422([_violation(where, message)]) if own_422 else _rejected(
        [_violation(where, message)])
    fault, reason = classify(_failure({}, request, error)) or ("", "")
    assert fault == MOCK and "file" in reason and "multipart" in reason
    # An array part the client did not send, or another complaint about the parts sent:
    # the client's, unless another rule says otherwise.
    message = "Request body property missing must be array"
    found = [_violation(["request", "body", "missing"], message)]
    assert classify(_failure({}, request, _rejected(found))) is None
    found = [_violation(["request", "body", "file"], "Request body property file must be string")]
    assert classify(_failure({}, request, _rejected(found))) is None
    # The whole array in one text part, not an item per part: the client's.
    whole = httpx.Request("POST", "http://mock/upload", files=[("tags", (None, b'["a", "b"]'))])
    whole.read()
    found = [_violation(["request", "body", "tags"], "Request body property tags must be array")]
    assert classify(_failure({}, whole, _rejected(found))) is None


def test_an_absent_deep_object_prism_builds_anyway_is_a_mock_fault() -> None:
    found = [_violation(["request", "body", "shipping"],
                        "Request body property shipping must have required property 'name'")]
    request = httpx.Request("POST", "http://mock/v1/charges", data={"amount": "1"})
    fault, reason = classify(_failure({}, request, _rejected(found))) or ("", "")
    assert fault == MOCK and "shipping" in reason
    # Prism's own error answer failing its checks too says nothing about the request.
    answer = _violation(["response", "body", "error"], "Response body property error must be")
    assert classify(_failure({}, request, _rejected([*found, answer])))[0] == MOCK  # type: ignore[index]
    # Sent, and still missing a required property: the client's fault.
    request = httpx.Request("POST", "http://mock/v1/charges", data={"shipping[city]": "x"})
    assert classify(_failure({}, request, _rejected(found))) is None


def test_nested_deep_object_keys_prism_loses_or_invents_are_a_mock_fault() -> None:
    # Seen on Stripe's POST /v1/billing_portal/configurations: the nested array was sent.
    lost = _violation(["request", "body", "features", "customer_update"],
                      "Request body property features.customer_update must have required "
                      "property 'allowed_updates'")
    invented = _violation(["request", "body", "features", "subscription_cancel",
                           "cancellation_reason"], "Request body property features."
                          "subscription_cancel.cancellation_reason must have required property "
                          "'enabled'")
    sent = {"features[customer_update][allowed_updates][0]": "address",
            "features[customer_update][enabled]": "true",
            "features[subscription_cancel][enabled]": "true"}
    request = httpx.Request("POST", "http://mock/v1/billing_portal", data=sent)
    fault, reason = classify(_failure({}, request, _rejected([lost, invented]))) or ("", "")
    assert fault == MOCK
    assert "features.customer_update.allowed_updates were sent" in reason
    assert "features.subscription_cancel.cancellation_reason were not sent" in reason
    # The nested object sent without its required property: the client's fault.
    del sent["features[customer_update][allowed_updates][0]"]
    request = httpx.Request("POST", "http://mock/v1/billing_portal", data=sent)
    assert classify(_failure({}, request, _rejected([lost, invented]))) is None


def test_the_fields_prism_builds_though_unsent_are_named_for_the_retry() -> None:
    found = [_violation(["request", "body", "shipping", "address"],
                        "Request body property shipping.address must have required property 'x'"),
             _violation(["request", "body", "items"],
                        "Request body property items must have required property 'price'")]
    request = httpx.Request("POST", "http://mock/v1/orders", data={"items[0][qty]": "1"})
    assert calls._unsent_objects(_rejected(found), request) == {"shipping"}
    assert calls._unsent_objects("returned str", request) == frozenset()


def test_prisms_form_reading_of_object_arrays_is_a_mock_fault() -> None:
    message = "Cannot deserialize JSON object array in form data request body."
    problem = {"type": "https://stoplight.io/prism/errors#UNSUPPORTED_MEDIA_TYPE",
               "validation": [_violation(["request"], message)]}
    error = _StatusError(httpx.Response(415, json=problem))
    request = httpx.Request("POST", "http://mock/v1/links", data={"items[0][price]": "p"})
    assert classify(_failure({}, request, error))[0] == MOCK  # type: ignore[index]


def test_a_one_of_listing_a_schema_twice_is_the_documents_fault() -> None:
    twice = {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}]}
    operation = {"requestBody": {"content": {"application/json": {"schema": twice}}}}
    found = [_violation(["request", "body"], "Request body must match exactly one schema in oneOf")]
    request = httpx.Request("POST", "http://mock/unions", json={"a": 1})
    assert classify(_failure(operation, request, _rejected(found)))[0] == DOCUMENT  # type: ignore[index]
    once = {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}
    operation = {"requestBody": {"content": {"application/json": {"schema": once}}}}
    assert classify(_failure(operation, request, _rejected(found))) is None


@pytest.mark.parametrize(("media_type", "blamed"), [("openapi/python/client", True),
                                                    ("application/vnd.api+json", False)])
def test_a_500_on_a_media_type_that_is_not_one_is_the_documents_fault(
    media_type: str, blamed: bool
) -> None:
    operation = {"requestBody": {"content": {media_type: {"schema": {"type": "string"}}}}}
    request = httpx.Request("POST", "http://mock/c", content=b"x",
                            headers={"Content-Type": media_type})
    error = _StatusError(httpx.Response(500, json={"error": "Internal Server Error"}))
    found = classify(_failure(operation, request, error))
    assert (found is not None and found[0] == DOCUMENT) is blamed


def test_prisms_own_exception_is_a_mock_fault() -> None:
    problem = {"type": "https://stoplight.io/prism/errors#UNKNOWN", "title": "Unexpected",
               "detail": "TypeError: Cannot read properties of undefined (reading 'items')"}
    error = _StatusError(httpx.Response(500, json=problem))
    fault, reason = classify(_failure({}, httpx.Request("GET", "http://mock/v1/x"), error)) or (
        "", "")
    assert fault == MOCK and reason.startswith("Prism crashed: TypeError: Cannot read")
    plain = _StatusError(httpx.Response(500, json={"error": "Internal Server Error"}))
    assert classify(_failure({}, httpx.Request("GET", "http://mock/v1/x"), plain)) is None


@pytest.mark.parametrize(("body", "blamed"), [({"id": 7}, True), ({"id": "x"}, False)])
def test_a_success_response_outside_the_documents_schema_is_the_mocks(
    body: dict[str, Any], blamed: bool
) -> None:
    """What the client refuses is the mock's fault when the document refuses it too."""
    schema = {"$ref": "#/components/schemas/Thing"}
    operation = {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
    document = {"components": {"schemas": {"Thing": {
        "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}}
    error = _StatusError(httpx.Response(200, json=body))
    failure = _failure(operation, httpx.Request("GET", "http://mock/thing"), error)
    found = classify(Failure(**{**failure.__dict__, "document": document}))
    assert (found is not None and found[0] == MOCK and "at id" in found[1]) is blamed


@pytest.mark.parametrize(
    "detail", ["Cannot serialise complex objects as text", "Cannot find serializer for image/jpeg"]
)
def test_a_media_type_prism_cannot_write_is_the_mocks(detail: str) -> None:
    problem = {"type": "https://stoplight.io/prism/errors#UNKNOWN", "title": detail,
               "detail": detail}
    error = _StatusError(httpx.Response(500, json=problem))
    found = classify(_failure({}, httpx.Request("GET", "http://mock/frame"), error))
    assert found is not None and found[0] == MOCK and detail in found[1], found


_JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("typed", [False, True])
def test_a_non_object_valid_against_an_untyped_schema_is_the_documents(typed: bool) -> None:
    """Properties and no type (here through allOf) accept ``null``: the document's laxity."""
    schema = {"$ref": "#/components/schemas/Doc"}
    operation = {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
    base: dict[str, Any] = {"properties": {"href": {"type": "string"}}}
    if typed:
        base["type"] = "object"
    document = {"components": {"schemas": {
        "Base": base, "Doc": {"allOf": [{"$ref": "#/components/schemas/Base"}, {
            "properties": {"items": {"type": "array"}}}]}}}}
    builder = MinimalArguments(document)
    error = _StatusError(httpx.Response(200, content=b"null", headers=_JSON))
    failure = dataclasses.replace(
        _failure(operation, httpx.Request("GET", "http://mock/doc"), error),
        resolve=builder.resolve, document=document,
    )
    found = classify(failure)
    if typed:  # then null is outside the document: the mock's, by the rule before
        assert found is not None and found[0] == MOCK, found
    else:
        assert found is not None and found[0] == DOCUMENT and "no type" in found[1], found


def test_an_example_response_that_violates_the_schema_is_retried_dynamic() -> None:
    """The call counts only when Prism's generated response is accepted and parses."""
    asked = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("Prefer"))
        if request.headers.get("Prefer") == "dynamic=true":
            return httpx.Response(200, json={"id": "x"})
        bad = [_violation(["response", "body", "id"], "Response body property id must be string")]
        return httpx.Response(500, headers={"sl-violations": json.dumps(bad)}, json={})

    client = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://mock")

    def get_thing(*, extra_headers: dict[str, str] | None = None) -> dict[str, str]:
        response = client.get("/thing", headers=extra_headers)
        if response.status_code >= 400:
            raise _StatusError(response)
        parsed: dict[str, str] = response.json()
        return parsed

    op = _op()
    static = calls._attempt(op, get_thing, {})
    assert isinstance(static, _StatusError)
    verdict = calls._dynamic(op, get_thing, {}, static, lambda error: Verdict(False, "?", CLIENT))
    assert verdict.ok and "example response invalid" in verdict.note
    assert asked == [None, "dynamic=true"]


@pytest.mark.parametrize(("size", "retried"), [(0, True), (5, False)])
def test_a_success_body_prism_let_through_outside_the_schema_is_retried_dynamic(
    size: int, retried: bool
) -> None:
    """Prism's own check misses some violations (a ``minimum`` behind ``allOf: [$ref]``): a
    success body the document's schema rejects is retried as one Prism flags would be."""
    asked = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("Prefer"))
        dynamic = request.headers.get("Prefer") == "dynamic=true"
        return httpx.Response(200, json={"size": 8 if dynamic else size})

    client = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://mock")

    def get_thing(*, extra_headers: dict[str, str] | None = None) -> dict[str, int]:
        response = client.get("/thing", headers=extra_headers)
        if response.json()["size"] < 4:  # the client's model refuses it
            raise _StatusError(response)
        parsed: dict[str, int] = response.json()
        return parsed

    size_schema = {"allOf": [{"$ref": "#/components/schemas/Size"}, {"description": "bytes"}]}
    thing = {"type": "object", "properties": {"size": size_schema}}
    document = {
        "paths": {"/thing": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": thing}}}}}}},
        "components": {"schemas": {"Size": {"type": "integer", "minimum": 4}}},
    }
    op = _op()
    arguments = MinimalArguments(document)
    error = _StatusError(httpx.Response(200, json={"size": size}))
    invalid = functools.partial(calls._invalid_reply, op, arguments, calls._LastRequest(), {})
    assert invalid(error) is retried
    if retried:
        static = calls._attempt(op, get_thing, {})
        assert isinstance(static, _StatusError)
        judge = lambda error: Verdict(False, "judged", CLIENT)  # noqa: E731
        verdict = calls._dynamic(op, get_thing, {}, static, judge, invalid=invalid)
        assert verdict.ok and "example response invalid" in verdict.note
        assert asked == [None, "dynamic=true"]


_THING = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"oneOf": [{"type": "object"}, {"type": "object", "required": ["a"]}]},
    },
}


class _ThingCall:
    """`GET /thing` (a `_THING` response) through a stand-in for Prism: the client call the
    harness makes, its first (static) attempt, and the dynamic retry ``calls._dynamic`` runs
    from there, with or without a response built from the schema to fall back on."""

    def __init__(self, prism: Callable[[httpx.Request], httpx.Response]) -> None:
        self.replies = calls.BuiltReplies(httpx.MockTransport(prism))
        self.client = httpx.Client(transport=self.replies, base_url="http://mock")
        self.seen: list[dict[str, Any]] = []
        document: dict[str, Any] = {
            "paths": {"/thing": {"get": {"responses": {"200": {"content": {
                "application/json": {"schema": _THING}}}}}}},
        }
        self.reply = MinimalArguments(document).valid_reply(document["paths"]["/thing"]["get"])
        self.op = dataclasses.replace(_op(), returns="dict[str, Any]")
        static = calls._attempt(self.op, self.get_thing, {})
        assert isinstance(static, _StatusError)
        self.static: Exception = static

    def get_thing(self, *, extra_headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.client.get("/thing", headers=extra_headers)
        if response.status_code >= 400:
            raise _StatusError(response)
        parsed: dict[str, Any] = response.json()
        self.seen.append(parsed)
        return parsed

    def dynamic(self, *, built: bool) -> Verdict:
        def judge(error: Exception) -> Verdict:
            return Verdict(False, "judged", CLIENT)

        make = functools.partial(
            calls._built, self.op, self.get_thing, {}, self.replies, self.reply
        )
        if built:
            return calls._dynamic(self.op, self.get_thing, {}, self.static, judge, make)
        return calls._dynamic(self.op, self.get_thing, {}, self.static, judge)


@pytest.mark.parametrize("request_valid", [True, False])
def test_a_response_prism_cannot_make_valid_is_replaced_by_one_built_from_the_schema(
    request_valid: bool,
) -> None:
    """Both of Prism's responses violate the schema: the call is made once more, Prism still
    checking the request, and only its own invalid response is replaced by a valid one."""
    asked = []

    def prism(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("Prefer"))
        replayed = len(asked) == 3  # the call made for the built response
        valid = request_valid or not replayed
        where = ["response", "body", "kind"] if valid else ["request", "query", "q"]
        bad = [_violation(where, "must match exactly one schema in oneOf")]
        return httpx.Response(500, headers={"sl-violations": json.dumps(bad)}, json={})

    thing = _ThingCall(prism)
    verdict = thing.dynamic(built=True)
    seen = thing.seen
    assert asked == [None, "dynamic=true", None]
    if request_valid:
        assert verdict.ok and verdict.note.startswith("parsed a valid response built")
        assert seen == [{"id": "example", "kind": {}}]  # kind matches only the first branch
    else:
        assert not verdict.ok and verdict.reason == "built response: judged" and not seen


def test_a_generated_response_prism_crashes_on_is_replaced_by_one_built_from_the_schema() -> None:
    """The example response violates the schema and Prism's data generator crashes (a
    recursive schema: RangeError, answered 500): the client's parsing is still checked,
    against a response built from the schema, Prism still checking the request."""
    asked = []

    def prism(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("Prefer"))
        if request.headers.get("Prefer") == "dynamic=true":
            problem = {"type": "https://stoplight.io/prism/errors#UNKNOWN", "status": 500,
                       "detail": "RangeError: Maximum call stack size exceeded"}
            return httpx.Response(500, json=problem)
        bad = [_violation(["response", "body", "id"], "Response body property id must be string")]
        return httpx.Response(500, headers={"sl-violations": json.dumps(bad)}, json={})

    thing = _ThingCall(prism)
    verdict = thing.dynamic(built=True)
    assert asked == [None, "dynamic=true", None]
    assert verdict.ok and "Prism crashed generating a response" in verdict.note, verdict
    # With no response built, still the mock's, saying why.
    verdict = thing.dynamic(built=False)
    assert not verdict.ok and verdict.fault == MOCK and "RangeError" in verdict.reason


def test_a_valid_reply_has_every_property_the_schema_lets_it_have() -> None:
    closed = {"type": "object", "additionalProperties": False, "properties": {
        "a": {"type": "string"}}}
    schema = {"type": "object", "properties": {
        "open": {"$ref": "#/components/schemas/Closed"},
        "extended": {"allOf": [{"$ref": "#/components/schemas/Closed"}, {"properties": {
            "b": {"type": "string"}}}]},
    }}
    document = {"paths": {}, "components": {"schemas": {"Closed": closed}}}

    def reply(schema: dict[str, Any], code: str = "200") -> Any:
        responses = {code: {"content": {"application/json": {"schema": schema}}}}
        found = MinimalArguments(document).valid_reply({"responses": responses})
        return None if found is None else (found[0], json.loads(found[2]))

    # ``extended`` with ``b`` is invalid (Closed forbids it), so it is left out.
    assert reply(schema) == (200, {"open": {"a": "example"}})
    assert reply({"type": "string", "enum": ["x"], "minLength": 2}) is None
    assert reply(_THING, code="404") is None


def _op() -> ir.Operation:
    return ir.Operation(
        operation_id="getThing", resource="things", python_name="get_thing", method="GET",
        path="/thing", summary="", description="", idempotent=True, params=(), body=None,
        returns="dict[str, str]", status="200",
    )


STRIPE_LIKE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/v1/customers": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/customer"}}}}}}},
        "/v1/customers/{id}": {"delete": {"responses": {}}},
        "/v1/events": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/event"}}}}}}},
    },
    "components": {
        "schemas": {
            "customer": {"type": "object", "properties": {
                "source": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/source"}],
                           "x-expansionResources": {"oneOf": [
                               {"$ref": "#/components/schemas/event"}]}}}},
            "source": {"type": "object", "properties": {
                "customer": {"$ref": "#/components/schemas/customer"},
                "owner": {"$ref": "#/components/schemas/owner"}}},
            "owner": {"type": "object"},
            "event": {"type": "object"},
            "unused": {"type": "object"},
        },
        "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
    },
}


def test_paths_are_grouped_by_the_segment_after_the_shared_ones() -> None:
    assert parts.groups(STRIPE_LIKE) == {
        "customers": ["/v1/customers", "/v1/customers/{id}"],
        "events": ["/v1/events"],
    }


def test_a_part_keeps_the_reference_closure_and_nothing_else() -> None:
    part = parts.reduced(STRIPE_LIKE, ["/v1/customers", "/v1/customers/{id}"])
    assert set(part["paths"]) == {"/v1/customers", "/v1/customers/{id}"}
    # Through the cycle customer -> source -> customer, to owner; not event (named only by
    # an extension) nor unused; security schemes are named, not referenced: all kept.
    assert set(part["components"]["schemas"]) == {"customer", "source", "owner"}
    assert part["components"]["securitySchemes"] == STRIPE_LIKE["components"]["securitySchemes"]
    assert "x-expansionResources" not in part["components"]["schemas"]["customer"]["properties"][
        "source"]


def test_a_part_cut_at_a_depth_replaces_farther_references_with_any_value() -> None:
    part = parts.reduced(STRIPE_LIKE, ["/v1/customers"], hops=2)
    assert set(part["components"]["schemas"]) == {"customer", "source"}
    source = part["components"]["schemas"]["source"]["properties"]
    assert source["owner"] == {} and source["customer"] == {"$ref": "#/components/schemas/customer"}


def test_a_part_too_large_is_cut_to_the_deepest_level_under_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serving, "PART_COMPONENTS", 2)
    found = serving.plans(STRIPE_LIKE)
    assert [(plan.label, plan.paths) for plan in found] == [
        ("part customers (schemas 2 references deep)", ["/v1/customers", "/v1/customers/{id}"]),
        ("part events", ["/v1/events"]),
    ]
    assert found[0].components == {("schemas", "customer"), ("schemas", "source")}
    # Room for every component: the groups are served whole, together.
    monkeypatch.setattr(serving, "PART_COMPONENTS", 4)
    assert [plan.label for plan in serving.plans(STRIPE_LIKE)] == ["part customers+events"]


def test_the_table_separates_whose_fault_each_failure_is() -> None:
    result = DocumentResult("d.json", 4)
    result.calls = [
        OperationResult("GET /a (a.get)", True),
        OperationResult("GET /b (b.get)", True, note="example response invalid (...)"),
        OperationResult("GET /c (c.get)", False, "Prism bug", MOCK),
        OperationResult("GET /d (d.get)", False, "HTTP 415", CLIENT),
        OperationResult("GET /e (e.get)", False, "no value", DOCUMENT),
    ]
    result.generated, result.served = True, "3 parts (1 with schemas cut)"
    row = report.row(result)
    assert "2/4 (50%)" in row and "1 / 1 / 1 / 0" in row and result.served in row
    assert "2/3 (67%)" in row  # of the operations a request can satisfy
    assert report.failures(result) == [
        "[client] GET /d (d.get): HTTP 415",
        "[document] GET /e (e.get): no value",
        "[mock] GET /c (c.get): Prism bug",
    ]
    assert report.dynamic(result) == ["GET /b (b.get): example response invalid (...)"]
    served = [{"label": "part a", "started": True},
              {"label": "part b (schemas 1 reference deep)", "started": False}]
    assert served_summary(served) == "2 parts (1 with schemas cut, 1 did not start)"
    assert served_summary([{"label": "whole document", "started": True}]) == "whole"


def test_an_operation_documenting_no_success_is_the_documents_fault() -> None:
    error = _StatusError(httpx.Response(405, text=""))
    only_errors = {"responses": {"400": {"description": "bad"}, "405": {"description": "no"}}}
    fault, reason = classify(_failure(only_errors, None, error)) or ("", "")
    assert fault == DOCUMENT and "only 400, 405" in reason
    with_success = {"responses": {"200": {"description": "ok"}, "405": {"description": "no"}}}
    assert classify(_failure(with_success, None, error)) is None
    undocumented_status = {"responses": {"400": {"description": "bad"}}}
    assert classify(_failure(undocumented_status, None, error)) is None


def test_an_operation_documenting_no_response_is_the_documents_fault() -> None:
    error = _StatusError(httpx.Response(500, json={"detail": "No response defined for the "
                                                   "selected operation"}))
    fault, _ = classify(_failure({"responses": {}}, None, error)) or ("", "")
    assert fault == DOCUMENT


@pytest.mark.parametrize(("documented", "blamed"), [("*/*", True), ("application/*", True),
                                                    ("text/*", False)])
def test_a_406_for_an_accept_the_documented_media_range_covers_is_a_mock_fault(
    documented: str, blamed: bool
) -> None:
    operation = {"responses": {"200": {"content": {documented: {"schema": {"type": "object"}}}}}}
    request = httpx.Request("GET", "http://mock/clients", headers={"Accept": "application/json"})
    problem = {"type": "https://stoplight.io/prism/errors#NOT_ACCEPTABLE",
               "detail": "Unable to find content for application/json"}
    error = _StatusError(httpx.Response(406, json=problem))
    fault, _ = classify(_failure(operation, request, error)) or ("", "")
    assert (fault == MOCK) is blamed


def test_one_of_branches_that_every_built_value_matches_together_are_the_documents_fault() -> None:
    def option(extra: str, kind: str) -> dict[str, Any]:
        return {"type": "object", "required": ["discrim"],
                "properties": {"discrim": {"type": "string"}, extra: {"type": kind}}}

    def judged(one: dict[str, Any], two: dict[str, Any], sent: Any) -> str | None:
        schemas = {"One": one, "Two": two}
        body = {"oneOf": [{"$ref": "#/components/schemas/One"},
                          {"$ref": "#/components/schemas/Two"}],
                "discriminator": {"propertyName": "discrim"}}
        operation = {"requestBody": {"content": {"application/json": {"schema": body}}}}
        document = {"paths": {}, "components": {"schemas": schemas}}
        builder = MinimalArguments(document)
        found = [{"location": ["body"], "severity": "Error", "code": "oneOf",
                  "message": "Request body must match exactly one schema in oneOf"}]
        problem = {"type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
                   "validation": found}
        request = httpx.Request("PATCH", "http://mock/pets", json=sent)
        error = _StatusError(httpx.Response(422, json=problem))
        failure = dataclasses.replace(
            _failure(operation, request, error), resolve=builder.resolve, document=document,
            builder=builder)
        return (classify(failure) or ("", ""))[0]

    overlapping = judged(option("optionone", "number"), option("optiontwo", "string"),
                         {"discrim": "Option One"})
    assert overlapping == DOCUMENT
    # A branch that forbids other properties has values only it accepts: the client's to find.
    closed = {**option("optiontwo", "string"), "additionalProperties": False}
    assert judged(option("optionone", "number"), closed, {"discrim": "Option One"}) == ""
    # A body matching no branch at all is not an overlap.
    assert judged(option("optionone", "number"), option("optiontwo", "string"), {}) == ""


@pytest.mark.parametrize(("required", "typed", "blamed"), [
    (["last_name"], True, True),
    ([], True, False),  # {} satisfies it: the client should have sent that
    (["last_name"], False, False),  # a string satisfies it (required applies to objects)
])
def test_an_object_closed_to_the_properties_its_branches_require_is_the_documents_fault(
    required: list[str], typed: bool, blamed: bool
) -> None:
    """``additionalProperties: false`` beside ``anyOf`` sees no properties of its own: only
    ``{}`` passes it, which a branch requiring a property refuses."""
    card = {"properties": {"last_name": {"type": "string"}}, "required": required,
            **({"type": "object"} if typed else {})}
    contact = {"additionalProperties": False, "anyOf": [{"$ref": "#/components/schemas/Card"}]}
    body = {"type": "object", "required": ["data"], "additionalProperties": False,
            "properties": {"data": {"allOf": [{"$ref": "#/components/schemas/Contact"}],
                                    "title": "Contact"}}}
    document = {"paths": {}, "components": {"schemas": {"Card": card, "Contact": contact}}}
    operation = {"requestBody": {"content": {"application/json": {"schema": body}}}}
    builder = MinimalArguments(document)
    message = "Request body property data must NOT have additional properties; found 'last_name'"
    request = httpx.Request("POST", "http://mock/qrcode", json={"data": {"last_name": "x"}})
    failure = dataclasses.replace(
        _failure(operation, request, _rejected([_violation(["request", "body", "data"], message)])),
        resolve=builder.resolve, document=document, builder=builder)
    found = classify(failure)
    assert (found is not None and found[0] == DOCUMENT and "data" in found[1]) is blamed, found


class APIConnectionError(Exception):
    """What a generated client raises when no response came (named as the runtime's)."""


def test_an_operation_documenting_only_informational_responses_is_the_documents_fault() -> None:
    request = httpx.Request("GET", "http://mock/status/100")
    error = APIConnectionError("Server disconnected without sending a response.")
    fault, reason = classify(_failure({"responses": {"100": {}}}, request, error)) or ("", "")
    assert fault == DOCUMENT and "RFC 9110" in reason
    # With a final response documented too, a dropped connection is not explained.
    both: dict[str, Any] = {"responses": {"100": {}, "200": {}}}
    assert classify(_failure(both, request, error)) is None


@pytest.mark.parametrize(("url", "blamed"), [
    ("http://mock/tags/arn%3Ax?tagKeys=a", True),
    # The query swallowed by the fragment (built as path#fragment?query): never sent.
    ("http://mock/tags/arn%3Ax#tagKeys?tagKeys=a", False),
    ("http://mock/tags/arn%3Ax/more?tagKeys=a", False),
])
def test_a_fragment_in_a_path_key_prism_routes_on_is_a_mock_fault(url: str, blamed: bool) -> None:
    parameter = {"name": "tagKeys", "in": "query", "required": True}
    operation = {"parameters": [parameter], "responses": {"204": {}}}
    problem = {"type": "https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR"}
    error = _StatusError(httpx.Response(405, json=problem))
    failure = _failure(operation, httpx.Request("DELETE", url), error)
    failure = dataclasses.replace(failure, path_key="/tags/{resourceArn}#tagKeys")
    assert ((classify(failure) or ("", ""))[0] == MOCK) is blamed


@pytest.mark.parametrize(("url", "blamed"), [
    ("http://mock/rest?method=photos.search&text=cat", True),
    # The key's own query sent as part of the path, or not at all: the client's.
    ("http://mock/rest%3Fmethod=photos.search?text=cat", False),
    ("http://mock/rest?text=cat", False),
])
def test_a_query_in_a_path_key_prism_routes_on_is_a_mock_fault(url: str, blamed: bool) -> None:
    operation = {"parameters": [{"name": "text", "in": "query"}], "responses": {"200": {}}}
    problem = {"type": "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR"}
    error = _StatusError(httpx.Response(404, json=problem))
    failure = _failure(operation, httpx.Request("GET", url), error)
    failure = dataclasses.replace(failure, path_key="/rest?method=photos.search")
    assert ((classify(failure) or ("", ""))[0] == MOCK) is blamed


# sl-violations locates it at ["request", "body", ...]; Prism's own 422 problem at ["body", ...].
@pytest.mark.parametrize("own_422", [False, True])
@pytest.mark.parametrize(("sent", "blamed"), [
    (b"participants=a&topic=t", True),
    (b"participants=a&participants=b", False),  # two pairs are an array: not this
])
def test_a_one_item_array_in_a_form_body_read_as_a_string_is_the_mocks(
    sent: bytes, blamed: bool, own_422: bool
) -> None:
    message = "Request body property participants must be array"
    if own_422:
        error = _own_422([_violation(["body", "participants"], message)])
    else:
        error = _rejected([_violation(["request", "body", "participants"], message)], status=400)
    form = {"content-type": "application/x-www-form-urlencoded"}
    request = httpx.Request("POST", "http://mock/conversations", headers=form, content=sent)
    found = classify(_failure({"responses": {"200": {}}}, request, error))
    assert (found is not None and found[0] == MOCK and "one item" in found[1]) is blamed


@pytest.mark.parametrize("on_path_item", [False, True])
@pytest.mark.parametrize(("declared", "missing", "blamed"), [
    ("Content-Type", "content-type", True),
    ("Accept", "accept", True),
    # A header the client should have sent, or one the document does not declare.
    ("X-Request-Id", "x-request-id", False),
    ("Accept", "content-type", False),
])
def test_a_header_openapi_ignores_that_prism_requires_is_a_mock_fault(
    declared: str, missing: str, blamed: bool, on_path_item: bool
) -> None:
    parameters = [{"name": declared, "in": "header", "required": True}]
    operation: dict[str, Any] = {"responses": {"200": {}}}
    path_item: dict[str, Any] = {"post": operation}
    (path_item if on_path_item else operation)["parameters"] = parameters
    error = _rejected([
        _violation(["request", "header"], f"Request header must have required property '{missing}'")
    ])
    failure = dataclasses.replace(
        _failure(operation, httpx.Request("POST", "http://mock/notes"), error),
        document={"paths": {"/notes": path_item}}, path_key="/notes",
    )
    assert ((classify(failure) or ("", ""))[0] == MOCK) is blamed


@pytest.mark.parametrize(("asked", "blamed", "where"), [
    ("reason", True, ["request", "body"]),
    ("reason", True, ["body"]),  # as Prism's own 422 problem body says it
    ("marketplaceOrderId", False, ["request", "body"]),
])
def test_a_request_prism_checked_against_a_twin_path_is_the_documents_fault(
    asked: str, blamed: bool, where: list[str]
) -> None:
    schema = {"type": "object", "required": ["marketplaceOrderId"],
              "properties": {"marketplaceOrderId": {"type": "string"}}}
    ours = {"requestBody": {"content": {"application/json": {"schema": schema}}}}
    required = {"schema": {"required": ["reason"]}}
    theirs = {"requestBody": {"content": {"application/json": required}}}
    document = {"paths": {
        "/{endpoint}/orders/{orderId}/cancel": {"post": ours},
        "/{servicesEndpoint}/orders/{marketplaceOrderId}/cancel": {"post": theirs},
    }}
    error = _rejected([
        _violation(where, f"Request body must have required property '{asked}'")
    ])
    failure = _failure(ours, httpx.Request("POST", "http://mock/x/orders/1/cancel"), error)
    failure = dataclasses.replace(
        failure, document=document, path_key="/{endpoint}/orders/{orderId}/cancel"
    )
    assert ((classify(failure) or ("", ""))[0] == DOCUMENT) is blamed


@pytest.mark.parametrize(("schema", "blamed"), [
    ({"type": "string", "enum": [True, False]}, True),  # booleans under type string
    ({"type": "integer", "enum": ["1", "2"]}, True),
    ({"type": "string", "enum": ["true", False]}, False),  # "true" satisfies both
    ({"type": "number", "enum": [1, 2]}, False),  # an integer is a number
    ({"type": "string", "nullable": True, "enum": [None, 1]}, False),  # null is allowed
])
def test_an_enum_listing_no_value_of_its_type_is_the_documents_fault(
    schema: dict[str, Any], blamed: bool
) -> None:
    body = {"type": "object", "required": ["lower"], "properties": {"lower": schema}}
    operation = {"requestBody": {"content": {"application/json": {"schema": body}}}}
    request = httpx.Request("POST", "http://mock/CompareStrings", json={"lower": True})
    unprefixed = [_violation(["body", "lower"], "Request body property lower must be string")]
    fault, reason = classify(_failure(operation, request, _own_422(unprefixed))) or ("", "")
    assert (fault == DOCUMENT) is blamed
    assert not blamed or "lower" in reason

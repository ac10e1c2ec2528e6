"""What a part served to Prism has where it cuts a reference, and examples for patterns."""

from __future__ import annotations

from typing import Any

import jsonschema

from tests.corpus import parts, serving
from tests.corpus.standins import StandIns

_CARD = {"type": "object", "required": ["brand", "checks"], "properties": {
    "brand": {"type": "string", "enum": ["visa", "amex"]},
    "checks": {"$ref": "#/components/schemas/checks"},
    "nickname": {"type": "string"}}}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/v1/charges": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/charge"}}}}}}},
    },
    "components": {"schemas": {
        "charge": {"type": "object", "required": ["url", "card"], "properties": {
            "url": {"type": "string", "pattern": "^/v1/charges"},
            "card": {"$ref": "#/components/schemas/card"}}},
        "card": _CARD,
        "checks": {"type": "object", "required": ["cvc"], "properties": {
            "cvc": {"type": "string", "enum": ["pass", "fail"]}}},
    }},
}


def test_a_cut_reference_accepts_any_value_and_offers_one_valid_against_the_full_schema() -> None:
    stand_ins = StandIns(DOCUMENT)
    part = parts.reduced(DOCUMENT, ["/v1/charges"], hops=1, stand_in=stand_ins)
    assert set(part["components"]["schemas"]) == {"charge"}
    card = part["components"]["schemas"]["charge"]["properties"]["card"]
    # No constraint (Prism validates requests as with ``{}``), an example for its responses:
    # with ``{}`` alone Prism answered ``null`` where the client expects an object.
    assert set(card) == {"example"}
    assert card["example"] == {"brand": "visa", "checks": {"cvc": "pass"}}
    full = {"$ref": "#/components/schemas/card", "components": DOCUMENT["components"]}
    jsonschema.Draft202012Validator(full).validate(card["example"])
    # Without a stand-in the cut is ``{}`` as before.
    assert parts.reduced(DOCUMENT, ["/v1/charges"], hops=1)["components"]["schemas"][
        "charge"]["properties"]["card"] == {}


def test_a_schema_without_a_finite_instance_stands_as_any_value() -> None:
    looped = {"type": "object", "required": ["self"],
              "properties": {"self": {"$ref": "#/components/schemas/loop"}}}
    document = {**DOCUMENT, "components": {"schemas": {"loop": looped}}}
    assert StandIns(document)("#/components/schemas/loop") == {}


def test_a_pattern_string_gets_an_example_that_matches() -> None:
    stand_ins = StandIns(DOCUMENT)
    part = stand_ins.with_examples(parts.reduced(DOCUMENT, ["/v1/charges"], stand_in=stand_ins))
    url = part["components"]["schemas"]["charge"]["properties"]["url"]
    assert url["example"].startswith("/v1/charges")
    # A documented example is the document's to keep, and what is not a string is left alone.
    kept = stand_ins.with_examples({"type": "string", "pattern": "^a", "example": "ab"})
    assert kept == {"type": "string", "pattern": "^a", "example": "ab"}
    assert stand_ins.with_examples({"type": "integer", "pattern": "^a"}) == {
        "type": "integer", "pattern": "^a"}


def test_a_kept_schema_that_reaches_itself_gets_a_minimal_example() -> None:
    intent = {"type": "object", "required": ["amount"], "properties": {
        "amount": {"type": "integer"},
        "last_error": {"$ref": "#/components/schemas/error"}}}
    error = {"type": "object", "properties": {"intent": {"$ref": "#/components/schemas/intent"}}}
    document = {**DOCUMENT, "paths": {"/v1/intents": {"get": {"responses": {"200": {"content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/intent"}}}}}}}},
        "components": {"schemas": {"intent": intent, "error": error, "charge": _CARD}}}
    stand_ins = StandIns(document)
    part = stand_ins.with_recursive_examples(parts.reduced(document, ["/v1/intents"]))
    # Prism's sampler ended the cycle intent -> error -> intent with {} (no "amount").
    assert part["components"]["schemas"]["intent"]["example"] == {"amount": 1}
    assert part["components"]["schemas"]["error"]["example"] == {}
    assert "charge" not in part["components"]["schemas"]


def test_an_integer_string_gets_a_decimal_example_on_the_whole_document_too() -> None:
    count = {"type": "string", "format": "int64"}
    document = {**DOCUMENT, "components": {"schemas": {"counted": {
        "type": "object", "properties": {"count": count, "kind": {**count, "enum": ["7"]},
                                         "size": {**count, "maxLength": 0}}}}}}
    served = serving.served_whole(document, StandIns(document))
    properties = served["components"]["schemas"]["counted"]["properties"]
    assert properties["count"] == {**count, "example": "1"}  # Prism would sample "string"
    assert properties["kind"] == {**count, "enum": ["7"]}  # Prism samples the enum's value
    assert properties["size"] == {**count, "maxLength": 0}  # "1" is not valid there
    assert "example" not in document["components"]["schemas"]["counted"]["properties"]["count"]
    assert stand_ins_example({"type": "string", "format": "byte"}) == "c3RyaW5n"  # base64
    assert stand_ins_example({"type": "string", "format": "date"}) is None  # Prism samples it


def stand_ins_example(schema: dict[str, Any]) -> Any:
    return StandIns(DOCUMENT).with_examples(schema).get("example")

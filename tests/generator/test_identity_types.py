"""Lowering warns where an id or cursor the caller reads back has another type in the
argument that takes it (issue 14): the generic check behind Yotta's overlay fixes."""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostics
from generator.lower import lower
from generator.provider import ProviderSpec


def _warnings(id_schema: dict[str, Any], cursor_schema: dict[str, Any]) -> list[str]:
    thing = {"type": "object", "properties": {"id": id_schema}}
    page = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": thing}, "next": cursor_schema},
    }
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
    listed = {"200": {"description": "ok", "content": {"application/json": {"schema": page}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Demo", "version": "1"},
        "paths": {
            "/things/{id}": {"get": {
                "operationId": "getThing", "responses": ok,
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer", "format": "int64"}}],
            }},
            "/things": {"get": {
                "operationId": "listThings", "responses": listed,
                "x-pagination": {"items": "items", "cursor": {"after": "next"}},
                "parameters": [{"name": "after", "in": "query",
                                "schema": {"type": "integer"}}],
            }},
        },
    }
    spec = ProviderSpec.parse(
        {"name": "demo", "pages": [{"file": "a.yaml", "format": "openapi"}]}
    )
    diagnostics = Diagnostics()
    lower(document, spec, diagnostics)
    return [d.message for d in diagnostics.warnings]


def test_an_id_and_a_cursor_of_another_type_than_their_argument_are_reported() -> None:
    assert _warnings({"type": "string"}, {"type": "string"}) == [
        "getThing: path parameter 'id' is int but GetThingResponse.id, which a caller passes "
        "back to it, is str",
        "listThings: query parameter 'after' is int but ListThingsResponse.next, which a "
        "caller passes back to it, is str",
    ]


def test_one_type_on_both_sides_is_silent() -> None:
    as_decimal_string = {"type": "string", "format": "int64"}  # an int in Python
    assert _warnings(as_decimal_string, {"type": ["integer", "null"]}) == []

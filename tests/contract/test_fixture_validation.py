"""Every fixture against its provider's normalized OpenAPI (generated/openapi/<provider>.json).

The checks themselves (tests/tooling/spec_check.py) are tested below on a small inline
document, so a failure here names a real mismatch, not a checker bug.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.contract.harness import ROOT, Fixture, fixtures, providers
from tests.tooling.spec_check import SpecChecker

_CHECKERS = {provider: SpecChecker(provider) for provider in providers()}
ALL = list(fixtures())


@pytest.mark.parametrize("fixture", ALL, ids=[f.id for f in ALL])
def test_fixture_matches_the_normalized_openapi(fixture: Fixture) -> None:
    problems = _CHECKERS[fixture.provider].check(fixture)
    where = fixture.path.relative_to(ROOT)
    assert not problems, f"{where} does not match the spec:\n  " + "\n  ".join(problems)


# -- the checker, on a document small enough to read -------------------------------------

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "security": [{"key": []}],
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "state"],
                "properties": {
                    "id": {"type": "string"},
                    "state": {"type": "string", "enum": ["UP", "DOWN"]},
                },
            },
            "Error": {"type": "object", "required": ["message"]},
        },
        "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
    },
    "paths": {
        "/items/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {
                "parameters": [
                    {"$ref": "#/components/parameters/Limit"},
                    {
                        "name": "state",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"enum": ["UP", "DOWN"]}},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    },
                    "404": {
                        "description": "missing",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"count": {"type": "integer", "minimum": 1}},
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "ok"}},
            },
        }
    },
}
OPERATIONS = {
    "items.get": {"method": "GET", "path": "/items/{id}"},
    "items.scale": {"method": "POST", "path": "/items/{id}"},
}
GOOD_GET: dict[str, Any] = {
    "call": {"arguments": {}},
    "request": {
        "method": "GET",
        "path": "/items/7",
        "headers": {"x-api-key": "test-api-key"},
        "query": {"limit": "10", "state": "UP,DOWN"},
    },
    "response": {"status": 200, "json": {"id": "7", "state": "UP"}},
    "expect": {"result": {}},
}


def _check(data: dict[str, Any], operation: str = "items.get") -> list[str]:
    checker = SpecChecker("inline", document=DOCUMENT, operations=OPERATIONS)
    return checker.check(Fixture(Path("inline.json"), "inline", operation, data))


def _edited(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD_GET)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return data


def test_a_fixture_that_fits_has_no_problems() -> None:
    assert _check(GOOD_GET) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"request__path": "/things/7"}, "request path /things/7 does not fit /items/{id}"),
        ({"request__method": "PUT"}, "request method PUT != GET /items/{id}"),
        ({"request__path": "/items/seven"}, "path parameter 'id': expected integer, got string"),
        ({"request__query": {"limit": "ten"}}, "query parameter 'limit': expected integer"),
        ({"request__query": {"state": "UP,SIDEWAYS"}}, "query parameter 'state'[1]: 'SIDEWAYS'"),
        ({"request__query": {"page": "2"}}, "query parameter 'page' is not declared"),
        ({"request__headers": {}}, "request carries no credentials for the declared security"),
        ({"request__json": {"a": 1}}, "request has a JSON body but GET /items/{id} declares none"),
        ({"response__json": {"id": 7, "state": "UP"}}, "response 200 body['id']: expected string"),
        ({"response__json": {"state": "UP"}}, "response 200 body: 'id' is a required property"),
        ({"response__status": 201}, "status 201 is not a declared response of GET /items/{id}"),
    ],
)
def test_a_mismatch_names_the_part_and_the_problem(changes: dict[str, Any], expected: str) -> None:
    problems = _check(_edited(**changes))
    assert any(expected in problem for problem in problems), problems


def test_response_enums_are_open_as_the_clients_are() -> None:
    assert _check(_edited(response__json={"id": "7", "state": "DRAINING"})) == []


def test_error_fixtures_are_checked_against_a_declared_error_schema() -> None:
    error = _edited(response__status=404, response__json={"detail": "no"})
    error["expect"] = {"error": "NotFoundError"}
    assert _check(error) == ["response 404 body: 'message' is a required property"]
    error["response"]["json"] = {"message": "no such item"}
    assert _check(error) == []


def test_errors_without_a_declared_schema_or_inside_a_2xx_skip_the_body() -> None:
    error = _edited(response__status=503, response__text="upstream down")
    error["response"].pop("json")
    error["expect"] = {"error": "InternalServerError"}
    assert _check(error) == []
    in_200 = _edited(response__json={"code": 10007, "data": None})
    in_200["expect"] = {"error": "BadRequestError"}
    assert _check(in_200) == []


def test_request_bodies_are_checked_and_may_be_out_of_spec_when_the_service_rejects_them() -> None:
    scale = _edited(request__method="POST", request__query=None, response__json=None)
    scale["request"]["json"] = {"count": 0}
    assert _check(scale, "items.scale") == [
        "request body['count']: 0 is less than the minimum of 1"
    ]
    scale["response"] = {"status": 400, "json": {"message": "count must be positive"}}
    scale["expect"] = {"error": "BadRequestError"}
    assert _check(scale, "items.scale") == []
    scale["request"].pop("json")
    scale["response"] = {"status": 200, "text": ""}
    scale["expect"] = {"result": None}
    assert _check(scale, "items.scale") == ["request body is required but the fixture sends none"]


def test_an_unknown_operation_is_a_problem() -> None:
    assert _check(GOOD_GET, "items.nope") == ["operation items.nope is not in the IR snapshot"]

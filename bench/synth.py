"""Synthetic OpenAPI 3.1 documents of a given size, for the generation benchmark.

    python bench/synth.py 1000 > synth-1000.json

``n`` operations over ``ceil(n / 2)`` resources.  Each resource has a GET with a path
parameter and query parameters (integer, enum, array of strings, optional boolean)
and a POST with a JSON body; the ``n``-th operation of an odd ``n`` is a GET.  Each
resource has four component schemas:

* ``Res<i>``: the object the service returns, eight fields: required and optional,
  nullable, a nested object, an array of nested objects, an array of strings, an
  enum, a date-time;
* ``Res<i>Spec``: the nested object (eight scalar fields, one an inline enum);
* ``Res<i>Create``: the POST body (required name and spec, optional labels);
* ``Res<i>Status``: a string enum.

So a document of ``n`` operations has about ``2 n`` schemas and ``12 n`` properties,
the shape of a real provider's API rather than a worst case.  The output is
deterministic (same ``n``, same bytes).
"""

from __future__ import annotations

import json
import sys
from typing import Any

STATUSES = ["pending", "running", "stopped", "failed"]
REGIONS = ["us-east", "us-west", "eu-central", "ap-south"]


def make_document(operations: int) -> dict[str, Any]:
    if operations < 1:
        raise ValueError("at least one operation")
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for index in range((operations + 1) // 2):
        name = f"Res{index}"
        schemas.update(_schemas(name))
        paths[f"/v1/res{index}/{{id}}"] = {"get": _get(index, name)}
        if 2 * index + 1 < operations:
            paths[f"/v1/res{index}"] = {"post": _post(index, name)}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic API ({operations} operations)", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _get(index: int, name: str) -> dict[str, Any]:
    return {
        "operationId": f"getRes{index}",
        "summary": f"Get one res{index} by id.",
        "tags": [f"res{index}"],
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
            {
                "name": "limit",
                "in": "query",
                "description": "Page size.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
            },
            {"name": "status", "in": "query", "schema": _ref(f"{name}Status")},
            {
                "name": "fields",
                "in": "query",
                "schema": {"type": "array", "items": {"type": "string"}},
            },
            {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
        ],
        "responses": {
            "200": _json(_ref(name), "The resource."),
            "404": {"description": "Not found."},
        },
    }


def _post(index: int, name: str) -> dict[str, Any]:
    return {
        "operationId": f"createRes{index}",
        "summary": f"Create a res{index}.",
        "tags": [f"res{index}"],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref(f"{name}Create")}},
        },
        "responses": {
            "201": _json(_ref(name), "Created."),
            "422": {"description": "Invalid body."},
        },
    }


def _schemas(name: str) -> dict[str, Any]:
    return {
        name: {
            "type": "object",
            "description": f"A {name.lower()} as the service returns it.",
            "required": ["id", "name", "status", "spec"],
            "properties": {
                "id": {"type": "integer", "description": "Unique id."},
                "name": {"type": "string", "maxLength": 64},
                "status": _ref(f"{name}Status"),
                "spec": _ref(f"{name}Spec"),
                "replicas": {"type": "array", "items": _ref(f"{name}Spec")},
                "labels": {"type": "array", "items": {"type": "string"}},
                "createdAt": {"type": "string", "format": "date-time"},
                "note": {"type": ["string", "null"], "description": "Free text."},
            },
        },
        f"{name}Spec": {
            "type": "object",
            "required": ["gpuName", "gpuCount"],
            "properties": {
                "gpuName": {"type": "string"},
                "gpuCount": {"type": "integer", "minimum": 0},
                "memoryGb": {"type": "number"},
                "region": {"type": "string", "enum": REGIONS},
                "spot": {"type": "boolean", "default": False},
                "image": {"type": "string"},
                "diskGb": {"type": "integer"},
                "pricePerHour": {"type": ["number", "null"]},
            },
        },
        f"{name}Create": {
            "type": "object",
            "required": ["name", "spec"],
            "properties": {
                "name": {"type": "string"},
                "spec": _ref(f"{name}Spec"),
                "labels": {"type": "array", "items": {"type": "string"}},
            },
        },
        f"{name}Status": {"type": "string", "enum": STATUSES},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python bench/synth.py OPERATIONS", file=sys.stderr)
        return 2
    json.dump(make_document(int(argv[0])), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

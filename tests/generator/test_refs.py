"""Local ``$ref`` resolution: JSON Pointer as RFC 6901 defines it, in a URI fragment."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.refs import resolve_pointer
from tests.generator.test_lenient_validation import _build, _shown

DOCUMENT = {
    "components": {"schemas": {"Channel": {"oneOf": [{"type": "object"}, {"type": "string"}]}}},
    "paths": {"/pets/{id}": {"get": {"operationId": "getPet"}}},
    "a~b": {"c d": 1},
}


@pytest.mark.parametrize(
    ("ref", "target"),
    [
        ("#/components/schemas/Channel/oneOf/1", {"type": "string"}),
        ("#/paths/~1pets~1{id}/get", {"operationId": "getPet"}),
        ("#/paths/~1pets~1%7Bid%7D/get", {"operationId": "getPet"}),  # percent-encoded
        ("#/a~0b/c%20d", 1),
    ],
)
def test_a_pointer_reaches_array_items_and_escaped_names(ref: str, target: object) -> None:
    assert resolve_pointer(DOCUMENT, ref) == target


@pytest.mark.parametrize(
    "ref",
    ["#/components/schemas/Channel/oneOf/2", "#/components/schemas/Channel/oneOf/01",
     "#/components/schemas/Channel/oneOf/-", "#/nowhere", "other.yaml#/a"],
)
def test_a_pointer_to_nothing_is_none(ref: str) -> None:
    assert resolve_pointer(DOCUMENT, ref) is None


BRANCH_REFERENCE = """
paths:
  /channels:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                to: {$ref: '#/components/schemas/Channel/properties/from/oneOf/0'}
      responses: {"204": {description: none}}
components:
  schemas:
    Channel:
      type: object
      properties:
        from:
          oneOf:
            - {type: object, properties: {user: {type: string}}}
            - {type: string}
"""


def test_a_reference_into_a_oneof_branch_is_not_dangling(tmp_path: Path) -> None:
    build = _build(tmp_path, BRANCH_REFERENCE)
    assert build.ok, _shown(build.diagnostics.items)

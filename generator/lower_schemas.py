"""Schemas of the normalized OpenAPI -> model classes and Python annotations.

Only schemas reachable from operations become classes.  Inline objects and
enums are hoisted into named classes (``x-python-name`` or ``title`` when the
spec gives one, otherwise a name built from where they appear).  Enums are
open: a field typed by an enum also accepts any string, since services add
statuses before docs do.  An enum marked ``x-case-insensitive: true`` keeps that
key in its prepared schema, for the emitter to match its values in any case.
Integers that travel as decimal strings (``type: string, format: int64``, as
protobuf-JSON sends them) are ``int`` in Python.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostics
from generator.naming import pascal_case
from generator.refs import follow_refs

_REF_PREFIX = "#/components/schemas/"
MODEL_REF = "#/components/schemas/"  # where model JSON Schemas point at each other (by class name)
CASE_INSENSITIVE = "x-case-insensitive"  # on an enum: values match in any letter case
_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
_INTEGER_FORMATS = frozenset({"int32", "int64", "uint32", "uint64"})


class SchemaSet:
    def __init__(self, document: dict[str, Any], diagnostics: Diagnostics) -> None:
        self._document = document
        self._components: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
        self._diagnostics = diagnostics
        self._class_of_component: dict[str, str] = {}
        self._classes: dict[str, dict[str, Any]] = {}  # class name -> prepared JSON Schema
        self._origin: dict[str, str] = {}  # class name -> component name or inline path
        # While registering request models, integers sent as strings stay strings (the
        # client converts them), so the model serializes exactly what the wire expects.
        self._wire_exact = False

    # -- references -------------------------------------------------------
    def resolve(self, node: Any) -> dict[str, Any]:
        """Follow local ``$ref`` chains (validation already reported any that dangle)."""
        return follow_refs(self._document, node)

    @staticmethod
    def is_integer_string(schema: dict[str, Any]) -> bool:
        return schema.get("type") == "string" and schema.get("format") in _INTEGER_FORMATS

    # -- annotations ------------------------------------------------------
    def annotation(self, schema: Any, context: str, empty: str = "Any") -> str:
        """The Python type for ``schema``; classes it needs are registered for emission."""
        if not isinstance(schema, dict):
            return empty
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref_annotation(ref, schema, empty)
        if "enum" in schema:
            return self._hoist(schema, context) + " | str"
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                parts = [self.annotation(s, f"{context}{i}") for i, s in enumerate(schema[key])]
                return _union(parts)
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self.annotation(schema["allOf"][0], context, empty)
        kind = schema.get("type")
        if isinstance(kind, list):
            return _union([self.annotation({**schema, "type": k}, context, empty) for k in kind])
        return self._typed_annotation(kind, schema, context, empty)

    def _typed_annotation(self, kind: Any, schema: dict[str, Any], context: str, empty: str) -> str:
        if kind == "array":
            return f"list[{self.annotation(schema.get('items'), context + 'Item')}]"
        if kind == "object" or (kind is None and "properties" in schema):
            if schema.get("properties"):
                return self._hoist(schema, context)
            extra = schema.get("additionalProperties")
            value = self.annotation(extra, context + "Value") if isinstance(extra, dict) else "Any"
            return f"dict[str, {value}]"
        if kind == "string" and schema.get("format") == "date-time":
            return "datetime"
        if self.is_integer_string(schema):
            return "int"
        return _PRIMITIVES.get(str(kind), empty)

    def _ref_annotation(self, ref: str, node: dict[str, Any], empty: str) -> str:
        target = self.resolve(node)
        if not target:
            return empty
        if ref.startswith(_REF_PREFIX) and ("enum" in target or target.get("properties")):
            name = self._component_class(ref[len(_REF_PREFIX) :])
            return name + " | str" if "enum" in target else name
        return self.annotation(target, pascal_case(ref.rsplit("/", 1)[-1]), empty)

    def request_model(self, schema: Any, context: str) -> str:
        """Register the model that validates a flattened request body; returns its class."""
        self._wire_exact = True
        try:
            return self.annotation(schema, context)
        finally:
            self._wire_exact = False

    def item_annotation(self, class_name: str, field: str) -> str | None:
        schema = self._classes.get(class_name, {})
        prop = (schema.get("properties") or {}).get(field)
        if not isinstance(prop, dict) or prop.get("type") != "array":
            return None
        items = prop.get("items") or {}
        ref = items.get("$ref", "") if isinstance(items, dict) else ""
        return ref.rsplit("/", 1)[-1] if ref else None

    # -- classes ----------------------------------------------------------
    def _component_class(self, component: str) -> str:
        if component in self._class_of_component:
            return self._class_of_component[component]
        schema = self._components[component]
        wanted = str(schema.get("x-python-name") or pascal_case(component))
        name = self._unique(wanted, component)
        self._class_of_component[component] = name
        self._classes[name] = {}  # reserve before recursing: schemas may be recursive
        self._classes[name] = self._prepare(schema, name)
        return name

    def _hoist(self, schema: dict[str, Any], context: str) -> str:
        wanted = str(schema.get("x-python-name") or schema.get("title") or context)
        name = self._unique(pascal_case(wanted) if " " in wanted else wanted, context)
        self._classes[name] = {}
        self._classes[name] = self._prepare(schema, name)
        return name

    def _unique(self, wanted: str, origin: str) -> str:
        name, number = wanted, 2
        while name in self._classes:
            name = f"{wanted}{number}"
            number += 1
        self._origin[name] = origin
        return name

    def _prepare(self, schema: dict[str, Any], class_name: str) -> dict[str, Any]:
        """JSON Schema for datamodel-code-generator: refs by class name, open enums, no x- keys."""
        result = {
            k: copy.deepcopy(v)
            for k, v in schema.items()
            if not k.startswith("x-") and k not in ("title", "example", "examples")
        }
        if "enum" in schema:
            result["type"] = result.get("type", "string")
            if schema.get(CASE_INSENSITIVE) is True:
                result[CASE_INSENSITIVE] = True
            return result
        properties = schema.get("properties") or {}
        if properties:
            result["properties"] = {
                name: self._field(prop, class_name + pascal_case(name))
                for name, prop in properties.items()
            }
        return result

    def _field(self, schema: Any, context: str) -> dict[str, Any]:
        if not isinstance(schema, dict):
            return {}
        description = {"description": schema["description"]} if schema.get("description") else {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            annotation = self._ref_annotation(ref, schema, "Any")
            return {**self._schema_for(annotation), **description}
        if "enum" in schema or (schema.get("type") == "object" and schema.get("properties")):
            return {**self._schema_for(self.annotation(schema, context)), **description}
        result = {
            k: copy.deepcopy(v)
            for k, v in schema.items()
            if not k.startswith("x-") and k not in ("example", "examples", "title")
        }
        if self.is_integer_string(schema) and not self._wire_exact:
            result["type"] = "integer"
            result.pop("format")
        if isinstance(schema.get("items"), dict):
            result["items"] = self._field(schema["items"], context + "Item")
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                result[key] = [self._field(s, f"{context}{i}") for i, s in enumerate(schema[key])]
        return result

    def _schema_for(self, annotation: str) -> dict[str, Any]:
        """JSON Schema pointing at registered classes for an annotation made by this class."""
        parts = annotation.split(" | ")
        refs = [
            {"$ref": MODEL_REF + p} if p in self._classes else _schema_of_primitive(p)
            for p in parts
        ]
        return refs[0] if len(refs) == 1 else {"anyOf": refs}

    def emitted(self) -> tuple[ir.Schema, ...]:
        return tuple(
            ir.Schema(self._origin.get(name, name), name, self._classes[name])
            for name in sorted(self._classes)
        )


def _schema_of_primitive(annotation: str) -> dict[str, Any]:
    inverse = {v: k for k, v in _PRIMITIVES.items()}
    match = re.fullmatch(r"list\[(\w+)\]", annotation)
    if match:
        return {"type": "array", "items": {"$ref": MODEL_REF + match.group(1)}}
    return {"type": inverse[annotation]} if annotation in inverse else {}


def _union(parts: list[str]) -> str:
    unique: list[str] = []
    for part in " | ".join(parts).split(" | "):
        if part not in unique:
            unique.append(part)
    if "Any" in unique:
        return "Any"
    # `None` last reads best: `str | None`.
    return " | ".join([p for p in unique if p != "None"] + (["None"] if "None" in unique else []))

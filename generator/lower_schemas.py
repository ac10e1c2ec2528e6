"""Schemas of the normalized OpenAPI -> model classes, their fields and Python annotations.

Only schemas reachable from operations become classes.  Inline objects and
enums are hoisted into named classes (``x-python-name`` or ``title`` when the
spec gives one, otherwise a name built from where they appear); every class
name is decided here (``naming.class_name``: valid, unique, shadowing nothing the
generated modules import), so datamodel-code-generator has nothing to rename.

Each construct is lowered once into a ``Lowered``: the Python annotation and the
JSON Schema datamodel-code-generator gets (refs by class name).  ``allOf`` members
are merged into one model; ``oneOf``/``anyOf`` become unions (discriminated when the
document declares a discriminator); ``const`` is a ``Literal``.  Enums of strings or
integers are open: a field typed by one also accepts any string (integer), since
services add values before docs do; a mixed enum is the union of its values' types.
In what the caller sends (arguments, request bodies and the models they reach), an enum is
instead a closed ``Literal`` of its values, so a type checker and the client refuse a typo,
and a ``readOnly`` property is left out (the server sets it; a request model requiring it
would refuse every request); a model with an enum or a ``readOnly`` property somewhere
inside that is both sent and received is two classes.  An enum marked
``x-case-insensitive: true`` keeps that key in its prepared schema, for the emitter to match
its values in any case.  Integers that travel as decimal strings (``type: string, format:
int64``, as protobuf-JSON sends them) are ``int``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import ChainMap
from typing import Any, TypeGuard

from generator import ir
from generator.diagnostics import Diagnostics
from generator.naming import class_name, field_names, pascal_case
from generator.pagekit import HTTP_METHODS
from generator.refs import follow_refs
from generator.schema_shapes import (
    ENUM_AS_LITERAL,
    JSON_TYPES,
    PRIMITIVES,
    PYTHON_TYPE,
    SCALAR_ANNOTATIONS,
    Lowered,
    adds_shape,
    annotations_of,
    as_branch,
    carried,
    default_fits,
    description_of,
    distributed,
    enum_base,
    flatten_all_of,
    has_integer_strings,
    in_container,
    informative,
    is_integer_string,
    join,
    lower_const,
    nullable,
    object_properties,
    python_literal,
    sent_differently,
    type_list,
    with_literal_marker,
)

_REF_PREFIX = "#/components/schemas/"
_PARAM = "Param"  # the suffix of a model's variant for what is sent (``_sent_differently``)
# Keys whose values hold data, not schemas: not walked for the models a response reaches.
_NOT_SCHEMA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Keys whose values map names (any names) to schemas.
_NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
MODEL_REF = "#/components/schemas/"  # where model JSON Schemas point at each other (by class name)
CASE_INSENSITIVE = "x-case-insensitive"  # on an enum: values match in any letter case
LITERAL = ENUM_AS_LITERAL  # datamodel-code-generator: this enum is a `Literal`
# The Python types datamodel-code-generator gives these formats (AwareDatetime is a datetime).
_STRING_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "UUID"}
# Model fields of these formats get a runtime type instead (datamodel-code-generator's
# ``x-python-type``): a ``Timestamp`` is a ``datetime`` that keeps nanoseconds and the text
# it was read from. Arguments stay ``datetime``, which a ``Timestamp`` is.
MODEL_FORMAT_TYPES = {"date-time": "gpuworkers._runtime.Timestamp"}
# The same, in a model field's annotation as the IR records it (what the user sees).
_MODEL_ANNOTATIONS = re.compile(r"\bdatetime\b")
_ANY = Lowered("Any")
# Keywords beside an `allOf: [$ref]` that say something about the field, not its type.
_ANNOTATIONS = frozenset(
    {"description", "title", "default", "example", "examples", "readOnly", "writeOnly"}
    | {"deprecated", "nullable"}
)


def _annotation_only(schema: Any) -> bool:
    """Whether ``schema`` (an ``allOf`` member) only describes: it shapes no value."""
    return isinstance(schema, dict) and all(k in _ANNOTATIONS or k[:2] == "x-" for k in schema)


class SchemaSet:
    def __init__(
        self,
        document: dict[str, Any],
        diagnostics: Diagnostics,
        reserved: frozenset[str] = frozenset(),
    ) -> None:
        self._document = document
        self._components: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
        self._diagnostics = diagnostics
        self._class_of_component: dict[str, str] = {}
        # Variants of what is sent: Literal enums, no readOnly properties (``_sent_differently``).
        self._request_class_of_component: dict[str, str] = {}
        self._classes: dict[str, dict[str, Any]] = {}  # class name -> prepared JSON Schema
        # Every name a new class may not take (``reserved``: those the generated modules define
        # themselves), looked up in place: a set built per class was quadratic (1.8 s of
        # lowering 3,000 operations).
        self._taken: ChainMap[str, Any] = ChainMap(self._classes, dict.fromkeys(reserved))
        self._fields: dict[str, tuple[ir.Field, ...]] = {}
        self._enum_base: dict[str, str] = {}  # enum class -> `str` or `int`
        self._origin: dict[str, str] = {}  # class name -> component name or inline path
        self._source: dict[str, str] = {}  # class name -> file:line of its schema
        self._inlining: set[str] = set()  # components being inlined (recursion guard)
        self._hoisted: dict[tuple[int, bool], tuple[Any, str]] = {}  # node id -> (node, class)
        # While registering request models, integers sent as strings stay strings (the
        # client converts them), so the model serializes exactly what the wire expects.
        self._wire_exact = False
        # While lowering what the caller sends: enums are closed `Literal`s (see the module).
        self._request = False
        self._sent_differently_of: dict[int, bool] = {}  # node id -> _sent_differently
        self._received_cache: tuple[set[str], set[int]] | None = None  # see _received
        self._flat: dict[int, tuple[Any, dict[str, Any]]] = {}  # id -> (allOf node, merged)
        # class -> discriminator field (wire name) -> the values that select this class
        self._tags: dict[str, dict[str, list[str]]] = {}

    # -- references -------------------------------------------------------
    def resolve(self, node: Any) -> dict[str, Any]:
        """Follow local ``$ref`` chains (validation already reported any that dangle)."""
        return follow_refs(self._document, node)

    @staticmethod
    def is_integer_string(schema: dict[str, Any]) -> bool:
        return is_integer_string(schema)

    # -- annotations ------------------------------------------------------
    def annotation(self, schema: Any, context: str, empty: str = "Any") -> str:
        """The Python type for ``schema``; classes it needs are registered for emission."""
        return self._lower(schema, context, empty).annotation

    def request_model(self, schema: Any, context: str) -> str:
        """Register the model that validates a flattened request body; returns its class."""
        self._wire_exact = True
        try:
            return self.request_annotation(schema, context)
        finally:
            self._wire_exact = False

    def request_annotation(self, schema: Any, context: str) -> str:
        """The Python type of something the caller sends (an argument, a body)."""
        self._request = True
        try:
            return self.annotation(schema, context)
        finally:
            self._request = False

    def field_annotation(self, class_name: str, field: str) -> str | None:
        """The annotation of field ``field`` (wire name) of model ``class_name``, if any."""
        for candidate in self._fields.get(class_name, ()):
            if candidate.name == field:
                return candidate.annotation
        return None

    def item_annotation(self, class_name: str, field: str) -> str | None:
        """The item type of the list field ``field`` (wire name) of model ``class_name``."""
        annotation = self.field_annotation(class_name, field)
        match = re.fullmatch(r"list\[(.+)\]", annotation or "")
        return match.group(1) if match else None

    def _lower(self, schema: Any, context: str, empty: str = "Any") -> Lowered:
        if not isinstance(schema, dict):
            return Lowered(empty)
        if isinstance(schema.get("$ref"), str):
            return self._lower_ref(schema["$ref"], schema, context, empty)
        if isinstance(schema.get("allOf"), list):
            return self._lower_all_of(schema, context, empty)
        if "const" in schema:
            return lower_const(schema)
        if isinstance(schema.get("enum"), list):
            return self._lower_enum(schema, context)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            # Beside properties, branches that only pick required ones keep the model.
            shaped = not schema.get("properties") or adds_shape(branches)
            if isinstance(branches, list) and shaped:
                return self._lower_union(distributed(schema, key), key, context)
        kind = schema.get("type")
        if isinstance(kind, list):
            # One class for the object branch however often the node is reached: `node`.
            typed = ({**schema, "type": k} for k in kind)
            parts = [self._lower_typed(t["type"], t, context, empty, schema) for t in typed]
            return type_list(schema, kind, parts)
        return self._lower_typed(kind, schema, context, empty, schema)

    def _lower_typed(
        self, kind: Any, schema: dict[str, Any], context: str, empty: str, node: Any
    ) -> Lowered:
        if kind == "array":
            if isinstance(schema.get("prefixItems"), list) and schema["prefixItems"]:
                return self._lower_prefixed(schema, schema["prefixItems"], context)
            items = in_container(self._lower(schema.get("items"), context + "Item"))
            array = {**carried(schema), "type": "array"}
            if items.schema:
                array["items"] = items.schema
            return Lowered(f"list[{items.annotation}]", with_literal_marker(array, [items.schema]))
        if kind == "object" or (
            kind is None and ("properties" in schema or "additionalProperties" in schema)
        ):
            if schema.get("properties"):
                return self._model(self._hoist(schema, context, node))
            extra = schema.get("additionalProperties")
            value = (
                in_container(self._lower(extra, context + "Value"))
                if isinstance(extra, dict)
                else _ANY
            )
            mapping = {**carried(schema), "type": "object"}
            if value.schema:
                mapping["additionalProperties"] = value.schema
            return Lowered(f"dict[str, {value.annotation}]", mapping)
        if kind not in PRIMITIVES:
            return Lowered(empty, carried(schema)) if empty != "None" else Lowered(empty)
        result = {**carried(schema), "type": kind}
        if kind == "string" and schema.get("format") in _STRING_FORMATS:
            if schema["format"] in MODEL_FORMAT_TYPES:
                result[PYTHON_TYPE] = MODEL_FORMAT_TYPES[schema["format"]]
            return Lowered(_STRING_FORMATS[schema["format"]], _not_text(result))
        if self.is_integer_string(schema):
            if not self._wire_exact:
                result = _not_text({**result, "type": "integer"})
                result.pop("format", None)
            return Lowered("int", result)
        return Lowered(PRIMITIVES[kind], result)

    def _lower_prefixed(self, schema: dict[str, Any], prefix: list[Any], context: str) -> Lowered:
        """An array with ``prefixItems`` (each position its own schema): a ``tuple`` when
        its length is fixed at the prefix's, else a list of what any position may hold, so
        that no array the schema allows is refused.  A ``false`` position, or ``items:
        false``, ends the array there."""
        stop = next((i for i, p in enumerate(prefix) if p is False), None)
        positions = prefix if stop is None else prefix[:stop]
        ended = stop is not None or schema.get("items") is False
        parts = [in_container(self._lower(p, context + "Item")) for p in positions]
        longest = _count(schema.get("maxItems"))
        if ended:
            longest = len(parts) if longest is None else min(longest, len(parts))
        if longest is None or longest > len(positions):  # after the prefix: `items`, or anything
            parts.append(in_container(self._lower(schema.get("items"), context + "Item")))
        items = join(parts) if parts else _ANY
        array = {**carried(schema), "type": "array"}
        if items.schema:
            array["items"] = items.schema
        if longest is not None:
            array["maxItems"] = longest
        listed = Lowered(f"list[{items.annotation}]", with_literal_marker(array, [items.schema]))
        shortest = _count(schema.get("minItems"))
        if not (positions and shortest is not None and shortest >= len(parts) == longest):
            return listed
        fixed = {**array, "minItems": longest, "prefixItems": [part.schema for part in parts]}
        fixed.pop("items", None)
        annotation = f"tuple[{', '.join(part.annotation for part in parts)}]"
        return Lowered(annotation, with_literal_marker(fixed, fixed["prefixItems"]), listed)

    def _lower_ref(self, ref: str, node: dict[str, Any], context: str, empty: str) -> Lowered:
        target = self.resolve(node)
        if not target:
            return Lowered(empty)
        component = ref[len(_REF_PREFIX) :] if ref.startswith(_REF_PREFIX) else None
        if self._request and component is not None and _is_enum(target):
            lowered = self._lower_enum(target, context)
            if self._is_class(target) and component in self._received()[0]:
                # A member of the enum class responses carry is a value to send, too.
                lowered = join([lowered, self._received_enum(component)])
            return Lowered(lowered.annotation, {**lowered.schema, **annotations_of(node)})
        if component in self._components and self._is_class(target):
            lowered = self._model(self._component_class(component))
            if nullable(target):
                lowered = join([lowered, Lowered("None", {"type": "null"})])
            return Lowered(lowered.annotation, {**lowered.schema, **annotations_of(node)})
        key = ref if component is None else component
        if key in self._inlining:  # a schema that is only itself (`A: {items: A}`): no type
            return _ANY
        self._inlining.add(key)
        try:
            return self._lower(target, pascal_case(ref.rsplit("/", 1)[-1]), empty)
        finally:
            self._inlining.discard(key)

    def _lower_all_of(self, schema: dict[str, Any], context: str, empty: str) -> Lowered:
        # `allOf: [$ref]` beside a description, or `allOf: [$ref, {description: ...}]`: the
        # ref, described (how Smithy-built documents describe each use of a shared schema).
        own = {k for k in schema if k not in _ANNOTATIONS and k != "allOf" and k[:2] != "x-"}
        shaping = [m for m in schema["allOf"] if not _annotation_only(m)]
        if len(shaping) == 1 and not own:
            described = [annotations_of(m) for m in schema["allOf"] if m is not shaping[0]]
            lowered = self._lower(shaping[0], context, empty)
            annotations = {k: v for each in described for k, v in each.items()}
            annotations.update(annotations_of(schema))
            return dataclasses.replace(lowered, schema={**lowered.schema, **annotations})
        return self._lower(self._flattened(schema), context, empty)

    def _flattened(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` with its ``allOf`` merged, one dict per page node: a node lowered again
        (an allOf that extends the schema it is inside) is then the class it already has,
        not a new one each level down."""
        key = id(schema)
        if key not in self._flat:
            self._flat[key] = (schema, flatten_all_of(schema, self.resolve))
        return self._flat[key][1]

    def _lower_enum(self, schema: dict[str, Any], context: str) -> Lowered:
        values = [value for value in schema["enum"] if value is not None]
        base = enum_base(values)
        if self._request and base is not None:
            return self._literal_enum(schema, values)
        if base is None:  # mixed: the union of the values' types
            types = sorted({SCALAR_ANNOTATIONS.get(type(v), "Any") for v in values})
            parts = [Lowered(t, {"type": JSON_TYPES[t]} if t in JSON_TYPES else {}) for t in types]
        else:
            enum = {**schema, "enum": values, "type": JSON_TYPES[base]}
            name = self._hoist(enum, context, node=schema)
            parts = [self._model(name)]
        if nullable(schema):
            parts.append(Lowered("None", {"type": "null"}))
        lowered = join(parts)
        return Lowered(lowered.annotation, {**lowered.schema, **description_of(schema)})

    def _literal_enum(self, schema: dict[str, Any], values: list[Any]) -> Lowered:
        """A closed enum: ``Literal[...]`` (datamodel-code-generator writes it inline too)."""
        literal = f"Literal[{', '.join(str(python_literal(v)) for v in values)}]"
        enum = {
            **carried(schema),
            "type": JSON_TYPES[enum_base(values) or "str"],
            "enum": values,
            LITERAL: True,
        }
        parts = [Lowered(literal, enum)]
        if nullable(schema):
            parts.append(Lowered("None", {"type": "null"}))
        lowered = join(parts)
        return Lowered(lowered.annotation, {**lowered.schema, **description_of(schema)})

    def _lower_union(self, schema: dict[str, Any], key: str, context: str) -> Lowered:
        branches = schema[key]
        # A branch is named after the union and its place in it; the one branch that can
        # make a class (beside refs, null and plain scalars) needs no number.
        naming = [i for i, each in enumerate(branches) if not _names_nothing(each)]
        parts = [
            as_branch(self._lower(each, context if naming == [i] else f"{context}{i}"))
            for i, each in enumerate(branches)
        ]
        if nullable(schema):
            parts.append(Lowered("None", {"type": "null"}))
        lowered = join(parts)
        result = {**carried(schema), **lowered.schema}
        discriminator = self._discriminator(schema, parts)
        if discriminator and "anyOf" in result:
            result = {
                **carried(schema),
                "oneOf": result.pop("anyOf"),
                "discriminator": discriminator,
            }
        return Lowered(lowered.annotation, result)

    def _discriminator(self, schema: dict[str, Any], parts: list[Lowered]) -> dict[str, Any]:
        """The discriminator for datamodel-code-generator, when every branch is a model."""
        declared = schema.get("discriminator")
        if not isinstance(declared, dict) or not isinstance(declared.get("propertyName"), str):
            return {}
        names = [p.annotation for p in parts]
        if not names or any(n not in self._classes or n in self._enum_base for n in names):
            return {}
        mapping = {}
        classes = self._request_class_of_component if self._request else self._class_of_component
        for value, target in (declared.get("mapping") or {}).items():
            name = classes.get(str(target).removeprefix(_REF_PREFIX))
            if name not in names:
                return {}  # a mapping to a schema that is not one of the branches
            mapping[str(value)] = name
        for name in names:  # unmapped branches: the value is the component's name
            component = self._origin[name]
            if name not in mapping.values():
                if classes.get(component) != name:
                    return {}  # an inline branch has no implicit value
                mapping[component] = name
        self._tag_fields(declared["propertyName"], mapping)
        return {
            "propertyName": declared["propertyName"],
            "mapping": {value: MODEL_REF + name for value, name in mapping.items()},
        }

    def _tag_fields(self, wire: str, mapping: dict[str, str]) -> None:
        """The discriminator field of each branch is the ``Literal`` of its values, in the
        IR and in the JSON Schema datamodel-code-generator gets, so that a branch validates
        only its own values wherever it is used (a union that is a whole body included)."""
        for name in set(mapping.values()):
            values = self._tags.setdefault(name, {}).setdefault(wire, [])
            values.extend(v for v, n in mapping.items() if n == name and v not in values)
            self._apply_tags(name)

    def _apply_tags(self, name: str) -> None:
        """Write the recorded discriminator values of class ``name`` into its field and
        schema (again after ``_prepare``, which a recursive branch may finish later)."""
        tags = self._tags.get(name)
        if not tags:
            return
        schema = self._classes.get(name, {})
        for wire, values in tags.items():
            prop = (schema.get("properties") or {}).get(wire)
            if not _plain_string(prop):
                continue  # the branch names its own value(s): an enum, a const, a ref
            literal = f"Literal[{', '.join(json.dumps(v, ensure_ascii=False) for v in values)}]"
            self._fields[name] = tuple(
                dataclasses.replace(f, annotation=literal) if f.name == wire else f
                for f in self._fields.get(name, ())
            )
            kept: dict[str, Any] = {k: prop[k] for k in ("description", "title") if k in prop}
            tag: dict[str, Any] = {"type": "string", "enum": list(values), LITERAL: True}
            schema["properties"][wire] = {**kept, **tag}

    # -- classes ----------------------------------------------------------
    def _is_class(self, schema: dict[str, Any]) -> bool:
        if isinstance(schema.get("enum"), list):
            return enum_base([v for v in schema["enum"] if v is not None]) is not None
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) > 1:
            schema = self._flattened(schema)
        kind = schema.get("type", "object")
        objects = kind == "object" or (isinstance(kind, list) and "object" in kind)
        return objects and bool(schema.get("properties"))

    def _model(self, name: str) -> Lowered:
        ref = {"$ref": MODEL_REF + name}
        base = self._enum_base.get(name)
        if base is None:
            return Lowered(name, ref)
        return Lowered(f"{name} | {base}", {"anyOf": [ref, {"type": JSON_TYPES[base]}]})

    def _component_class(self, component: str) -> str:
        schema = self._components[component]
        variant = self._request and self._sent_differently(schema)
        classes = self._request_class_of_component if variant else self._class_of_component
        if component in classes:
            return classes[component]
        wanted = str(schema.get("x-python-name") or pascal_case(component))
        # What is sent of a model a response also reaches is named for it (as Stainless SDKs
        # name theirs): the plain name stays the received model's, whichever of the two an
        # operation reaches first.  A model only ever sent keeps the plain name.
        received = variant and component in self._received()[0]
        name = self._register(wanted + _PARAM if received else wanted, component, schema)
        classes[component] = name
        self._prepare(schema, name)
        return name

    def _received_enum(self, component: str) -> Lowered:
        """The enum class of ``component`` as responses have it, its members only."""
        self._request = False
        try:
            name = self._component_class(component)
        finally:
            self._request = True
        return Lowered(name, {"$ref": MODEL_REF + name})

    def _received(self) -> tuple[set[str], set[int]]:
        """The components, and the ids of the schema nodes, that some response reaches
        (``$ref``s followed): the models whose plain names the received classes keep."""
        if self._received_cache is None:
            components: set[str] = set()
            nodes: set[int] = set()
            stack = [
                media.get("schema")
                for path_item in (self._document.get("paths") or {}).values()
                if isinstance(path_item, dict)
                for method, operation in path_item.items()
                if method in HTTP_METHODS and isinstance(operation, dict)
                for response in (operation.get("responses") or {}).values()
                for media in (self.resolve(response).get("content") or {}).values()
                if isinstance(media, dict)
            ]
            while stack:
                node = stack.pop()
                if isinstance(node, list):
                    stack.extend(node)
                if not isinstance(node, dict) or id(node) in nodes:
                    continue
                nodes.add(id(node))
                ref = node.get("$ref")
                if isinstance(ref, str):
                    if ref.startswith(_REF_PREFIX):
                        components.add(ref[len(_REF_PREFIX) :])
                    stack.append(self.resolve(node))
                for key, value in node.items():
                    if key in _NAME_MAPS and isinstance(value, dict):  # a property may be `enum`
                        stack.extend(value.values())
                    elif key not in _NOT_SCHEMA_KEYS:
                        stack.append(value)
            self._received_cache = (components, nodes)
        return self._received_cache

    def _sent_differently(self, node: Any) -> bool:
        """Whether an enum or a ``readOnly`` property is reachable from ``node`` (refs
        followed): what is sent of it then lowers differently from what is received."""
        key = id(node)
        if key not in self._sent_differently_of:
            self._sent_differently_of[key] = False  # a cycle adds nothing of its own
            found = sent_differently(node, self.resolve, self._sent_differently)
            self._sent_differently_of[key] = found
        return self._sent_differently_of[key]

    def _hoist(self, schema: dict[str, Any], context: str, node: Any = None) -> str:
        """The class of an inline schema; ``node`` (default ``schema``) is the page's node,
        which is one class however many times it is reached (a body property that is also
        an argument)."""
        node = node if node is not None else schema
        # Integers sent as strings are the one thing a request model lowers differently.
        key = (
            id(node),
            (self._wire_exact and has_integer_strings(node))
            or (self._request and self._sent_differently(node)),
        )
        if key in self._hoisted:
            return self._hoisted[key][1]
        named = schema.get("x-python-name") or schema.get("title")
        received = named and key[1] and id(node) in self._received()[1]
        wanted = str(named) + _PARAM if received else str(named or context)
        name = self._register(wanted, context, schema)
        self._hoisted[key] = (node, name)  # holding the node keeps its id from being reused
        self._prepare(schema, name)
        return name

    def _register(self, wanted: str, origin: str, schema: dict[str, Any]) -> str:
        """Reserve a class name before its fields are lowered: schemas may be recursive."""
        name = class_name(wanted, self._taken)
        self._classes[name] = {}
        self._origin[name] = origin
        self._source[name] = str(schema.get("x-source", ""))
        if isinstance(schema.get("enum"), list):
            values = [v for v in schema["enum"] if v is not None]
            self._enum_base[name] = enum_base(values) or "str"
        return name

    def _prepare(self, schema: dict[str, Any], name: str) -> None:
        """The JSON Schema datamodel-code-generator gets for class ``name``, and its fields."""
        if name in self._enum_base:
            self._classes[name] = self._prepare_enum(schema, name)
            return
        schema = self._flattened(schema) if "allOf" in schema else schema
        result = self._described({**carried(schema), "type": "object"}, name)
        properties = object_properties(schema)
        # OpenAPI 3.x, Schema Object: a readOnly property is the server's to set and never
        # sent; a writeOnly one is never in a response, so its `required` is the request's
        # alone.  What is sent (``self._request``: the variant whenever either is in the
        # schema, ``_sent_differently``) leaves the first out; what is received does not
        # require the second.
        if self._request:
            properties = {n: p for n, p in properties.items() if not self.marked(p, "readOnly")}
        required = [
            r
            for r in dict.fromkeys(schema.get("required") or [])
            if r in properties and (self._request or not self.marked(properties[r], "writeOnly"))
        ]
        python = field_names(properties)
        prepared: dict[str, Any] = {}
        fields = []
        for wire, prop in properties.items():
            lowered = self._lower(prop, name + pascal_case(wire))
            prepared[wire] = {**lowered.schema, **description_of(prop)}
            field = prepared[wire]
            if not informative(field.get("description", ""), wire, python[wire]):
                field.pop("description", None)
            if "default" in field and not default_fits(
                field["default"], lowered.annotation, wire in required
            ):
                del field["default"]
            annotation = _MODEL_ANNOTATIONS.sub("Timestamp", lowered.annotation)
            fields.append(ir.Field(wire, python[wire], annotation, wire in required))
        result["properties"] = prepared
        if required:
            result["required"] = required
        extra = schema.get("additionalProperties")
        if isinstance(extra, bool):
            result["additionalProperties"] = extra
        self._classes[name] = result
        self._fields[name] = tuple(fields)
        self._apply_tags(name)

    def marked(self, schema: Any, keyword: str) -> bool:
        """Whether the property schema (or the one it references) says ``keyword: true``."""
        return isinstance(schema, dict) and (
            schema.get(keyword) is True or self.resolve(schema).get(keyword) is True
        )

    def _described(self, result: dict[str, Any], name: str) -> dict[str, Any]:
        """``result`` without a description that only names the class (a model's docstring)."""
        names = (name, self._origin[name])  # a raw title is one word: single_word drops it
        if not informative(result.get("description", ""), *names, single_word=True):
            result.pop("description", None)
        return result

    def _prepare_enum(self, schema: dict[str, Any], name: str) -> dict[str, Any]:
        values = [v for v in schema["enum"] if v is not None]
        result = {**carried(schema), "type": JSON_TYPES[self._enum_base[name]], "enum": values}
        result = self._described(result, name)
        if schema.get(CASE_INSENSITIVE) is True:
            result[CASE_INSENSITIVE] = True
        return result

    def emitted(self) -> tuple[ir.Schema, ...]:
        return tuple(
            ir.Schema(
                self._origin.get(name, name),
                name,
                self._classes[name],
                fields=self._fields.get(name, ()),
                source=self._source.get(name, ""),
            )
            for name in sorted(self._classes)
        )


def _plain_string(prop: Any) -> TypeGuard[dict[str, Any]]:
    """Whether a prepared property is a bare string, which a discriminator may narrow; one
    that already lists its values (``enum``, ``const``, a ``$ref`` to an enum, a union) keeps
    them: documents often declare the value there and leave the mapping implicit."""
    if not isinstance(prop, dict) or prop.get("type") != "string":
        return False
    return not any(k in prop for k in ("enum", "const", "$ref", "anyOf", "oneOf", "allOf"))


def _not_text(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without the constraints on text (length, pattern), for a string the model
    holds as another type (a date, a UUID, an int): pydantic cannot apply them to that type
    and raises ``TypeError`` on every value; the format checks the text instead."""
    return {k: v for k, v in schema.items() if k not in _TEXT_CONSTRAINTS}


_TEXT_CONSTRAINTS = frozenset({"minLength", "maxLength", "pattern"})


def _is_enum(schema: dict[str, Any]) -> bool:
    return isinstance(schema.get("enum"), list) and "const" not in schema


def _count(value: Any) -> int | None:
    """A ``minItems``/``maxItems`` as a number, or None when it is not one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _names_nothing(schema: Any) -> bool:
    """Whether lowering ``schema`` makes no class named after where it is: a reference
    (named after its target) or a scalar type without an enum."""
    if not isinstance(schema, dict):
        return True
    if "$ref" in schema:
        return True
    kind = schema.get("type")
    scalar = isinstance(kind, str) and kind in PRIMITIVES
    return scalar and not {"enum", "allOf", "anyOf", "oneOf"} & set(schema)

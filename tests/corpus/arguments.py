"""Minimal valid arguments for an operation: what a first-time caller would pass.

The integration tests' ``Arguments`` passes every optional argument too; here only
required parameters and required fields are built (an example or default that is
valid against its schema is still used whole; arrays get one item, or ``minItems``),
so that an operation is tried the way the document says it can be called at least.
"""

from __future__ import annotations

import json
import types
import typing
from typing import IO, Any

import hypothesis
from hypothesis import strategies

from generator import ir
from tests.integration import ecma
from tests.integration.prism import Arguments

# A multipart file as httpx sends it: (filename, content, content type).
SAMPLE_FILE = ("sample.txt", b"sample file content\n", "text/plain")
# A string schema with a pattern -> the string found for it (a search takes ~0.1-1 s).
_PATTERN_STRINGS: dict[str, str] = {}


class MinimalArguments(Arguments):
    _media_type = "application/json"  # the request body's, for the operation being built

    def for_operation(
        self, op: ir.Operation, method: Any, also: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """The required arguments, and the optional ones named in ``also`` (not empty)."""
        self._media_type = op.body.media_type if op.body is not None else "application/json"
        path_item = self.document["paths"][op.path]
        raw = path_item[op.method.lower()]
        hints = typing.get_type_hints(method)
        values = {}
        chosen = self._branch_required(raw) if op.body is not None and op.body.flattened else set()
        fields = [p for p in op.params if p.location == "body"]
        required_body = op.body is not None and op.body.required
        if required_body and fields and self._form_body(fields[0]) and not any(
            p.required or p.name in chosen for p in fields
        ):
            # A required form body of optional fields only: with none given it is sent
            # empty, which reads as no body at all.  One field makes it a body.
            chosen = {fields[0].name}
        for param in op.params:
            wanted = param.name in also or (param.location == "body" and param.name in chosen)
            if not param.required and not wanted:
                continue
            if param.python_name not in hints:
                raise TypeError(f"the method has no argument {param.python_name!r}")
            schema = self._parameter_schema(path_item, raw, param)
            value = self.sample(schema)
            if value in ({}, []) and (
                param.location == "path" or self._form_body(param) or param.name in also
            ):
                # An empty path segment is refused, rightly; an empty object or array has no
                # form (deepObject) encoding at all, so a required one would be sent as nothing.
                value = self._filled(schema)
            values[param.python_name] = self._typed(value, hints[param.python_name])
        if op.body is not None and not op.body.flattened and (
            op.body.required or self._no_value("the request body", self._body_schema(raw)) is None
        ):  # an optional body no value can match (a form with no fields) is left out, as it may be
            value = self.sample(self._body_schema(raw))
            if _xml_media(op.body.media_type) and not isinstance(value, str | bytes):
                # The generated client sends XML as the bytes given (it writes no XML); the
                # schema describes the document's elements, which Prism does not check.
                value = _XML_SAMPLE
            values["body"] = self._typed(value, hints["body"])
        return values

    def no_valid_request(self, op: ir.Operation) -> str | None:
        """Why no request of the operation is valid, when a required part of it has no value
        (``_no_value``); else ``None``.  An optional one is left out (``for_operation``)."""
        path_item = self.document["paths"][op.path]
        raw = path_item[op.method.lower()]
        self._media_type = op.body.media_type if op.body is not None else "application/json"
        parts: list[tuple[str, Any]] = [
            (f"{param.location} parameter {param.name!r}",
             self._parameter_schema(path_item, raw, param))
            for param in op.params
            if param.required and param.location != "body"
        ]
        if op.body is not None and op.body.required:
            parts.append(("the request body", self._body_schema(raw)))
        for where, schema in parts:
            reason = self._no_value(where, schema)
            if reason is not None:
                return reason
        return None

    def _no_value(self, where: str, schema: Any) -> str | None:
        """Why no value of the request part ``where`` satisfies its schema: it must contain
        itself (``endless``), its ``allOf`` asks for types no value has at once
        (``clashing_types``), its ``enum`` lists no value of its type, or a text or binary
        body's schema asks for an object; else ``None``."""
        chain = endless(self, schema)
        if chain is not None:
            return (
                f"{where} has no finite value: it requires {' -> '.join(chain)}, which "
                "requires the same again (a required property of its own type)"
            )
        clash = clashing_types(self, schema)
        if clash is not None:
            return f"{where} has no value: its allOf requires {clash} at once"
        kind = self.resolve(schema).get("type")
        if where == "the request body" and self._fieldless_form(schema):
            return (
                f"the request body is {self._media_type}, whose fields decode to an "
                f"object, yet its schema asks for a {kind}, which no form is (Prism "
                "checks the decoded fields against it)"
            )
        raw_body = _raw_media(self._media_type) and not _xml_media(self._media_type)
        if where == "the request body" and raw_body and kind in _SHAPED:
            return (
                f"the request body is {self._media_type}, yet its schema asks for an "
                f"{kind}, which no text or bytes are (Prism checks the bytes against it)"
            )
        enum = self.resolve(schema).get("enum")
        if isinstance(enum, list) and enum and not any(self.valid(v, schema) for v in enum):
            return (
                f"{where} has no value: its enum lists only values the rest of its schema "
                f"refuses ({json.dumps(enum)[:60]} against type "
                f"{json.dumps(self.resolve(schema).get('type'))})"
            )
        return None

    def _fieldless_form(self, schema: Any) -> bool:
        """A form or multipart body whose schema is a scalar: it names no fields."""
        scalar = self.resolve(schema).get("type") in ("string", "number", "integer", "boolean")
        return scalar and self._media_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data"))

    def _form_body(self, param: ir.Param) -> bool:
        return param.location == "body" and self._media_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data"))

    def _filled(self, schema: Any) -> Any:
        """An object with every declared property, or an array of one item."""
        resolved = self.resolve(schema)
        if "properties" in resolved:
            return Arguments._sample_object(self, resolved, 0)
        if "items" in resolved:
            return [self.sample(resolved["items"], 1)]
        return self.sample(schema)

    def _branch_required(self, raw: dict[str, Any]) -> set[str]:
        """Body fields the first ``anyOf``/``oneOf`` branch requires: a body whose branches only
        say which fields must be present (``anyOf: [{required: [a]}, {required: [b]}]``) has
        them as optional arguments, yet needs one branch's fields to be valid."""
        schema = self.resolve(self._body_schema(raw))
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                return set(self.resolve(branches[0]).get("required") or [])
        return set()

    @staticmethod
    def _typed(value: Any, hint: Any) -> Any:
        """A file for a file argument (pydantic has no schema for ``IO[bytes]``), else as typed."""
        file = file_value(hint)
        return file if file is not None else Arguments._typed(value, hint)

    def _parameter_schema(
        self, path_item: dict[str, Any], raw: dict[str, Any], param: ir.Param
    ) -> dict[str, Any]:
        """The operation's parameter, else the path item's (shared by all its operations)."""
        try:
            return self._schema_of(raw, param)
        except KeyError:
            return self._schema_of({"parameters": path_item.get("parameters") or []}, param)

    def _body_schema(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The schema of the media type the client sends (form and multipart bodies too)."""
        content = self.resolve(raw.get("requestBody")).get("content") or {}
        media = content.get(self._media_type)
        if isinstance(media, dict):
            return media.get("schema") or {}
        return super()._body_schema(raw)

    def sample(self, schema: Any, depth: int = 0) -> Any:
        """As the base class does, but a ``oneOf`` value matches exactly one of its branches."""
        resolved = self.resolve(schema)
        branches = resolved.get("oneOf")
        documented = any(key in resolved for key in ("example", "default", "examples", "const"))
        if isinstance(branches, list) and branches and not documented:
            return self._one_of(resolved, depth)
        return super().sample(schema, depth)

    def _one_of(self, schema: dict[str, Any], depth: int) -> Any:
        """The first candidate that exactly one branch accepts (null ones last).

        A branch's own sample may match others too (``{}`` is valid against every free-form
        object); an unknown property, or every declared one, tells such branches apart.
        """
        ordered = sorted(self.branches(schema, "oneOf"), key=lambda b: b.get("type") == "null")
        candidates = [value for branch in ordered for value in self._candidates(branch, depth)]
        for value in candidates:
            if sum(self.valid(value, branch) for branch in schema["oneOf"]) == 1:
                return value
        return candidates[0]

    def branch_values(self, branch: Any) -> list[Any]:
        """The values built for one ``oneOf`` branch: its own sample, with every declared
        property, and with an unknown one (what ``_one_of`` tries)."""
        return self._candidates(branch, 0)

    def _candidates(self, branch: Any, depth: int) -> list[Any]:
        value = self.sample(branch, depth)
        if not isinstance(value, dict):
            return [value]
        resolved = self.resolve(branch)
        full = Arguments._sample_object(self, resolved, depth) if "properties" in resolved else {}
        return [value, {**value, **full}, {**value, "key": "example"}]

    def _sample_string(self, schema: dict[str, Any], depth: int) -> str:
        """The base class's candidates, else the simplest string matching ``pattern``, read
        as ECMA-262 (hypothesis shrinks to it, so the same one every run)."""
        try:
            return super()._sample_string(schema, depth)
        except ValueError:
            if not isinstance(schema.get("pattern"), str):
                raise
        key = json.dumps(schema, sort_keys=True, default=str)
        if key not in _PATTERN_STRINGS:
            _PATTERN_STRINGS[key] = self._search(schema)
        return _PATTERN_STRINGS[key]

    def _search(self, schema: dict[str, Any]) -> str:
        # Derandomized: the same search, so the same string, every run; enough examples to
        # meet a length the pattern leaves open (`^st-[a-z0-9]+$` of exactly 16 characters).
        settings = hypothesis.settings(database=None, max_examples=1000, derandomize=True)
        matching = strategies.from_regex(ecma.to_python(schema["pattern"]))
        try:
            found = hypothesis.find(
                matching, lambda text: self.valid(text, schema), settings=settings
            )
        except hypothesis.errors.NoSuchExample:
            # What every caller of a sampler catches: no value is built for this schema.
            raise ValueError(f"no string of the pattern {schema['pattern']!r} was valid") from None
        return str(found)

    def _sample_object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        """Required properties only; an extra property only when ``minProperties`` asks."""
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        value = {
            name: self.sample(
                properties.get(name, extra if isinstance(extra, dict) else {}), depth + 1
            )
            for name in dict.fromkeys(schema.get("required") or [])
        }
        if isinstance(extra, dict) and len(value) < int(schema.get("minProperties", 0)):
            value["key"] = self.sample(extra, depth + 1)
        return value


    def valid_reply(self, raw: dict[str, Any]) -> tuple[int, str, bytes] | None:
        """The first JSON success response the operation documents, with a body valid against
        its schema (status, media type, body); ``None`` when no valid value is built."""
        for code, response in sorted((raw.get("responses") or {}).items(), key=lambda c: str(c[0])):
            if not str(code).isdigit() or not str(code).startswith("2"):
                continue
            content = self.resolve(response).get("content") or {}
            media_type = next((m for m in content if _json_media(m)), None)
            if media_type is None:
                continue
            value = self._fullest(content[media_type].get("schema") or {})
            return None if value is None else (int(code), media_type, json.dumps(value).encode())
        return None

    def _fullest(self, schema: Any) -> Any:
        """The value with every declared property if valid, else the required ones plus each
        other top-level property that keeps it valid (a document may forbid one, as an
        ``allOf`` adding a property to a closed object does); ``None`` if none is valid."""
        try:
            full = _EveryProperty(self.document).sample(schema)
            if self.valid(full, schema):
                return full
            value = self.sample(schema)
        except (ValueError, RecursionError):
            return None
        if not self.valid(value, schema):
            return None
        if isinstance(value, dict) and isinstance(full, dict):
            for name, item in full.items():
                if name not in value and self.valid({**value, name: item}, schema):
                    value = {**value, name: item}
        return value


class _EveryProperty(MinimalArguments):
    """Values with every declared property (a few levels deep), a ``oneOf`` value still
    matching exactly one branch: a response that shows the client all it may be sent."""

    _sample_object = Arguments._sample_object


_SHAPED = ("object", "array")
_XML_SAMPLE = b'<?xml version="1.0" encoding="UTF-8"?><example/>'


def _xml_media(media_type: str) -> bool:
    essence = media_type.split(";")[0].strip().lower()
    return essence.endswith(("/xml", "+xml"))


def _raw_media(media_type: str) -> bool:
    """A body sent as the text or bytes given: neither JSON nor a form nor multipart."""
    essence = media_type.split(";")[0].strip().lower()
    structured = ("application/x-www-form-urlencoded", "multipart/")
    return not _json_media(essence) and not essence.startswith(structured)


def _json_media(media_type: str) -> bool:
    essence = media_type.split(";")[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def endless(arguments: Arguments, schema: Any, seen: tuple[str, ...] = ()) -> list[str] | None:
    """The required properties through which every value of ``schema`` contains a value of
    ``schema`` again (``TreeNode.required: [parent]``, ``parent: TreeNode``): then it has no
    finite value at all.  ``None`` when some value ends the chain (a null allowed, an optional
    property, an empty array, one ``oneOf``/``anyOf`` branch that ends)."""
    if not isinstance(schema, dict):
        return None
    reference = schema.get("$ref")
    if isinstance(reference, str):
        if reference in seen:
            return [reference.rsplit("/", 1)[-1]]
        seen = (*seen, reference)
    resolved = arguments.resolve(schema)
    kinds = resolved.get("type")
    if resolved.get("nullable") is True or kinds == "null" or "null" in (kinds or []):
        return None
    for key in ("oneOf", "anyOf"):
        branches = resolved.get(key)
        if isinstance(branches, list) and branches:
            chains = [endless(arguments, branch, seen) for branch in branches]
            if any(chain is None for chain in chains):
                return None
            return chains[0]
    for part in resolved.get("allOf") or []:
        chain = endless(arguments, part, seen)
        if chain is not None:
            return chain
    properties = resolved.get("properties") or {}
    for name in resolved.get("required") or []:
        chain = endless(arguments, properties.get(name), seen)
        if chain is not None:
            return [name, *chain]
    if int(resolved.get("minItems", 0)) > 0:
        chain = endless(arguments, resolved.get("items"), seen)
        if chain is not None:
            return ["[0]", *chain]
    return None


def clashing_types(
    arguments: Arguments, schema: Any, seen: frozenset[str] = frozenset()
) -> str | None:
    """The types an ``allOf`` (or a schema and its ``allOf`` parts) requires together when no
    value has all of them (``string`` and ``integer``), through required properties too."""
    reference = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(reference, str):
        if reference in seen:
            return None
        seen |= {reference}
    resolved = arguments.resolve(schema)
    parts = [resolved, *(arguments.resolve(part) for part in resolved.get("allOf") or [])]
    allowed: set[str] | None = None
    asked = []
    for part in parts:
        kinds = part.get("type")
        if kinds is None:
            continue
        named = {kinds} if isinstance(kinds, str) else set(kinds)
        if part.get("nullable") is True:
            named.add("null")
        asked.append(" or ".join(sorted(named)))
        named |= {"integer"} if "number" in named else set()
        allowed = named if allowed is None else allowed & named
    if allowed is not None and not allowed:
        return " and ".join(asked)
    properties = resolved.get("properties") or {}
    for name in resolved.get("required") or []:
        clash = clashing_types(arguments, properties.get(name), seen)
        if clash is not None:
            return f"{clash} (property {name!r})"
    return None


def file_value(hint: Any) -> Any:
    """A value of a hint that takes files (the runtime's ``FileTypes``: ``IO[bytes]``,
    bytes, or a tuple with the file name and content type), or a list of one; else ``None``."""
    members = _union_members(hint)
    if typing.IO[bytes] in members or IO[bytes] in members:
        tuples = [m for m in members if typing.get_origin(m) is tuple]
        return SAMPLE_FILE if any(len(typing.get_args(m)) == 3 for m in tuples) else SAMPLE_FILE[1]
    for member in members:
        if typing.get_origin(member) is list:
            item = file_value(typing.get_args(member)[0])
            if item is not None:
                return [item]
    return None


def _union_members(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return tuple(m for arg in typing.get_args(hint) for m in _union_members(arg))
    return (hint,)

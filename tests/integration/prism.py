"""Prism (a mock server that validates requests against an OpenAPI document) for the tests.

``prism_binary`` finds the project-local install (``npm install --prefix .mock
@stoplight/prism-cli@5.14.2``, as .ci/run does); ``PrismServer`` starts it on a
free port of 127.0.0.1 and always stops it; ``Arguments`` builds valid keyword
arguments for an IR operation from the normalized OpenAPI's schemas.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
import time
import typing
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import jsonschema
import pydantic

from generator import ir
from tests.integration import ecma

ROOT = Path(__file__).resolve().parents[2]


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> typing.Iterator[jsonschema.ValidationError]:
    """JSON Schema's ``pattern`` matched as ECMA-262 reads it, as Prism and pydantic do."""
    if not validator.is_type(instance, "string"):
        return
    try:
        matched = ecma.search(pattern, instance)
    except ValueError as error:
        yield jsonschema.ValidationError(f"{error}: {instance!r} cannot be checked")
        return
    if not matched:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12 with ``pattern`` read as ECMA-262 (``ecma``): what Prism and pydantic accept.
EcmaValidator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
)
# The formats Prism's validator (ajv-formats) checks that the generated models also parse
# into types (date, datetime, UUID): an example outside its format ("2025-10-15T13:51:57Z"
# for a date) is refused by both, so it is no valid value to send or to answer with.
_FORMAT_CHECKER = jsonschema.FormatChecker(["date", "date-time", "uuid"])
PRISM_VERSION = "5.14.2"


def prism_binary() -> Path | None:
    """``$PRISM``, or the project-local install under ``.mock/``."""
    explicit = os.environ.get("PRISM")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    local = ROOT / ".mock" / "node_modules" / ".bin" / "prism"
    return local if local.is_file() and shutil.which("node") else None


class PrismServer:
    """``prism mock --errors <document>`` on a free port; a context manager that always stops it."""

    def __init__(
        self, binary: Path, document: Path, log: Path, options: tuple[str, ...] = ()
    ) -> None:
        self.binary, self.document, self.log = binary, document, log
        self.options = options  # more `prism mock` options
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PrismServer:
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    str(self.binary),
                    "mock",
                    "--errors",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    *self.options,
                    str(self.document),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready(timeout=60)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"prism exited ({self._process.returncode}):\n{self.output()}")
            if "Prism is listening" in self.output():
                return
            time.sleep(0.1)
        raise RuntimeError(f"prism did not start within {timeout} s:\n{self.output()}")

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def restart(self) -> None:
        """Start again on the same port (same URL) after the process died; its log is kept
        beside the new one (``<log>.crashed``)."""
        self.stop()
        if self.log.exists():
            self.log.replace(self.log.with_name(self.log.name + ".crashed"))
        self.__enter__()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prism_rejection(error: BaseException) -> str | None:
    """Prism's reason when ``error`` is its answer to a request that violates the spec.

    Prism answers such a request with its own problem document, or with the operation's
    400/422 response when the spec has one; either way it lists the violations in the
    ``sl-violations`` header.
    """
    response = getattr(error, "response", None)
    violations: str | None = (
        response.headers.get("sl-violations") if response is not None else None
    )
    if violations:
        try:
            found = json.loads(violations)
        except ValueError:
            return violations
        return "; ".join(
            f"{'.'.join(str(p) for p in v.get('location', []))}: {v.get('message')}" for v in found
        )
    body = getattr(error, "body", None)
    if isinstance(body, dict) and "stoplight.io/prism/errors" in str(body.get("type", "")):
        listed = body.get("validation")
        if isinstance(listed, list) and listed:  # the violations themselves say the most
            return f"{body.get('title')} ({body.get('status')}): " + "; ".join(
                f"{'.'.join(str(p) for p in v.get('location', []))}: {v.get('message')}"
                for v in listed
                if isinstance(v, dict)
            )
        return f"{body.get('title')} ({body.get('status')}): {body.get('detail')}"
    return None


# -- valid arguments ---------------------------------------------------------------------------

_STRING_CANDIDATES = ("example", "a", "abc", "A1", "example-1", "x@example.com", "1")
_FORMATS = {
    "date-time": "2024-05-06T07:08:09Z",
    "date": "2024-05-06",
    "uri": "https://example.com/hook",
    "url": "https://example.com/hook",
    "email": "user@example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    # The other formats Prism's validator (ajv-formats) checks, which "example" fails.
    "time": "07:08:09Z",
    "duration": "P1DT2H",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "idn-email": "user@example.com",
    "uri-reference": "https://example.com/hook",
    "iri": "https://example.com/hook",
    "iri-reference": "https://example.com/hook",
    "uri-template": "https://example.com/{id}",
    "json-pointer": "/a/b",
    "relative-json-pointer": "0/a",
    "regex": "^a+$",
    "byte": "ZXhhbXBsZQ==",
}


class Arguments:
    """Valid values for every argument of an operation, from the normalized OpenAPI."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def for_operation(self, op: ir.Operation, method: Any) -> dict[str, Any]:
        """Every argument (optional ones too), typed as the method's signature says."""
        raw = self.document["paths"][op.path][op.method.lower()]
        hints = typing.get_type_hints(method)
        values = {}
        for param in op.params:
            schema = self._schema_of(raw, param)
            values[param.python_name] = self._typed(self.sample(schema), hints[param.python_name])
        if op.body is not None and not op.body.flattened:
            schema = self._body_schema(raw)
            values["body"] = self._typed(self.sample(schema), hints["body"])
        return values

    def _schema_of(self, raw: dict[str, Any], param: ir.Param) -> dict[str, Any]:
        if param.location == "body":
            found: dict[str, Any] = self._properties(self._body_schema(raw)).get(param.name, {})
            return found
        for parameter in raw.get("parameters") or []:
            parameter = self.resolve(parameter)
            if parameter.get("name") == param.name and parameter.get("in") == param.location:
                return parameter.get("schema") or {}
        raise KeyError(f"{param.location} parameter {param.name} not in the OpenAPI document")

    def _properties(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """The object's properties, with those of its ``allOf`` members (a later one wins)."""
        resolved = self.resolve(schema)
        found: dict[str, Any] = dict(resolved.get("properties") or {})
        for member in resolved.get("allOf") or [] if depth < 32 else []:
            found.update(self._properties(member, depth + 1))
        return found

    def _body_schema(self, raw: dict[str, Any]) -> dict[str, Any]:
        content = self.resolve(raw.get("requestBody")).get("content") or {}
        media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
        schema: dict[str, Any] = media.get("schema") or {}
        return schema

    @staticmethod
    def _typed(value: Any, hint: Any) -> Any:
        """The JSON value as the Python type the signature asks for (models, datetimes, ints)."""
        # Only a date-time string: a date sent as midnight would match neither format.
        if isinstance(value, str) and "T" in value and _accepts(hint, datetime):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return pydantic.TypeAdapter(hint).validate_python(value)

    def resolve(self, node: Any) -> dict[str, Any]:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target: Any = self.document
            for part in pointer_segments(node["$ref"]):
                target = target[int(part) if isinstance(target, list) else part]
            node = target
        return node if isinstance(node, dict) else {}

    def sample(self, schema: Any, depth: int = 0) -> Any:
        """A value valid against ``schema``: its example or default when valid, else built."""
        schema = self.resolve(schema)
        for key in ("example", "default"):
            if key in schema and schema[key] is not None and self.valid(schema[key], schema):
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples and self.valid(examples[0], schema):
            return examples[0]
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list):
            # A non-null value when there is one; an enum of only null is null.
            return next((v for v in schema["enum"] if v is not None), None)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                options = [s for s in self.branches(schema, key) if s.get("type") != "null"]
                return self.sample(options[0], depth)
        if isinstance(schema.get("allOf"), list):
            return self.sample(self.all_of(schema), depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "string"
        return getattr(self, f"_sample_{kind}")(schema, depth)

    def branches(self, schema: dict[str, Any], key: str) -> list[dict[str, Any]]:
        """The ``oneOf``/``anyOf`` branches, each with the schema's own type and properties:
        a branch may be a constraint only (``{"required": ["file_id"]}``) on its parent."""
        parent = {name: value for name, value in schema.items() if name != key}
        structured = "type" in parent or "properties" in parent
        resolved = [self.resolve(branch) for branch in schema[key]]
        return [_merged(parent, branch) if structured else branch for branch in resolved]

    def all_of(self, schema: dict[str, Any]) -> dict[str, Any]:
        """One schema from an ``allOf``, its siblings and parts; nested ``allOf``s merged too
        (a part's own ``allOf`` copied into the result would drop the other parts)."""
        merged = {key: value for key, value in schema.items() if key != "allOf"}
        for part in schema["allOf"]:
            part = self.resolve(part)
            merged = _merged(merged, self.all_of(part) if "allOf" in part else part)
        return merged

    def valid(self, value: Any, schema: dict[str, Any]) -> bool:
        root = {**schema, "components": self.document.get("components") or {}}
        try:
            EcmaValidator(root, format_checker=_FORMAT_CHECKER).validate(value)
        except (jsonschema.ValidationError, jsonschema.SchemaError):
            return False
        return True

    def _sample_string(self, schema: dict[str, Any], depth: int) -> str:
        fmt = schema.get("format")
        if fmt in ("int32", "int64", "uint32", "uint64"):
            return str(self._sample_integer(schema, depth))
        if fmt in _FORMATS:
            return _FORMATS[fmt]
        low, high = int(schema.get("minLength", 1)), int(schema.get("maxLength", 64))
        for candidate in _STRING_CANDIDATES:
            text = candidate * max(1, -(-low // len(candidate)))
            if low <= len(text) <= high and self.valid(text, schema):
                return text
        pattern = schema.get("pattern")
        raise ValueError(f"no sample string for pattern {pattern!r} (add one to the candidates)")

    def _sample_integer(self, schema: dict[str, Any], depth: int) -> int:
        low, high = schema.get("minimum"), schema.get("maximum")
        if isinstance(schema.get("exclusiveMinimum"), int | float):
            low = schema["exclusiveMinimum"] + 1
        if isinstance(schema.get("exclusiveMaximum"), int | float):
            high = schema["exclusiveMaximum"] - 1
        value = 1 if low is None else max(1, math.ceil(low))
        return value if high is None or value <= high else math.floor(high)

    def _sample_number(self, schema: dict[str, Any], depth: int) -> float:
        return float(self._sample_integer(schema, depth))

    def _sample_boolean(self, schema: dict[str, Any], depth: int) -> bool:
        return True

    def _sample_null(self, schema: dict[str, Any], depth: int) -> None:
        return None

    def _sample_array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        count = max(1, int(schema.get("minItems", 1)))
        if schema.get("uniqueItems"):
            count = 1 if int(schema.get("minItems", 1)) <= 1 else count
        return [self.sample(schema.get("items") or {}, depth + 1) for _ in range(count)]

    def _sample_object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        # Beyond a few levels only what is required: recursive schemas must end.
        names = [n for n in properties if depth < 4 or n in required]
        value = {name: self.sample(properties[name], depth + 1) for name in names}
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict):
            value["key"] = self.sample(extra, depth + 1)
        return value


def _merged(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    result = {**a, **b}
    result["properties"] = {**(a.get("properties") or {}), **(b.get("properties") or {})}
    result["required"] = [*(a.get("required") or []), *(b.get("required") or [])]
    return result


def _accepts(hint: Any, kind: type) -> bool:
    return hint is kind or kind in typing.get_args(hint)


def pointer_segments(reference: str) -> list[str]:
    """The keys a local ``$ref`` (``#/paths/~1a~1%7Bid%7D/get``) walks: a URI fragment is
    percent-decoded first, then each JSON pointer segment unescaped (RFC 6901 sections 6, 4)."""
    pointer = unquote(reference.removeprefix("#"))
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]

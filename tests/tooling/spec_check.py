"""Checking a fixture against its provider's normalized OpenAPI (generated/openapi/<p>.json).

The fixture's operation (``resource.method``) is found through the IR snapshot, then:
the request's method and path fit the operation, path and query values fit their parameters,
no undeclared query parameter is sent, a declared security scheme is satisfied, the JSON body
fits the request schema, and the response body fits the response schema declared for its
status (OpenAPI 3.1 dialect, ``$ref``s resolved in the document).  Response enums are open (the
clients accept unknown values; a fixture may carry one on purpose).  Error fixtures are checked
against a declared error response (a 4xx/5xx status, ``4XX`` or ``default``) when there is one;
a failure inside a 2xx is not, since the 2xx schema describes success.  A request the service
rejected as malformed (an error fixture with status 400 or 422) is checked for its method, path
and credentials only: it may break the request schema on purpose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.contract.harness import Fixture
from tests.tooling.plan import ROOT, operation_table

__all__ = ["SpecChecker"]

_JSON_MEDIA = ("application/json", "*/*")
_REJECTED = (400, 422)


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    pointer: str  # JSON pointer of the operation object in the document
    node: Mapping[str, Any]
    item_pointer: str  # the path item, whose `parameters` apply to every method
    item: Mapping[str, Any]


class SpecChecker:
    """``SpecChecker("yotta").check(fixture)`` -> one line per mismatch (empty when it fits)."""

    def __init__(
        self,
        provider: str,
        document: Mapping[str, Any] | None = None,
        operations: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.provider = provider
        self._operations = operations
        path = ROOT / "generated" / "openapi" / f"{provider}.json"
        self.document = document if document is not None else json.loads(path.read_text("utf-8"))
        self._uri = f"urn:gpuworkers:openapi:{provider}"
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(self._uri, resource)

    @cached_property
    def _ir(self) -> Mapping[str, Mapping[str, Any]]:
        return self._operations if self._operations is not None else operation_table(self.provider)

    def check(self, fixture: Fixture) -> list[str]:
        op = self._operation(fixture.operation)
        if isinstance(op, str):
            return [op]
        request, response = fixture.data["request"], fixture.data["response"]
        # A request the service rejected as malformed may be out of spec on purpose.
        rejected = fixture.is_error and response["status"] in _REJECTED
        problems = list(self._check_request(op, request, check_values=not rejected))
        problems += self._check_response(op, response, fixture.is_error)
        return problems

    # -- finding the operation --------------------------------------------------------------

    def _operation(self, name: str) -> _Operation | str:
        ir = self._ir.get(name)
        if ir is None:
            return f"operation {name} is not in the IR snapshot"
        item = self.document.get("paths", {}).get(ir["path"])
        method = ir["method"].lower()
        if not item or method not in item:
            return f"{ir['method']} {ir['path']} is not in generated/openapi/{self.provider}.json"
        item_pointer = f"/paths/{_escape(ir['path'])}"
        pointer = f"{item_pointer}/{method}"
        return _Operation(ir["method"], ir["path"], pointer, item[method], item_pointer, item)

    def _parameters(self, op: _Operation) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """(in, name) -> (parameter, JSON pointer of its schema); operation-level ones win."""
        found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for base, node in ((op.item_pointer, op.item), (op.pointer, op.node)):
            for index, raw in enumerate(node.get("parameters", [])):
                param = self._deref(raw)
                where = raw["$ref"][1:] if "$ref" in raw else f"{base}/parameters/{index}"
                found[(param["in"], param["name"])] = (param, f"{where}/schema")
        return found

    def _deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and str(node["$ref"]).startswith("#/"):
            node = self._at(node["$ref"][1:])
            seen += 1
            if seen > 20:
                raise ValueError("reference cycle")
        return node

    def _at(self, pointer: str) -> Any:
        node: Any = self.document
        for part in filter(None, pointer.split("/")):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    # -- request -----------------------------------------------------------------------------

    def _check_request(
        self, op: _Operation, request: Mapping[str, Any], check_values: bool
    ) -> Iterator[str]:
        if request["method"] != op.method:
            yield f"request method {request['method']} != {op.method} {op.path}"
        values = _match_path(op.path, request["path"])
        if values is None:
            yield f"request path {request['path']} does not fit {op.path}"
            values = {}
        params = self._parameters(op)
        yield from self._check_security(op, request)
        if check_values:
            yield from self._check_parameters(op, params, "path", values)
            yield from self._check_parameters(op, params, "query", request.get("query", {}))
            yield from self._check_body(op, request)

    def _check_parameters(
        self,
        op: _Operation,
        params: Mapping[tuple[str, str], tuple[dict[str, Any], str]],
        location: str,
        given: Mapping[str, Any],
    ) -> Iterator[str]:
        declared = {name: p for (where, name), p in params.items() if where == location}
        for name in sorted(set(given) - set(declared)):
            yield f"{location} parameter {name!r} is not declared by {op.method} {op.path}"
        for name, (param, pointer) in declared.items():
            if name not in given:
                if param.get("required"):
                    yield f"required {location} parameter {name!r} is missing"
                continue
            schema = self._deref(param.get("schema", {}))
            value = _coerce(given[name], schema, param, self._deref)
            yield from self._validate(
                value, pointer, f"{location} parameter {name!r}", open_enums=False
            )

    def _check_security(self, op: _Operation, request: Mapping[str, Any]) -> Iterator[str]:
        requirements = op.node.get("security", self.document.get("security"))
        if not requirements or any(not r for r in requirements):
            return
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        headers = {k.lower(): v for k, v in request.get("headers", {}).items()}
        query = request.get("query", {})
        for requirement in requirements:
            if all(_satisfied(schemes.get(name, {}), headers, query) for name in requirement):
                return
        names = " or ".join("+".join(r) for r in requirements)
        yield f"request carries no credentials for the declared security ({names})"

    def _check_body(self, op: _Operation, request: Mapping[str, Any]) -> Iterator[str]:
        raw = op.node.get("requestBody")
        if raw is None:
            if "json" in request:
                yield f"request has a JSON body but {op.method} {op.path} declares none"
            return
        body = self._deref(raw)
        if "json" not in request:
            if body.get("required"):
                yield "request body is required but the fixture sends none"
            return
        pointer = self._content_schema_pointer(body, f"{op.pointer}/requestBody", raw)
        if pointer is not None:
            yield from self._validate(request["json"], pointer, "request body", open_enums=False)

    # -- response ----------------------------------------------------------------------------

    def _check_response(
        self, op: _Operation, response: Mapping[str, Any], is_error: bool
    ) -> Iterator[str]:
        status = response["status"]
        key = _response_key(op.node.get("responses", {}), status, is_error)
        if key is None:
            if not is_error:
                yield f"status {status} is not a declared response of {op.method} {op.path}"
            return
        raw = op.node["responses"][key]
        declared = self._deref(raw)
        pointer = self._content_schema_pointer(
            declared, f"{op.pointer}/responses/{_escape(key)}", raw
        )
        if pointer is None:
            return
        if "json" not in response:
            if not is_error:
                yield f"response {status} is not JSON but the spec declares a JSON schema"
            return
        yield from self._validate(
            response["json"], pointer, f"response {status} body", open_enums=True
        )

    def _content_schema_pointer(
        self, node: Mapping[str, Any], pointer: str, raw: Mapping[str, Any]
    ) -> str | None:
        if "$ref" in raw:
            pointer = raw["$ref"][1:]
        content = node.get("content", {})
        media = next((m for m in _JSON_MEDIA if m in content), None)
        media = media or next((m for m in content if "json" in m), None)
        if media is None or "schema" not in content[media]:
            return None
        return f"{pointer}/content/{_escape(media)}/schema"

    # -- schema validation -------------------------------------------------------------------

    def _validate(self, value: Any, pointer: str, what: str, open_enums: bool) -> Iterator[str]:
        """Schema errors of ``value``; with ``open_enums``, a value outside an enum is accepted,
        as the clients accept it (the services add statuses before their pages list them)."""
        validator = OAS31Validator(
            {"$ref": f"{self._uri}#{pointer}"},
            registry=self._registry,
            format_checker=oas31_format_checker,
        )
        errors = [
            e
            for e in validator.iter_errors(value)
            if not (open_enums and _only_closed_enums(e))
        ]
        for error in sorted(errors, key=lambda e: list(e.absolute_path))[:5]:
            leaf = best_match([error])
            where = "".join(f"[{p!r}]" for p in leaf.absolute_path)
            yield f"{what}{where}: {_message(leaf)}"


def _message(error: Any) -> str:
    """jsonschema's message, without repeating a whole object or list back."""
    if error.validator == "type":
        return f"expected {error.validator_value}, got {_json_type(error.instance)}"
    message = str(error.message)
    return message if len(message) <= 160 else message[:157] + "..."


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "integer" if isinstance(value, int) else "number")


def _only_closed_enums(error: Any) -> bool:
    """True when ``error`` goes away once enums are open: every leaf is an enum miss, or, for
    an anyOf/oneOf, some branch fails only on enum misses."""
    if not error.context:
        return bool(error.validator == "enum")
    if error.validator in ("anyOf", "oneOf"):
        branches: dict[Any, list[Any]] = {}
        for child in error.context:
            branches.setdefault(child.relative_schema_path[0], []).append(child)
        return any(all(_only_closed_enums(c) for c in errs) for errs in branches.values())
    return all(_only_closed_enums(child) for child in error.context)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _match_path(template: str, path: str) -> dict[str, str] | None:
    names = re.findall(r"\{([^}]+)\}", template)
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<p{names.index(name)}>[^/]+)")
    match = re.fullmatch(pattern, path)
    if match is None:
        return None
    return {name: match.group(f"p{index}") for index, name in enumerate(names)}


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    return {kind} if kind else set()


def _coerce(value: Any, schema: Mapping[str, Any], param: Mapping[str, Any], deref: Any) -> Any:
    """A query or path string as the JSON value its schema describes (when it reads as one)."""
    kinds = _types(schema)
    if "array" in kinds:
        items = value if isinstance(value, list) else [value]
        if (
            param.get("explode") is False
            or param.get("style") in ("simple", None)
            and (param.get("in") == "path")
        ):
            items = [part for item in items for part in str(item).split(",")]
        item_schema = deref(schema.get("items", {}))
        return [_coerce(item, item_schema, {}, deref) for item in items]
    if not isinstance(value, str):
        return value
    if "integer" in kinds and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "number" in kinds and re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value):
        return float(value)
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value


def _satisfied(
    scheme: Mapping[str, Any], headers: Mapping[str, str], query: Mapping[str, object]
) -> bool:
    kind = scheme.get("type")
    if kind == "apiKey":
        name = scheme.get("name", "")
        return name.lower() in headers if scheme.get("in") == "header" else name in query
    if kind == "http":
        prefix = str(scheme.get("scheme", "")).lower() + " "
        return headers.get("authorization", "").lower().startswith(prefix)
    return True  # oauth2 / openIdConnect: not checked


def _response_key(responses: Mapping[str, Any], status: int, is_error: bool) -> str | None:
    if is_error and status < 400:
        return None  # a failure envelope inside a 2xx: the declared 2xx schema is for success
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            if key == "default" and not is_error and status >= 400:
                return None
            return key
    return None

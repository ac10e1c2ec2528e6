"""OpenAPI 3.1 -> IR: the only module that interprets OpenAPI semantics.

Operation names, resources, idempotency and pagination come from ``x-`` extensions
that a provider's overlay sets (``x-resource``, ``x-python-name``,
``x-idempotent``, ``x-pagination``); without them the names derive from the
first tag and the operationId.  Request bodies that are objects are flattened
into keyword arguments.  Responses are unwrapped through the provider's
envelope.  Only schemas reachable from the operations become models.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from typing import Any

from generator import ir
from generator.client_names import avoid_runtime_names
from generator.diagnostics import Diagnostics, Location
from generator.lower_media import (
    file_annotation,
    form_encoding,
    media_kind,
    part_content_types,
    request_media,
    response_media,
    union_of,
    wire_media,
)
from generator.lower_params import (
    case_insensitive,
    disambiguated,
    identity_mismatches,
    merged_parameters,
    parameter_schema,
)
from generator.lower_provider import (
    base_url,
    base_url_env,
    client_name,
    display_name,
    operation_server,
)
from generator.lower_schemas import SchemaSet
from generator.lower_security import Security
from generator.naming import (
    RESERVED_ARGUMENTS,
    method_name,
    pascal_case,
    python_identifier,
    resource_name,
    snake_case,
)
from generator.pagekit import HTTP_METHODS, path_parameter_names
from generator.provider import EnvelopeSpec, ProviderSpec, RetrySpec
from generator.schema_shapes import (
    adds_shape,
    flatten_all_of,
    informative,
    nullable,
    object_properties,
)

_IDEMPOTENT_METHODS = frozenset({"get", "head", "put", "delete", "options"})
# Statuses whose answers have no content (RFC 9110, sections 15.3.5 and 15.3.6).
# A form or multipart body of one of these types names no fields: it is the encoded body itself.
_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})
_NO_CONTENT = frozenset({"204", "205"})
# Headers that frame the message (RFC 9112): httpx sets them from what it sends.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection", "te"})


def lower(
    document: dict[str, Any],
    provider: ProviderSpec,
    diagnostics: Diagnostics,
    settings: str = "",
) -> ir.Api:
    """``settings`` is provider.toml as shown in messages."""
    settings = settings or f"specs/{provider.name}/provider.toml"
    # Model classes are imported beside the client classes: they must not take their names.
    client = client_name(provider)
    schemas = SchemaSet(
        document, diagnostics, reserved=frozenset({f"{client}Client", f"Async{client}Client"})
    )
    security = Security(document, provider, diagnostics, settings)
    renamed = _distinct_names(document, diagnostics)
    operations = [
        _Operation(
            document, schemas, provider, diagnostics, path, method, renamed.get(id(op), op), item
        ).lower(security)
        for path, item in (document.get("paths") or {}).items()
        for method, op in item.items()
        if method in HTTP_METHODS and isinstance(op, dict)
    ]
    info = document.get("info") or {}
    name = display_name(document, provider)
    return ir.Api(
        name=provider.name,
        display_name=name,
        client_name=client,
        title=str(info.get("title", name)),
        description=str(info.get("description", "")),
        base_url=base_url(document, provider, diagnostics, settings),
        base_url_env=base_url_env(provider),
        credentials=security.credentials,
        auth=security.auth,
        envelope=_envelope(provider.envelope),
        retry=_retry(provider.retry),
        headers=tuple(sorted(provider.headers.items())),
        resources=_unshadowed(
            avoid_runtime_names(_resources(operations, diagnostics), diagnostics),
            schemas.emitted(),
        ),
        schemas=schemas.emitted(),
        secret_fields=provider.secret_fields,
    )


def _envelope(spec: EnvelopeSpec | None) -> ir.Envelope | None:
    """The envelope's keys as the runtime reads them (its ``wrapper`` shaped the document)."""
    if spec is None:
        return None
    keys = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name != "wrapper"}
    return ir.Envelope(**keys)


def _retry(spec: RetrySpec) -> ir.Retry:
    writes = sorted(spec.non_idempotent_statuses.items())
    return ir.Retry(
        max_retries=spec.max_retries,
        statuses=spec.statuses,
        non_idempotent_statuses=tuple(status for status, _ in writes),
        non_idempotent_reasons=tuple(" ".join(reason.split()) for _, reason in writes),
        idempotency_header=spec.idempotency_header,
    )


def _unshadowed(
    resources: tuple[ir.Resource, ...], models: tuple[ir.Schema, ...]
) -> tuple[ir.Resource, ...]:
    """Resource classes renamed where a model class has their name: client.py imports the
    models beside its own classes (`Async<X>Resource`, `<X>ResourceWithRawResponse` too)."""
    taken = {schema.class_name for schema in models}

    def clashes(name: str) -> bool:
        return bool({name, f"Async{name}", f"{name}WithRawResponse"} & taken)

    result = []
    for resource in resources:
        base = resource.class_name.removesuffix("Resource")
        candidates = itertools.chain(
            [resource.class_name, f"{base}ApiResource"],
            (f"{base}Api{number}Resource" for number in itertools.count(2)),
        )
        name = next(candidate for candidate in candidates if not clashes(candidate))
        result.append(dataclasses.replace(resource, class_name=name))
    return tuple(result)


def _distinct_names(document: dict[str, Any], diagnostics: Diagnostics) -> dict[int, Any]:
    """Each operation whose operationId an earlier one already has, given its own name
    (``x-python-name``): the id, the method and the path, so it never changes by itself."""
    first: dict[str, str] = {}
    renamed: dict[int, Any] = {}
    for path, item in (document.get("paths") or {}).items():
        for method, op in item.items():
            if method not in HTTP_METHODS or not isinstance(op, dict) or "x-python-name" in op:
                continue
            operation_id = op.get("operationId")
            if not isinstance(operation_id, str) or not operation_id:
                continue
            if operation_id not in first:
                first[operation_id] = f"{method.upper()} {path}"
                continue
            name = snake_case(f"{operation_id}_{method}{pascal_case(path)}")
            renamed[id(op)] = {**op, "x-python-name": name}
            diagnostics.warning(
                Location.parse(str(op.get("x-source", ""))),
                f"operationId {operation_id!r} is also the id of {first[operation_id]}: "
                f"{method.upper()} {path} is named {name!r}",
                "give each operation its own operationId, or an x-python-name in the overlay",
            )
    return renamed


def _resources(operations: list[ir.Operation], diagnostics: Diagnostics) -> tuple[ir.Resource, ...]:
    grouped: dict[str, list[ir.Operation]] = {}
    for op in operations:
        grouped.setdefault(op.resource, []).append(op)
    resources = []
    for name, ops in sorted(grouped.items()):
        seen: dict[str, ir.Operation] = {}
        for op in ops:
            if op.python_name in seen:
                diagnostics.error(
                    Location.parse(op.source),
                    f"two operations are both named {name}.{op.python_name} "
                    f"({seen[op.python_name].operation_id} and {op.operation_id})",
                    "give one of them another x-python-name in the overlay",
                )
            seen[op.python_name] = op
        resources.append(ir.Resource(name, pascal_case(name) + "Resource", tuple(ops)))
    return tuple(resources)


class _Operation:
    """Lowers one OpenAPI operation; small steps, one per part of the operation."""

    def __init__(
        self,
        document: dict[str, Any],
        schemas: SchemaSet,
        provider: ProviderSpec,
        diagnostics: Diagnostics,
        path: str,
        method: str,
        op: dict[str, Any],
        item: dict[str, Any],
    ) -> None:
        self.document, self.schemas, self.provider = document, schemas, provider
        self.diagnostics, self.path, self.method, self.op = diagnostics, path, method, op
        self.item = item  # the path item: its `parameters` apply to every operation under it
        self.source = str(op.get("x-source", ""))
        self.operation_id = str(op.get("operationId") or f"{method}{pascal_case(path)}")
        self.context = pascal_case(str(op.get("x-python-name") or self.operation_id).split(".")[-1])

    def lower(self, security: Security) -> ir.Operation:
        auth = security.for_operation(self.op, self.operation_id)
        params = self._parameters(security.auth if auth is None else auth)
        body, body_params = self._body()
        resource, name = self._names()
        returns, status, media = self._returns()
        pagination = self._pagination(returns)
        all_params = self._checked(params + body_params)
        operation = ir.Operation(
            operation_id=self.operation_id,
            resource=resource,
            python_name=name,
            method=self.method.upper(),
            path=self.path,
            summary=str(self.op.get("summary", "")).strip(),
            description=str(self.op.get("description", "")).strip(),
            idempotent=bool(self.op.get("x-idempotent", self.method in _IDEMPOTENT_METHODS)),
            params=all_params,
            body=body,
            returns=returns,
            status=status,
            response_media=media,
            pagination=pagination,
            deprecated=bool(self.op.get("deprecated", False)),
            source=self.source,
            auth=auth,
            server=operation_server(self.item, self.op, self.diagnostics, self.source),
        )
        for problem in identity_mismatches(operation, self.schemas.field_annotation):
            self.diagnostics.warning(
                Location.parse(self.source),
                problem,
                "give both one type in the overlay (an id sent as a decimal string: "
                "type string, format int64, which is int in Python)",
            )
        return operation

    def _names(self) -> tuple[str, str]:
        explicit = self.op.get("x-python-name")
        resource = self.op.get("x-resource")
        rpc = str(self.op.get("x-rpc-name") or "").split(".")
        if resource is None and not self.op.get("tags") and len(rpc) == 2 and all(rpc):
            # An RPC-style path (`/service.action`, named by the reader): client.service.action
            resource, explicit = rpc[0], explicit or rpc[1]
        if resource is None:
            tags = self.op.get("tags") or ["api"]
            resource = tags[0]
        name = method_name(str(explicit or self.operation_id), self.method)
        return resource_name(str(resource)), name

    def _parameters(self, auth: tuple[ir.Auth, ...]) -> list[ir.Param]:
        """``auth``: the operation's security alternatives (the client's when it has none)."""
        result = []
        for parameter in merged_parameters(self.item, self.op, self.schemas.resolve):
            location = parameter.get("in")
            if location not in ("path", "query", "header", "cookie"):
                continue
            if location == "header" and self._ignored_header(parameter, auth):
                continue
            schema, style = parameter_schema(parameter)
            result.append(
                self._param(
                    str(parameter.get("name")),
                    location,
                    schema,
                    required=bool(parameter.get("required", location == "path")),
                    description=str(
                        parameter.get("description") or schema.get("description") or ""
                    ),
                    style=style,
                    explicit=parameter.get("x-python-name"),
                    source=str(parameter.get("x-source", self.source)),
                )
            )
        declared = {param.name for param in result if param.location == "path"}
        for name in dict.fromkeys(path_parameter_names(self.path)):
            if name not in declared:  # the template needs it: a string, as the URL is text
                result.append(
                    self._param(
                        name,
                        "path",
                        {"type": "string"},
                        required=True,
                        description="",
                        source=self.source,
                    )
                )
        return result

    def _ignored_header(self, parameter: dict[str, Any], auth: tuple[ir.Auth, ...]) -> bool:
        """Headers the client sets itself.  OpenAPI 3 ignores ``Accept`` and ``Content-Type``
        parameters (the media types set them) and ``Authorization`` (security schemes set
        it); that one is kept as an argument when no scheme of the operation sends it (apiKey
        headers of other names, or none), as it is then the only way to send one.
        A header that frames the message (``Content-Length``) is httpx's: a value made up
        for it breaks the request, so it is dropped with a warning."""
        name = str(parameter.get("name", "")).strip().lower()
        if name in ("accept", "content-type"):
            return True
        if name == "authorization":
            return any(_sets_authorization(option) for option in auth)
        if name in _FRAMING_HEADERS:
            self.diagnostics.warning(
                Location.parse(str(parameter.get("x-source", self.source))),
                f"{self.operation_id}: header parameter {parameter.get('name')!r} frames the "
                "HTTP message, which httpx sets from the body; it is not an argument",
                "remove the parameter from the document",
            )
            return True
        return False

    def _param(
        self,
        name: str,
        location: Any,
        schema: dict[str, Any],
        *,
        required: bool,
        description: str,
        style: str = "form",
        explicit: Any = None,
        source: str = "",
        files: bool = False,
    ) -> ir.Param:
        """``files``: a multipart field, where a file schema means bytes or a file object."""
        resolved = self.schemas.resolve(schema)
        annotation = (files and file_annotation(resolved, self.schemas.resolve)) or (
            self.schemas.request_annotation(schema, self.context + pascal_case(name))
        )
        as_string = self.schemas.is_integer_string(schema)
        python_name = python_identifier(str(explicit or name), RESERVED_ARGUMENTS)
        return ir.Param(
            name=name,
            python_name=python_name,
            location=location,
            annotation=("int | None" if nullable(schema) else "int") if as_string else annotation,
            required=required,
            description=informative(" ".join(description.split()), name, python_name),
            default=schema.get("default"),
            style=style,  # type: ignore[arg-type]
            encode="str" if as_string else "json",
            source=source,
            case_insensitive=case_insensitive(schema, self.schemas.resolve),
        )

    def _body(self) -> tuple[ir.Body | None, list[ir.Param]]:
        request_body = self.schemas.resolve(self.op.get("requestBody"))
        if not request_body:
            return None, []
        content = request_body.get("content") or {}
        chosen = request_media(content)
        media = content.get(chosen) or {}
        schema = media.get("schema") or {}
        media_type = wire_media(chosen, self.schemas.resolve(schema))
        kind = media_kind(media_type)
        body = ir.Body(
            media_type,
            bool(request_body.get("required", False)),
            flattened=False,
            encoding=form_encoding(media) if kind in ("form", "multipart") else (),
            part_types=part_content_types(media) if kind == "multipart" else (),
            offered=tuple(str(m) for m in content) if len(content) > 1 else (),
        )
        target = self.schemas.resolve(schema)
        if "allOf" in target:  # the members' properties are arguments too, as in the model
            target = flatten_all_of(target, self.schemas.resolve)
        properties = object_properties(target) if "properties" in target else None
        # Properties become keyword arguments; an object with none and no extra keys is an
        # empty body, while one that admits any key is a `body=` mapping.
        closed = properties or target.get("additionalProperties") in (None, False)
        # Branches beside the properties (oneOf/anyOf) say more than the properties alone:
        # such a body is one `body=` argument of its union type.
        branches = adds_shape(target.get("oneOf")) or adds_shape(target.get("anyOf"))
        if (
            kind in ("json", "form", "multipart")
            and isinstance(properties, dict)
            and closed
            and not branches
            and (target.get("type", "object") == "object")
        ):
            # A readOnly property is the server's to set: no argument, never sent.
            sent = {n: p for n, p in properties.items() if not self.schemas.marked(p, "readOnly")}
            params = self._body_params(target, sent, files=kind == "multipart")
            # A JSON body is validated by its model before sending (what is sent of it: no
            # readOnly property, see lower_schemas); a form carries files or travels as
            # strings, and an object without properties has no model class.
            model = ""
            if kind == "json":
                model = self.schemas.request_model(schema, self.context + "Request")
            return dataclasses.replace(
                body, flattened=True, model=model if model.isidentifier() else ""
            ), params
        if kind in ("form", "multipart") and target.get("type") in _SCALAR_TYPES:
            self._warn_scalar_form(media_type, str(target.get("type")))
            return dataclasses.replace(body, annotation="str | bytes"), []
        annotation = {"text": "str", "binary": "bytes"}.get(
            kind
        ) or self.schemas.request_annotation(schema, self.context + "Body")
        return dataclasses.replace(body, annotation=annotation), []

    def _warn_scalar_form(self, media_type: str, kind: str) -> None:
        self.diagnostics.warning(
            Location.parse(self.source),
            f"{self.operation_id}: the {media_type} request body's schema is a {kind}, not an "
            "object: a form's fields are an object's properties, so the method takes the body "
            "already encoded (text or bytes) and sends it as it is",
            "describe the form's fields as the properties of an object schema",
        )

    def _body_params(
        self, target: dict[str, Any], properties: dict[str, Any], *, files: bool
    ) -> list[ir.Param]:
        needed = set(target.get("required") or [])
        return [
            self._param(
                name,
                "body",
                prop,
                required=name in needed,
                description=str(self.schemas.resolve(prop).get("description") or ""),
                explicit=prop.get("x-python-name"),
                source=str(prop.get("x-source", self.source)),
                files=files,
            )
            for name, prop in properties.items()
        ]

    def _returns(self) -> tuple[str, str, str]:
        """The union of every 2xx response's type, the first 2xx code and its media type.

        With no 2xx response, ``default`` describes every answer, the successful ones too.
        """
        responses = {str(code): value for code, value in (self.op.get("responses") or {}).items()}
        success = sorted(code for code in responses if code.startswith("2"))
        if not success and "default" in responses:
            annotation, media_type = self._response(responses["default"])
            return annotation, "200", media_type or "application/json"
        if not success:
            return "None", "200", "application/json"
        annotations, media_types = [], []
        for code in success:
            annotation, media_type = self._response(responses[code])
            annotations.append(annotation)
            media_types.append(media_type)
            if code in _NO_CONTENT and annotation != "None":
                annotations.append("None")  # what such an answer always is
                self._warn_content_on(code)
        first_media = next((m for m in media_types if m), "")
        return union_of(annotations), success[0], first_media or "application/json"

    def _warn_content_on(self, code: str) -> None:
        self.diagnostics.warning(
            Location.parse(self.source),
            f"{self.operation_id}: response {code} declares content, which a {code} never "
            "has (RFC 9110, section 15.3): the method returns None for an empty answer, and "
            "the declared type if a server sends a body anyway",
            f"document the content under the status the API answers with (200), not {code}",
        )

    def _response(self, raw: Any) -> tuple[str, str]:
        content = self.schemas.resolve(raw).get("content") or {}
        chosen = response_media(content)
        raw_schema = (content.get(chosen) or {}).get("schema") or {}
        media_type = wire_media(chosen, self.schemas.resolve(raw_schema))
        kind = media_kind(media_type) if media_type else "json"
        if kind in ("text", "binary"):
            return ("str" if kind == "text" else "bytes"), media_type
        schema = self._unwrap(copy.deepcopy(raw_schema))
        annotation = self.schemas.annotation(schema, self.context + "Response", empty="None")
        return annotation, media_type

    def _unwrap(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = self.provider.envelope
        if envelope is None or envelope.data is None:
            return schema
        if envelope.data_optional:
            # The service sends either the bare data or the envelope around it: the result
            # type is the branch that is not the envelope.
            schema = self._bare_branch(schema, envelope.data.split(".")[0])
        current = schema
        for part in envelope.data.split("."):
            properties = self.schemas.resolve(current).get("properties") or {}
            if part not in properties:
                if not envelope.data_optional:
                    self.diagnostics.warning(
                        Location.parse(self.source),
                        f"{self.operation_id}: response has no envelope field {envelope.data!r}",
                        "describe the envelope in the overlay",
                    )
                return schema
            current = properties[part]
        return current

    def _bare_branch(self, schema: dict[str, Any], data_field: str) -> dict[str, Any]:
        for key in ("oneOf", "anyOf"):
            branches = self.schemas.resolve(schema).get(key)
            if isinstance(branches, list):
                for branch in branches:
                    if data_field not in (self.schemas.resolve(branch).get("properties") or {}):
                        return dict(branch)
        return schema

    def _pagination(self, returns: str) -> ir.Pagination | None:
        spec = self.op.get("x-pagination")
        if not isinstance(spec, dict):
            return None
        item = self.schemas.item_annotation(returns, str(spec.get("items", "")))
        if item is None:
            self.diagnostics.error(
                Location.parse(self.source),
                f"x-pagination.items {spec.get('items')!r} is not a list field of {returns}",
                "name the response field that holds each page's items",
            )
            return None
        cursor = tuple(sorted((str(k), str(v)) for k, v in (spec.get("cursor") or {}).items()))
        has_more = spec.get("has_more")
        return ir.Pagination(str(spec["items"]), has_more and str(has_more), cursor, returns, item)

    def _checked(self, params: list[ir.Param]) -> tuple[ir.Param, ...]:
        params, renamed = disambiguated(params)
        for group, names in renamed:
            self._warn_renamed(group, names)
        # Required arguments first, then optional; each group in page order.
        return tuple(sorted(params, key=lambda p: not p.required))

    def _warn_renamed(self, group: tuple[ir.Param, ...], renamed: tuple[str, ...]) -> None:
        fields = " and ".join(f"{p.location} field {p.name!r}" for p in group)
        self.diagnostics.warning(
            Location.parse(group[-1].source),
            f"{self.operation_id}: {fields} would share argument {group[0].python_name!r}; "
            f"they are {', '.join(renamed)}",
            "name them with x-python-name in the overlay",
        )


def _sets_authorization(auth: ir.Auth) -> bool:
    """Whether a security alternative sends the ``Authorization`` header."""
    return any(
        option.kind in ("bearer", "basic")
        or (option.kind == "header" and option.header.lower() == "authorization")
        for option in (auth, *auth.together)
    )

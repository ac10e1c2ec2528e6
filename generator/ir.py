"""The intermediate representation: the contract between lowering and emitting.

Frozen, typed and JSON-serializable (``to_json``).  Templates read
``op.python_name`` and ``param.annotation`` from here instead of walking
OpenAPI dicts; every Python name is computed once, in ``generator.lower``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

ParamLocation = Literal["path", "query", "header", "cookie", "body"]
# How a value travels in a query string or form body (OpenAPI `style` + `explode`):
# "form" repeats arrays (`a=1&a=2`) and spreads objects; "comma" is form without explode
# (`a=1,2`); "spaceDelimited"/"pipeDelimited" join arrays; "deepObject" nests (`a[b][0]=c`);
# "json": a parameter described by `content` rather than `schema`, sent as JSON text.
# In a path or header, "form" is simple (`3,4`; an object `k,v`), "simple_explode" writes
# an object `k=v,k2=v2`; a path has "label" (`.3,4`), "matrix" (`;id=3,4`) and their
# exploded forms.  The same values as the runtime's `Style` (a test holds them equal).
ParamStyle = Literal[
    "form",
    "comma",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
    "json",
    "simple_explode",
    "label",
    "label_explode",
    "matrix",
    "matrix_explode",
]


@dataclass(frozen=True)
class Param:
    name: str  # on the wire
    python_name: str
    location: ParamLocation
    annotation: str  # Python type; `None` in it only where the schema allows null
    required: bool
    description: str = ""
    default: Any = None  # a JSON value documented by the page (informational)
    style: ParamStyle = "form"  # arrays and objects in a query string
    encode: Literal["json", "str"] = "json"  # "str": an int sent as a decimal string
    source: str = ""
    # An enum the service reads in any letter case (`x-case-insensitive`): the client sends
    # the declared value for a string that matches it in another case.
    case_insensitive: bool = False


@dataclass(frozen=True)
class Body:
    media_type: str
    required: bool
    flattened: bool  # True: each property is a keyword argument (a Param in body)
    annotation: str = ""  # when not flattened: the type of the single `body` argument
    model: str = ""  # when flattened: the model that validates the arguments before sending
    # Form bodies: property -> style, where the document's `encoding` says other than "form".
    encoding: tuple[tuple[str, ParamStyle], ...] = ()
    # Multipart bodies: property -> the Content-Type its `encoding` declares for its part.
    part_types: tuple[tuple[str, str], ...] = ()
    offered: tuple[str, ...] = ()  # every media type the document offers, page order


@dataclass(frozen=True)
class Pagination:
    items: str
    has_more: str | None
    cursor: tuple[tuple[str, str], ...]  # (request query param, response field)
    page_annotation: str
    item_annotation: str


@dataclass(frozen=True)
class Operation:
    operation_id: str
    resource: str
    python_name: str
    method: str
    path: str
    summary: str
    description: str
    idempotent: bool
    params: tuple[Param, ...]
    body: Body | None
    returns: str  # Python annotation of the (unwrapped) success result
    status: str  # the success status code
    # The first success response's media type ("" when none has content): how it is decoded.
    response_media: str = "application/json"
    pagination: Pagination | None = None
    deprecated: bool = False
    source: str = ""
    # This operation's own auth alternatives (its `security`); None: the Api's.  `()`: none.
    auth: tuple[Auth, ...] | None = None
    # The operation's own server (its or its path item's `servers[0]`, variables at their
    # defaults), absolute or relative to the client's base URL; "": the client's.
    server: str = ""

    def params_in(self, location: ParamLocation) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == location)


@dataclass(frozen=True)
class Resource:
    name: str  # attribute on the client: `client.deployments`
    class_name: str  # DeploymentsResource
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Field:
    name: str  # on the wire
    python_name: str  # the model's attribute, unique within the model
    annotation: str  # Python type, without the `| None` of an optional field
    required: bool


@dataclass(frozen=True)
class Schema:
    name: str  # component name in the normalized OpenAPI, or where an inline schema was
    class_name: str
    json_schema: dict[str, Any]  # refs point at `#/components/schemas/<class_name>`
    fields: tuple[Field, ...] = ()  # a model's fields (none for an enum)
    source: str = ""  # file:line of the schema in the page


@dataclass(frozen=True)
class Credential:
    name: str
    env: tuple[str, ...]
    files: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Auth:
    """How one security scheme's credentials go on the wire.

    ``none`` is the optional alternative (``{}`` in a ``security`` list): no credentials.
    """

    scheme: str  # security scheme name in the normalized OpenAPI
    kind: Literal["bearer", "header", "basic", "query", "cookie", "none"]
    header: str  # the header, query parameter or cookie name
    credentials: tuple[str, ...]
    together: tuple[Auth, ...] = ()  # schemes one requirement names with this one (all or none)

    @property
    def all_credentials(self) -> tuple[str, ...]:
        return tuple(name for auth in (self, *self.together) for name in auth.credentials)


@dataclass(frozen=True)
class Envelope:
    data: str | None
    data_optional: bool
    code: str | None
    success: tuple[int, ...]
    message: str | None
    subcode: str | None
    error_keys: tuple[str, ...]
    string_is_error: bool


@dataclass(frozen=True)
class Retry:
    max_retries: int
    statuses: tuple[int, ...]
    non_idempotent_statuses: tuple[int, ...]  # retried for writes too: the server did not act
    non_idempotent_reasons: tuple[str, ...] = ()  # why, one per status above, same order
    idempotency_header: str | None = None


@dataclass(frozen=True)
class Api:
    name: str  # Python module: gpuworkers.<name>
    display_name: str
    client_name: str  # YottaClient / AsyncYottaClient
    title: str
    description: str
    base_url: str
    base_url_env: tuple[str, ...]
    credentials: tuple[Credential, ...]
    auth: tuple[Auth, ...]  # alternatives, the first whose credentials resolve is used
    envelope: Envelope | None
    retry: Retry
    headers: tuple[tuple[str, str], ...]
    resources: tuple[Resource, ...]
    schemas: tuple[Schema, ...]
    secret_fields: tuple[str, ...] = ()  # wire-name paths masked in logs and error messages

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for resource in self.resources for op in resource.operations)

    def to_json(self) -> str:
        # Not sort_keys: a model's properties must keep the page's order through a snapshot
        # (providers not named on the command line are re-rendered from theirs).  The order
        # is still deterministic: dataclass fields, then the pipeline's insertion order.
        return json.dumps(dataclasses.asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Api:
        """Read back an IR snapshot written by ``to_json``."""
        result = _load(cls, json.loads(text))
        assert isinstance(result, Api)
        return result


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, Any], ...]:
    """A dataclass's fields and their resolved type hints (resolving them is slow: once)."""
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind))


def _load(kind: Any, value: Any) -> Any:
    """Rebuild typed IR values from JSON data, guided by the dataclasses' type hints."""
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        # A field added since the snapshot was written keeps its default.
        return kind(
            **{name: _load(hint, value[name]) for name, hint in _fields(kind) if name in value}
        )
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], item) for item in value)
        return tuple(_load(arg, item) for arg, item in zip(args, value, strict=True))
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        return _load(next(a for a in args if a is not type(None)), value)
    return value

"""Static, per-provider settings that the generator renders into each provider's ``_config.py``.

Everything here is a frozen dataclass holding data only; the behaviour lives in the modules
that read it (``_auth``, ``_envelope``, ``_retry``, ``_client``, ``_pagination``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import httpx

from ._types import Style

__all__ = [
    "Argument",
    "AuthScheme",
    "Credential",
    "Endpoint",
    "Envelope",
    "Pagination",
    "ProviderConfig",
    "RetryPolicy",
]


@dataclass(frozen=True)
class Credential:
    """One secret, looked up as: constructor argument ``name``, then ``env``, then ``files``.

    File candidates may use ``~`` and ``${VAR}``; a candidate naming an unset variable is skipped.
    """

    name: str
    env: tuple[str, ...] = ()
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthScheme:
    """How resolved credentials are attached to a request.

    ``bearer``: ``Authorization: Bearer <c>``; ``header``: ``<header>: <c>``;
    ``basic``: ``Authorization: Basic b64(c1:c2)``; ``body``: ``<c>`` under ``field`` in the
    JSON body; ``query``: ``?<field>=<c>``; ``cookie``: ``Cookie: <field>=<c>``; ``none``:
    nothing (an optional alternative: ``{}`` in an OpenAPI ``security`` list).
    ``together``: schemes applied with this one, all or none (an OpenAPI security requirement
    naming several schemes, such as an API key and an application key).
    """

    kind: Literal["bearer", "header", "basic", "body", "query", "cookie", "none"]
    credentials: tuple[str, ...]
    header: str = "Authorization"
    field: str | None = None
    together: tuple[AuthScheme, ...] = ()


@dataclass(frozen=True)
class Envelope:
    """Where a provider's JSON wrapper keeps the payload and the failure signal.

    Paths are dotted (``meta.result_code``). See ``_envelope.check_success`` for the rules.
    """

    data: str | None = None
    data_optional: bool = False
    code: str | None = None
    success: tuple[int, ...] = ()
    message: str | None = None
    subcode: str | None = None
    error_keys: tuple[str, ...] = ()
    string_is_error: bool = False


@dataclass(frozen=True)
class RetryPolicy:
    """When a failed attempt is repeated.

    An idempotent call is retried on ``statuses`` and on any transport error.  A
    non-idempotent call (a write) is retried only when the request surely was not processed:
    an error raised before it reached the server (connect failure), or one of
    ``non_idempotent_statuses``, which a provider declares (with its reason) in
    ``provider.toml``; none by default.  With ``idempotency_header``, every write carries a key
    generated once per call and is retried like an idempotent call: the server acts once.
    """

    max_retries: int = 2
    statuses: tuple[int, ...] = (408, 429, 500, 502, 503, 504)
    non_idempotent_statuses: tuple[int, ...] = ()
    idempotency_header: str | None = None
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0


def _default_timeout() -> httpx.Timeout:
    return httpx.Timeout(60.0, connect=5.0)


def _no_headers() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ProviderConfig:
    name: str
    client_name: str
    base_url: str  # "" or relative when the API document gives no absolute server URL
    base_url_env: tuple[str, ...] = ()
    credentials: tuple[Credential, ...] = ()
    auth: tuple[AuthScheme, ...] = ()
    envelope: Envelope | None = None
    retry: RetryPolicy = RetryPolicy()
    default_headers: Mapping[str, str] = field(default_factory=_no_headers)
    default_timeout: httpx.Timeout = field(default_factory=_default_timeout)
    # Dotted wire-name paths (``environmentVars.value``) whose values logs and error messages
    # never show, wherever the path ends in a body; lists along the way are transparent.
    secret_fields: tuple[str, ...] = ()


ArgumentLocation = Literal["path", "query", "header", "cookie", "body"]


@dataclass(frozen=True)
class Argument:
    """One keyword argument of a generated method: where it goes and what it must be.

    ``type`` is checked before anything is sent (None: not checked, as for file uploads);
    ``style`` is how a query value is written (``_params``); ``as_string``: an integer sent as
    a decimal string; ``case_insensitive``: a string matching a ``Literal`` value of ``type``
    in another letter case is sent as the declared value (the spec says the service ignores
    case).  ``wire`` is None for a whole request body passed as ``body=``.
    """

    name: str
    wire: str | None
    location: ArgumentLocation
    type: object = None
    style: Style = "form"
    as_string: bool = False
    case_insensitive: bool = False


@dataclass(frozen=True)
class Endpoint:
    """One operation: ``path`` holds ``{wire_name}`` placeholders filled from ``path_params``.

    See ``_content`` for media types and ``_params`` for styles.

    ``auth``: the operation's own authentication alternatives when they differ from the
    provider's (``()``: the operation sends no credentials); None: the provider's.
    """

    method: str
    path: str
    idempotent: bool
    envelope: bool = True
    # The request body's media type (how it is encoded) and the success response's (how it
    # is decoded, and the Accept header); form fields -> their non-default style.
    request_media: str = "application/json"
    response_media: str = "application/json"
    form_styles: tuple[tuple[str, Style], ...] = ()
    auth: tuple[AuthScheme, ...] | None = None
    # The method's arguments, checked and encoded by ``_arguments.bind``; a JSON body whose
    # properties are arguments is validated by ``body_model`` (fields the caller set only).
    arguments: tuple[Argument, ...] = ()
    body_model: type | None = None
    operation: str = ""  # the method as the caller knows it (`deployments.get`), for messages
    # Multipart fields -> the Content-Type the document's `encoding` declares for their part.
    part_types: tuple[tuple[str, str], ...] = ()
    # The operation's own server (``servers`` on it or its path), absolute or relative to the
    # client's base URL; "": the client's base URL.  See ``_request.operation_base_url``.
    server: str = ""


@dataclass(frozen=True)
class Pagination:
    """Cursor pagination over the unwrapped page.

    ``items``: the page field holding the list; ``has_more``: a boolean page field;
    ``cursor``: request query parameter -> page field holding its next value.
    """

    items: str
    has_more: str | None
    cursor: Mapping[str, str]

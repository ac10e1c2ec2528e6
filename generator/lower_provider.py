"""Provider settings from the OpenAPI document, for whatever ``provider.toml`` leaves out.

A ``provider.toml`` with only ``name`` and its pages is enough: the display name is
``info.title``, the client class is named after ``name``, the base URL is ``servers[0]``
(its variables at their defaults) and the credentials and auth follow
``components.securitySchemes`` and ``security``.  Every key ``provider.toml`` sets wins.
The security part is ``generator.lower_security``.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostics, Location
from generator.naming import pascal_case
from generator.provider import ProviderSpec

_VARIABLE = re.compile(r"\{([^{}]*)\}")


def display_name(document: dict[str, Any], provider: ProviderSpec) -> str:
    if provider.display_name is not None:
        return provider.display_name
    title = " ".join(str((document.get("info") or {}).get("title") or "").split())
    # Docs say "the <display name> API": "Stripe API" would read "the Stripe API API".
    title = re.sub(r"\s+API$", "", title, flags=re.IGNORECASE)
    return title or provider.name


def client_name(provider: ProviderSpec) -> str:
    """``petstore`` -> ``Petstore`` (``PetstoreClient``, ``AsyncPetstoreClient``)."""
    return provider.client_name or pascal_case(provider.name)


def env_prefix(provider: ProviderSpec) -> str:
    """``petstore`` -> ``PETSTORE_``: the start of every default environment variable."""
    return provider.name.upper() + "_"


def base_url_env(provider: ProviderSpec) -> tuple[str, ...]:
    if provider.base_url_env is not None:
        return provider.base_url_env
    return (env_prefix(provider) + "BASE_URL",)


def base_url(
    document: dict[str, Any], provider: ProviderSpec, diagnostics: Diagnostics, settings: str
) -> str:
    """The URL every path is joined to; ``""`` or a relative URL when the caller must pass one.

    The runtime refuses to construct a client whose base URL is not absolute, naming
    ``base_url=`` and the environment variable, so a relative server URL is kept as the hint.
    """
    if provider.base_url is not None:
        return provider.base_url
    servers = document.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else None
    if not isinstance(server, dict) or not isinstance(server.get("url"), str):
        return ""
    return _substituted(server, diagnostics, Location.parse(str(server.get("x-source", settings))))


def operation_server(
    item: dict[str, Any], op: dict[str, Any], diagnostics: Diagnostics, settings: str
) -> str:
    """An operation's own server: its ``servers[0]``, else its path item's; ``""``: none."""
    for servers in (op.get("servers"), item.get("servers")):
        server = servers[0] if isinstance(servers, list) and servers else None
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            where = Location.parse(str(server.get("x-source", op.get("x-source", settings))))
            return _substituted(server, diagnostics, where, "the operation uses the client's")
    return ""


def _substituted(
    server: dict[str, Any],
    diagnostics: Diagnostics,
    where: Location,
    instead: str = "the client has no default base URL",
) -> str:
    """``servers[0].url`` with each ``{variable}`` replaced by its ``default``."""
    variables = server.get("variables")
    variables = variables if isinstance(variables, dict) else {}
    url = str(server["url"])
    missing: list[str] = []

    def value(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, dict) and variable.get("default") is not None:
            return str(variable["default"])
        missing.append(match.group(1))
        return match.group(0)

    result = _VARIABLE.sub(value, url)
    if missing:
        diagnostics.warning(
            where,
            f"server URL {url!r}: variable(s) {', '.join(missing)} have no default, so "
            f"{instead}",
            "give each server variable a default, or set base_url in provider.toml",
        )
        return ""
    return result

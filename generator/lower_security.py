"""``securitySchemes`` + ``security`` -> the IR's credentials and auth alternatives.

Each security scheme becomes one ``ir.Auth`` (how its credentials go on the wire):
http bearer, oauth2 and openIdConnect as ``Authorization: Bearer``; http basic; apiKey in
a header, the query or a cookie.  Which credentials a scheme uses comes from
``provider.toml``'s ``[auth.<scheme>]`` tables when it has any, else from defaults named
by the scheme's kind (see ``_DEFAULT_CREDENTIALS``), read from ``<NAME>_<CREDENTIAL>``.

The document's ``security`` is the client's list of alternatives (the first whose
credentials resolve is used); a requirement naming several schemes sends them all together;
``{}`` among them makes credentials optional.  An
operation with its own ``security`` carries its own alternatives (``security: []``: none).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostics, Location
from generator.naming import python_identifier, snake_case
from generator.provider import ProviderSpec

# Credential names by scheme kind, and what each holds (for the docs).
_DEFAULT_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "apiKey": ("api_key",),
    "bearer": ("token",),
    "basic": ("username", "password"),
    "oauth2": ("access_token",),
}
_DESCRIPTIONS = {
    "api_key": "API key",
    "token": "bearer token",
    "username": "user name (HTTP basic)",
    "password": "password (HTTP basic)",
    "access_token": "OAuth 2.0 access token",
}
# Arguments every client constructor already has.
_CONSTRUCTOR_ARGUMENTS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "default_headers", "http_client"}
)
_SUPPORTED = "http bearer, http basic, apiKey in a header, query or cookie, oauth2, openIdConnect"
_NONE = ir.Auth("", "none", "", ())  # `{}`: the call may go without credentials


class Security:
    """The credentials, the client's auth alternatives and each operation's own."""

    def __init__(
        self,
        document: dict[str, Any],
        provider: ProviderSpec,
        diagnostics: Diagnostics,
        settings: str,
    ) -> None:
        self.document, self.provider = document, provider
        self.diagnostics, self.settings = diagnostics, settings
        self.schemes: dict[str, Any] = (document.get("components") or {}).get(
            "securitySchemes"
        ) or {}
        self.explicit = bool(provider.auth)
        self.credentials: tuple[ir.Credential, ...]
        self.by_scheme: dict[str, ir.Auth]
        if self.explicit:
            self.by_scheme = self._from_settings()
            self.credentials = tuple(
                ir.Credential(name, spec.env, spec.files, spec.description)
                for name, spec in provider.credentials.items()
            )
            self.auth = tuple(self.by_scheme.values())
        else:
            self.by_scheme, self.credentials = self._from_document()
            self.auth = self._alternatives(document.get("security"), document, "document")

    def for_operation(self, op: dict[str, Any], name: str) -> tuple[ir.Auth, ...] | None:
        """The operation's alternatives, or None when they are the client's."""
        if "security" not in op:
            return None
        alternatives = self._alternatives(op.get("security"), op, name)
        return None if alternatives == self.auth else alternatives

    # -- provider.toml's [auth] tables ----------------------------------------------------

    def _from_settings(self) -> dict[str, ir.Auth]:
        result = {}
        for name, spec in self.provider.auth.items():
            scheme = self.schemes.get(name)
            if not isinstance(scheme, dict):
                self.diagnostics.error(
                    Location(self.settings),
                    f"auth.{name} names no security scheme of the normalized OpenAPI",
                    f"define components.securitySchemes.{name} in the overlay",
                )
                continue
            auth = _auth(name, scheme, spec.credentials)
            if auth is None:
                self.diagnostics.error(
                    Location(self.settings),
                    f"security scheme {name} ({_kind_text(scheme)}) is not supported",
                    f"supported: {_SUPPORTED}",
                )
                continue
            result[name] = auth
        return result

    # -- defaults from the document -------------------------------------------------------

    def _from_document(self) -> tuple[dict[str, ir.Auth], tuple[ir.Credential, ...]]:
        by_scheme: dict[str, ir.Auth] = {}
        credentials: dict[str, ir.Credential] = {}
        for name in self._referenced():
            scheme = self.schemes.get(name)
            where = self._where(scheme)
            kind = _credential_kind(scheme) if isinstance(scheme, dict) else None
            if kind is None or not isinstance(scheme, dict):
                what = "is not defined" if not isinstance(scheme, dict) else (
                    f"({_kind_text(scheme)}) is not supported"
                )
                self.diagnostics.warning(
                    where,
                    f"security scheme {name} {what}: calls that need it go without it",
                    f"supported: {_SUPPORTED}; or describe it in the overlay",
                )
                continue
            names = self._credential_names(name, kind, credentials)
            for credential in names:
                credentials[credential] = self._credential(credential, scheme)
            auth = _auth(name, scheme, names)
            assert auth is not None  # a kind with default credentials is a supported scheme
            by_scheme[name] = auth
        self._warn_unused_settings(credentials)
        return by_scheme, tuple(credentials.values())

    def _referenced(self) -> list[str]:
        """Scheme names in ``security``: the document's requirements first, then operations'."""
        requirements = list(_requirements(self.document.get("security")))
        for item in (self.document.get("paths") or {}).values():
            for op in item.values() if isinstance(item, dict) else ():
                if isinstance(op, dict):
                    requirements += _requirements(op.get("security"))
        return list(dict.fromkeys(name for req in requirements for name in req))

    def _credential_names(
        self, scheme: str, kind: str, taken: dict[str, ir.Credential]
    ) -> tuple[str, ...]:
        """The kind's names (``api_key``); prefixed by the scheme when another took them."""
        names = _DEFAULT_CREDENTIALS[kind]
        if any(name in taken for name in names):
            prefix = snake_case(scheme)
            names = (prefix,) if len(names) == 1 else tuple(f"{prefix}_{n}" for n in names)
        result = []
        for name in names:
            candidate = python_identifier(name, _CONSTRUCTOR_ARGUMENTS)
            number = 2
            while candidate in taken or candidate in result:
                candidate, number = f"{python_identifier(name)}_{number}", number + 1
            result.append(candidate)
        return tuple(result)

    def _credential(self, name: str, scheme: dict[str, Any]) -> ir.Credential:
        spec = self.provider.credentials.get(name)
        if spec is not None:  # provider.toml says where this credential comes from
            return ir.Credential(name, spec.env, spec.files, spec.description)
        description = " ".join(str(scheme.get("description") or "").split())
        default = _DESCRIPTIONS.get(name, name.replace("_", " "))
        env = self.provider.name.upper() + "_" + name.upper()
        return ir.Credential(name, (env,), (), description or default)

    def _warn_unused_settings(self, credentials: dict[str, ir.Credential]) -> None:
        for name in self.provider.credentials:
            if name not in credentials:
                self.diagnostics.warning(
                    Location(self.settings),
                    f"credentials.{name} is used by no security scheme of the document",
                    f"the document's schemes use {', '.join(credentials) or 'no credentials'}; "
                    "or add [auth.<scheme>] tables",
                )

    # -- requirements -> alternatives -----------------------------------------------------

    def _alternatives(self, security: Any, node: dict[str, Any], what: str) -> tuple[ir.Auth, ...]:
        """One ``ir.Auth`` per requirement that can be met; ``{}`` (optional) goes last."""
        result: list[ir.Auth] = []
        optional = False
        for requirement in _requirements(security):
            if not requirement:
                optional = True
                continue
            for name in requirement:
                if name not in self.by_scheme and self.explicit and name in self.schemes:
                    self.diagnostics.warning(
                        self._where(node),
                        f"{what} needs security scheme {name}, which provider.toml's "
                        "[auth] tables leave out: calls that need it go without it",
                        f"add an [auth.{name}] table",
                    )
            if all(name in self.by_scheme for name in requirement):
                first, *rest = (self.by_scheme[name] for name in requirement)
                auth = dataclasses.replace(first, together=tuple(rest))
                result += [auth] if auth not in result else []
        return (*result, _NONE) if optional and result else tuple(result)

    def _where(self, node: Any) -> Location:
        source = node.get("x-source") if isinstance(node, dict) else None
        return Location.parse(str(source)) if source else Location(self.settings)


def _requirements(security: Any) -> list[list[str]]:
    if not isinstance(security, list):
        return []
    return [[str(name) for name in req] for req in security if isinstance(req, dict)]


def _credential_kind(scheme: dict[str, Any]) -> str | None:
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        return http if http in ("bearer", "basic") else None
    if kind == "apiKey":
        placement = str(scheme.get("in", "")).lower()
        return "apiKey" if placement in ("header", "query", "cookie") else None
    return "oauth2" if kind in ("oauth2", "openIdConnect") else None


def _auth(name: str, scheme: dict[str, Any], credentials: tuple[str, ...]) -> ir.Auth | None:
    kind = _credential_kind(scheme)
    if kind == "apiKey":
        placement = str(scheme.get("in")).lower()
        wire_name = str(scheme.get("name", "Authorization" if placement == "header" else ""))
        return ir.Auth(name, placement, wire_name, credentials)  # type: ignore[arg-type]
    if kind == "basic":
        return ir.Auth(name, "basic", "Authorization", credentials)
    if kind in ("bearer", "oauth2"):
        return ir.Auth(name, "bearer", "Authorization", credentials)
    return None


def _kind_text(scheme: dict[str, Any]) -> str:
    detail = scheme.get("scheme") if scheme.get("type") == "http" else scheme.get("in")
    return f"{scheme.get('type')} {detail}" if detail else str(scheme.get("type"))


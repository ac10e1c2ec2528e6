"""Resolving credentials (argument, env var, file) and choosing an authentication scheme."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._config import AuthScheme, Credential, ProviderConfig
from ._errors import MissingCredentialsError

__all__ = [
    "NamedSecrets",
    "ResolvedAuth",
    "credential_values",
    "resolve_auth",
    "resolve_credential",
]

_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, repr=False)
class ResolvedAuth:
    """What a request must carry: headers, query parameters and JSON body fields.

    ``secrets`` feeds redaction.
    """

    headers: Mapping[str, str] = field(default_factory=dict)
    body_fields: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    query: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # names only: a traceback's locals must not show a key
        names = f"headers={sorted(self.headers)}, body_fields={sorted(self.body_fields)}"
        return f"ResolvedAuth({names})"


class NamedSecrets(dict[str, str | None]):
    """Credential values by name; the repr shows the names only (tracebacks, error trackers)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({sorted(self)})"


def resolve_auth(
    config: ProviderConfig,
    explicit: Mapping[str, str | None],
    environ: Mapping[str, str],
    schemes: tuple[AuthScheme, ...] | None = None,
) -> ResolvedAuth:
    """Apply the first of ``schemes`` (default: the config's) whose credentials all resolve."""
    schemes = config.auth if schemes is None else schemes
    if not schemes:
        return ResolvedAuth()
    values = {
        cred.name: resolve_credential(cred, explicit.get(cred.name), environ)
        for cred in config.credentials
    }
    for scheme in schemes:
        parts = (scheme, *scheme.together)
        # A name the config does not describe can still be passed explicitly.
        resolved = [
            [
                values[name] if name in values else _clean(explicit.get(name))
                for name in part.credentials
            ]
            for part in parts
        ]
        if all(all(found) for found in resolved):
            applied = [
                _apply(part, tuple(v for v in found if v))
                for part, found in zip(parts, resolved, strict=True)
            ]
            return applied[0] if len(applied) == 1 else _combined(applied)
    raise MissingCredentialsError(_missing_message(config, schemes))


def resolve_credential(
    credential: Credential, explicit: str | None, environ: Mapping[str, str]
) -> str | None:
    """Explicit value, then each env var, then each file; None when nothing non-empty is found."""
    candidates = [explicit] + [environ.get(name) for name in credential.env]
    for value in candidates:
        cleaned = _clean(value)
        if cleaned:
            return cleaned
    for pattern in credential.files:
        cleaned = _read_file(pattern, environ)
        if cleaned:
            return cleaned
    return None


def credential_values(
    config: ProviderConfig, explicit: Mapping[str, str | None], environ: Mapping[str, str]
) -> list[str]:
    """Every credential the client can find, for redaction (operations may use any of them)."""
    found = (resolve_credential(c, explicit.get(c.name), environ) for c in config.credentials)
    return [value for value in found if value]


def _apply(scheme: AuthScheme, secrets: tuple[str, ...]) -> ResolvedAuth:
    if scheme.kind == "bearer":
        return ResolvedAuth(headers={scheme.header: f"Bearer {secrets[0]}"}, secrets=secrets)
    if scheme.kind == "header":
        return ResolvedAuth(headers={scheme.header: secrets[0]}, secrets=secrets)
    if scheme.kind == "basic":
        token = base64.b64encode(":".join(secrets).encode()).decode("ascii")
        return ResolvedAuth(headers={scheme.header: f"Basic {token}"}, secrets=(*secrets, token))
    if scheme.kind == "none":
        return ResolvedAuth()
    if scheme.kind == "query":
        return ResolvedAuth(
            query={scheme.field or scheme.credentials[0]: secrets[0]}, secrets=secrets
        )
    if scheme.kind == "cookie":
        cookie = f"{scheme.field or scheme.credentials[0]}={secrets[0]}"
        return ResolvedAuth(headers={"Cookie": cookie}, secrets=secrets)
    body_field = scheme.field or scheme.credentials[0]
    return ResolvedAuth(body_fields={body_field: secrets[0]}, secrets=secrets)


def _combined(parts: list[ResolvedAuth]) -> ResolvedAuth:
    """Several schemes on one request; cookies from each join into one ``Cookie`` header."""
    headers: dict[str, str] = {}
    for part in parts:
        for name, value in part.headers.items():
            joined = name == "Cookie" and name in headers
            headers[name] = f"{headers[name]}; {value}" if joined else value
    return ResolvedAuth(
        headers=headers,
        body_fields={k: v for part in parts for k, v in part.body_fields.items()},
        secrets=tuple(s for part in parts for s in part.secrets),
        query={k: v for part in parts for k, v in part.query.items()},
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return value.replace("\r", "").replace("\n", "").strip() or None


def _read_file(pattern: str, environ: Mapping[str, str]) -> str | None:
    path = _expand(pattern, environ)
    if path is None:
        return None
    try:
        return _clean(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _expand(pattern: str, environ: Mapping[str, str]) -> Path | None:
    """``~`` and ``${VAR}`` expanded; None when the pattern names an unset or empty variable."""
    names = _ENV_REFERENCE.findall(pattern)
    if any(not environ.get(name) for name in names):
        return None
    expanded = _ENV_REFERENCE.sub(lambda m: environ[m.group(1)], pattern)
    if expanded.startswith("~"):
        home = environ.get("HOME") or os.path.expanduser("~")
        expanded = home + expanded[1:]
    return Path(expanded)


def _missing_message(config: ProviderConfig, schemes: tuple[AuthScheme, ...]) -> str:
    by_name = {cred.name: cred for cred in config.credentials}
    alternatives: list[str] = []
    for scheme in schemes:
        names = tuple(name for part in (scheme, *scheme.together) for name in part.credentials)
        text = _describe(names, by_name)
        if text not in alternatives:
            alternatives.append(text)
    return f"{config.client_name} needs credentials: pass " + ", or ".join(alternatives)


def _describe(names: tuple[str, ...], by_name: Mapping[str, Credential]) -> str:
    text = " and ".join(f"{name}=" for name in names)
    creds = [by_name.get(name) for name in names]
    envs = [cred.env[0] for cred in creds if cred is not None and cred.env]
    files = [cred.files[-1] for cred in creds if cred is not None and cred.files]
    hints = []
    if envs:
        hints.append("set " + " and ".join(envs))
    if files:
        hints.append("write " + " and ".join(files))
    return f"{text} (or {', or '.join(hints)})" if hints else text

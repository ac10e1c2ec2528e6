"""Scrubbing a recorded exchange before it touches the disk: pure functions, no I/O.

Secrets are replaced by the placeholders the contract harness passes as test credentials, so a
scrubbed recording replays green: the real ``X-Api-Key`` becomes ``test-api-key``, a ClearML
``Basic b64(key:secret)`` becomes ``Basic b64(test-access-key:test-secret-key)``.  Two kinds of
knowledge feed it: values known to be secret (the credentials the client resolved, values a
plan names) are replaced wherever they occur, and values under secret-looking keys (``api_key``,
``token``, ``password``, ...) are replaced whatever they are, and then everywhere else too, so a
token echoed from a response into the expected result gets the same placeholder.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from tests.contract.harness import TEST_CREDENTIALS

__all__ = [
    "AUTH_HEADERS",
    "PLACEHOLDERS",
    "basic_placeholder",
    "credential_replacements",
    "normalize_response_headers",
    "placeholder_for_key",
    "scrub_fixture",
    "select_request_headers",
]

# Every placeholder a scrubbed fixture may hold; the secret scan allows exactly these.
PLACEHOLDERS: Mapping[str, str] = {**TEST_CREDENTIALS, "password": "test-password"}

# Normalized key (lower case, letters and digits only) -> placeholder name.
_SECRET_KEYS = {
    "apikey": "api_key",
    "xapikey": "api_key",
    "accesskey": "access_key",
    "accesskeyid": "access_key",
    "secretkey": "secret_key",
    "secretaccesskey": "secret_key",
    "secret": "secret_key",
    "clientsecret": "secret_key",
    "token": "token",
    "accesstoken": "token",
    "refreshtoken": "token",
    "idtoken": "token",
    "authtoken": "token",
    "sessiontoken": "token",
    "bearertoken": "token",
    "jwt": "token",
    "authorization": "token",
    "password": "password",
    "passwd": "password",
}
AUTH_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key"})
MIN_SECRET_LENGTH = 4

# Response headers that change on every call (or describe the transport, not the service).
_VOLATILE_HEADERS = frozenset(
    {
        "date", "expires", "last-modified", "age", "etag", "set-cookie", "cookie",
        "server-timing", "x-runtime", "x-response-time", "x-served-by", "x-cache", "x-cache-hits",
        "x-timer", "via", "alt-svc", "nel", "report-to", "cf-ray", "cf-cache-status",
        "traceparent", "tracestate", "content-length", "content-encoding", "transfer-encoding",
        "connection", "keep-alive",
    }
)  # fmt: skip
_VOLATILE_PATTERN = re.compile(r"request-?id|trace-?id|correlation-?id|^x-amz|^x-amzn|^cf-")


def _normalized(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def placeholder_for_key(key: str) -> str | None:
    """The placeholder for a value stored under ``key``, or None when the key is not secret."""
    name = _SECRET_KEYS.get(_normalized(key))
    return PLACEHOLDERS[name] if name else None


def basic_placeholder() -> str:
    return _b64(f"{PLACEHOLDERS['access_key']}:{PLACEHOLDERS['secret_key']}")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


def credential_replacements(credentials: Mapping[str, str | None]) -> dict[str, str]:
    """Real value -> placeholder for the credentials a client resolved (by credential name).

    Includes the Basic token built from an access/secret pair, in both orders.
    """
    replacements = {
        value: PLACEHOLDERS.get(name, PLACEHOLDERS["token"])
        for name, value in credentials.items()
        if value
    }
    access, secret = credentials.get("access_key"), credentials.get("secret_key")
    if access and secret:
        replacements[_b64(f"{access}:{secret}")] = basic_placeholder()
    return replacements


def select_request_headers(headers: Iterable[tuple[str, str]], keep: Iterable[str]
                           ) -> dict[str, str]:
    """The request headers a fixture checks: credentials and content type, lower-cased."""
    wanted = {name.lower() for name in keep} | AUTH_HEADERS | {"content-type"}
    return {name.lower(): value for name, value in headers if name.lower() in wanted}


def normalize_response_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased, sorted, without volatile or transport headers, so re-recordings diff small."""
    kept = {
        name.lower(): value
        for name, value in headers
        if name.lower() not in _VOLATILE_HEADERS and not _VOLATILE_PATTERN.search(name.lower())
    }
    return dict(sorted(kept.items()))


def scrub_fixture(fixture: Any, known: Mapping[str, str], fields: Mapping[str, str] = {}) -> Any:
    """A copy of ``fixture`` with every secret replaced by its placeholder.

    ``known``: secret value -> placeholder (credentials, plan-named values).  ``fields``: extra
    JSON keys whose values a plan wants replaced (key -> placeholder).
    """
    replacements = dict(known)
    _collect_keyed_values(fixture, fields, replacements)
    for value in replacements:
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError(f"refusing to scrub a secret shorter than {MIN_SECRET_LENGTH} chars")
    ordered = sorted(replacements.items(), key=lambda item: -len(item[0]))
    scrubbed = _replace_values(fixture, ordered, fields)
    headers = scrubbed.get("request", {}).get("headers") if isinstance(scrubbed, dict) else None
    if isinstance(headers, dict):
        for name, value in headers.items():
            if name in AUTH_HEADERS:
                headers[name] = _scrub_auth_header(value)
    return scrubbed


def _keyed_placeholder(key: str, fields: Mapping[str, str]) -> str | None:
    return fields[key] if key in fields else placeholder_for_key(key)


def _collect_keyed_values(node: Any, fields: Mapping[str, str], out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            placeholder = _keyed_placeholder(str(key), fields)
            if placeholder is not None and isinstance(value, str) and value != placeholder:
                token = (
                    _credential_part(value) if _normalized(str(key)) == "authorization" else value
                )
                if len(token) >= MIN_SECRET_LENGTH:
                    out.setdefault(token, placeholder)
            _collect_keyed_values(value, fields, out)
    elif isinstance(node, list):
        for item in node:
            _collect_keyed_values(item, fields, out)


def _replace_values(node: Any, ordered: list[tuple[str, str]], fields: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            placeholder = _keyed_placeholder(str(key), fields)
            if placeholder is not None and isinstance(value, str):
                result[key] = _replace_in(value, ordered) if _is_auth_key(key) else placeholder
            else:
                result[key] = _replace_values(value, ordered, fields)
        return result
    if isinstance(node, list):
        return [_replace_values(item, ordered, fields) for item in node]
    if isinstance(node, str):
        return _replace_in(node, ordered)
    return node


def _is_auth_key(key: str) -> bool:
    return _normalized(str(key)) == "authorization"


def _replace_in(text: str, ordered: list[tuple[str, str]]) -> str:
    for secret, placeholder in ordered:
        text = text.replace(secret, placeholder)
        encoded = quote(secret, safe="")
        if encoded != secret:
            text = text.replace(encoded, quote(placeholder, safe=""))
    return text


def _credential_part(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    return rest.strip() if rest and scheme.isalpha() else value


def _scrub_auth_header(value: str) -> str:
    """Last line of defence: an auth header that still holds an unknown credential."""
    scheme, _, credential = value.partition(" ")
    if not credential:
        return value if value in PLACEHOLDERS.values() else PLACEHOLDERS["api_key"]
    if scheme.lower() == "basic":
        return value if credential == basic_placeholder() else f"{scheme} {basic_placeholder()}"
    if credential in PLACEHOLDERS.values():
        return value
    return f"{scheme} {PLACEHOLDERS['token']}"

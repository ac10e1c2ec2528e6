"""Finding things that look like credentials in fixture data (JSON already loaded).

Flags, anywhere: bearer tokens, Basic credentials, JWTs, AWS access key ids and a few
well-known vendor key formats; under auth-looking keys (``api_key``, ``token``, ``secret``,
``authorization``, ...): any value that is not one of the known test placeholders.  Plain ids
(hex trace ids, base58 worker ids) are not flagged unless they sit under such a key.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.tooling.scrub import PLACEHOLDERS, basic_placeholder, placeholder_for_key

__all__ = ["Finding", "find_secrets", "shannon_entropy"]

ALLOWED = frozenset(PLACEHOLDERS.values()) | {basic_placeholder()}

_ANYWHERE = [
    ("bearer token", re.compile(r"\bBearer\s+([A-Za-z0-9._~+/=-]{8,})", re.IGNORECASE)),
    ("basic credentials", re.compile(r"\bBasic\s+([A-Za-z0-9+/=]{8,})", re.IGNORECASE)),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("vendor API key", re.compile(r"\b(?:sk|pk|rk)[-_](?:live|test|proj)[-_][A-Za-z0-9]{16,}")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
]


@dataclass(frozen=True)
class Finding:
    where: str  # JSON path, e.g. request.headers.authorization
    kind: str
    excerpt: str  # shortened, so a report never repeats the secret

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} ({self.excerpt})"


def shannon_entropy(text: str) -> float:
    """Bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def find_secrets(data: Any, where: str = "") -> list[Finding]:
    return list(_walk(data, where, auth_context=False))


def _walk(node: Any, where: str, auth_context: bool) -> Iterator[Finding]:
    if isinstance(node, dict):
        for key, value in node.items():
            inner = auth_context or placeholder_for_key(str(key)) is not None
            yield from _walk(value, f"{where}.{key}" if where else str(key), inner)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{where}[{index}]", auth_context)
    elif isinstance(node, str):
        yield from _check_string(node, where, auth_context)


def _check_string(text: str, where: str, auth_context: bool) -> Iterator[Finding]:
    for kind, pattern in _ANYWHERE:
        for match in pattern.finditer(text):
            credential = match.group(1) if pattern.groups else match.group(0)
            if credential not in ALLOWED and _plausible(credential):
                yield Finding(where, kind, _excerpt(credential))
    if auth_context and _looks_secret(_credential(text)):
        yield Finding(where, "value under an auth-looking key", _excerpt(text))


def _plausible(credential: str) -> bool:
    """Not prose such as "Bearer authentication": credentials carry digits or are long."""
    return any(c.isdigit() for c in credential) or len(credential) >= 20


def _credential(text: str) -> str:
    scheme, _, rest = text.partition(" ")
    return rest.strip() if rest and scheme.isalpha() else text


def _looks_secret(value: str) -> bool:
    if value in ALLOWED or not value:
        return False
    decoded = _basic_pair(value)
    if decoded is not None:
        return not all(part in ALLOWED for part in decoded)
    # Short or low-entropy values ("", "none", "xxx") are not credentials.
    return len(value) >= 12 and shannon_entropy(value) >= 3.0


def _basic_pair(value: str) -> list[str] | None:
    try:
        text = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return text.split(":", 1) if ":" in text else None


def _excerpt(value: str) -> str:
    return f"{value[:4]}... {len(value)} chars" if len(value) > 8 else f"{len(value)} chars"

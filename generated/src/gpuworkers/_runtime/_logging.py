"""The ``gpuworkers`` logger, switched on by ``GPUWORKERS_LOG``, and secret redaction."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping

import httpx

__all__ = ["Redactor", "logger", "setup_logging"]

logger = logging.getLogger("gpuworkers")

REDACTED = "<redacted>"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_SENSITIVE_PARTS = (
    "authorization",
    "api-key",
    "api_key",
    "apikey",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "credential",
    "access_key",
    "access-key",
    "private_key",
)
_BODY_LOG_LIMIT = 2000


def setup_logging(environ: Mapping[str, str]) -> None:
    """Attach a stderr handler when ``GPUWORKERS_LOG`` asks for one; idempotent."""
    level = _LEVELS.get(environ.get("GPUWORKERS_LOG", "").strip().lower())
    if level is None or any(getattr(h, "_gpuworkers", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    handler._gpuworkers = True  # type: ignore[attr-defined]  # marks our own handler
    logger.addHandler(handler)
    logger.setLevel(level)


def is_sensitive(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in _SENSITIVE_PARTS)


class Redactor:
    """Removes credentials from text: by key name (headers, JSON, query) and by value."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def url(self, url: httpx.URL) -> str:
        safe = url.copy_with(username=None, password=None) if url.userinfo else url
        if safe.query:
            params = [(k, REDACTED if is_sensitive(k) else v) for k, v in safe.params.multi_items()]
            safe = safe.copy_with(params=params)
        return self.text(str(safe))

    def headers(self, headers: httpx.Headers) -> str:
        shown = {k: REDACTED if is_sensitive(k) else v for k, v in headers.items()}
        return self.text(json.dumps(shown))

    def body(self, content: bytes) -> str:
        if not content:
            return ""
        try:
            text = json.dumps(_redact_json(json.loads(content)), ensure_ascii=False)
        except ValueError:
            text = content.decode("utf-8", errors="replace")
        return self.text(_truncate(text))

    def value(self, data: object) -> str:
        """A parsed body, redacted, on one line (for exception messages)."""
        try:
            text = json.dumps(_redact_json(data), ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(data)
        return self.text(_truncate(" ".join(text.split()), 300))


def _redact_json(data: object) -> object:
    if isinstance(data, dict):
        return {k: REDACTED if is_sensitive(str(k)) else _redact_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_redact_json(item) for item in data]
    return data


def _truncate(text: str, limit: int = _BODY_LOG_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"

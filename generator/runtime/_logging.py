"""The ``gpuworkers`` logger, switched on by ``GPUWORKERS_LOG``, and secret redaction."""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import quote, quote_plus

import httpx

__all__ = ["Redactor", "logger", "setup_logging", "truncate"]

logger = logging.getLogger("gpuworkers")

REDACTED = "<redacted>"
_ENCODED_REDACTED = quote(REDACTED)
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_WARNED: set[str] = set()  # unknown GPUWORKERS_LOG values already warned about
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
DETAIL_LIMIT = 300  # characters of a body or message quoted in an error message
MIN_SUBSTRING = 8  # shorter credentials are redacted only where they are the whole value


def setup_logging(environ: Mapping[str, str]) -> None:
    """Attach a stderr handler when ``GPUWORKERS_LOG`` asks for one; idempotent.

    A value it does not know is warned about once per value (a typo would otherwise
    leave the user wondering why nothing is logged).
    """
    value = environ.get("GPUWORKERS_LOG", "").strip()
    level = _LEVELS.get(value.lower())
    if level is None:
        if value and value not in _WARNED:
            _WARNED.add(value)
            accepted = ", ".join(repr(name) for name in _LEVELS)
            warnings.warn(f"GPUWORKERS_LOG={value!r} is not a log level; accepted: "
                          f"{accepted} (any letter case). Nothing is logged.", stacklevel=5)
        return
    if any(getattr(h, "_gpuworkers", False) for h in logger.handlers):
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
    """Removes credentials from text: by key name (headers, JSON, query), by declared field
    (``secret_fields``) and by value.

    A credential is matched in the forms it takes on the wire (as is, percent-encoded,
    JSON-escaped, UTF-8 read as Latin-1).  Inside longer text a credential of at least
    ``MIN_SUBSTRING`` characters is replaced wherever it occurs; a shorter one only as a whole
    word, so that it does not turn ``company`` into ``comp<redacted>``.
    """

    def __init__(self, secrets: Iterable[str], secret_fields: Iterable[str] = ()) -> None:
        credentials = {s for s in secrets if s}
        self._credentials = frozenset(credentials)
        self._whole = frozenset(form for s in credentials for form in _wire_forms(s))
        long_forms = {form for s in credentials if len(s) >= MIN_SUBSTRING
                      for form in _wire_forms(s)}
        # Longest first, so a secret containing another is replaced whole.
        self._substrings = sorted(long_forms, key=len, reverse=True)
        short_forms = sorted(self._whole - long_forms, key=len, reverse=True)
        self._words = _whole_words(short_forms)
        self._fields = tuple(tuple(path.split(".")) for path in secret_fields)

    def __repr__(self) -> str:
        return f"Redactor({len(self._whole)} credential forms, {len(self._fields)} fields)"

    def for_request(self, content: bytes) -> Redactor:
        """This redactor, also masking the values the request sent in secret fields.

        A server may echo them anywhere (``invalid value hf_...`` in an error message), where
        no field name marks them.  Built only for error messages and debug logs.
        """
        if not self._fields or not content:
            return self
        try:
            sent = set(self._field_values(json.loads(content)))
        except ValueError:
            return self
        if not sent - self._credentials:
            return self
        fields = [".".join(path) for path in self._fields]
        return Redactor(self._credentials | sent, fields)

    def text(self, value: str) -> str:
        if value in self._whole:
            return REDACTED
        for secret in self._substrings:
            value = value.replace(secret, REDACTED)
        return self._words.sub(REDACTED, value) if self._words else value

    def url(self, url: httpx.URL) -> str:
        safe = url.copy_with(username=None, password=None) if url.userinfo else url
        if safe.query:
            params = [(k, self._hidden(k, v)) for k, v in safe.params.multi_items()]
            safe = safe.copy_with(params=params)
        # The marker stays readable in the query (``copy_with`` would percent-encode it).
        return self.text(str(safe)).replace(_ENCODED_REDACTED, REDACTED)

    def headers(self, headers: httpx.Headers) -> str:
        shown = {k: self._hidden(k, v) for k, v in headers.items()}
        return self.text(json.dumps(shown, ensure_ascii=False))

    def body(self, content: bytes) -> str:
        if not content:
            return ""
        try:
            text = json.dumps(self._json(json.loads(content)), ensure_ascii=False)
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to walk
            text = _decode(content)
        return self.text(truncate(text))

    def value(self, data: object) -> str:
        """A parsed body, redacted, on one line (for exception messages)."""
        try:
            text = json.dumps(self._json(data), ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(data)
        return truncate(self.text(" ".join(text.split())), DETAIL_LIMIT)

    def _hidden(self, name: str, value: str) -> str:
        return REDACTED if is_sensitive(name) or value in self._whole else value

    def _json(self, data: object, keys: tuple[str, ...] = ()) -> object:
        if isinstance(data, dict):
            return {k: self._member(str(k), v, (*keys, str(k))) for k, v in data.items()}
        if isinstance(data, list):  # transparent to field paths: `envs.value` spans a list
            return [self._json(item, keys) for item in data]
        if isinstance(data, str) and data in self._whole:
            return REDACTED
        return data

    def _field_values(self, data: object, keys: tuple[str, ...] = ()) -> Iterator[str]:
        if isinstance(data, dict):
            for key, value in data.items():
                path = (*keys, str(key))
                if any(path[-len(field):] == field for field in self._fields):
                    if isinstance(value, str | int | float) and not isinstance(value, bool):
                        yield str(value)
                else:
                    yield from self._field_values(value, path)
        elif isinstance(data, list):
            for item in data:
                yield from self._field_values(item, keys)

    def _member(self, name: str, value: object, keys: tuple[str, ...]) -> object:
        if is_sensitive(name) or any(keys[-len(path):] == path for path in self._fields):
            return REDACTED
        return self._json(value, keys)


def _wire_forms(secret: str) -> set[str]:
    """The credential as it may come back: raw, percent-encoded, JSON-escaped, mis-decoded."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
    forms.add(secret.encode("utf-8", errors="replace").decode("latin-1"))  # UTF-8 read as Latin-1
    return {form for form in forms if form}


def _whole_words(forms: list[str]) -> re.Pattern[str] | None:
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _decode(content: bytes) -> str:
    """UTF-8, else Latin-1: every byte stays visible, so an echoed credential still matches."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def truncate(text: str, limit: int = _BODY_LOG_LIMIT) -> str:
    """``text``, cut at ``limit`` characters (saying how long it was)."""
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"

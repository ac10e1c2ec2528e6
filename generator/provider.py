"""``specs/<provider>/provider.toml``: what the pages cannot say about a provider.

Only ``name`` and the pages are required.  Display name, client class name, base
URL, credentials and auth default to what the OpenAPI document says
(``generator.lower_provider``); a key written here overrides that default.  *How* a
request authenticates is a security scheme in the normalized OpenAPI (fixed by
the overlay when a page gets it wrong); this file can say where each scheme's
credentials come from.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.diagnostics import Diagnostics, Location

PAGE_FORMATS = ("openapi", "markdown-tables", "text-tables", "reference-text", "mdx-bullets")
_MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Names a provider module `gpuworkers.<name>` must not take: the runtime package that the
# package's `__init__` and every generated module import (the other names `__init__` binds
# are CamelCase or dunder, which a module name cannot be).
SHADOWED_NAMES = frozenset({"_runtime"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageSpec(_Strict):
    file: str
    format: str = Field(pattern="^(" + "|".join(PAGE_FORMATS) + ")$")


class CredentialSpec(_Strict):
    env: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    description: str = ""


class AuthSpec(_Strict):
    credentials: tuple[str, ...] = Field(min_length=1)


class EnvelopeSpec(_Strict):
    data: str | None = None
    data_optional: bool = False
    code: str | None = None
    success: tuple[int, ...] = ()
    message: str | None = None
    subcode: str | None = None
    error_keys: tuple[str, ...] = ()
    string_is_error: bool = False
    # The reply's shape when pages show only the payload: a JSON Schema whose `data` key
    # receives each operation's own success schema (generator/envelope.py).
    wrapper: dict[str, Any] | None = None


_HTTP_STATUS = Annotated[int, Field(ge=100, le=599)]
# One line of printable text with something in it: it becomes a comment in generated code.
_REASON = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$")]
_HEADER_NAME = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"  # an RFC 9110 token


class RetrySpec(_Strict):
    max_retries: int = Field(default=2, ge=0)
    statuses: tuple[_HTTP_STATUS, ...] = (408, 429, 500, 502, 503, 504)
    # A write (non-idempotent call) is retried on a status only when the provider's docs say
    # the server did not act on it; each entry is `status = "why that is sure"`.
    non_idempotent_statuses: dict[_HTTP_STATUS, _REASON] = {}
    # The header carrying an idempotency key, where the provider honours one: every write then
    # carries a key made once per call, and is retried like a read.
    idempotency_header: str | None = Field(default=None, pattern=_HEADER_NAME)


class ProviderSpec(_Strict):
    name: str
    # None: derived from the OpenAPI document (generator.lower_provider).
    display_name: str | None = None
    client_name: str | None = Field(default=None, pattern=r"^[A-Z][A-Za-z0-9]*$")
    base_url: str | None = Field(default=None, pattern=r"^https?://")
    base_url_env: tuple[str, ...] | None = None
    pages: tuple[PageSpec, ...] = Field(min_length=1)
    credentials: dict[str, CredentialSpec] = {}
    auth: dict[str, AuthSpec] = {}
    envelope: EnvelopeSpec | None = None
    retry: RetrySpec = RetrySpec()
    headers: dict[str, str] = {}
    # Dotted wire-name paths (`environmentVars.value`) that logs and error messages mask.
    secret_fields: tuple[Annotated[str, Field(pattern=r"^[^.\s]+(\.[^.\s]+)*$")], ...] = ()


def load_provider(directory: Path, display: str, diagnostics: Diagnostics) -> ProviderSpec | None:
    """Read ``provider.toml`` in ``directory``; problems go to ``diagnostics``."""
    path = directory / "provider.toml"
    shown = f"{display}/provider.toml"
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except OSError as exc:
        diagnostics.error(Location(shown), f"cannot read provider settings: {exc.strerror}")
        return None
    except UnicodeDecodeError:
        diagnostics.error(Location(shown, 1), "provider.toml is not valid UTF-8")
        return None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        diagnostics.error(Location(shown, line), f"invalid TOML: {exc}")
        return None
    name = raw.get("name")
    problems = _check_name(name) if isinstance(name, str) else []
    spec = _validated(raw, shown, text, diagnostics)
    problems += _check_references(spec) if spec is not None else []
    problems += _check_header_text(spec) if spec is not None else []
    for keys, message, hint in problems:
        diagnostics.error(Location(shown, _line_of_key(text, keys)), message, hint)
    return spec


def _validated(
    raw: dict[str, Any], shown: str, text: str, diagnostics: Diagnostics
) -> ProviderSpec | None:
    try:
        return ProviderSpec.model_validate(raw)
    except ValidationError as exc:
        for error in _relevant(exc.errors()):
            field = ".".join(str(part) for part in error["loc"])
            message, hint = f"{field}: {error['msg']}", "see README, 'Adding a provider'"
            if error["loc"][-1] == "format" and error["type"] == "string_pattern_mismatch":
                message = f"{field}: unknown page format {error['input']!r}"
                hint = "one of " + ", ".join(PAGE_FORMATS)
            diagnostics.error(Location(shown, _line_of_key(text, error["loc"])), message, hint)
        return None


_Problem = tuple[tuple[str, ...], str, str]


def _check_name(name: str) -> list[_Problem]:
    """``name`` becomes the module ``gpuworkers.<name>``: it must import, and shadow nothing."""
    hint = "lower-case letters, digits and _, starting with a letter, not a Python keyword"
    if name in SHADOWED_NAMES:
        problem = f"name {name!r} would shadow gpuworkers.{name}, which the package imports"
        return [(("name",), problem, "choose another module name")]
    if not _MODULE_NAME.match(name):
        return [(("name",), f"name {name!r} is not a valid Python module name", hint)]
    if keyword.iskeyword(name):
        return [(("name",), f"name {name!r} is a Python keyword: `import` cannot name it", hint)]
    return []


def _relevant(errors: list[Any]) -> list[Any]:
    """Drop "too short" for a list whose items are already reported (pydantic counts 0)."""
    return [
        e
        for e in errors
        if not (
            e["type"] == "too_short"
            and any(o["loc"][: len(e["loc"])] == e["loc"] and o is not e for o in errors)
        )
    ]


def _check_references(spec: ProviderSpec) -> list[_Problem]:
    return [
        (
            ("auth", scheme),
            f"auth.{scheme} uses credential {credential!r}, which is not defined",
            f"add a [credentials.{credential}] table",
        )
        for scheme, auth in spec.auth.items()
        for credential in auth.credentials
        if credential not in spec.credentials
    ]


# Control characters (CR and LF above all) in a header would end it early or inject others.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 field names


def _check_header_text(spec: ProviderSpec) -> list[_Problem]:
    problems: list[_Problem] = []
    for name, value in spec.headers.items():
        if not _TOKEN.match(name):
            problem = f"headers: {name!r} is not an HTTP header name"
            problems.append((("headers", name), problem, "letters, digits and -"))
        if _CONTROL.search(value):
            problems.append(
                (
                    ("headers", name),
                    f"headers.{name}: the value {value!r} holds a control character (CR/LF?)",
                    "a header value is one line of text",
                )
            )
    if spec.base_url and (_CONTROL.search(spec.base_url) or " " in spec.base_url):
        problem = f"base_url {spec.base_url!r} holds a space or a control character"
        problems.append((("base_url",), problem, "write the URL alone"))
    return problems


def _line_of_key(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line of the deepest named key in ``loc`` (TOML keeps no positions)."""
    for part in reversed([p for p in loc if isinstance(p, str)]):
        pattern = re.compile(
            rf"^[ \t]*(\[+[^\]]*\b{re.escape(part)}\b[^\]]*\]+|{re.escape(part)}\s*=)", re.M
        )
        match = pattern.search(text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None

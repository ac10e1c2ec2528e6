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
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from generator.diagnostics import Diagnostics, Location

PAGE_FORMATS = ("openapi", "markdown-tables", "text-tables", "reference-text", "mdx-bullets")
_MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Names a provider module `gpuworkers.<name>` must not take: the runtime package that the
# package's `__init__` and every generated module import (the other names `__init__` binds
# are CamelCase or dunder, which a module name cannot be).
SHADOWED_NAMES = frozenset({"_runtime"})
_HINT = "see README, 'Adding a provider'"

# The settings are plain frozen dataclasses checked by the small validator below (no pydantic:
# loading it cost a tenth of a second on every run that reads a provider).  Each field's
# ``metadata["check"]`` turns the TOML value into the field's value, or reports why not.
_Loc = tuple[str | int, ...]
_Problem = tuple[_Loc, str, str]  # where (keys), what is wrong, hint
_Check = Callable[[Any, _Loc, list[_Problem]], Any]
_T = TypeVar("_T")


class SettingsError(ValueError):
    """``provider.toml`` values that do not fit (each with its keys, message and hint)."""

    def __init__(self, problems: list[_Problem]) -> None:
        super().__init__("; ".join(f"{_dotted(loc)}: {message}" for loc, message, _ in problems))
        self.problems = problems


def _setting(check: _Check, default: Any = MISSING, factory: Any = MISSING) -> Any:
    return field(default=default, default_factory=factory, metadata={"check": check})


def _string(pattern: str | None = None) -> _Check:
    compiled = re.compile(pattern) if pattern is not None else None

    def check(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
        if not isinstance(value, str):
            problems.append((loc, "Input should be a valid string", _HINT))
        elif compiled is not None and not compiled.search(value):
            problems.append((loc, f"String should match pattern '{pattern}'", _HINT))
        return value

    return check


def _page_format(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
    if value not in PAGE_FORMATS:
        hint = "one of " + ", ".join(PAGE_FORMATS)
        problems.append((loc, f"unknown page format {value!r}", hint))
    return value


def _boolean(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
    if not isinstance(value, bool):
        problems.append((loc, "Input should be a valid boolean", _HINT))
    return value


def _integer(low: int | None = None, high: int | None = None) -> _Check:
    def check(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            value = int(value)  # a TOML key is text: `503 = "..."`
        if isinstance(value, bool) or not isinstance(value, int):
            detail = ", unable to parse string as an integer" if isinstance(value, str) else ""
            problems.append((loc, f"Input should be a valid integer{detail}", _HINT))
        elif low is not None and value < low:
            problems.append((loc, f"Input should be greater than or equal to {low}", _HINT))
        elif high is not None and value > high:
            problems.append((loc, f"Input should be less than or equal to {high}", _HINT))
        return value

    return check


def _sequence(item: _Check, min_length: int = 0) -> _Check:
    def check(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
        if not isinstance(value, list | tuple):
            problems.append((loc, "Input should be a valid array", _HINT))
            return value
        if len(value) < min_length:
            message = f"needs at least {min_length} entry, found {len(value)}"
            problems.append((loc, message, _HINT))
        return tuple(item(v, (*loc, i), problems) for i, v in enumerate(value))

    return check


def _mapping(key: _Check, item: _Check) -> _Check:
    def check(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
        if not isinstance(value, dict):
            problems.append((loc, "Input should be a table", _HINT))
            return value
        return {key(k, (*loc, k), problems): item(v, (*loc, k), problems) for k, v in value.items()}

    return check


def _any_table(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
    if not isinstance(value, dict):
        problems.append((loc, "Input should be a table", _HINT))
    return value


def _table(cls: type[_T]) -> _Check:
    def check(value: Any, loc: _Loc, problems: list[_Problem]) -> Any:
        return _build(cls, value, loc, problems)

    return check


def _build(cls: type[_T], raw: Any, loc: _Loc, problems: list[_Problem]) -> _T | None:
    """``cls`` from a TOML table: every field checked, unknown keys reported."""
    if not isinstance(raw, dict):
        problems.append((loc, "Input should be a table", _HINT))
        return None
    before = len(problems)
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    extra = [key for key in raw if key not in known]
    problems += [((*loc, key), "Extra inputs are not permitted", _HINT) for key in extra]
    values = {}
    for name, spec in known.items():
        if name in raw:
            values[name] = spec.metadata["check"](raw[name], (*loc, name), problems)
        elif spec.default is MISSING and spec.default_factory is MISSING:
            problems.append(((*loc, name), "Field required", _HINT))
    return cls(**values) if len(problems) == before else None


_STRINGS = _sequence(_string())
_HTTP_STATUS = _integer(100, 599)
# One line of printable text with something in it: it becomes a comment in generated code.
_REASON = _string(r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$")
_HEADER_NAME = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"  # an RFC 9110 token


@dataclass(frozen=True, kw_only=True)
class PageSpec:
    file: str = _setting(_string())
    format: str = _setting(_page_format)


@dataclass(frozen=True, kw_only=True)
class CredentialSpec:
    env: tuple[str, ...] = _setting(_STRINGS, ())
    files: tuple[str, ...] = _setting(_STRINGS, ())
    description: str = _setting(_string(), "")


@dataclass(frozen=True, kw_only=True)
class AuthSpec:
    credentials: tuple[str, ...] = _setting(_sequence(_string(), min_length=1))


@dataclass(frozen=True, kw_only=True)
class EnvelopeSpec:
    data: str | None = _setting(_string(), None)
    data_optional: bool = _setting(_boolean, False)
    code: str | None = _setting(_string(), None)
    success: tuple[int, ...] = _setting(_sequence(_integer()), ())
    message: str | None = _setting(_string(), None)
    subcode: str | None = _setting(_string(), None)
    error_keys: tuple[str, ...] = _setting(_STRINGS, ())
    string_is_error: bool = _setting(_boolean, False)
    # The reply's shape when pages show only the payload: a JSON Schema whose `data` key
    # receives each operation's own success schema (generator/envelope.py).
    wrapper: dict[str, Any] | None = _setting(_any_table, None)


@dataclass(frozen=True, kw_only=True)
class RetrySpec:
    max_retries: int = _setting(_integer(0), 2)
    statuses: tuple[int, ...] = _setting(
        _sequence(_HTTP_STATUS), (408, 429, 500, 502, 503, 504)
    )
    # A write (non-idempotent call) is retried on a status only when the provider's docs say
    # the server did not act on it; each entry is `status = "why that is sure"`.
    non_idempotent_statuses: dict[int, str] = _setting(
        _mapping(_HTTP_STATUS, _REASON), factory=dict
    )
    # The header carrying an idempotency key, where the provider honours one: every write then
    # carries a key made once per call, and is retried like a read.
    idempotency_header: str | None = _setting(_string(_HEADER_NAME), None)


@dataclass(frozen=True, kw_only=True)
class ProviderSpec:
    name: str = _setting(_string())
    # None: derived from the OpenAPI document (generator.lower_provider).
    display_name: str | None = _setting(_string(), None)
    client_name: str | None = _setting(_string(r"^[A-Z][A-Za-z0-9]*$"), None)
    base_url: str | None = _setting(_string(r"^https?://"), None)
    base_url_env: tuple[str, ...] | None = _setting(_STRINGS, None)
    pages: tuple[PageSpec, ...] = _setting(_sequence(_table(PageSpec), min_length=1))
    credentials: dict[str, CredentialSpec] = _setting(
        _mapping(_string(), _table(CredentialSpec)), factory=dict
    )
    auth: dict[str, AuthSpec] = _setting(_mapping(_string(), _table(AuthSpec)), factory=dict)
    envelope: EnvelopeSpec | None = _setting(_table(EnvelopeSpec), None)
    retry: RetrySpec = _setting(_table(RetrySpec), factory=RetrySpec)
    headers: dict[str, str] = _setting(_mapping(_string(), _string()), factory=dict)
    # Dotted wire-name paths (`environmentVars.value`) that logs and error messages mask.
    secret_fields: tuple[str, ...] = _setting(
        _sequence(_string(r"^[^.\s]+(\.[^.\s]+)*$")), ()
    )

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> ProviderSpec:
        """The settings from a parsed ``provider.toml``; ``SettingsError`` lists what is wrong."""
        problems: list[_Problem] = []
        spec = _build(cls, raw, (), problems)
        if spec is None:
            raise SettingsError(problems)
        return spec


def _dotted(loc: _Loc) -> str:
    return ".".join(str(part) for part in loc)


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
        return ProviderSpec.parse(raw)
    except SettingsError as exc:
        for loc, message, hint in exc.problems:
            where = Location(shown, _line_of_key(text, loc))
            diagnostics.error(where, f"{_dotted(loc)}: {message}", hint)
        return None


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

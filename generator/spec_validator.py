"""openapi-spec-validator's OpenAPI 3.1 validator, made fast for valid documents.

The validator checks the document against the OpenAPI 3.1 schema and every schema in it
against the OAS dialect meta-schema, in pure Python (jsonschema).  Three changes, none of
which changes what is reported:

* **A Rust pre-check.**  Each of those two checks first asks jsonschema-rs whether the
  instance is valid.  Only when it says no does the Python validator run, so every error
  message is still jsonschema's.  jsonschema-rs is asked to be at least as strict (formats
  are checked, nothing is fetched); where it is stricter, the Python pass has the last
  word.  ``tests/generator/test_spec_validator.py`` holds the two to that.
* **Crawled registries.**  Both meta-schemas use ``$dynamicRef``; ``referencing`` resolves
  a dynamic anchor by crawling the registry, and a validator built the usual way holds an
  uncrawled root, so it crawls it again on every lookup.  Here each Python validator is
  built once, with its registry crawled up front.
* **Sets for the visited schemas.**  The library remembers visited schemas in lists, so
  each visit scans all earlier ones: quadratic in the number of schemas.

Anything that is not the expected shape falls back to the library's own path.  The last
two rest on private names of openapi-spec-validator, openapi-schema-validator, jsonschema
and referencing, so those are pinned exactly (``pyproject.toml``) and ``fast_path_problems``
names any that moved; ``tests/generator/test_spec_validator.py`` fails on it.

``LocatingSpecValidator`` is the same check for reporting: every error carries the
``pointer`` (the keys and indexes, as the library walked them, ``$ref`` included) of the
node it is about, since the library's own checks (defaults, operation ids, schemas
against the dialect) yield errors with no path; and a schema's dialect check yields all
its errors, not the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import SchemaError, ValidationError
from jsonschema.validators import validator_for
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_SPECIFICATIONS
from openapi_schema_validator.validators import check_openapi_schema
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v31
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    OpenAPIValidationError,
)

# The OAS 3.1 meta-schemas jsonschema-rs needs besides the JSON Schema ones it bundles.
_OAS_META_SCHEMAS = (
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://spec.openapis.org/oas/3.1/meta/base",
)


def _crawled(validator: Any) -> Any:
    """The same jsonschema validator, its reference registry crawled once."""
    resolver = getattr(validator, "_resolver", None)
    registry = getattr(resolver, "_registry", None)
    if resolver is None or registry is None:
        return validator
    crawled = registry.crawl().resolver(base_uri=resolver._base_uri)
    return validator.evolve(_resolver=crawled)


def _rust_validator(schema: dict[str, Any]) -> Any:
    """jsonschema-rs for ``schema``: formats asserted, the OAS meta-schemas at hand, offline."""
    registry = jsonschema_rs.Registry(
        [(uri, OPENAPI_SPECIFICATIONS.contents(uri)) for uri in _OAS_META_SCHEMAS]
    )
    return jsonschema_rs.validator_for(
        schema, registry=registry, validate_formats=True, offline=True
    )


class _RustFirst:
    """A jsonschema validator that lets jsonschema-rs vouch for valid instances."""

    def __init__(self, python: Any, rust: Any) -> None:
        self.python = python
        self.rust = rust
        self.schema = python.schema

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self.rust.is_valid(instance):
            return iter(())
        errors: Iterator[Any] = self.python.iter_errors(instance)
        return errors


@cache
def _document_validator() -> _RustFirst:
    # Built here rather than taken from OpenAPIV31SpecValidator, whose backend switches to
    # jsonschema-rs (and to its error wording) whenever that is installed.
    schema = dict(schema_v31)
    python = validator_for(schema)(schema)
    return _RustFirst(_crawled(python), _rust_validator(schema))


@cache
def _meta_errors(cls: Any, format_checker: Any) -> Callable[[Any], Iterator[Any]]:
    """Every error ``check_openapi_schema`` would see for ``cls``, its validator built once."""
    meta = validator_for(cls.META_SCHEMA, default=cls)(
        cls.META_SCHEMA, format_checker=format_checker, registry=OPENAPI_SPECIFICATIONS
    )
    meta = _crawled(meta)
    rust = (
        _rust_validator(cls.META_SCHEMA)
        if cls.META_SCHEMA.get("$id") in _OAS_META_SCHEMAS
        else None
    )

    def errors(schema: Any) -> Iterator[Any]:
        if rust is not None and rust.is_valid(schema):
            return iter(())
        found: Iterator[Any] = meta.iter_errors(schema)
        return found

    return errors


@cache
def _meta_checker(cls: Any, format_checker: Any) -> Callable[[Any], None]:
    """What ``check_openapi_schema`` does for ``cls``, without rebuilding its validator."""
    errors = _meta_errors(cls, format_checker)

    def check(schema: Any) -> None:
        for error in errors(schema):
            raise SchemaError.create_from(error)

    return check


class _Seen(list[int]):
    """The library's list of visited schema ids, with a set for membership."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._ids.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._ids


class _SchemaValidator(keywords.OpenAPIV31SchemaValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = _Seen()
        self.meta_checked_schema_ids = _Seen()

    def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        checker = super()._get_schema_checker(schema, schema_value)
        fast = _fast_meta(checker)
        return checker if fast is None else _meta_checker(*fast)


def _fast_meta(checker: Any) -> tuple[Any, Any] | None:
    """(validator class, format checker) when ``checker`` is the library's usual one."""
    cls = getattr(getattr(checker, "func", None), "__self__", None)
    if (
        isinstance(checker, partial)
        and cls is not None
        and getattr(cls.check_schema, "__func__", None) is check_openapi_schema
    ):
        return cls, checker.keywords.get("format_checker")
    return None


def fast_path_problems() -> list[str]:
    """The private names the fast path relies on that are not where it expects them (none,
    with the pinned versions): a silent fallback would only make validation slow again."""
    problems = []
    python = validator_for(schema_v31)(schema_v31)
    if _crawled(python) is python:
        problems.append("jsonschema validator._resolver._registry / _base_uri")
    if not all(OPENAPI_SPECIFICATIONS.get(uri) for uri in _OAS_META_SCHEMAS):
        problems.append("openapi_schema_validator._specifications.REGISTRY")
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Name": {"type": "string"}}},
    }
    validator = SpecValidator(document)
    walker = validator.keyword_validators_registry["schema"]
    _meta_checker.cache_clear()  # filled again by this run, if the fast path is taken
    errors = list(validator.iter_errors())
    if errors or _meta_checker.cache_info().currsize == 0:
        problems.append(
            "OpenAPIV31SchemaValidator._get_schema_checker no longer gives "
            "partial(check_openapi_schema): schemas are checked the slow way"
        )
    for name in ("visited_schema_ids", "meta_checked_schema_ids"):
        seen = getattr(walker, name, None)
        if not isinstance(seen, _Seen) or not seen:
            problems.append(f"OpenAPIV31SchemaValidator.{name} (no longer the walk's record)")
    return problems


class ExternalReferenceError(Exception):
    """The validator was about to fetch or read a ``$ref`` outside the document."""


def _refuse(uri: str) -> Any:
    raise ExternalReferenceError(f"$ref {uri!r} points outside the document; not followed")


class _Offline(dict[str, Callable[[str], Any]]):
    """Resolver handlers for every URI scheme, each refusing: nothing is ever fetched or read
    (the library falls back to urlopen for a scheme it has no handler for)."""

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str) -> Callable[[str], Any]:
        return _refuse


class SpecValidator(OpenAPIV31SpecValidator):
    """Drop-in for ``OpenAPIV31SpecValidator(document)``, offline."""

    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "schema": _SchemaValidator}
    resolver_handlers = _Offline()  # type: ignore[assignment]

    # A property, not the base class's attribute: the crawled validator is built on first use.
    @property
    def schema_validator(self) -> Any:  # type: ignore[override]
        return _document_validator()


def _located(errors: Iterable[Any], pointer: tuple[Any, ...], *tail: Any) -> Iterator[Any]:
    """``errors``, each given ``pointer`` (plus ``tail``) unless a nested check gave one.

    The library's checks assume the shapes the OpenAPI schema demands; where the document
    breaks them (parameters that are not a list), the check stops there with a ``crash``
    error instead of ending the whole run, so the rest of the document is still checked.
    """
    iterator = iter(errors)
    while True:
        try:
            error = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - reported, and the siblings still checked
            error = OpenAPIValidationError(f"cannot check: {type(exc).__name__}: {exc}")
            _mark(error, pointer, crash=True)
            yield error
            return
        if getattr(error, "pointer", None) is None:
            _mark(error, (*pointer, *tail))
        yield error


def _mark(error: Exception, pointer: tuple[Any, ...], *, crash: bool = False) -> None:
    """Attach where ``error`` is (and whether its check stopped) to the library's own error."""
    vars(error)["pointer"] = pointer
    if crash:
        vars(error)["crash"] = True


class _NoDefaults(keywords.OpenAPIV31ValueValidator):
    """Defaults are checked with examples, by the caller, in every schema (the library
    checks only the schemas it walks)."""

    def __call__(self, schema: Any, value: Any) -> Iterator[Any]:
        return iter(())


class _LocatingSchemaValidator(_SchemaValidator):
    # Set by LocatingSpecValidator: which dialect errors leave the schema worth walking.
    harmless: Callable[[Any], bool] = staticmethod(lambda error: False)

    def __call__(
        self, schema: Any, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[Any]:
        value = schema.read_value()
        if not meta_checked and isinstance(value, (Mapping, bool)):
            meta_checked = True
            checked = self.meta_checked_schema_ids
            if checked is not None and id(value) not in checked:
                checked.append(id(value))
                blocking = False
                for error in self._all_meta_errors(schema, value):
                    error.pointer = (*schema.parts, *error.path)
                    error.is_dialect = True
                    blocking = blocking or not self.harmless(error)
                    yield error
                if blocking:  # the library does not walk a schema that breaks the dialect
                    return
        for error in super().__call__(schema, require_properties, meta_checked):
            if getattr(error, "pointer", None) is None:
                tail = ("required",) if isinstance(error, ExtraParametersError) else ()
                _mark(error, (*schema.parts, *tail))
            yield error

    def _all_meta_errors(self, schema: Any, value: Any) -> Iterator[Any]:
        try:
            checker = keywords.OpenAPIV31SchemaValidator._get_schema_checker(self, schema, value)
        except ValueError as exc:
            yield OpenAPIValidationError(str(exc))
            return
        fast = _fast_meta(checker)
        if fast is not None:
            yield from _meta_errors(*fast)(value)
            return
        try:
            checker(value)
        except (SchemaError, ValidationError) as error:
            yield error


class _LocatingOperationValidator(keywords.OperationValidator):
    def __call__(self, url: str, name: str, operation: Any, path_parameters: Any) -> Iterator[Any]:
        for error in super().__call__(url, name, operation, path_parameters):
            if isinstance(error, DuplicateOperationIDError):
                _mark(error, (*operation.parts, "operationId"))
            yield from _located([error], operation.parts)


class _LocatingPathValidator(keywords.PathValidator):
    def __call__(self, url: str, path_item: Any) -> Iterator[Any]:
        return _located(super().__call__(url, path_item), path_item.parts)


class _LocatingParametersValidator(keywords.ParametersValidator):
    def __call__(self, parameters: Any) -> Iterator[Any]:
        return _located(super().__call__(parameters), parameters.parts)


class _LocatingTagsValidator(keywords.TagsValidator):
    def __call__(self, tags: Any) -> Iterator[Any]:
        return _located(super().__call__(tags), tags.parts)


class LocatingSpecValidator(SpecValidator):
    """Every error of the document, each with ``error.pointer`` (see the module's doc)."""

    keyword_validators = {
        **SpecValidator.keyword_validators,
        "default": _NoDefaults,
        "schema": _LocatingSchemaValidator,
        "operation": _LocatingOperationValidator,
        "path": _LocatingPathValidator,
        "parameters": _LocatingParametersValidator,
        "tags": _LocatingTagsValidator,
    }

    def __init__(self, document: dict[str, Any], harmless: Callable[[Any], bool]) -> None:
        super().__init__(document)
        schema_validator = self.keyword_validators_registry["schema"]
        assert isinstance(schema_validator, _LocatingSchemaValidator)
        schema_validator.harmless = harmless

    def located_errors(self) -> Iterator[Any]:
        for error in self.schema_validator.iter_errors(self.schema):
            error.pointer = tuple(error.absolute_path)
            yield error
        yield from self.root_validator(self.schema_path)

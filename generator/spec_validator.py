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

Anything that is not the expected shape falls back to the library's own path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, partial
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_SPECIFICATIONS
from openapi_schema_validator.validators import check_openapi_schema
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v31
from openapi_spec_validator.validation import keywords

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
def _meta_checker(cls: Any, format_checker: Any) -> Callable[[Any], None]:
    """What ``check_openapi_schema`` does for ``cls``, without rebuilding its validator."""
    meta = validator_for(cls.META_SCHEMA, default=cls)(
        cls.META_SCHEMA, format_checker=format_checker, registry=OPENAPI_SPECIFICATIONS
    )
    meta = _crawled(meta)
    rust = (
        _rust_validator(cls.META_SCHEMA)
        if cls.META_SCHEMA.get("$id") in _OAS_META_SCHEMAS
        else None
    )

    def check(schema: Any) -> None:
        if rust is not None and rust.is_valid(schema):
            return
        for error in meta.iter_errors(schema):
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
        cls = getattr(getattr(checker, "func", None), "__self__", None)
        if (
            isinstance(checker, partial)
            and cls is not None
            and getattr(cls.check_schema, "__func__", None) is check_openapi_schema
        ):
            return _meta_checker(cls, checker.keywords.get("format_checker"))
        return checker


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

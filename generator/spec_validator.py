"""openapi-spec-validator's OpenAPI 3.1 validator with its meta-schemas crawled once.

The validator checks the document against the OpenAPI 3.1 schema and every schema in it
against the OAS dialect meta-schema.  Both meta-schemas use ``$dynamicRef``; ``referencing``
resolves a dynamic anchor by crawling the registry, and a validator built the usual way
holds an uncrawled root, so it crawls it again on every lookup (thousands per document).
Here each validator is built once, with a registry crawled up front: the same checks and
the same errors, in about half the time (``bench/``: 2.44 s -> 1.31 s CPU for 100
operations).  Anything that is not the expected shape falls back to the library's path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_SPECIFICATIONS
from openapi_schema_validator.validators import check_openapi_schema
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords


def _crawled(validator: Any) -> Any:
    """The same jsonschema validator, its reference registry crawled once."""
    resolver = getattr(validator, "_resolver", None)
    registry = getattr(resolver, "_registry", None)
    if registry is None:
        return validator
    crawled = registry.crawl().resolver(base_uri=resolver._base_uri)
    return validator.evolve(_resolver=crawled)


@cache
def _document_validator() -> Any:
    return _crawled(OpenAPIV31SpecValidator.schema_validator)


@cache
def _meta_checker(cls: Any, format_checker: Any) -> Callable[[Any], None]:
    """What ``check_openapi_schema`` does for ``cls``, without rebuilding its validator."""
    meta = validator_for(cls.META_SCHEMA, default=cls)(
        cls.META_SCHEMA, format_checker=format_checker, registry=OPENAPI_SPECIFICATIONS
    )
    meta = _crawled(meta)

    def check(schema: Any) -> None:
        for error in meta.iter_errors(schema):
            raise SchemaError.create_from(error)

    return check


class _SchemaValidator(keywords.OpenAPIV31SchemaValidator):
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


class SpecValidator(OpenAPIV31SpecValidator):
    """Drop-in for ``OpenAPIV31SpecValidator(document)``."""

    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "schema": _SchemaValidator}

    @property  # type: ignore[override]
    def schema_validator(self) -> Any:
        return _document_validator()

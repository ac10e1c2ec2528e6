"""The pydantic base of generated models, and validation of response data into a type."""

from __future__ import annotations

import functools
from typing import Any, TypeVar, cast

import pydantic

__all__ = ["BaseModel", "validate_as"]

T = TypeVar("T")


class BaseModel(pydantic.BaseModel):
    """Lenient where the services are: unknown fields are kept, fields settable by name."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")


@functools.lru_cache(maxsize=512)
def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(tp)


def validate_as(tp: type[T], data: object) -> T:
    """``data`` validated into ``tp``; raises ``pydantic.ValidationError``."""
    try:
        adapter = _adapter(cast(Any, tp))
    except TypeError:  # an unhashable annotation cannot be cached
        adapter = pydantic.TypeAdapter(tp)
    return cast(T, adapter.validate_python(data))

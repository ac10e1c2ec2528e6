"""The pydantic bases of generated models and enums, and validation of data into a type."""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any, TypeVar, cast

import pydantic
from pydantic_core import core_schema

__all__ = ["BaseModel", "CaseInsensitiveEnum", "validate_as"]

T = TypeVar("T")


class BaseModel(pydantic.BaseModel):
    """Lenient where the services are: unknown fields are kept, fields settable by name."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")


class CaseInsensitiveEnum(str, Enum):  # noqa: UP042 (3.10 has no StrEnum)
    """A string enum whose members match a value in any letter case.

    For services that compare case-insensitively: ``Status("RUNNING")``, ``Status("Running")``
    and ``Status("running")`` are all ``Status.RUNNING``.  In a field typed ``Status | str``
    a known value in any case becomes the member, and any other string stays a plain ``str``.
    """

    @classmethod
    def _missing_(cls, value: object) -> CaseInsensitiveEnum | None:
        if isinstance(value, str):
            folded = value.casefold()
            for member in cls:
                if member.casefold() == folded:
                    return member
        return None

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Turn a known string into its member before the enum validator runs: in a smart-mode
        # union with `str`, a plain string would otherwise win as the exact match.
        def to_member(value: Any) -> Any:
            if isinstance(value, str) and not isinstance(value, cls):
                try:
                    return cls(value)
                except ValueError:
                    return value
            return value

        return core_schema.no_info_before_validator_function(to_member, handler(source))


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

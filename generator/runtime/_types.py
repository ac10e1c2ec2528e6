"""Sentinels and per-call options shared by every generated client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, cast

import httpx

__all__ = [
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "Style",
    "Timeout",
    "DEFAULT_OPTIONS",
    "as_timeout",
]

# How a value travels (OpenAPI style and explode); see ``_params``.  "form" is the
# default of its place: exploded form in a query or form body, non-exploded simple in a
# path or header.
Style = Literal[
    "form",
    "comma",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
    "json",
    "simple_explode",
    "label",
    "label_explode",
    "matrix",
    "matrix_explode",
]


class NotGiven:
    """Marks an argument the caller left out, where ``None`` is a meaningful value.

    ``timeout=None`` means "no timeout"; ``timeout=NOT_GIVEN`` means "use the default".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance, so identity checks (`x is NOT_GIVEN`) are always valid.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: object) -> Any:
        # `int | NotGiven` in a pydantic model or TypeAdapter: NOT_GIVEN is itself.
        from pydantic_core import core_schema  # here: pydantic loads with the first model

        return core_schema.is_instance_schema(cls)


NOT_GIVEN: Final = NotGiven()


class Timeout(httpx.Timeout):
    """``httpx.Timeout`` plus ``total``: the longest a whole call may take.

    ``total`` covers connecting, sending, waiting for headers, reading the body, every retry
    and every wait between retries. Unless given, it is the longest of the four phase limits
    (none when any phase is unlimited), so a plain number bounds the whole call::

        Timeout(10)                   # each phase and the whole call: at most 10 s
        Timeout(60, connect=5)        # phases as in httpx; the whole call at most 60 s
        Timeout(30, total=300)        # no phase over 30 s, the whole call up to 300 s
        Timeout(None)                 # no limit at all
    """

    total: float | None

    def __init__(
        self,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        *,
        connect: float | None | NotGiven = NOT_GIVEN,
        read: float | None | NotGiven = NOT_GIVEN,
        write: float | None | NotGiven = NOT_GIVEN,
        pool: float | None | NotGiven = NOT_GIVEN,
        total: float | None | NotGiven = NOT_GIVEN,
    ) -> None:
        given = {"connect": connect, "read": read, "write": write, "pool": pool}
        phases = {name: value for name, value in given.items() if not isinstance(value, NotGiven)}
        if isinstance(timeout, NotGiven):
            super().__init__(**phases)
        else:
            super().__init__(timeout, **phases)
        if isinstance(total, NotGiven):
            total = timeout.total if isinstance(timeout, Timeout) else _longest(self)
        self.total = total

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.total == cast(Timeout, other).total

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, total={self.total})"


def _longest(timeout: httpx.Timeout) -> float | None:
    phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    return None if None in phases else max(p for p in phases if p is not None)


def as_timeout(value: float | httpx.Timeout | None) -> Timeout:
    """A ``timeout=`` argument (number, ``None``, ``httpx.Timeout``) as a ``Timeout``."""
    return value if isinstance(value, Timeout) else Timeout(value)


@dataclass(frozen=True, repr=False)
class RequestOptions:
    """Per-call overrides; every generated method accepts one as ``options=``."""

    timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None
    max_response_size: int | None | NotGiven = NOT_GIVEN
    max_json_depth: int | None | NotGiven = NOT_GIVEN

    def __repr__(self) -> str:
        # Names only for the extras: a caller may pass a credential in any of them.
        extras = {"extra_headers": self.extra_headers, "extra_query": self.extra_query,
                  "extra_body": self.extra_body}
        shown = [f"timeout={self.timeout!r}", f"max_retries={self.max_retries!r}",
                 f"max_response_size={self.max_response_size!r}",
                 f"max_json_depth={self.max_json_depth!r}"]
        shown += [f"{name}={sorted(map(str, value))}" for name, value in extras.items() if value]
        return f"RequestOptions({', '.join(shown)})"


DEFAULT_OPTIONS: Final = RequestOptions()

"""Sentinels and per-call options shared by every generated client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

import httpx

__all__ = ["NOT_GIVEN", "NotGiven", "RequestOptions", "Style", "Timeout", "DEFAULT_OPTIONS"]

Timeout = httpx.Timeout
# How a query or form value travels (OpenAPI style and explode); see ``_params``.
Style = Literal["form", "comma", "spaceDelimited", "pipeDelimited", "deepObject", "json"]


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


NOT_GIVEN: Final = NotGiven()


@dataclass(frozen=True, repr=False)
class RequestOptions:
    """Per-call overrides; every generated method accepts one as ``options=``."""

    timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None

    def __repr__(self) -> str:
        # Names only for the extras: a caller may pass a credential in any of them.
        extras = {"extra_headers": self.extra_headers, "extra_query": self.extra_query,
                  "extra_body": self.extra_body}
        shown = [f"timeout={self.timeout!r}", f"max_retries={self.max_retries!r}"]
        shown += [f"{name}={sorted(map(str, value))}" for name, value in extras.items() if value]
        return f"RequestOptions({', '.join(shown)})"


DEFAULT_OPTIONS: Final = RequestOptions()

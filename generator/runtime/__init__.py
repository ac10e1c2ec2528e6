"""The gpuworkers client runtime: copied verbatim into every generated package.

The errors, configuration, response wrapper and option types load with it (httpx only);
the clients, models and pages load on first access (PEP 562), so that ``pydantic.main``
loads with the first model or client.  Type checkers read those imports
under ``TYPE_CHECKING`` instead.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ._config import (
    Argument,
    AuthScheme,
    Credential,
    Endpoint,
    Envelope,
    Pagination,
    ProviderConfig,
    RetryPolicy,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GpuWorkersError,
    InternalServerError,
    InvalidArgumentError,
    MissingBaseURLError,
    MissingCredentialsError,
    NotFoundError,
    PathParameterError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooDeepError,
    ResponseTooLargeError,
    UnprocessableEntityError,
)
from ._response import (
    APIResponse,
    AsyncStreamedResponse,
    StreamedResponse,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._timestamp import Timestamp
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout

if TYPE_CHECKING:
    from ._client import AsyncAPIClient, AsyncResource, SyncAPIClient, SyncResource
    from ._content import FileTypes
    from ._models import BaseModel, CaseInsensitiveEnum
    from ._pagination import AsyncPage, SyncPage
    from ._params import parameter_headers, styled

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Argument",
    "AsyncAPIClient",
    "AsyncPage",
    "AsyncResource",
    "AsyncStreamedResponse",
    "AuthScheme",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "CaseInsensitiveEnum",
    "ConflictError",
    "FileTypes",
    "Credential",
    "Endpoint",
    "Envelope",
    "GpuWorkersError",
    "InternalServerError",
    "InvalidArgumentError",
    "MissingBaseURLError",
    "MissingCredentialsError",
    "NotFoundError",
    "NotGiven",
    "Pagination",
    "PathParameterError",
    "PermissionDeniedError",
    "ProviderConfig",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooDeepError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "SyncAPIClient",
    "SyncPage",
    "SyncResource",
    "StreamedResponse",
    "Timeout",
    "Timestamp",
    "UnprocessableEntityError",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "lazy_exports",
    "parameter_headers",
    "styled",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]


def lazy_exports(
    package: str, origins: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` (PEP 562) for ``package``.

    ``origins`` maps a submodule of ``package`` to the names it provides; a name's submodule
    is imported on the name's first access, and the name is then stored in ``package``.
    """
    where = {name: module for module, names in origins.items() for name in names}

    def __getattr__(name: str) -> object:
        if name not in where:
            message = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(message, name=name, obj=sys.modules[package])
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__


if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "_client": ("AsyncAPIClient", "AsyncResource", "SyncAPIClient", "SyncResource"),
            "_content": ("FileTypes",),
            "_models": ("BaseModel", "CaseInsensitiveEnum"),
            "_pagination": ("AsyncPage", "SyncPage"),
            "_params": ("parameter_headers", "styled"),
        },
    )

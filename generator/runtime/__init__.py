"""The gpuworkers client runtime: copied verbatim into every generated package."""

from ._client import AsyncAPIClient, AsyncResource, SyncAPIClient, SyncResource
from ._config import (
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
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._models import BaseModel, CaseInsensitiveEnum
from ._pagination import AsyncPage, SyncPage
from ._response import APIResponse, async_to_raw_response_wrapper, to_raw_response_wrapper
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncPage",
    "AsyncResource",
    "AuthScheme",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "CaseInsensitiveEnum",
    "ConflictError",
    "Credential",
    "Endpoint",
    "Envelope",
    "GpuWorkersError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "NotGiven",
    "Pagination",
    "PermissionDeniedError",
    "ProviderConfig",
    "RateLimitError",
    "RequestOptions",
    "RetryPolicy",
    "SyncAPIClient",
    "SyncPage",
    "SyncResource",
    "Timeout",
    "UnprocessableEntityError",
    "async_to_raw_response_wrapper",
    "to_raw_response_wrapper",
]

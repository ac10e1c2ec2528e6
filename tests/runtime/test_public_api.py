"""The names generated code and other parts import from ``gpuworkers._runtime``."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import httpx
import pytest
from gpuworkers import _runtime
from gpuworkers._runtime import NOT_GIVEN, NotGiven, ProviderConfig, RequestOptions, Timeout

PUBLIC = {
    "NOT_GIVEN", "NotGiven", "Timeout", "RequestOptions", "BaseModel",
    "GpuWorkersError", "APIError", "APIStatusError", "BadRequestError", "AuthenticationError",
    "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
    "RateLimitError", "InternalServerError", "APIConnectionError", "APITimeoutError",
    "APIResponseValidationError", "MissingCredentialsError",
    "Credential", "AuthScheme", "Envelope", "RetryPolicy", "ProviderConfig", "Endpoint",
    "Pagination", "SyncAPIClient", "AsyncAPIClient", "SyncPage", "AsyncPage", "APIResponse",
    "to_raw_response_wrapper", "async_to_raw_response_wrapper", "SyncResource", "AsyncResource",
}


def test_public_names_are_exported() -> None:
    assert set(_runtime.__all__) >= PUBLIC
    for name in _runtime.__all__:
        assert hasattr(_runtime, name), name


def test_not_given_sentinel() -> None:
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert NotGiven() is NOT_GIVEN
    assert issubclass(Timeout, httpx.Timeout)  # with `total`: the whole call's limit


def test_static_config_is_frozen_with_defaults() -> None:
    options = RequestOptions()
    assert options.timeout is NOT_GIVEN and options.max_retries is NOT_GIVEN
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.max_retries = 3  # type: ignore[misc]
    config = ProviderConfig(name="p", client_name="PClient", base_url="https://p.example")
    assert config.retry.max_retries == 2
    assert config.retry.statuses == (408, 429, 500, 502, 503, 504)
    assert config.retry.non_idempotent_statuses == ()  # writes: connect failures only
    assert config.retry.idempotency_header is None
    assert config.default_timeout == httpx.Timeout(60.0, connect=5.0)
    assert dict(config.default_headers) == {}
    with pytest.raises(TypeError):
        config.default_headers["X"] = "y"  # type: ignore[index]


def test_page_types_are_exported_for_annotations_and_load_lazily() -> None:
    script = (
        "import sys, gpuworkers\n"
        "assert 'gpuworkers._runtime._pagination' not in sys.modules\n"
        "from gpuworkers import AsyncPage, SyncPage\n"
        "from gpuworkers._runtime._pagination import SyncPage as Real\n"
        "assert SyncPage is Real and AsyncPage.__name__ == 'AsyncPage'\n"
        "assert {'SyncPage', 'AsyncPage'} <= set(gpuworkers.__all__) & set(dir(gpuworkers))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)

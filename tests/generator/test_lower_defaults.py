"""Lowering with a minimal provider.toml: the defaults taken from the document, in the IR.

What the generated client then does on the wire is ``test_minimal_provider.py``.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.diagnostics import Diagnostics
from generator.lower import lower
from generator.provider import ProviderSpec

OK = {"200": {"description": "ok"}}


def _lower(document: dict[str, Any], **settings: Any) -> tuple[ir.Api, Diagnostics]:
    spec = ProviderSpec.parse(
        {"name": "demo", "pages": [{"file": "a.yaml", "format": "openapi"}], **settings}
    )
    diagnostics = Diagnostics()
    return lower(document, spec, diagnostics), diagnostics


def _document(**parts: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "Demo  API", "version": "1"}, **parts}


def test_display_and_client_names() -> None:
    api, diagnostics = _lower(_document(paths={"/a": {"get": {"responses": OK}}}))
    assert (api.display_name, api.client_name) == ("Demo", "Demo")
    assert (api.base_url, api.base_url_env) == ("", ("DEMO_BASE_URL",))
    assert api.auth == () and api.credentials == ()
    assert not diagnostics.items


def test_two_schemes_of_one_kind_get_distinct_credentials() -> None:
    # OpenAI's shape: a document-level bearer key, and an admin bearer key on some operations.
    schemes = {
        "ApiKeyAuth": {"type": "http", "scheme": "bearer"},
        "AdminApiKeyAuth": {"type": "http", "scheme": "Bearer"},
    }
    admin = {"operationId": "admin", "security": [{"AdminApiKeyAuth": []}], "responses": OK}
    api, _ = _lower(_document(
        components={"securitySchemes": schemes},
        security=[{"ApiKeyAuth": []}],
        paths={"/a": {"get": {"operationId": "plain", "responses": OK}}, "/b": {"get": admin}},
    ))
    assert [(c.name, c.env) for c in api.credentials] == [
        ("token", ("DEMO_TOKEN",)),
        ("admin_api_key_auth", ("DEMO_ADMIN_API_KEY_AUTH",)),
    ]
    assert api.auth == (ir.Auth("ApiKeyAuth", "bearer", "Authorization", ("token",)),)
    plain, admin_op = api.operations
    assert plain.auth is None
    assert admin_op.auth == (
        ir.Auth("AdminApiKeyAuth", "bearer", "Authorization", ("admin_api_key_auth",)),
    )


def test_optional_alternative_goes_last() -> None:
    schemes = {"key": {"type": "apiKey", "in": "query", "name": "k"}}
    api, _ = _lower(_document(
        components={"securitySchemes": schemes},
        security=[{}, {"key": []}],
        paths={"/a": {"get": {"responses": OK}}},
    ))
    assert [a.kind for a in api.auth] == ["query", "none"]


def test_unsupported_scheme_is_a_warning_and_sends_nothing() -> None:
    schemes = {"digest": {"type": "http", "scheme": "digest"}}
    api, diagnostics = _lower(_document(
        components={"securitySchemes": schemes},
        security=[{"digest": []}],
        paths={"/a": {"get": {"responses": OK}}},
    ))
    assert [(str(d.location), d.message) for d in diagnostics.items] == [(
        "specs/demo/provider.toml",
        "security scheme digest (http digest) is not supported: calls that need it go without it",
    )]
    assert api.auth == () and api.credentials == ()


def test_requirement_naming_several_schemes_sends_them_together() -> None:
    # Datadog's shape: an API key and an application key, both on every call.
    schemes = {
        "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "DD-API-KEY"},
        "appKeyAuth": {"type": "apiKey", "in": "header", "name": "DD-APPLICATION-KEY"},
    }
    api, diagnostics = _lower(_document(
        components={"securitySchemes": schemes},
        security=[{"apiKeyAuth": [], "appKeyAuth": []}],
        paths={"/a": {"get": {"responses": OK}}},
    ))
    assert not diagnostics.items
    assert [c.name for c in api.credentials] == ["api_key", "app_key_auth"]
    assert api.auth == (
        ir.Auth("apiKeyAuth", "header", "DD-API-KEY", ("api_key",), together=(
            ir.Auth("appKeyAuth", "header", "DD-APPLICATION-KEY", ("app_key_auth",)),
        )),
    )


def test_server_variable_without_default_leaves_no_base_url() -> None:
    servers = [{"url": "https://{tenant}.example.com", "variables": {"tenant": {"enum": ["a"]}}}]
    api, diagnostics = _lower(_document(servers=servers, paths={"/a": {"get": {"responses": OK}}}))
    assert api.base_url == ""
    assert "variable(s) tenant have no default" in diagnostics.warnings[0].message


def test_provider_credentials_table_overrides_a_default_credential() -> None:
    schemes = {"key": {"type": "apiKey", "in": "cookie", "name": "sid"}}
    api, diagnostics = _lower(
        _document(components={"securitySchemes": schemes}, security=[{"key": []}],
                  paths={"/a": {"get": {"responses": OK}}}),
        credentials={"api_key": {"env": ["MY_KEY"], "files": ["~/.demo"]}},
        base_url="https://override.example",
    )
    assert [(c.name, c.env, c.files) for c in api.credentials] == [
        ("api_key", ("MY_KEY",), ("~/.demo",))
    ]
    assert api.auth == (ir.Auth("key", "cookie", "sid", ("api_key",)),)
    assert api.base_url == "https://override.example"
    assert not diagnostics.items

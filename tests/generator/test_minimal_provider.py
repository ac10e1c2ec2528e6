"""A provider.toml with only ``name`` and one OpenAPI page: the rest comes from the document.

Display name from ``info.title``, client class from ``name``, base URL from ``servers[0]``
(variables at their defaults), credentials and auth from ``securitySchemes`` + ``security``
(the document's and each operation's).  Each provider below is generated once into a temp
folder; each test drives the generated client in its own interpreter (the generated
package is another ``gpuworkers``) through ``httpx.MockTransport`` and checks what goes on
the wire, byte for byte.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.generator.conftest import ROOT, run_generator

# Every scheme kind, each required by one operation; the document's own is the header key.
VAULT = """
openapi: 3.1.0
info: {title: Vault   Example API, version: "1.0"}
servers:
  - url: https://{region}.vault.example/{version}
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2}
  - url: https://backup.vault.example
security:
  - headerKey: []
components:
  securitySchemes:
    headerKey: {type: apiKey, in: header, name: X-Vault-Key}
    queryKey: {type: apiKey, in: query, name: key}
    cookieKey: {type: apiKey, in: cookie, name: session}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://vault.example/token", scopes: {read: r}}}
    oidc: {type: openIdConnect, openIdConnectUrl: "https://vault.example/.well-known/openid"}
paths:
  /header: {get: {operationId: viaHeader, responses: {"200": {description: ok}}}}
  /query:
    get: {operationId: viaQuery, security: [{queryKey: []}], responses: {"200": {description: ok}}}
  /cookie:
    get:
      {operationId: viaCookie, security: [{cookieKey: []}], responses: {"200": {description: ok}}}
  /bearer:
    get: {operationId: viaBearer, security: [{bearer: []}], responses: {"200": {description: ok}}}
  /basic:
    get: {operationId: viaBasic, security: [{basic: []}], responses: {"200": {description: ok}}}
  /oauth:
    get: {operationId: viaOauth, security: [{oauth: [read]}], responses: {"200": {description: ok}}}
  /oidc:
    get: {operationId: viaOidc, security: [{oidc: []}], responses: {"200": {description: ok}}}
  /public:
    get: {operationId: open, security: [], responses: {"200": {description: ok}}}
  /both:
    get:
      operationId: viaBoth
      security: [{headerKey: [], cookieKey: [], queryKey: []}]
      responses: {"200": {description: ok}}
"""

# No servers; a key that is optional (`{}` among the alternatives).
OPTIONAL = """
openapi: 3.0.3
info: {title: Optional, version: "1"}
security: [{key: []}, {}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /things: {get: {operationId: listThings, responses: {"200": {description: ok}}}}
"""

# A relative server URL: the caller names the host.
RELATIVE = """
openapi: 3.0.3
info: {title: Relative, version: "1"}
servers: [{url: /api/v3}]
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
paths:
  /things: {get: {operationId: listThings, responses: {"200": {description: ok}}}}
"""

MINIMAL_TOML = 'name = "{name}"\n\n[[pages]]\nfile = "{file}"\nformat = "openapi"\n'

# provider.toml overrides every default it sets.
CUSTOM_TOML = """name = "custom"
display_name = "Custom Display"
client_name = "Bespoke"
base_url = "https://override.example/base"
base_url_env = []

[[pages]]
file = "openapi.yaml"
format = "openapi"

[credentials.token]
env = ["BESPOKE_SECRET"]
"""

PRELUDE = """
import base64, json, httpx, gpuworkers
seen = []

def handler(request):
    seen.append(request)
    return httpx.Response(200)

def http(cls=httpx.Client):
    return cls(transport=httpx.MockTransport(handler))

def wire():
    request = seen.pop()
    return {"url": str(request.url), "authorization": request.headers.get("authorization"),
            "x-vault-key": request.headers.get("x-vault-key"),
            "x-key": request.headers.get("x-key"), "cookie": request.headers.get("cookie")}

def error(call):
    try:
        call()
    except gpuworkers.GpuWorkersError as exc:
        return {"error": type(exc).__name__, "message": str(exc), "sent": len(seen)}
    return {"error": None}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("minimal")
    specs = root / "specs"
    for name, document in (("vault", VAULT), ("optional", OPTIONAL), ("relative", RELATIVE)):
        _provider(specs / name, MINIMAL_TOML.format(name=name, file="openapi.yaml"), document)
    # The public Petstore document (identical to ../shared/public-specs/petstore.yaml).
    _provider(specs / "petstore", MINIMAL_TOML.format(name="petstore", file="petstore.yaml"))
    shutil.copy(ROOT / "tests/specs/petstore/petstore.yaml", specs / "petstore/petstore.yaml")
    _provider(specs / "custom", CUSTOM_TOML, RELATIVE)
    out = root / "generated"
    result = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _provider(folder: Path, settings: str, document: str | None = None) -> None:
    folder.mkdir(parents=True)
    (folder / "provider.toml").write_text(settings)
    if document is not None:
        (folder / "openapi.yaml").write_text(document)


def _run(generated: Path, script: str, **env: str) -> Any:
    """Run ``script`` after PRELUDE in a fresh interpreter; it prints one JSON value."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_PREFIXES)}
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(script)],
        env={**clean, **env, "PYTHONPATH": str(generated / "src")},
        capture_output=True, text=True, check=False, cwd=generated,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


_PREFIXES = ("VAULT_", "OPTIONAL_", "RELATIVE_", "PETSTORE_", "CUSTOM_", "BESPOKE_")

VAULT_ENV = {"VAULT_API_KEY": "header-key-1"}


def test_petstore_names_and_base_url_come_from_the_document(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.petstore import AsyncPetstoreClient, PetstoreClient
        with PetstoreClient(http_client=http()) as client:
            client.pets.create_pets()
        print(json.dumps({**wire(), "doc": PetstoreClient.__doc__,
                          "async": AsyncPetstoreClient.__name__}))
    """)
    assert result["url"] == "http://petstore.swagger.io/v1/pets"
    assert result["authorization"] is None  # the document declares no security
    assert "Swagger Petstore API" in result["doc"]
    assert "`PETSTORE_BASE_URL`, or `http://petstore.swagger.io/v1`" in result["doc"]
    assert result["async"] == "AsyncPetstoreClient"


def test_server_variables_take_their_defaults_and_header_key_from_env(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(http_client=http()).api.via_header()
        print(json.dumps(wire()))
    """, **VAULT_ENV)
    assert result == {"url": "https://eu.vault.example/v2/header", "authorization": None,
                      "x-vault-key": "header-key-1", "x-key": None, "cookie": None}


def test_api_key_in_query(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(query_key="q k&1", http_client=http()).api.via_query()
        print(json.dumps(wire()))
    """, **VAULT_ENV)
    # The operation's own scheme replaces the document's: no header key on this call.
    assert result == {"url": "https://eu.vault.example/v2/query?key=q+k%261",
                      "authorization": None, "x-vault-key": None, "x-key": None, "cookie": None}


def test_api_key_in_cookie(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(http_client=http()).api.via_cookie()
        print(json.dumps(wire()))
    """, VAULT_COOKIE_KEY="cookie-key-1", **VAULT_ENV)
    assert result == {"url": "https://eu.vault.example/v2/cookie", "authorization": None,
                      "x-vault-key": None, "x-key": None, "cookie": "session=cookie-key-1"}


def test_http_bearer(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(http_client=http()).api.via_bearer()
        print(json.dumps(wire()))
    """, VAULT_TOKEN="bearer-token-1", **VAULT_ENV)
    assert result["authorization"] == "Bearer bearer-token-1"
    assert result["x-vault-key"] is None and result["cookie"] is None


def test_http_basic(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(username="ann", http_client=http()).api.via_basic()
        print(json.dumps(wire()))
    """, VAULT_PASSWORD="s3cret:pw", **VAULT_ENV)
    expected = "Basic " + base64.b64encode(b"ann:s3cret:pw").decode()
    assert result["authorization"] == expected
    assert result["x-vault-key"] is None


def test_oauth2_and_openid_connect_send_a_bearer_token(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        client = VaultClient(oidc="oidc-token-1", http_client=http())
        client.api.via_oauth()
        oauth = wire()
        client.api.via_oidc()
        print(json.dumps([oauth, wire()]))
    """, VAULT_ACCESS_TOKEN="oauth-token-1", **VAULT_ENV)
    assert [r["authorization"] for r in result] == ["Bearer oauth-token-1", "Bearer oidc-token-1"]
    assert [r["x-vault-key"] for r in result] == [None, None]


def test_requirement_naming_several_schemes_sends_them_all(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(query_key="qk", cookie_key="ck", http_client=http()).api.via_both()
        print(json.dumps(wire()))
    """, **VAULT_ENV)
    assert result == {"url": "https://eu.vault.example/v2/both?key=qk", "authorization": None,
                      "x-vault-key": "header-key-1", "x-key": None, "cookie": "session=ck"}


def test_security_empty_sends_no_credentials(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        VaultClient(query_key="q", cookie_key="c", token="t", http_client=http()).api.open()
        print(json.dumps(wire()))
    """, **VAULT_ENV)
    assert result == {"url": "https://eu.vault.example/v2/public", "authorization": None,
                      "x-vault-key": None, "x-key": None, "cookie": None}


def test_async_client_sends_the_operation_credentials(generated: Path) -> None:
    result = _run(generated, """
        import asyncio
        from gpuworkers.vault import AsyncVaultClient

        async def main():
            async with AsyncVaultClient(query_key="qk", http_client=http(httpx.AsyncClient)) as c:
                await c.api.via_query()
        asyncio.run(main())
        print(json.dumps(wire()))
    """, **VAULT_ENV)
    assert result["url"] == "https://eu.vault.example/v2/query?key=qk"
    assert result["x-vault-key"] is None


def test_missing_document_credentials_fail_at_construction(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        print(json.dumps(error(lambda: VaultClient(http_client=http()))))
    """)
    assert result["error"] == "MissingCredentialsError"
    assert result["message"] == (
        "VaultClient needs credentials: pass api_key= (or set VAULT_API_KEY)"
    )


def test_missing_operation_credentials_fail_before_sending(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.vault import VaultClient
        client = VaultClient(http_client=http())
        print(json.dumps(error(client.api.via_basic)))
    """, **VAULT_ENV)
    assert result == {
        "error": "MissingCredentialsError",
        "message": "VaultClient needs credentials: pass username= and password= "
        "(or set VAULT_USERNAME and VAULT_PASSWORD)",
        "sent": 0,
    }


def test_optional_security_constructs_without_credentials(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.optional import OptionalClient
        OptionalClient(base_url="https://optional.example", http_client=http()).api.list_things()
        print(json.dumps(wire()))
    """)
    assert result["url"] == "https://optional.example/things"
    assert result["x-key"] is None
    keyed = _run(generated, """
        from gpuworkers.optional import OptionalClient
        OptionalClient(base_url="https://optional.example", http_client=http()).api.list_things()
        print(json.dumps(wire()))
    """, OPTIONAL_API_KEY="opt-key-1")
    assert keyed["x-key"] == "opt-key-1"


def test_no_servers_needs_a_base_url(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.optional import OptionalClient
        print(json.dumps(error(lambda: OptionalClient(http_client=http()))))
    """)
    assert result == {
        "error": "MissingBaseURLError",
        "message": "OptionalClient needs a base URL: pass base_url='https://...' or set "
        "OPTIONAL_BASE_URL (the API document names no server).",
        "sent": 0,
    }


def test_relative_server_url_needs_a_base_url(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.relative import RelativeClient
        print(json.dumps(error(lambda: RelativeClient(token="t", http_client=http()))))
    """)
    assert result == {
        "error": "MissingBaseURLError",
        "message": "RelativeClient needs a base URL: pass base_url='https://...' or set "
        "RELATIVE_BASE_URL (the API document's server URL '/api/v3' is relative).",
        "sent": 0,
    }
    from_env = _run(generated, """
        from gpuworkers.relative import RelativeClient
        RelativeClient(http_client=http()).api.list_things()
        print(json.dumps(wire()))
    """, RELATIVE_BASE_URL="https://rel.example/api/v3", RELATIVE_TOKEN="rel-token-1")
    assert from_env["url"] == "https://rel.example/api/v3/things"
    assert from_env["authorization"] == "Bearer rel-token-1"


def test_provider_toml_overrides_the_defaults(generated: Path) -> None:
    result = _run(generated, """
        from gpuworkers.custom import BespokeClient
        BespokeClient(http_client=http()).api.list_things()
        print(json.dumps({**wire(), "doc": BespokeClient.__doc__}))
    """, BESPOKE_SECRET="custom-token-1", CUSTOM_BASE_URL="https://ignored.example")
    assert result["url"] == "https://override.example/base/things"
    assert result["authorization"] == "Bearer custom-token-1"
    assert "Custom Display API" in result["doc"]

"""Replay recorded exchanges (tests/fixtures/<provider>/<operation>/<case>.json).

A fixture holds the call a user makes, the request that must leave the client,
the response the service sends, and what the user must get back: a typed result
or a typed error.  ``replay`` runs one fixture through an httpx MockTransport,
with the sync or the async client, and checks every part of it.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pydantic

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BASE_URL = "https://api.example.test"
# Credentials used in every fixture: obviously fake, so the secret scan stays quiet.
TEST_CREDENTIALS = {
    "api_key": "test-api-key",
    "token": "test-token",
    "access_key": "test-access-key",
    "secret_key": "test-secret-key",
}


@dataclass(frozen=True)
class Fixture:
    path: Path
    provider: str
    operation: str  # "<resource>.<method>"
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.provider}/{self.operation}/{self.path.stem}"

    @property
    def is_error(self) -> bool:
        return "error" in self.data["expect"]


def fixtures(provider: str | None = None, root: Path = FIXTURES) -> Iterator[Fixture]:
    for path in sorted(root.glob("*/*/*.json")):
        name, operation = path.parts[-3], path.parts[-2]
        if provider is None or provider == name:
            yield Fixture(path, name, operation, json.loads(path.read_text("utf-8")))


def operations(provider: str) -> list[str]:
    """Every operation of a provider, from the committed IR snapshot."""
    snapshot = json.loads((ROOT / "generated" / "ir" / f"{provider}.json").read_text("utf-8"))
    return [
        f"{resource['name']}.{op['python_name']}"
        for resource in snapshot["resources"]
        for op in resource["operations"]
    ]


def providers() -> list[str]:
    return sorted(p.stem for p in (ROOT / "generated" / "ir").glob("*.json"))


class Recorder:
    """An httpx handler that records the request and answers with the fixture's response."""

    def __init__(self, fixture: Fixture) -> None:
        self.fixture = fixture
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.fixture.data["response"]
        headers = dict(response.get("headers", {}))
        if "json" in response:
            content = json.dumps(response["json"]).encode()
            headers.setdefault("content-type", "application/json")
        else:
            content = response.get("text", "").encode()
        return httpx.Response(response["status"], headers=headers, content=content)


def client_for(fixture: Fixture, recorder: Recorder, flavour: str) -> Any:
    module = importlib.import_module(f"gpuworkers.{fixture.provider}")
    names = [n for n in module.__all__ if n.endswith("Client")]
    name = next(n for n in names if n.startswith("Async") == (flavour == "async"))
    cls = getattr(module, name)
    transport = httpx.MockTransport(recorder)
    http = (
        httpx.AsyncClient(transport=transport)
        if flavour == "async"
        else httpx.Client(transport=transport)
    )
    credentials = credentials_for(fixture, cls)
    return cls(**credentials, base_url=BASE_URL, http_client=http, max_retries=0)


def credentials_for(fixture: Fixture, cls: Any) -> dict[str, str]:
    """The test credentials that make the client send the fixture's auth header.

    A provider with several schemes (ClearML: Basic key:secret, or Bearer token) picks the
    first scheme whose placeholder header equals the fixture's, so a recording made with
    either kind of credential replays; with no match, every credential (the first scheme).
    """
    params = cls.__init__.__code__.co_varnames
    available = {k: v for k, v in TEST_CREDENTIALS.items() if k in params}
    config = importlib.import_module(f"gpuworkers.{fixture.provider}._config").CONFIG
    resolve_auth = importlib.import_module("gpuworkers._runtime._auth").resolve_auth
    expected = {k.lower(): v for k, v in fixture.data["request"].get("headers", {}).items()}
    for scheme in config.auth:
        chosen = {name: available[name] for name in scheme.credentials if name in available}
        if len(chosen) != len(scheme.credentials):
            continue
        auth = resolve_auth(config, chosen, {})
        headers = {k.lower(): v for k, v in auth.headers.items()}
        if headers and all(expected.get(k) == v for k, v in headers.items()):
            return chosen
    return available


def method_of(client: Any, operation: str) -> Any:
    resource, name = operation.split(".")
    return getattr(getattr(client, resource), name)


def arguments(fixture: Fixture, method: Any) -> dict[str, Any]:
    """The fixture's JSON arguments as the typed values a user passes (models, not dicts)."""
    return typed_arguments(method, fixture.data["call"].get("arguments", {}))


def typed_arguments(method: Any, raw: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(method)
    return {name: pydantic.TypeAdapter(hints[name]).validate_python(v) for name, v in raw.items()}


def check_request(fixture: Fixture, request: httpx.Request) -> None:
    expected = fixture.data["request"]
    url = urlsplit(str(request.url))
    assert request.method == expected["method"]
    assert url.path == expected["path"], f"path {url.path} != {expected['path']}"
    assert sorted(parse_qsl(url.query)) == sorted(
        (k, v)
        for k, values in expected.get("query", {}).items()
        for v in (values if isinstance(values, list) else [values])
    )
    for header, value in expected.get("headers", {}).items():
        assert request.headers.get(header) == value, f"header {header}"
    if "json" in expected:
        assert json.loads(request.content) == expected["json"]
    else:
        assert request.content == b""


def plain(value: Any) -> Any:
    """A typed result as JSON data with wire names, for comparing with the fixture."""
    return pydantic.TypeAdapter(Any).dump_python(
        value, mode="json", by_alias=True, exclude_none=True
    )


def replay(fixture: Fixture, flavour: str) -> None:
    """Replay one fixture through the sync or async client and check every part of it.

    Imports ``gpuworkers`` at call time: some tests drop it from ``sys.modules``, and the
    error classes must be the ones the client raises.
    """
    gpuworkers = importlib.import_module("gpuworkers")
    recorder = Recorder(fixture)
    expect = fixture.data["expect"]
    try:
        result = _outcome(fixture, recorder, flavour)
    except gpuworkers.APIError as error:
        assert "error" in expect, f"{fixture.id}: unexpected {error!r}"
        assert isinstance(error, getattr(gpuworkers, expect["error"])), repr(error)
        for attribute in ("status_code", "code", "subcode", "envelope_message"):
            if attribute in expect:
                assert getattr(error, attribute) == expect[attribute], attribute
    else:
        assert "error" not in expect, f"{fixture.id}: no {expect.get('error')} raised"
        assert plain(result) == expect["result"]
    assert len(recorder.requests) == 1
    check_request(fixture, recorder.requests[0])


def _outcome(fixture: Fixture, recorder: Recorder, flavour: str) -> Any:
    paginated = fixture.data["call"].get("paginated")
    if flavour == "sync":
        with client_for(fixture, recorder, "sync") as client:
            method = method_of(client, fixture.operation)
            result = method(**arguments(fixture, method))
            return list(result) if paginated else result

    async def run() -> Any:
        async with client_for(fixture, recorder, "async") as client:
            method = method_of(client, fixture.operation)
            result = method(**arguments(fixture, method))
            return [item async for item in result] if paginated else await result

    return asyncio.run(run())

"""Every operation of every generated client, sync and async, against Prism.

Prism serves each provider's normalized OpenAPI (``generated/openapi/<provider>.json``)
and, with ``--errors``, rejects any request that does not match it: a rejection is
a bug in the client or in the export.  Arguments are built from the spec's schemas
(every optional argument too) and typed by the method's signature.  Providers are
whatever ``generated/ir/`` holds.  Skipped when Prism is not installed locally
(``npm install --prefix .mock @stoplight/prism-cli@5.14.2``; CI installs it).
"""

from __future__ import annotations

import importlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from tests.integration.prism import (
    PRISM_VERSION,
    ROOT,
    Arguments,
    PrismServer,
    prism_binary,
    prism_rejection,
)

GENERATED = ROOT / "generated"
PRISM = prism_binary()
pytestmark = pytest.mark.skipif(
    PRISM is None,
    reason="Prism is not installed locally: "
    f"npm install --prefix .mock @stoplight/prism-cli@{PRISM_VERSION}",
)


def _apis() -> dict[str, ir.Api]:
    return {
        path.stem: ir.Api.from_json(path.read_text(encoding="utf-8"))
        for path in sorted((GENERATED / "ir").glob("*.json"))
    }


APIS = _apis()
CASES = [
    pytest.param(
        name, op.resource, op.python_name, mode, id=f"{name}-{op.resource}.{op.python_name}-{mode}"
    )
    for name, api in APIS.items()
    for op in api.operations
    for mode in ("sync", "async")
]


class _Servers:
    """One Prism per provider, started on first use, all stopped at the end of the session."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, PrismServer] = {}

    def url(self, provider: str) -> str:
        if provider not in self.running:
            assert PRISM is not None
            document = GENERATED / "openapi" / f"{provider}.json"
            server = PrismServer(PRISM, document, self.logs / f"prism-{provider}.log")
            self.running[provider] = server.__enter__()
        return self.running[provider].url

    def close(self) -> None:
        for server in self.running.values():
            server.stop()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Servers]:
    servers = _Servers(tmp_path_factory.mktemp("prism"))
    try:
        yield servers
    finally:
        servers.close()


def _client_kwargs(api: ir.Api, url: str) -> dict[str, Any]:
    """Any credential will do: Prism only checks that the security scheme's header is there."""
    return {
        **{credential.name: f"test-{credential.name}" for credential in api.credentials},
        "base_url": url,
        "max_retries": 0,
    }


def _operation(api: ir.Api, resource: str, name: str) -> ir.Operation:
    return next(op for op in api.operations if (op.resource, op.python_name) == (resource, name))


def _document(provider: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (GENERATED / "openapi" / f"{provider}.json").read_text(encoding="utf-8")
    )
    return document


def _fail_on_rejection(error: BaseException) -> None:
    reason = prism_rejection(error)
    if reason is not None:
        pytest.fail(f"Prism rejected the request: {reason}", pytrace=False)
    raise error


@pytest.mark.parametrize(("provider", "resource", "name", "mode"), CASES)
async def test_operation_against_prism(
    prism: _Servers, provider: str, resource: str, name: str, mode: str
) -> None:
    api = APIS[provider]
    op = _operation(api, resource, name)
    module = importlib.import_module(f"gpuworkers.{api.name}")
    url = prism.url(provider)
    if mode == "sync":
        client = getattr(module, f"{api.client_name}Client")(**_client_kwargs(api, url))
        with client:
            method = getattr(getattr(client, op.resource), op.python_name)
            arguments = Arguments(_document(provider)).for_operation(op, method)
            try:
                result = method(**arguments)
                if op.pagination is not None:
                    result = list(itertools.islice(result, 3))
            except Exception as error:  # noqa: BLE001
                _fail_on_rejection(error)
    else:
        client = getattr(module, f"Async{api.client_name}Client")(**_client_kwargs(api, url))
        async with client:
            method = getattr(getattr(client, op.resource), op.python_name)
            arguments = Arguments(_document(provider)).for_operation(op, method)
            try:
                if op.pagination is not None:
                    result = [item async for item in _first(method(**arguments), 3)]
                else:
                    result = await method(**arguments)
            except Exception as error:  # noqa: BLE001
                _fail_on_rejection(error)
    if op.returns != "None" and op.pagination is None:
        assert result is not None


async def _first(items: Any, count: int) -> Any:
    async for item in items:
        if count == 0:
            return
        count -= 1
        yield item

"""Per-call overhead: Yotta ``deployments.list_workers`` returning 50 workers.

Four ways to make the same call through one ``httpx.MockTransport`` (the response is
built once, so the transport costs the same for all):

* floor: raw httpx + ``json.loads`` + pydantic validation of our ``Worker`` model;
* ours: the generated ``YottaClient`` / ``AsyncYottaClient``;
* peer: the client openapi-python-client generates from our normalized export
  (``generated/openapi/yotta.json``), its ``sync`` / ``asyncio`` functions.

Variants alternate round by round; each figure is the median of the rounds' means.
"""

from __future__ import annotations

import asyncio
import enum
import importlib
import json
import os
import sys
import time
import typing
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.measure import median

REPO = Path(__file__).resolve().parent.parent
DEPLOYMENT = 407712238196040165
PATH = f"/openapi/v1/elastic/deploy/{DEPLOYMENT}/workers"
BASE_URL = "https://api.yottalabs.ai"


def payload(workers: int = 50) -> bytes:
    items = [
        {
            "id": str(407712238196040999 + index),
            "region": "us-east-1",
            "regionDisplayName": "US East",
            "gpuType": "RTX_4090",
            "gpuDisplayName": "RTX 4090",
            "gpuCount": 1,
            "singleCardVramInGb": 24,
            "singleCardVcpu": 8,
            "singleCardRamInGb": 32,
            "uptime": 3_600_000 + index,
            "cost": 0.44,
            "status": "RUNNING",
        }
        for index in range(workers)
    ]
    return json.dumps({"code": 10000, "message": "success", "data": items}).encode()


def transport() -> httpx.MockTransport:
    body = payload()
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, content=body)

    return httpx.MockTransport(handler)


def _floor() -> tuple[Callable[[], Any], Callable[[], Awaitable[Any]]]:
    from gpuworkers.yotta.models import Worker
    from pydantic import TypeAdapter

    adapter = TypeAdapter(list[Worker])
    headers = {"x-api-key": "k"}
    params = {"statusList": "RUNNING"}
    sync_client = httpx.Client(base_url=BASE_URL, transport=transport())
    async_client = httpx.AsyncClient(base_url=BASE_URL, transport=transport())

    def unwrap(response: httpx.Response) -> Any:
        response.raise_for_status()
        body = json.loads(response.content)
        if body["code"] != 10000:
            raise RuntimeError(body["message"])
        return adapter.validate_python(body["data"])

    def sync_call() -> Any:
        return unwrap(sync_client.get(PATH, params=params, headers=headers))

    async def async_call() -> Any:
        return unwrap(await async_client.get(PATH, params=params, headers=headers))

    return sync_call, async_call


def _ours() -> tuple[Callable[[], Any], Callable[[], Awaitable[Any]]]:
    from gpuworkers.yotta import AsyncYottaClient, YottaClient

    sync_client = YottaClient(api_key="k", http_client=httpx.Client(transport=transport()))
    async_client = AsyncYottaClient(
        api_key="k", http_client=httpx.AsyncClient(transport=transport())
    )

    def sync_call() -> Any:
        return sync_client.deployments.list_workers(id=DEPLOYMENT, status_list=["RUNNING"])

    async def async_call() -> Any:
        return await async_client.deployments.list_workers(id=DEPLOYMENT, status_list=["RUNNING"])

    return sync_call, async_call


def _peer(package_root: Path) -> tuple[Callable[[], Any], Callable[[], Awaitable[Any]]]:
    package = next(p for p in package_root.iterdir() if (p / "client.py").is_file())
    sys.path.insert(0, str(package_root))
    client_module = importlib.import_module(f"{package.name}.client")
    operation = _peer_operation(package, "/openapi/v1/elastic/deploy/{id}/workers")
    module = importlib.import_module(operation)
    client = client_module.AuthenticatedClient(
        base_url=BASE_URL,
        token="k",
        prefix="",
        auth_header_name="x-api-key",
        httpx_args={"transport": transport()},
    )
    client.get_httpx_client()
    async_client = client_module.AuthenticatedClient(
        base_url=BASE_URL,
        token="k",
        prefix="",
        auth_header_name="x-api-key",
        httpx_args={"transport": transport()},
    )

    status_list = [_peer_value(module.sync, "status_list", "RUNNING")]

    def sync_call() -> Any:
        return module.sync(id=DEPLOYMENT, client=client, status_list=status_list)

    async def async_call() -> Any:
        return await module.asyncio(id=DEPLOYMENT, client=async_client, status_list=status_list)

    return sync_call, async_call


def _peer_operation(package: Path, path: str) -> str:
    for module in sorted((package / "api").glob("*/*.py")):
        text = module.read_text("utf-8")
        if f'"{path}"' in text and '"method": "get"' in text:
            relative = module.relative_to(package.parent).with_suffix("")
            return ".".join(relative.parts)
    raise LookupError(f"no module of the peer's client calls {path}")


def _count(result: Any) -> int:
    data = getattr(result, "data", result)  # the peer returns the envelope
    return len(data)


def measure(
    peer_root: Path | None, *, rounds: int, calls: int, log: Callable[[str], None]
) -> dict[str, float]:
    """Median µs per call of each variant: ``{"floor sync": ..., "ours async": ...}``."""
    variants: dict[str, tuple[Callable[[], Any], Callable[[], Awaitable[Any]]]] = {
        "floor": _floor(),
        "ours": _ours(),
    }
    if peer_root is not None:
        variants["peer"] = _peer(peer_root)
    loop = asyncio.new_event_loop()
    for name, (sync_call, async_call) in variants.items():
        assert _count(sync_call()) == 50, name
        assert _count(loop.run_until_complete(async_call())) == 50, name
    samples: dict[str, list[float]] = {}
    for index in range(rounds + 1):  # round 0 is a warm-up
        for name, (sync_call, async_call) in variants.items():
            sync_us = _time_sync(sync_call, calls)
            async_us = loop.run_until_complete(_time_async(async_call, calls))
            if index:
                samples.setdefault(f"{name} sync", []).append(sync_us)
                samples.setdefault(f"{name} async", []).append(async_us)
        figures = ", ".join(f"{k} {v[-1]:.0f} µs" for k, v in samples.items())
        log(f"  runtime round {index}: {figures}")
    loop.close()
    return {name: median(values) for name, values in samples.items()}


def _time_sync(call: Callable[[], Any], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls * 1e6


async def _time_async(call: Callable[[], Awaitable[Any]], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls * 1e6


if __name__ == "__main__":  # python -m bench.runtime_calls [PEER_ROOT]
    os.environ.setdefault("YOTTA_API_KEY", "k")
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    print(measure(root, rounds=3, calls=200, log=print))


def _peer_value(function: Any, argument: str, value: str) -> Any:
    """``value`` as the peer's client takes it for ``argument``: a member of the enum the
    peer generated for it when the document's schema is an enum, else the string."""
    pending = [typing.get_type_hints(function).get(argument)]
    while pending:
        hint = pending.pop()
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return hint(value)
        pending.extend(typing.get_args(hint))
    return value

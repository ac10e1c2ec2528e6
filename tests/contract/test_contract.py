"""Contract tests: every recorded exchange replayed through the sync and async clients."""

from __future__ import annotations

import asyncio
from typing import Any

import gpuworkers
import pytest

from tests.contract.harness import (
    Fixture,
    Recorder,
    arguments,
    check_request,
    client_for,
    fixtures,
    method_of,
    operations,
    plain,
    providers,
)

ALL = list(fixtures())


def _outcome_sync(fixture: Fixture, recorder: Recorder) -> Any:
    with client_for(fixture, recorder, "sync") as client:
        method = method_of(client, fixture.operation)
        result = method(**arguments(fixture, method))
        return list(result) if fixture.data["call"].get("paginated") else result


async def _outcome_async(fixture: Fixture, recorder: Recorder) -> Any:
    async with client_for(fixture, recorder, "async") as client:
        method = method_of(client, fixture.operation)
        result = method(**arguments(fixture, method))
        if fixture.data["call"].get("paginated"):
            return [item async for item in result]
        return await result


def _check(fixture: Fixture, recorder: Recorder, run: Any) -> None:
    expect = fixture.data["expect"]
    if "error" in expect:
        error_class = getattr(gpuworkers, expect["error"])
        with pytest.raises(error_class) as caught:
            run()
        error = caught.value
        for attribute in ("status_code", "code", "subcode", "envelope_message"):
            if attribute in expect:
                assert getattr(error, attribute) == expect[attribute], attribute
    else:
        assert plain(run()) == expect["result"]
    assert len(recorder.requests) == 1
    check_request(fixture, recorder.requests[0])


@pytest.mark.parametrize("fixture", ALL, ids=[f.id for f in ALL])
def test_sync_client_replays_fixture(fixture: Fixture) -> None:
    recorder = Recorder(fixture)
    _check(fixture, recorder, lambda: _outcome_sync(fixture, recorder))


@pytest.mark.parametrize("fixture", ALL, ids=[f.id for f in ALL])
def test_async_client_replays_fixture(fixture: Fixture) -> None:
    recorder = Recorder(fixture)
    _check(fixture, recorder, lambda: asyncio.run(_outcome_async(fixture, recorder)))


@pytest.mark.parametrize("provider", providers())
def test_every_operation_has_success_and_error_fixtures(provider: str) -> None:
    by_operation: dict[str, set[str]] = {}
    for fixture in fixtures(provider):
        by_operation.setdefault(fixture.operation, set()).add(
            "error" if fixture.is_error else "success"
        )
    missing = [
        f"{op} ({kind})"
        for op in operations(provider)
        for kind in ("success", "error")
        if kind not in by_operation.get(op, set())
    ]
    assert not missing, f"{provider}: operations without fixtures: {', '.join(missing)}"
    unknown = sorted(set(by_operation) - set(operations(provider)))
    assert not unknown, f"{provider}: fixtures for operations that do not exist: {unknown}"

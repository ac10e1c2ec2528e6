"""Record mode end to end: the generated clients against a stand-in service on 127.0.0.1.

For each provider, a plan with one step per existing fixture is recorded against a StandIn
serving those fixtures over real sockets, with real-looking secrets in the environment.  The
recorded files must replay green through the contract harness, say what the originals say, and
hold no secret.
"""

from __future__ import annotations

import datetime
import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.contract.harness import fixtures, providers, replay
from tests.tooling.plan import load_plan
from tests.tooling.record import record_plan
from tests.tooling.scrub import credential_replacements
from tests.tooling.secret_scan import find_secrets
from tests.tooling.standin import StandIn

if TYPE_CHECKING:
    from gpuworkers._runtime import ProviderConfig

# Real-looking values, so the secret scan would notice one that slipped through.
REAL = {
    "api_key": "Zx9qLr2vTb7nKw4mPc8sHd1fGj6yUa3e",
    "token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWNvcmRlci10ZXN0In0.Q2tYb3lzS2V5U2lnbmF0dXJl",
    "access_key": "AKIAQ7RECORDTEST9XYZ",
    "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYRECORDKEY",
}
TODAY = datetime.date(2026, 1, 2)


def _config(provider: str) -> ProviderConfig:
    config: ProviderConfig = importlib.import_module(f"gpuworkers.{provider}._config").CONFIG
    return config


def _environment(provider: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    config = _config(provider)
    for name in config.base_url_env:
        monkeypatch.delenv(name, raising=False)
    used = {}
    for credential in config.credentials:
        for env in credential.env:
            monkeypatch.delenv(env, raising=False)
        monkeypatch.setenv(credential.env[0], REAL[credential.name])
        used[credential.name] = REAL[credential.name]
    return used


def _plan_from_fixtures(provider: str, path: Path) -> Path:
    steps = [
        {
            "operation": f.operation,
            "case": f.path.stem,
            "write": True,
            "arguments": f.data["call"].get("arguments", {}),
        }
        for f in fixtures(provider)
    ]
    path.write_text(yaml.safe_dump({"provider": provider, "allow_writes": True, "steps": steps}))
    return path


def _without_content_type(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != "content-type"}


@pytest.mark.parametrize("provider", providers())
def test_recording_against_the_stand_in_holds_no_secret_and_replays_green(
    provider: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = _environment(provider, monkeypatch)
    plan = load_plan(_plan_from_fixtures(provider, tmp_path / "plan.yaml"))
    out = tmp_path / "fixtures"
    with StandIn(provider, credentials=credentials) as service:
        outcome = record_plan(plan, base_url=service.url, out=out, today=TODAY)
    assert outcome.failed == [] and outcome.skipped == []
    originals = {f.id: f for f in fixtures(provider)}
    recorded = {f.id: f for f in fixtures(provider, out)}
    assert sorted(recorded) == sorted(originals)
    # the real secrets did go over the wire ...
    sent = json.dumps(service.received)
    assert any(secret in sent for secret in credential_replacements(credentials))
    for fixture_id, fixture in recorded.items():
        original = originals[fixture_id].data
        text = fixture.path.read_text("utf-8")
        # ... and none of them reached the disk
        assert not [s for s in credential_replacements(credentials) if s in text], fixture_id
        assert find_secrets(fixture.data) == [], fixture_id
        assert fixture.data["source"]["recorded"] == "2026-01-02"
        assert fixture.data["request"] == original["request"], fixture_id
        # a recording states every detail of an error; hand-written fixtures may state fewer
        expect = fixture.data["expect"]
        assert {k: expect.get(k) for k in original["expect"]} == original["expect"], fixture_id
        response, original_response = fixture.data["response"], original["response"]
        assert response.get("json") == original_response.get("json"), fixture_id
        assert _without_content_type(response.get("headers", {})) == _without_content_type(
            original_response.get("headers", {})
        ), fixture_id
    _replays_green(provider, out, monkeypatch)


def _replays_green(provider: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the contract harness, sync and async, with the real secrets out of the env."""
    for credential in _config(provider).credentials:
        for env in credential.env:
            monkeypatch.delenv(env, raising=False)
    for fixture in fixtures(provider, root):
        replay(fixture, "sync")
        replay(fixture, "async")

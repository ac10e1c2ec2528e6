"""The recorder's rules: write steps opt-in, references, filters, refusing to write a leak."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.contract.harness import FIXTURES
from tests.tooling.plan import load_plan
from tests.tooling.record import main, record_plan
from tests.tooling.standin import StandIn

KEY = "Zx9qLr2vTb7nKw4mPc8sHd1f"
GET = json.loads((FIXTURES / "yotta" / "deployments.get" / "success.json").read_text())
STOP = json.loads((FIXTURES / "yotta" / "deployments.stop" / "success.json").read_text())


@pytest.fixture(autouse=True)
def _yotta_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTTA_API_KEY", KEY)
    monkeypatch.delenv("YOTTA_BASE_URL", raising=False)


def _served(root: Path, *fixtures: tuple[str, str, dict[str, Any]]) -> Path:
    for operation, case, data in fixtures:
        path = root / "yotta" / operation / f"{case}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
    return root


def _plan(tmp_path: Path, **plan: Any) -> Any:
    path = tmp_path / "yotta.yaml"
    path.write_text(yaml.safe_dump({"provider": "yotta", **plan}))
    return load_plan(path)


def _get_step(**extra: Any) -> dict[str, Any]:
    return {
        "operation": "deployments.get",
        "case": "success",
        "arguments": {"id": 407712238196040165},
    } | extra


def _stop_step(**extra: Any) -> dict[str, Any]:
    arguments = {"id": 407712238196040165}
    return (
        {"operation": "deployments.stop", "case": "success", "write": True}
        | {"arguments": arguments}
        | extra
    )


def _record(tmp_path: Path, plan: Any, *served: Any, **options: Any) -> Any:
    root = _served(tmp_path / "served", *served)
    with StandIn("yotta", credentials={"api_key": KEY}, root=root) as service:
        return record_plan(plan, base_url=service.url, out=tmp_path / "out", **options)


def test_write_steps_run_only_when_the_plan_allows_writes(tmp_path: Path) -> None:
    get = copy.deepcopy(GET)
    served = [("deployments.get", "success", get), ("deployments.stop", "success", STOP)]
    plan = _plan(tmp_path, steps=[_get_step(), _stop_step()])
    outcome = _record(tmp_path, plan, *served)
    assert [p.parent.name for p in outcome.recorded] == ["deployments.get"]
    assert outcome.skipped == [
        "deployments.stop/success: writes (the plan has allow_writes: false)"
    ]
    plan = _plan(tmp_path, allow_writes=True, steps=[_get_step(), _stop_step()])
    assert len(_record(tmp_path, plan, *served).recorded) == 2
    outcome = _record(tmp_path, plan, *served, reads_only=True)
    assert outcome.skipped == ["deployments.stop/success: writes (--reads-only)"]


def test_a_step_uses_an_earlier_result_and_is_skipped_without_it(tmp_path: Path) -> None:
    served = [("deployments.get", "success", GET), ("deployments.stop", "success", STOP)]
    steps = [_get_step(name="detail"), _stop_step(arguments={"id": "${steps.detail.id}"})]
    plan = _plan(tmp_path, allow_writes=True, steps=steps)
    outcome = _record(tmp_path, plan, *served)
    assert outcome.failed == [] and len(outcome.recorded) == 2
    stop = json.loads(outcome.recorded[1].read_text())
    assert stop["call"]["arguments"] == {"id": GET["expect"]["result"]["id"]}
    outcome = _record(tmp_path, plan, *served, operations=["deployments.stop"])
    assert outcome.skipped == ["deployments.stop/success: needs the result of step 'detail'"]


def test_a_response_that_still_looks_secret_is_not_written(tmp_path: Path) -> None:
    leaky = copy.deepcopy(GET)
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLWxlYWs"
    leaky["response"]["json"]["data"]["webhookUrl"] = f"https://hooks.example.test/?t={jwt}"
    plan = _plan(tmp_path, steps=[_get_step()])
    outcome = _record(tmp_path, plan, ("deployments.get", "success", leaky))
    assert outcome.recorded == []
    assert "not written, still looks secret" in outcome.failed[0]
    assert jwt not in outcome.failed[0]
    assert not (tmp_path / "out" / "yotta" / "deployments.get" / "success.json").exists()


def test_plan_named_values_and_fields_are_scrubbed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YOTTA_RECORD_CREATOR", "user-1")
    plan = _plan(
        tmp_path,
        scrub={
            "values": {"YOTTA_RECORD_CREATOR": "someone"},
            "fields": {"domain": "deployment.example.test"},
        },
        steps=[_get_step()],
    )
    (path,) = _record(tmp_path, plan, ("deployments.get", "success", GET)).recorded
    data = json.loads(path.read_text())["response"]["json"]["data"]
    assert (data["creator"], data["domain"]) == ("someone", "deployment.example.test")


def test_the_command_line_reports_and_fails_on_missing_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _served(tmp_path / "served", ("deployments.get", "success", GET))
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({"provider": "yotta", "steps": [_get_step()]}))
    with StandIn("yotta", credentials={"api_key": KEY}, root=root) as service:
        args = ["yotta", "--plan", str(plan), "--out", str(tmp_path / "out")]
        assert main([*args, "--base-url", service.url]) == 0
        assert "recorded" in capsys.readouterr().out
        monkeypatch.delenv("YOTTA_API_KEY")
        assert main([*args, "--base-url", service.url]) == 2
        assert "YOTTA_API_KEY" in capsys.readouterr().err

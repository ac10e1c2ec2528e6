"""Recording plans: loading, checking, references, and the committed plans themselves."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest

from tests.contract.harness import typed_arguments
from tests.tooling.plan import PLANS, PlanError, Unresolved, load_plan, resolve


def _plan(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    return path


def test_a_plan_loads_with_defaults(tmp_path: Path) -> None:
    plan = load_plan(
        _plan(
            tmp_path,
            """
provider: yotta
steps:
  - {operation: deployments.list, case: success, arguments: {status_list: [RUNNING]}}
  - {name: one, operation: deployments.stop, case: success, write: true, arguments: {id: 1}}
""",
        )
    )
    assert plan.allow_writes is False
    assert [s.name for s in plan.steps] == ["deployments.list/success", "one"]
    assert [s.write for s in plan.steps] == [False, True]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _plan(
        tmp_path,
        """
provider: yotta
steps:
  - {operation: deployments.nope, case: success}
  - {operation: deployments.delete, case: Bad-Name, arguments: {id: 1}}
  - {name: x, operation: deployments.list, case: a}
  - {name: x, operation: deployments.list, case: b}
""",
    )
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert "unknown operation 'deployments.nope'" in message
    assert "deployments.delete is a DELETE: say `write: true`" in message
    assert "case 'Bad-Name' must be a lower_snake file name" in message
    assert "step name 'x' used twice" in message


def test_references_keep_their_json_type() -> None:
    results = {"create": {"id": "407712238196040165", "workers": [{"id": 9}]}}
    environ = {"ENDPOINT": "123"}
    value = {
        "id": "${steps.create.id}",
        "w": "${steps.create.workers.0.id}",
        "e": "${env.ENDPOINT}",
        "d": ["${env.NAMESPACE:-default}", "${env.ENDPOINT:-0}"],
    }
    assert resolve(value, environ, results) == {
        "id": "407712238196040165",
        "w": 9,
        "e": "123",
        "d": ["default", "123"],
    }
    assert resolve({"s": "not ${env.ENDPOINT} a reference"}, environ, results) == {
        "s": "not ${env.ENDPOINT} a reference"
    }


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("${env.MISSING}", "set MISSING"),
        ("${steps.other.id}", "needs the result of step 'other'"),
        ("${steps.create.nope}", "has no 'nope'"),
    ],
)
def test_unresolved_references_say_what_is_missing(value: str, reason: str) -> None:
    with pytest.raises(Unresolved, match=reason):
        resolve(value, {}, {"create": {"id": 1}})


@pytest.mark.parametrize("path", sorted(PLANS.glob("*.yaml")), ids=lambda p: p.stem)
def test_committed_plans_load(path: Path) -> None:
    plan = load_plan(path)
    assert plan.provider == path.stem
    assert plan.steps


def _dummy_references(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dummy_references(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dummy_references(v) for v in value]
    return "1" if isinstance(value, str) and value.startswith("${") else value


@pytest.mark.parametrize("path", sorted(PLANS.glob("*.yaml")), ids=lambda p: p.stem)
def test_committed_plans_call_the_generated_clients_correctly(path: Path) -> None:
    """Every step's arguments are what its method accepts (references stand in as "1")."""
    plan = load_plan(path)
    module = importlib.import_module(f"gpuworkers.{plan.provider}")
    config = importlib.import_module(f"gpuworkers.{plan.provider}._config").CONFIG
    credentials = {c.name: "k" for c in config.credentials}
    with getattr(module, config.client_name)(**credentials) as client:
        for step in plan.steps:
            resource, name = step.operation.split(".")
            method = getattr(getattr(client, resource), name)
            assert set(step.arguments) <= set(inspect.signature(method).parameters), step.name
            typed_arguments(method, _dummy_references(dict(step.arguments)))

"""Recording plans: tests/recordings/<provider>.yaml, loaded and checked before any call.

```yaml
provider: clearml
allow_writes: false          # steps marked `write: true` are skipped unless this is true
scrub:
  values: {CLEARML_RECORD_WORKER: gpu-node-01:gpu0}   # env var -> placeholder
  fields: {}                 # JSON key -> placeholder, wherever the key occurs
steps:
  - name: register           # optional (needed to be referred to as ${steps.register.<path>})
    operation: workers.register
    case: success            # writes tests/fixtures/clearml/workers.register/success.json
    write: true              # required (true or false) on every step that is not a GET
    arguments: {worker: "${env.CLEARML_RECORD_WORKER}"}
```

An argument that is exactly ``${env.NAME}``, ``${env.NAME:-default}`` or
``${steps.<name>.<dotted.path>}`` is replaced by
that value (keeping its JSON type); a step whose references cannot be resolved is skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Plan", "PlanError", "Step", "Unresolved", "load_plan", "operation_table", "resolve"]

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "recordings"
_REFERENCE = re.compile(r"^\$\{(env|steps)\.([^}]+)\}$")
_CASE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class PlanError(ValueError):
    """The plan is wrong; raised before anything is sent."""


class Unresolved(LookupError):
    """A ``${...}`` reference has no value (env var unset, step skipped or failed)."""


@dataclass(frozen=True)
class Step:
    name: str
    operation: str
    case: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    write: bool = False


@dataclass(frozen=True)
class Plan:
    path: Path
    provider: str
    steps: tuple[Step, ...]
    allow_writes: bool = False
    scrub_values: Mapping[str, str] = field(default_factory=dict)  # env var -> placeholder
    scrub_fields: Mapping[str, str] = field(default_factory=dict)  # JSON key -> placeholder


def operation_table(provider: str) -> dict[str, dict[str, Any]]:
    """``resource.method`` -> the IR operation (method, path, pagination, ...)."""
    snapshot = json.loads((ROOT / "generated" / "ir" / f"{provider}.json").read_text("utf-8"))
    return {
        f"{resource['name']}.{op['python_name']}": op
        for resource in snapshot["resources"]
        for op in resource["operations"]
    }


def load_plan(path: Path) -> Plan:
    data = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(data, dict) or "provider" not in data:
        raise PlanError(f"{path}: a plan is a mapping with `provider` and `steps`")
    provider = data["provider"]
    table = operation_table(provider)
    problems: list[str] = []
    steps = tuple(_step(raw, index, table, problems) for index, raw in enumerate(data["steps"]))
    names = [step.name for step in steps]
    problems += [f"step name {n!r} used twice" for n in sorted(set(names)) if names.count(n) > 1]
    scrub = data.get("scrub") or {}
    if problems:
        raise PlanError(f"{path}:\n  " + "\n  ".join(problems))
    return Plan(
        path=path,
        provider=provider,
        steps=steps,
        allow_writes=bool(data.get("allow_writes", False)),
        scrub_values=dict(scrub.get("values") or {}),
        scrub_fields=dict(scrub.get("fields") or {}),
    )


def _step(
    raw: Mapping[str, Any], index: int, table: Mapping[str, Any], problems: list[str]
) -> Step:
    where = f"step {index + 1}"
    operation, case = raw.get("operation", ""), raw.get("case", "")
    if operation not in table:
        problems.append(f"{where}: unknown operation {operation!r} (known: {', '.join(table)})")
    elif table[operation]["method"] != "GET" and not isinstance(raw.get("write"), bool):
        problems.append(
            f"{where}: {operation} is a {table[operation]['method']}: say `write: true` "
            "(changes the account) or `write: false` (only reads)"
        )
    if not _CASE.match(str(case)):
        problems.append(f"{where}: case {case!r} must be a lower_snake file name")
    return Step(
        name=str(raw.get("name") or f"{operation}/{case}"),
        operation=operation,
        case=str(case),
        arguments=dict(raw.get("arguments") or {}),
        write=bool(raw.get("write", False)),
    )


def resolve(value: Any, environ: Mapping[str, str], results: Mapping[str, Any]) -> Any:
    """``value`` with every ``${env.X}`` / ``${steps.name.path}`` replaced; raises Unresolved."""
    if isinstance(value, dict):
        return {k: resolve(v, environ, results) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, environ, results) for v in value]
    match = _REFERENCE.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    kind, target = match.groups()
    if kind == "env":
        name, fallback = target.split(":-", 1) if ":-" in target else (target, None)
        if environ.get(name):
            return environ[name]
        if fallback is None:
            raise Unresolved(f"set {name}")
        return fallback
    name, _, path = target.partition(".")
    if name not in results:
        raise Unresolved(f"needs the result of step {name!r}")
    found = results[name]
    for part in filter(None, path.split(".")):
        if isinstance(found, list) and part.isdigit() and int(part) < len(found):
            found = found[int(part)]
        elif isinstance(found, dict) and part in found:
            found = found[part]
        else:
            raise Unresolved(f"step {name!r} result has no {path!r}")
    return found

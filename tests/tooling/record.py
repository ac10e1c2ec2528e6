"""Record fixtures from a live service: ``nox -s record -- <provider> [operation ...]``.

Runs the steps of ``tests/recordings/<provider>.yaml`` through the GENERATED sync client, with
credentials from the environment exactly as the client reads them, and captures every exchange
with an httpx response hook (the client's own code path is untouched).  Each exchange becomes a
fixture in the format ``tests/contract/harness.py`` replays, scrubbed before it is written;
writing refuses if a resolved secret, or anything the secret scan flags, is still in it.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from gpuworkers._runtime._auth import resolve_credential

from tests.contract.harness import FIXTURES, Fixture, plain, typed_arguments
from tests.tooling.plan import (
    PLANS,
    ROOT,
    Plan,
    Step,
    Unresolved,
    load_plan,
    operation_table,
    resolve,
)
from tests.tooling.scrub import (
    credential_replacements,
    normalize_response_headers,
    scrub_fixture,
    select_request_headers,
)
from tests.tooling.secret_scan import find_secrets
from tests.tooling.spec_check import SpecChecker

__all__ = ["Outcome", "RecordingError", "main", "record_plan"]


class RecordingError(RuntimeError):
    """A step that cannot become a fixture (its reason says what to fix)."""


@dataclass
class Outcome:
    recorded: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class _Capture:
    """An httpx response hook: keeps every exchange, body read, as it came off the wire."""

    def __init__(self) -> None:
        self.exchanges: list[httpx.Response] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        self.exchanges.append(response)


def record_plan(
    plan: Plan,
    *,
    operations: Sequence[str] = (),
    base_url: str | None = None,
    out: Path = FIXTURES,
    reads_only: bool = False,
    environ: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> Outcome:
    environ = os.environ if environ is None else environ
    module = importlib.import_module(f"gpuworkers.{plan.provider}")
    config = importlib.import_module(f"gpuworkers.{plan.provider}._config").CONFIG
    capture = _Capture()
    http = httpx.Client(event_hooks={"response": [capture]}, timeout=60.0)
    client_class = getattr(module, config.client_name)
    client = client_class(base_url=base_url, http_client=http, max_retries=0)
    context = _Context(plan, client, capture, out, today or datetime.date.today(), environ)
    outcome = Outcome()
    with http, client:
        for step in plan.steps:
            if operations and step.operation not in operations:
                continue
            if step.write and (not plan.allow_writes or reads_only):
                why = "--reads-only" if plan.allow_writes else "the plan has allow_writes: false"
                outcome.skipped.append(f"{step.name}: writes ({why})")
                continue
            try:
                outcome.recorded.append(context.run(step))
            except Unresolved as exc:
                outcome.skipped.append(f"{step.name}: {exc}")
            except RecordingError as exc:
                outcome.failed.append(f"{step.name}: {exc}")
    return outcome


@dataclass
class _Context:
    plan: Plan
    client: Any
    capture: _Capture
    out: Path
    today: datetime.date
    environ: Mapping[str, str]
    results: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.operations = operation_table(self.plan.provider)

    def run(self, step: Step) -> Path:
        arguments = resolve(dict(step.arguments), self.environ, self.results)
        paginated = self.operations[step.operation]["pagination"] is not None
        self.capture.exchanges.clear()
        expect = self._call(step, arguments, paginated)
        if len(self.capture.exchanges) != 1:
            raise RecordingError(
                f"made {len(self.capture.exchanges)} requests; a fixture holds one exchange "
                "(narrow the arguments, e.g. a page size that fits every item)"
            )
        fixture = self._fixture(step, arguments, paginated, expect, self.capture.exchanges[0])
        if "result" in expect:
            self.results[step.name] = expect["result"]
        return self._write(step, fixture)

    def _call(self, step: Step, arguments: dict[str, Any], paginated: bool) -> dict[str, Any]:
        gpuworkers = _gpuworkers()
        resource, name = step.operation.split(".")
        method = getattr(getattr(self.client, resource), name)
        try:
            result = method(**typed_arguments(method, arguments))
            return {"result": plain(list(result) if paginated else result)}
        except gpuworkers.APIStatusError as error:
            return _expected_error(error)
        except gpuworkers.APIResponseValidationError as error:
            raise RecordingError(
                f"the client could not read the response ({error.message}); fix the spec or "
                "its overlay before recording this case"
            ) from error
        except (gpuworkers.APIConnectionError, ValueError, TypeError) as error:
            raise RecordingError(f"{type(error).__name__}: {error}") from error

    def _fixture(
        self,
        step: Step,
        arguments: dict[str, Any],
        paginated: bool,
        expect: dict[str, Any],
        response: httpx.Response,
    ) -> dict[str, Any]:
        call: dict[str, Any] = {"arguments": arguments}
        if paginated:
            call["paginated"] = True
        raw = {
            "source": {
                "recorded": self.today.isoformat(),
                "plan": self.plan.path.relative_to(ROOT).as_posix()
                if self.plan.path.is_relative_to(ROOT)
                else self.plan.path.name,
                "step": step.name,
            },
            "call": call,
            "request": _request_record(response.request, self.client.base_url),
            "response": _response_record(response),
            "expect": expect,
        }
        scrubbed: dict[str, Any] = scrub_fixture(raw, self._secrets(), self.plan.scrub_fields)
        return scrubbed

    def _secrets(self) -> dict[str, str]:
        config = self.client._config
        resolved = {c.name: resolve_credential(c, None, self.environ) for c in config.credentials}
        known = credential_replacements(resolved)
        for secret in self.client._auth.secrets:
            known.setdefault(secret, "test-token")
        for env_name, placeholder in self.plan.scrub_values.items():
            if self.environ.get(env_name):
                known[self.environ[env_name]] = placeholder
        return known

    def _write(self, step: Step, fixture: dict[str, Any]) -> Path:
        text = json.dumps(fixture, indent=2, ensure_ascii=False) + "\n"
        leaked = [s for s in self._secrets() if s in text]
        findings = find_secrets(fixture)
        if leaked or findings:
            details = [str(f) for f in findings]
            if leaked:
                details.append(f"{len(leaked)} resolved secret(s) verbatim")
            raise RecordingError(
                f"not written, still looks secret: {'; '.join(details)} "
                "(name the field in the plan's scrub.fields)"
            )
        path = self.out / self.plan.provider / step.operation / f"{step.case}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return path


def _gpuworkers() -> Any:
    """The package as imported now (some tests drop it from sys.modules and import it anew)."""
    return importlib.import_module("gpuworkers")


def _expected_error(error: Any) -> dict[str, Any]:
    expect: dict[str, Any] = {"error": type(error).__name__}
    for attribute in ("status_code", "code", "subcode", "envelope_message"):
        value = getattr(error, attribute, None)
        if value is not None:
            expect[attribute] = value
    return expect


def _request_record(request: httpx.Request, base_url: str) -> dict[str, Any]:
    url = urlsplit(str(request.url))
    prefix = urlsplit(base_url).path.rstrip("/")
    path = url.path[len(prefix) :] if prefix and url.path.startswith(prefix) else url.path
    record: dict[str, Any] = {"method": request.method, "path": path}
    record["headers"] = select_request_headers(request.headers.multi_items(), ())
    query = _query_record(url.query)
    if query:
        record["query"] = query
    if request.content:
        try:
            record["json"] = json.loads(request.content)
        except ValueError as exc:
            raise RecordingError("the request body is not JSON; fixtures hold JSON bodies") from exc
    return record


def _query_record(query_string: str) -> dict[str, Any]:
    """``{name: value}``, or ``{name: [values]}`` for a repeated parameter."""
    values: dict[str, list[str]] = {}
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        values.setdefault(key, []).append(value)
    return {key: found[0] if len(found) == 1 else found for key, found in values.items()}


def _response_record(response: httpx.Response) -> dict[str, Any]:
    record: dict[str, Any] = {"status": response.status_code}
    headers = normalize_response_headers(response.headers.multi_items())
    if headers:
        record["headers"] = headers
    content_type = response.headers.get("content-type", "")
    if response.content and ("json" in content_type or not content_type):
        try:
            record["json"] = json.loads(response.content)
            return record
        except ValueError:
            pass
    record["text"] = response.text
    return record


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s record --", description=__doc__.split("\n")[0])
    parser.add_argument("provider")
    parser.add_argument("operations", nargs="*", help="only these resource.method steps")
    parser.add_argument("--base-url", help="instead of the client's default or its env var")
    parser.add_argument("--plan", type=Path, help="default: tests/recordings/<provider>.yaml")
    parser.add_argument("--out", type=Path, default=FIXTURES, help="default: tests/fixtures")
    parser.add_argument("--reads-only", action="store_true", help="skip write steps")
    args = parser.parse_args(argv)
    plan = load_plan(args.plan or PLANS / f"{args.provider}.yaml")
    try:
        outcome = record_plan(
            plan,
            operations=args.operations,
            base_url=args.base_url,
            out=args.out,
            reads_only=args.reads_only,
        )
    except _gpuworkers().MissingCredentialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _report(outcome)
    _report_spec_mismatches(plan.provider, outcome.recorded)
    return 1 if outcome.failed else 0


def _report_spec_mismatches(provider: str, paths: Sequence[Path]) -> None:
    """A recording that does not fit the spec is news: the page or the overlay needs a fix."""
    checker = SpecChecker(provider)
    for path in paths:
        fixture = Fixture(path, provider, path.parent.name, json.loads(path.read_text("utf-8")))
        for problem in checker.check(fixture):
            print(f"spec      {path.parent.name}/{path.name}: {problem}")


def _report(outcome: Outcome) -> None:
    for path in outcome.recorded:
        print(f"recorded  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    for line in outcome.skipped:
        print(f"skipped   {line}")
    for line in outcome.failed:
        print(f"FAILED    {line}", file=sys.stderr)
    if outcome.recorded:
        print("next: git diff tests/fixtures, then run the contract tests (see README)")


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m tests.corpus.calls <out> <name> <report.json>``: every operation against Prism.

Run by the harness in a process of its own, with ``<out>/src`` first on the import
path, so that ``gpuworkers`` is the package just generated.  Operations come from the
IR snapshot (``<out>/ir/<name>.json``), schemas from the exported document
(``<out>/openapi/<name>.json``), which Prism serves with ``--errors``: a request that
does not match the document is answered with the violations, which become the
operation's reason.  A call round-trips when Prism accepts it and its response parses
into the method's declared return type.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
import typing
from pathlib import Path
from typing import Any

import pydantic

from generator import ir
from tests.corpus.arguments import MinimalArguments
from tests.integration.prism import PrismServer, prism_binary, prism_rejection

_REASON_LENGTH = 240
_PRISM_STARTUP = 300.0  # seconds: Prism parses a 4 MB document for a while before it listens


class _PatientPrism(PrismServer):
    def _wait_ready(self, timeout: float) -> None:
        super()._wait_ready(max(timeout, _PRISM_STARTUP))


def main(argv: list[str]) -> int:
    out, name, report = Path(argv[0]), argv[1], Path(argv[2])
    binary = prism_binary()
    if binary is None:
        report.write_text(json.dumps({"error": "Prism is not installed"}), encoding="utf-8")
        return 0
    exported = out / "openapi" / f"{name}.json"
    api = ir.Api.from_json((out / "ir" / f"{name}.json").read_text(encoding="utf-8"))
    arguments = MinimalArguments(json.loads(exported.read_text(encoding="utf-8")))
    module = importlib.import_module(f"gpuworkers.{api.name}")
    try:
        server = _PatientPrism(binary, exported, out.parent / "prism.log").__enter__()
    except RuntimeError as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        reason = "Prism could not serve the exported document: " + " ".join(lines[:3])
        report.write_text(json.dumps({"error": _short(reason)}), encoding="utf-8")
        return 0
    try:
        results = _call_all(api, module, arguments, server.url)
    finally:
        server.stop()
    report.write_text(json.dumps({"operations": results}, indent=1), encoding="utf-8")
    return 0


def _call_all(
    api: ir.Api, module: Any, arguments: MinimalArguments, url: str
) -> list[dict[str, Any]]:
    credentials = {credential.name: f"test-{credential.name}" for credential in api.credentials}
    client_class = getattr(module, f"{api.client_name}Client")
    results = []
    with client_class(**credentials, base_url=url, max_retries=0, timeout=60) as client:
        for op in api.operations:
            reason = _call(op, client, arguments)
            results.append(
                {
                    "key": f"{op.method} {op.path}",
                    "operation": f"{op.method} {op.path} ({op.resource}.{op.python_name})",
                    "ok": reason is None,
                    "reason": reason or "",
                }
            )
    return results


def _call(op: ir.Operation, client: Any, arguments: MinimalArguments) -> str | None:
    """``None`` when the operation round-trips, else why not (one line)."""
    try:
        method = getattr(getattr(client, op.resource), op.python_name)
        values = arguments.for_operation(op, method)
    except Exception as error:  # noqa: BLE001 - any failure is this operation's reason
        return _short(f"no valid arguments built: {_describe(error)}")
    try:
        result = method(**values)
        if op.pagination is not None:
            result = list(itertools.islice(result, 3))
    except Exception as error:  # noqa: BLE001
        rejected = prism_rejection(error)
        if rejected is not None:
            return _short(f"Prism: {rejected}")
        return _short(_describe(error))
    if op.pagination is None:
        return _wrong_type(result, typing.get_type_hints(method).get("return"))
    return None


def _wrong_type(result: Any, declared: Any) -> str | None:
    """Why ``result`` is not of the declared return type (strict: no coercion), or ``None``."""
    if declared is None:
        return None
    try:
        pydantic.TypeAdapter(declared).validate_python(result, strict=True)
    except pydantic.ValidationError as error:
        return _short(f"returned {type(result).__name__}, not {declared}: {_describe(error)}")
    except pydantic.PydanticSchemaGenerationError:
        return None  # a return type pydantic cannot check (a plain class): the call parsed it
    return None


def _describe(error: BaseException) -> str:
    status = getattr(error, "status_code", None)
    body = getattr(error, "body", None)
    if status is not None:
        return f"HTTP {status} ({type(error).__name__}): {json.dumps(body, default=str)}"
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {' '.join(lines[:3])}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LENGTH else text[: _REASON_LENGTH - 1] + "…"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

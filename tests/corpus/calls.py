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

import contextlib
import dataclasses
import functools
import importlib
import itertools
import json
import sys
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pydantic

from generator import ir
from tests.corpus import serving
from tests.corpus.arguments import MinimalArguments
from tests.corpus.response_rules import crash, response_outside_document
from tests.corpus.verdicts import (
    CLIENT,
    DOCUMENT,
    HARNESS,
    MOCK,
    Failure,
    Verdict,
    classify,
    prism_violations,
    response_side,
    sent_keys,
    violations,
)
from tests.integration.prism import prism_binary, prism_rejection

_REASON_LENGTH = 240


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
    results: list[dict[str, Any]] = []
    served = []
    for mock in serving.mocks(binary, exported, out.parent):
        operations = [op for op in api.operations if mock.paths is None or op.path in mock.paths]
        served.append({"label": mock.label, "started": mock.url is not None})
        if mock.url is None:
            reason = _short(f"mock did not start ({mock.label}): {mock.error}")
            results += [_result(op, Verdict(False, reason, MOCK)) for op in operations]
        else:
            results += _call_all(api, operations, module, arguments, mock)
    report.write_text(
        json.dumps({"operations": results, "served": served}, indent=1), encoding="utf-8"
    )
    return 0


def _call_all(
    api: ir.Api,
    operations: list[ir.Operation],
    module: Any,
    arguments: MinimalArguments,
    mock: serving.Mock,
) -> list[dict[str, Any]]:
    assert mock.url is not None, "called only once Prism is up"
    credentials = {credential.name: f"test-{credential.name}" for credential in api.credentials}
    client_class = getattr(module, f"{api.client_name}Client")
    sent = _LastRequest()
    routed = ServerPaths(httpx.HTTPTransport())
    replies = BuiltReplies(routed)
    http = httpx.Client(timeout=60, event_hooks={"request": [sent]}, transport=replies)
    results = []
    with client_class(**credentials, base_url=mock.url, max_retries=0, http_client=http) as client:
        for op in operations:
            routed.prefix = server_path(mock.url, op.server)
            verdict = _call(op, client, arguments, sent, replies)
            if mock.server is not None and not _still_up(mock.server, verdict):
                # Prism died answering this request (a JavaScript exception, its log kept):
                # the mock's failure, and every later call would only find no server.
                reason = "Prism's process exited answering this request (a crash in Prism)"
                verdict = Verdict(False, reason, MOCK) if not verdict.ok else verdict
                _revive(mock.server)
            results.append(_result(op, verdict))
    return results


def _still_up(server: Any, verdict: Verdict) -> bool:
    """Whether Prism still runs; after a dropped connection, given a moment to exit."""
    waits = 20 if not verdict.ok and "Connection error" in verdict.reason else 0
    for _ in range(waits):
        if not server.alive():
            return False
        time.sleep(0.1)
    return bool(server.alive())


def _revive(server: Any) -> None:
    with contextlib.suppress(RuntimeError):  # if not, the next calls fail to connect, and say so
        server.restart()


def _result(op: ir.Operation, verdict: Verdict) -> dict[str, Any]:
    return {
        "key": f"{op.method} {op.path}",
        "operation": f"{op.method} {op.path} ({op.resource}.{op.python_name})",
        **dataclasses.asdict(verdict),
    }


def server_path(mock_url: str, server: str) -> str:
    """The path an operation's own server (``servers`` on it or its path item) puts before
    its path, on the mock's host: ``/v3`` for ``/v3`` and for ``https://other.host/v3``."""
    if not server:
        return ""
    absolute = bool(urlsplit(server).scheme)
    return urlsplit(server if absolute else urljoin(mock_url + "/", server)).path.rstrip("/")


class ServerPaths(httpx.BaseTransport):
    """Prism routes on the document's path keys alone, ignoring any server's base path, so
    a request sent (rightly) under the operation's own server path is forwarded without
    that prefix.  A request lacking it goes as it is, and fails as the client's."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport
        self.prefix = ""  # the server path of the operation being called

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path
        prefix = self.prefix.encode()
        if prefix and path.startswith(prefix + b"/"):
            url = request.url.copy_with(raw_path=path[len(prefix) :])
            request = httpx.Request(
                request.method, url, headers=request.headers, stream=request.stream,
                extensions=request.extensions,
            )
        return self._transport.handle_request(request)

    def close(self) -> None:
        self._transport.close()


class BuiltReplies(httpx.BaseTransport):
    """Forwards every request; while ``reply`` is set (status, media type, body), Prism's
    answer that fails on its own response alone (``--errors``: HTTP 500 whose violations are
    all in the response, so the request was valid) is replaced by that reply."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport
        self.reply: tuple[int, str, bytes] | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._transport.handle_request(request)
        if self.reply is None or response.status_code != 500:
            return response
        response.read()
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response_side(prism_violations(response, body)):
            return response
        response.close()
        status, media_type, content = self.reply
        return httpx.Response(status, headers={"Content-Type": media_type}, content=content)

    def close(self) -> None:
        self._transport.close()


class _LastRequest:
    """An httpx request hook keeping the request last sent (what the rules look at)."""

    request: httpx.Request | None = None

    def __call__(self, request: httpx.Request) -> None:
        self.request = request


def _call(
    op: ir.Operation,
    client: Any,
    arguments: MinimalArguments,
    sent: _LastRequest,
    replies: BuiltReplies,
) -> Verdict:
    try:
        method = getattr(getattr(client, op.resource), op.python_name)
        values = arguments.for_operation(op, method)
    except Exception as unbuilt:  # noqa: BLE001 - any failure is this operation's reason
        impossible = arguments.no_valid_request(op)
        if impossible is not None:
            return Verdict(False, _short(impossible), DOCUMENT)
        return Verdict(False, _short(f"no valid arguments built: {_describe(unbuilt)}"), HARNESS)
    sent.request = None
    error = _attempt(op, method, values)
    unsent = _unsent_objects(error, sent.request)
    if unsent:
        # Prism validates an optional deepObject field left out as an empty object (see
        # verdicts): send those fields too, as a caller may, and the call is still checked.
        try:
            values = arguments.for_operation(op, method, also=unsent)
        except Exception:  # noqa: BLE001 - then the first call's failure stands
            pass
        else:
            sent.request = None
            error = _attempt(op, method, values)
    if error is None or isinstance(error, str):
        return Verdict(error is None, _short(error or ""), CLIENT if error else "")
    invalid = functools.partial(_invalid_reply, op, arguments, sent, values)
    if invalid(error):
        judge = functools.partial(_judged, op, arguments, sent, values=values)
        raw = arguments.document["paths"][op.path][op.method.lower()]
        built = functools.partial(_built, op, method, values, replies, arguments.valid_reply(raw))
        return _dynamic(op, method, values, error, judge, built, invalid)
    return _judged(op, arguments, sent, error, values)


def _invalid_reply(
    op: ir.Operation,
    arguments: MinimalArguments,
    sent: _LastRequest,
    values: dict[str, Any],
    error: Exception,
) -> bool:
    """Prism's answer violates the document's response schema: Prism says so, or its
    success body fails the schema though Prism let it through (its own check misses some,
    e.g. a ``minimum`` behind ``allOf: [$ref]``; a part served with its schemas cut)."""
    if response_side(violations(error)):
        return True
    raw = arguments.document["paths"][op.path][op.method.lower()]
    failure = Failure(
        raw, arguments.resolve, sent.request, error, violations(error), values,
        _query_names(op), arguments.document, arguments, op.path,
    )
    return response_outside_document(failure) is not None


def _unsent_objects(
    error: Exception | str | None, request: httpx.Request | None
) -> frozenset[str]:
    """Request fields Prism says lack a required property though no key of theirs was sent."""
    if not isinstance(error, Exception) or request is None:
        return frozenset()
    sent = {name.split("[")[0] for name in sent_keys(request)}
    found = set()
    for v in violations(error):
        location = [str(p) for p in v.get("location") or []]
        asked = location[:2] in (["request", "query"], ["request", "body"]) and len(location) > 2
        if asked and "required property" in str(v.get("message")) and location[2] not in sent:
            found.add(location[2])
    return frozenset(found)


def _judged(
    op: ir.Operation,
    arguments: MinimalArguments,
    sent: _LastRequest,
    error: Exception,
    values: dict[str, Any],
) -> Verdict:
    """The failure's fault: a rule's verdict when one applies, else the client's."""
    raw = arguments.document["paths"][op.path][op.method.lower()]
    failure = Failure(
        raw, arguments.resolve, sent.request, error, violations(error), values,
        _query_names(op), arguments.document, arguments, op.path,
    )
    blamed = classify(failure)
    if blamed is not None:
        return Verdict(False, _short(blamed[1]), blamed[0])
    return Verdict(False, _reason(error), CLIENT)


def _dynamic(
    op: ir.Operation,
    method: Any,
    values: dict[str, Any],
    static: Exception,
    judge: Callable[[Exception], Verdict],
    built: Callable[[Callable[[Exception], Verdict]], Verdict | None] = lambda judge: None,
    invalid: Callable[[Exception], bool] = lambda error: response_side(violations(error)),
) -> Verdict:
    """Prism's response from the document's example violates the document's schema: ask
    once for a response generated from the schema instead (``Prefer: dynamic=true``); when
    that one violates it too, or Prism crashes making it (its data generator recursing
    without end), the call is made once more (Prism still checks the request) and answered
    with a valid response built from the schema (``built``).  ``invalid``: whether an
    answer violates the schema (by default, when Prism says so)."""
    headers = {**(values.get("extra_headers") or {}), "Prefer": "dynamic=true"}
    error = _attempt(op, method, {**values, "extra_headers": headers})
    if error is None:
        return Verdict(True, note=_short(f"example response invalid ({_reason(static)})"))
    if isinstance(error, str):  # Prism's own response did not parse: the client's model
        return Verdict(False, _short(f"dynamic response: {error}"), CLIENT)
    crashed = crash(error)
    if crashed is not None or invalid(error):
        generated = (
            f"Prism crashed generating a response from the schema ({crashed}), and its "
            "response from the document's example violates the schema"
            if crashed is not None
            else f"Prism's generated response violates the schema ({_reason(error)}), and so "
            "does its response from the document's example"
        )
        both = f"{generated} ({_reason(static)})"
        verdict = built(judge)
        if verdict is None:
            return Verdict(False, _short(f"{both}; no valid response was built"), MOCK)
        note = _short(verdict.note + both) if verdict.ok else ""
        return dataclasses.replace(verdict, note=note)
    verdict = judge(error)
    return dataclasses.replace(verdict, reason=_short("dynamic response: " + verdict.reason))


def _built(
    op: ir.Operation,
    method: Any,
    values: dict[str, Any],
    replies: BuiltReplies,
    reply: tuple[int, str, bytes] | None,
    judge: Callable[[Exception], Verdict],
) -> Verdict | None:
    """The call once more, Prism's invalid response replaced by ``reply`` (a valid one built
    from the schema); ``None`` when there is none, or Prism's answer was not replaced."""
    if reply is None:
        return None
    replies.reply = reply
    try:
        error = _attempt(op, method, values)
    finally:
        replies.reply = None
    if error is None:
        return Verdict(True, note="parsed a valid response built from the schema: ")
    if isinstance(error, str):
        return Verdict(False, _short(f"built response: {error}"), CLIENT)
    if response_side(violations(error)):
        return None
    verdict = judge(error)
    return dataclasses.replace(verdict, reason=_short("built response: " + verdict.reason))


def _attempt(op: ir.Operation, method: Any, values: dict[str, Any]) -> Exception | str | None:
    """``None`` when the call round-trips; the exception it raised; or why its result is
    not of the declared type."""
    try:
        result = method(**values)
        if op.pagination is not None:
            result = list(itertools.islice(result, 3))
    except Exception as error:  # noqa: BLE001 - any failure is this operation's reason
        return error
    if op.pagination is None:
        return _wrong_type(result, typing.get_type_hints(method).get("return"))
    return None


def _reason(error: Exception) -> str:
    rejected = prism_rejection(error)
    return _short(f"Prism: {rejected}" if rejected is not None else _describe(error))


def _query_names(op: ir.Operation) -> dict[str, str]:
    return {param.name: param.python_name for param in op.params if param.location == "query"}


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

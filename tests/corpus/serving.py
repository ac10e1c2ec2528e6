"""Prism serving a document: whole when it starts, else in parts (see ``parts``).

Prism 5.14.2 unfolds every path through the document's reference graph before it
listens; on a document of many mutually recursive schemas (Stripe's) that never ends.
Then each group of paths is served on its own, with the components it reaches: all
of them when they are few, else those at most as many references away as keeps the
part under ``PART_COMPONENTS`` (references beyond accept any value, with an example
built from the full schema for Prism to answer with: ``standins``), so Prism starts in
seconds; the part's label says how deep it checks.  The document served whole gets the
examples a part gets (``standins``: cycles, patterns, integer strings), none of them
changing what Prism accepts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.corpus import parts
from tests.corpus.standins import StandIns
from tests.integration.prism import PrismServer

WHOLE_STARTUP = 90.0  # seconds: openai's 4 MB start in ~15 s; a document that never starts
PART_STARTUP = 60.0  # a part that starts at all starts in under 20 s (Stripe, 2 CPUs)
PART_COMPONENTS = 25  # components a part may keep (Stripe: 23 start in 16 s, 96 never)


@dataclass(frozen=True)
class Mock:
    label: str  # "whole document", or the part and how deep it checks
    paths: frozenset[str] | None  # the document paths it serves; None: all of them
    url: str | None  # None when Prism did not start
    error: str = ""  # why it did not
    server: PrismServer | None = None  # the running Prism, to restart if it crashes


class _Prism(PrismServer):
    startup = WHOLE_STARTUP

    def _wait_ready(self, timeout: float) -> None:
        super()._wait_ready(self.startup)


def mocks(binary: Path, exported: Path, folder: Path) -> Iterator[Mock]:
    """Each mock in turn, running while the caller uses it (stopped when it asks the next)."""
    document = _unframed(_unannotated(json.loads(exported.read_text(encoding="utf-8"))))
    stand_ins = StandIns(document)
    served = folder / "served.json"
    served.write_text(json.dumps(served_whole(document, stand_ins)), encoding="utf-8")
    server = _started(binary, served, folder / "prism.log", WHOLE_STARTUP)
    if isinstance(server, PrismServer):
        try:
            yield Mock("whole document", None, server.url, server=server)
        finally:
            server.stop()
        return
    whole_error = server
    for plan in plans(document):
        part = _part(document, plan, stand_ins)
        path = folder / "parts" / f"{_file_name(plan.names[0])}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(part), encoding="utf-8")
        started = _started(binary, path, path.with_suffix(".log"), PART_STARTUP)
        if not isinstance(started, PrismServer) and plan.hops is not None and plan.hops > 1:
            plan.hops -= 1  # Prism's start-up grows with depth more than with size
            path.write_text(json.dumps(_part(document, plan, stand_ins)), encoding="utf-8")
            started = _started(binary, path, path.with_suffix(".log"), PART_STARTUP)
        if not isinstance(started, PrismServer):
            yield Mock(plan.label, frozenset(plan.paths), None, f"{started} (whole: {whole_error})")
            continue
        try:
            yield Mock(plan.label, frozenset(plan.paths), started.url, server=started)
        finally:
            started.stop()


def served_whole(document: dict[str, Any], stand_ins: StandIns) -> dict[str, Any]:
    """The document Prism serves whole: as exported, with the examples a part gets."""
    return stand_ins.with_recursive_examples(stand_ins.with_examples(document))


def _part(document: dict[str, Any], plan: Plan, stand_ins: StandIns) -> dict[str, Any]:
    """The document Prism serves for ``plan``: its paths, references cut beyond its depth,
    and the examples Prism answers with (``standins``)."""
    part = parts.reduced(document, plan.paths, plan.hops, stand_ins)
    return stand_ins.with_recursive_examples(stand_ins.with_examples(part))


@dataclass
class Plan:
    """One part: groups of paths served together, and how deep their schemas are kept."""

    names: list[str]
    paths: list[str]
    hops: int | None  # None: every component reached
    components: set[tuple[str, str]]

    @property
    def label(self) -> str:
        shown = "+".join(self.names)
        if self.hops is None:
            return f"part {shown}"
        deep = "reference" if self.hops == 1 else "references"
        return f"part {shown} (schemas {self.hops} {deep} deep)"


def plans(document: dict[str, Any]) -> list[Plan]:
    """The parts: each group of paths at the deepest cut under ``PART_COMPONENTS``, then
    groups cut alike packed together while their components stay under it (each start of
    Prism costs seconds; Stripe's 61 groups fit in a dozen parts)."""
    found: list[Plan] = []
    for name, paths in parts.groups(document).items():
        hops, reached = _depth(document, paths)
        fits = [
            plan
            for plan in found
            if plan.hops == hops and len(plan.components | reached) <= PART_COMPONENTS
        ]
        if fits:
            fits[0].names.append(name)
            fits[0].paths.extend(paths)
            fits[0].components |= reached
        else:
            found.append(Plan([name], list(paths), hops, set(reached)))
    return found


def _depth(document: dict[str, Any], paths: list[str]) -> tuple[int | None, set[tuple[str, str]]]:
    """How many references deep ``paths`` keep their schemas (None: all) under the limit,
    and the components that keeps."""
    start = {path: document["paths"][path] for path in paths}
    reached = parts.closure(document, start)
    if len(reached) <= PART_COMPONENTS:
        return None, reached
    hops, reached = 1, parts.closure(document, start, 1)
    while True:
        deeper = parts.closure(document, start, hops + 1)
        if len(deeper) > PART_COMPONENTS:
            return hops, reached
        hops, reached = hops + 1, deeper


def _unannotated(node: Any) -> Any:
    """The exported document without the generator's ``x-source`` notes (file:line of each
    node).  Extensions mean nothing to validation, but Prism's data generator copies the
    keys of a schema it cannot type into the object it makes, so a response generated
    from ``{"x-source": "..."}`` had an ``x-source`` property that the schema forbids."""
    if isinstance(node, list):
        return [_unannotated(item) for item in node]
    if isinstance(node, dict):
        return {key: _unannotated(value) for key, value in node.items() if key != "x-source"}
    return node


# Headers that frame the HTTP message itself (RFC 9112): the server's HTTP layer sets them.
FRAMING_HEADERS = frozenset({"transfer-encoding", "content-length", "connection"})


def _unframed(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the response headers that frame HTTP (a document may list
    ``Transfer-Encoding: chunked`` for a streamed answer).  A real server's HTTP layer sets
    those; Prism would send a value made from the header's schema instead, which leaves
    the response unreadable (httpx: ``RemoteProtocolError``) before any client code runs."""
    responses = [
        response
        for item in (document.get("paths") or {}).values()
        if isinstance(item, dict)
        for operation in item.values()
        if isinstance(operation, dict)
        for response in (operation.get("responses") or {}).values()
    ]
    responses += list(((document.get("components") or {}).get("responses") or {}).values())
    for response in responses:
        headers = response.get("headers") if isinstance(response, dict) else None
        if isinstance(headers, dict):
            for name in [n for n in headers if n.lower() in FRAMING_HEADERS]:
                del headers[name]
    return document


def _started(binary: Path, document: Path, log: Path, startup: float) -> PrismServer | str:
    """A running Prism, or why it is not (one line).  Seeded: the responses it generates
    (``Prefer: dynamic=true``) are the same on every run, and so is the table."""
    server = _Prism(binary, document, log, ("--seed", "gpuworkers-corpus"))
    server.startup = startup
    try:
        return server.__enter__()
    except RuntimeError as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        return " ".join(lines[:2])[:200]


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "part"

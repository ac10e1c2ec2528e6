"""A problem in staged generated code as one line: the construct, where the page defines it.

Generated code that fails ruff or does not import is a generator bug.  The maintainer
reading the message needs which model or method it is and which part of which page made
it, not a dump of the file: ``located`` finds the class or method around a line of a
staged module and looks its source up in the staged IR snapshot (``ir/<provider>.json``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_DEFINITION = re.compile(r"^(\s*)(?:async\s+)?(class|def)\s+(\w+)")
_PROVIDER_MODULE = re.compile(r"src/gpuworkers/(\w+)/")
_MAX_LINES = 20
_HINT = "a bug in the generator, not in your specs: please report it with the spec"


def ruff_problems(staging: Path, report: str) -> str:
    """One line per problem of ``ruff check --output-format=json`` output."""
    try:
        items: list[dict[str, Any]] = json.loads(report or "[]")
    except ValueError:
        return report.strip().splitlines()[-1] if report.strip() else "(no output)"
    lines, root = [], staging.resolve()  # ruff names files by absolute path
    for item in items:
        path = Path(str(item.get("filename", "")))
        relative = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        row = int((item.get("location") or {}).get("row") or 0)
        problem = f"fails ruff {item.get('code')}: {item.get('message')}"
        lines.append(located(staging, relative, row, problem))
    return _joined(sorted(set(lines)))


def located(staging: Path, relative: str, row: int, problem: str) -> str:
    """``specs/x/page.yaml:12: error: generated method `PetsResource.list_pets` <problem>
    (src/.../client.py:340) (hint: ...)``; the generated file's place when no page is known."""
    place = f"{relative}:{row}"
    construct = _enclosing(staging / relative, row)
    where, what = place, "generated code"
    if construct is not None:
        owner, kind, name = construct
        what = f"generated {kind} `{owner + '.' if owner else ''}{name}`"
        where = _source(staging, relative, owner, name) or place
    return f"{where}: error: {what} {problem} ({place}) (hint: {_HINT})"


def _enclosing(path: Path, row: int) -> tuple[str, str, str] | None:
    """(enclosing class or "", "class"/"method"/"function", name) of line ``row``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[:row]
    except OSError:
        return None
    found: tuple[int, str, str] | None = None
    # Only a definition indented less than the line (or the line itself) encloses it.
    below = _indent(lines[-1]) if lines and not _DEFINITION.match(lines[-1]) else 10**6
    for line in reversed(lines):
        match = _DEFINITION.match(line)
        if match is None or len(match[1]) >= below:
            continue
        indent, kind, name = len(match[1]), match[2], match[3]
        if found is None:
            found = (indent, kind, name)
            if indent == 0:
                return "", "class" if kind == "class" else "function", name
        elif indent < found[0] and kind == "class":
            return name, "method", found[2]
    return ("", found[1], found[2]) if found else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip()) if line.strip() else 10**6


def _source(staging: Path, relative: str, owner: str, name: str) -> str:
    """The page location the IR records for a model class or a resource's method."""
    module = _PROVIDER_MODULE.search(relative)
    snapshot = staging / "ir" / f"{module[1]}.json" if module else None
    if snapshot is None or not snapshot.is_file():
        return ""
    try:
        api = json.loads(snapshot.read_text(encoding="utf-8"))
    except ValueError:
        return ""
    for schema in api.get("schemas") or []:
        if schema.get("class_name") in (owner or name, name):
            return str(schema.get("source") or schema.get("name") or "")
    for resource in api.get("resources") or []:
        if owner.removeprefix("Async").removesuffix("WithRawResponse") != resource["class_name"]:
            continue
        for op in resource["operations"]:
            if op["python_name"] in (name, name.removesuffix("_page")):
                return str(op.get("source") or op.get("operation_id") or "")
    return ""


def _joined(lines: list[str]) -> str:
    more = len(lines) - _MAX_LINES
    shown = lines[:_MAX_LINES] + ([f"... and {more} more"] if more > 0 else [])
    return "\n".join(shown)

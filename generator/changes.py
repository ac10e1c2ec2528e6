"""The API change report: what a regeneration changes for the package's users.

``compare(old, new)`` diffs two IR snapshots of one provider (the committed
``generated/ir/<provider>.json`` and the one just built) and classes every change
as breaking or not, as a user of ``gpuworkers`` sees it:

* operations, arguments, models, fields: added is not breaking (except a new
  required argument or required input field), removed is breaking;
* a type change depends on which way data flows.  Arguments and fields of models
  the user sends (input) may widen (``int`` -> ``int | str``) but not narrow;
  return types and fields of models the user receives (output) may narrow but
  not widen (code written for ``int`` breaks on a ``str``).  A model used both
  ways may change neither way; a change that is neither wider nor narrower is
  breaking;
* required flags follow the same rule: a newly required argument is breaking, a
  field of a received model that may now be missing (``None``) is breaking;
* enum values: added is not breaking (enums are open), removed is breaking.

The report bumps the package version (major for breaking, minor for additions,
patch otherwise) and becomes a section of ``generated/CHANGELOG.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator import ir
from generator.annotations import Relation, field_annotation, relate, split_union
from generator.naming import MODEL_ATTRIBUTES, python_identifier

Kind = Literal["added", "removed", "changed"]
Flow = Literal["input", "output", "both"]

CHANGELOG_INTRO = (
    "# Changelog\n\n"
    "Changes to the API of the generated `gpuworkers` package, recorded by\n"
    "`python -m generator generate` (newest first).\n"
)
_MODEL_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Change:
    provider: str
    kind: Kind
    breaking: bool
    description: str  # one line, markdown

    def format(self) -> str:
        return f"{'breaking' if self.breaking else self.kind:8}  {self.description}"


@dataclass(frozen=True)
class ProviderChanges:
    provider: str  # the module name
    display_name: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> int:
        return sum(change.breaking for change in self.changes)

    def summary(self) -> str:
        """``2 (1 breaking)`` for the summary table."""
        count = len(self.changes)
        return f"{count} ({self.breaking} breaking)" if self.breaking else str(count)


@dataclass(frozen=True)
class ChangeReport:
    providers: tuple[ProviderChanges, ...]

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for p in self.providers for c in p.changes)

    @property
    def breaking(self) -> int:
        return sum(p.breaking for p in self.providers)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def level(self) -> Literal["major", "minor", "patch"] | None:
        if not self.changes:
            return None
        if self.breaking:
            return "major"
        return "minor" if any(c.kind == "added" for c in self.changes) else "patch"

    def next_version(self, version: str) -> str:
        level = self.level()
        return bump(version, level) if level else version

    def lines(self) -> Iterator[str]:
        """The report as printed after the summary table."""
        for provider in self.providers:
            if provider.changes:
                yield f"{provider.display_name}:"
                yield from (f"  {change.format()}" for change in _ordered(provider.changes))

    def changelog_entry(self, version: str) -> str:
        parts = [f"## {version}\n"]
        for provider in self.providers:
            if not provider.changes:
                continue
            parts.append(f"\n### {provider.display_name} (`gpuworkers.{provider.provider}`)\n\n")
            for change in _ordered(provider.changes):
                label = "**breaking:** " if change.breaking else ""
                parts.append(f"- {label}{change.description}\n")
        return "".join(parts)


def bump(version: str, level: Literal["major", "minor", "patch"]) -> str:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version.strip())
    if match is None:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def with_entry(changelog: str | None, entry: str) -> str:
    """``changelog`` with ``entry`` as its newest section (below the intro)."""
    text = changelog if changelog and changelog.strip() else CHANGELOG_INTRO
    head, marker, rest = text.partition("\n## ")
    if not marker:
        return text.rstrip("\n") + "\n\n" + entry
    return head.rstrip("\n") + "\n\n" + entry + "\n## " + rest


def _ordered(changes: Iterable[Change]) -> list[Change]:
    """Breaking changes first, then additions, then the rest; otherwise in IR order."""
    order = {"added": 1, "changed": 2, "removed": 2}
    return sorted(changes, key=lambda c: 0 if c.breaking else order[c.kind])


# -- comparing two IRs ------------------------------------------------------------------------


def compare_providers(old: ir.Api | None, new: ir.Api | None) -> ProviderChanges:
    """Changes from ``old`` (None: a new provider) to ``new`` (None: a removed provider)."""
    api = new or old
    assert api is not None
    if old is None:
        assert new is not None
        text = f"new provider `{new.client_name}Client` ({len(new.operations)} operations)"
        changes: tuple[Change, ...] = (Change(api.name, "added", False, text),)
    elif new is None:
        text = f"provider `{old.client_name}Client` removed"
        changes = (Change(api.name, "removed", True, text),)
    else:
        changes = tuple(_ApiDiff(old, new).changes())
    return ProviderChanges(api.name, api.display_name, changes)


class _ApiDiff:
    def __init__(self, old: ir.Api, new: ir.Api) -> None:
        self.old, self.new, self.provider = old, new, new.name
        self.flows = _merge_flows(_model_flows(old), _model_flows(new))

    def changes(self) -> Iterator[Change]:
        yield from self._operations()
        yield from self._models()

    def _change(self, kind: Kind, breaking: bool, description: str) -> Change:
        return Change(self.provider, kind, breaking, description)

    # operations -------------------------------------------------------------------------
    def _operations(self) -> Iterator[Change]:
        old, new = _operations_by_name(self.old), _operations_by_name(self.new)
        for key, op in new.items():
            if key not in old:
                yield self._change("added", False, f"`{key}()` added ({op.method} {op.path})")
        for key in old:
            if key not in new:
                yield self._change("removed", True, f"`{key}()` removed")
        for key, op in new.items():
            if key in old:
                yield from self._operation(key, old[key], op)

    def _operation(self, key: str, old: ir.Operation, new: ir.Operation) -> Iterator[Change]:
        yield from self._arguments(key, _arguments(old), _arguments(new))
        relation = relate(_returns(old), _returns(new))
        if relation != "same":
            yield self._typed(
                "output",
                relation,
                f"`{key}()` returns `{_returns(new)}` instead of `{_returns(old)}`",
            )
        if (old.method, old.path) != (new.method, new.path):
            yield self._change(
                "changed",
                False,
                f"`{key}()` now calls {new.method} {new.path} (was {old.method} {old.path})",
            )
        if new.deprecated and not old.deprecated:
            yield self._change("changed", False, f"`{key}()` is deprecated")

    def _arguments(
        self, key: str, old: dict[str, ir.Param], new: dict[str, ir.Param]
    ) -> Iterator[Change]:
        for name, param in new.items():
            if name not in old:
                needed = "required" if param.required else "optional"
                yield self._change(
                    "added",
                    param.required,
                    f"`{key}()`: new {needed} argument `{name}: {param.annotation}`",
                )
        for name in old:
            if name not in new:
                yield self._change("removed", True, f"`{key}()`: argument `{name}` removed")
        for name, param in new.items():
            if name not in old:
                continue
            before = old[name]
            relation = relate(before.annotation, param.annotation)
            if relation != "same":
                yield self._typed(
                    "input",
                    relation,
                    f"`{key}()`: argument `{name}` is `{param.annotation}` "
                    f"instead of `{before.annotation}`",
                )
            if param.required != before.required:
                now = "required" if param.required else "optional"
                yield self._change(
                    "changed", param.required, f"`{key}()`: argument `{name}` is now {now}"
                )

    # models -----------------------------------------------------------------------------
    def _models(self) -> Iterator[Change]:
        old, new = _models_by_name(self.old), _models_by_name(self.new)
        for name in new:
            if name not in old and name in self.flows:
                yield self._change("added", False, f"model `{name}` added")
        for name in old:
            if name not in new and name in self.flows:
                yield self._change("removed", True, f"model `{name}` removed")
        for name, schema in new.items():
            if name in old and name in self.flows:
                yield from self._model(name, old[name], schema, self.flows[name])

    def _model(
        self, name: str, old: ir.Schema, new: ir.Schema, flow: Flow
    ) -> Iterator[Change]:
        before, after = old.json_schema, new.json_schema
        if "enum" in before or "enum" in after:
            yield from self._enum(name, before.get("enum") or [], after.get("enum") or [])
            return
        old_fields, new_fields = _fields(old, self.old), _fields(new, self.new)
        for field, (annotation, required) in new_fields.items():
            if field not in old_fields:
                breaking = required and flow != "output"
                needed = " (required)" if required else ""
                shown = _as_seen(annotation, required)
                yield self._change(
                    "added", breaking, f"model `{name}`: new field `{field}: {shown}`{needed}"
                )
        for field in old_fields:
            if field not in new_fields:
                yield self._change("removed", True, f"model `{name}`: field `{field}` removed")
        for field, (annotation, required) in new_fields.items():
            if field in old_fields:
                yield from self._field(name, field, old_fields[field], (annotation, required), flow)

    def _field(
        self,
        model: str,
        field: str,
        old: tuple[str, bool],
        new: tuple[str, bool],
        flow: Flow,
    ) -> Iterator[Change]:
        relation = relate(old[0], new[0])
        if relation != "same":
            now, before = _as_seen(new[0], new[1]), _as_seen(old[0], old[1])
            yield self._typed(
                flow, relation, f"model `{model}`: field `{field}` is `{now}` instead of `{before}`"
            )
        if old[1] != new[1]:
            # Optional fields are `X | None`: becoming optional widens the field's type.
            relation = "narrower" if new[1] else "wider"
            now = "required" if new[1] else "optional (may be None)"
            yield self._typed(flow, relation, f"model `{model}`: field `{field}` is now {now}")

    def _enum(self, name: str, old: list[Any], new: list[Any]) -> Iterator[Change]:
        for value in new:
            if value not in old:
                yield self._change("added", False, f"enum `{name}`: new value `{value!r}`")
        for value in old:
            if value not in new:
                yield self._change("removed", True, f"enum `{name}`: value `{value!r}` removed")

    def _typed(self, flow: Flow, relation: Relation, description: str) -> Change:
        """A type change, breaking unless it goes the way its data flow allows."""
        allowed = {"input": "wider", "output": "narrower"}.get(flow)
        breaking = relation != allowed
        label = {"wider": "widened", "narrower": "narrowed"}.get(relation, "changed")
        return self._change("changed", breaking, f"{description} ({label})")


def _as_seen(annotation: str, required: bool) -> str:
    """A field's type as its model declares it: an optional field is `X | None`."""
    if required or annotation == "Any" or "None" in split_union(annotation):
        return annotation
    return f"{annotation} | None"


def _operations_by_name(api: ir.Api) -> dict[str, ir.Operation]:
    return {f"{op.resource}.{op.python_name}": op for op in api.operations}


def _arguments(op: ir.Operation) -> dict[str, ir.Param]:
    arguments = {param.python_name: param for param in op.params}
    if op.body is not None and not op.body.flattened:
        arguments["body"] = ir.Param(
            "body", "body", "body", op.body.annotation or "Any", op.body.required
        )
    return arguments


def _returns(op: ir.Operation) -> str:
    if op.pagination is not None:
        return f"Iterator[{op.pagination.item_annotation}]"
    return op.returns


def _models_by_name(api: ir.Api) -> dict[str, ir.Schema]:
    return {schema.class_name: schema for schema in api.schemas}


def _fields(schema: ir.Schema, api: ir.Api) -> dict[str, tuple[str, bool]]:
    """Python attribute -> (annotation, required) of a model's fields."""
    if schema.fields or not schema.json_schema.get("properties"):
        return {f.python_name: (f.annotation, f.required) for f in schema.fields}
    # A snapshot from before the IR carried fields: read them from the prepared schema.
    enums = {s.class_name for s in api.schemas if "enum" in s.json_schema}
    required = set(schema.json_schema.get("required") or [])
    return {
        python_identifier(name, MODEL_ATTRIBUTES): (field_annotation(prop, enums), name in required)
        for name, prop in schema.json_schema["properties"].items()
    }


# -- which way data flows through each model --------------------------------------------------


def _model_flows(api: ir.Api) -> dict[str, Flow]:
    """Models the user sends (arguments), receives (return values), or both.

    The models that validate flattened request bodies are reached from neither: their
    fields are the operation's arguments, and are reported as such.
    """
    refs = {s.class_name: _referenced(s.json_schema) for s in api.schemas}
    known = set(refs)
    sent: set[str] = set()
    received: set[str] = set()
    for op in api.operations:
        for param in _arguments(op).values():
            sent |= _closure(_names_in(param.annotation) & known, refs)
        # A paginated method's pages are received too (`<method>_page`, `iter_pages()`).
        received |= _closure(_names_in(f"{_returns(op)} {op.returns}") & known, refs)
    flows: dict[str, Flow] = {}
    for name in sent | received:
        flows[name] = (
            "both" if name in sent and name in received else ("input" if name in sent else "output")
        )
    return flows


def _merge_flows(old: dict[str, Flow], new: dict[str, Flow]) -> dict[str, Flow]:
    merged = dict(old)
    for name, flow in new.items():
        merged[name] = flow if merged.get(name, flow) == flow else "both"
    return merged


def _referenced(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = set()
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_MODEL_REF):
            found.add(ref[len(_MODEL_REF) :])
        for value in node.values():
            found |= _referenced(value)
        return found
    if isinstance(node, list):
        return set().union(*(_referenced(item) for item in node)) if node else set()
    return set()


def _closure(start: set[str], refs: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(refs.get(name, set()) - seen)
    return seen


def _names_in(annotation: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", annotation))


# -- against the snapshots in generated/ --------------------------------------------------------


def report_against_snapshots(
    apis: Iterable[ir.Api], generated: Path, providers: Iterable[str]
) -> tuple[ChangeReport, list[str]]:
    """Compare each built API with ``generated/ir/<name>.json``.

    ``providers`` are all providers in specs/: a snapshot of any other is a removed
    provider.  Returns the report and the snapshots that could not be read (warnings).
    With no snapshot at all, this is the package's first generation: nothing changed.
    """
    unreadable: list[str] = []
    built = {api.name: api for api in apis}
    snapshots = sorted((generated / "ir").glob("*.json")) if (generated / "ir").is_dir() else []
    if not snapshots:
        return ChangeReport(()), unreadable
    removed = [path.stem for path in snapshots if path.stem not in set(providers)]
    results = []
    for name in sorted(set(built) | set(removed)):
        path = generated / "ir" / f"{name}.json"
        old = None
        if path.is_file():
            try:
                old = ir.Api.from_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                unreadable.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
        new = built.get(name)
        if old is not None or new is not None:
            results.append(compare_providers(old, new))
    return ChangeReport(tuple(results)), unreadable

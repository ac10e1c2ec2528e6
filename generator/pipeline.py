"""specs/<provider>/ -> normalized OpenAPI 3.1 -> IR, collecting every diagnostic.

    read (one reader per page format) -> merge -> overlay -> validate -> lower

Nothing here raises on bad input: each stage appends to the provider's
``Diagnostics``; the caller decides whether errors stop the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostics, Location
from generator.envelope import mark_success_code, wrap_in_envelope
from generator.lower import lower
from generator.merge import merge_documents
from generator.overlay import apply_overlay, load_overlay
from generator.provider import ProviderSpec, load_provider
from generator.readers import Page, reader_for
from generator.sourcemap import Sources
from generator.validate import start_validation, without


@dataclass
class ProviderBuild:
    name: str
    spec: ProviderSpec | None = None
    document: dict[str, Any] | None = None  # the normalized OpenAPI 3.1
    api: ir.Api | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def ok(self) -> bool:
        return self.api is not None and not self.diagnostics.errors


def from_snapshot(generated: Path, name: str) -> ProviderBuild | None:
    """A provider as last generated (its IR and OpenAPI snapshots), when both exist."""
    ir_path, openapi_path = (
        generated / "ir" / f"{name}.json",
        generated / "openapi" / f"{name}.json",
    )
    if not (ir_path.is_file() and openapi_path.is_file()):
        return None
    build = ProviderBuild(name)
    build.api = ir.Api.from_json(ir_path.read_text(encoding="utf-8"))
    build.document = json.loads(openapi_path.read_text(encoding="utf-8"))
    return build


def discover_providers(specs_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in specs_dir.glob("*/provider.toml"))


def _quietly(stage: str) -> None:
    pass


def build_provider(
    specs_dir: Path,
    name: str,
    display_root: str = "specs",
    on_stage: Callable[[str], None] = _quietly,
    on_early: Callable[[ir.Api], Callable[[], None]] | None = None,
) -> ProviderBuild:
    """``on_stage`` hears each stage as it starts: reading, validating, lowering.

    ``on_early``, when given, is handed the IR lowered before the validator ran (the
    document as the schema lint leaves it), so that its models can start on a background
    worker while this process validates; it returns how to call that work off, which is
    done when the IR is not the one kept (the validation failed, or dropped other nodes).
    """
    build = ProviderBuild(name)
    directory = specs_dir / name
    shown = f"{display_root}/{name}"
    diagnostics = build.diagnostics
    if not directory.is_dir():
        diagnostics.error(
            Location(shown),
            f"no provider named {name!r}",
            f"expected a folder {shown}/ with provider.toml",
        )
        return build
    build.spec = load_provider(directory, shown, diagnostics)
    if build.spec is None:
        return build
    sources: Sources = {}
    on_stage("reading")
    fragments = _read_pages(directory, shown, build.spec, diagnostics, sources)
    if diagnostics.errors or not fragments:
        return build
    document = merge_documents(
        [fragment for fragment, _ in fragments], diagnostics, [page for _, page in fragments]
    )
    overlay_path = directory / "overlay.yaml"
    if overlay_path.exists():
        overlay = load_overlay(overlay_path, f"{shown}/overlay.yaml", diagnostics)
        if overlay is not None:
            merged, settled = document, set[str]()
            document = apply_overlay(merged, overlay, f"{shown}/overlay.yaml", diagnostics, settled)
            _drop_decided(diagnostics, merged, document, settled)
    if diagnostics.errors:
        return build
    wrap_in_envelope(document, build.spec.envelope)
    mark_success_code(document, build.spec.envelope)
    on_stage("validating")
    validation = start_validation(document, diagnostics, sources)
    toml = f"{shown}/provider.toml"
    # Lowered before the validator runs, unless the structural checks already failed it,
    # and its models started meanwhile.  The nodes the lint drops are left out of it.
    early, expected, call_off = None, validation.early_drops(), None
    if on_early is not None and validation.computing and not diagnostics.errors:
        early = _lower_early(without(document, expected), build.spec, toml)
        if early is not None:
            call_off = on_early(early[0])
    dropped = validation.finish()
    build.document = document
    kept = early is not None and not diagnostics.errors and dropped == expected
    if call_off is not None and not kept:
        call_off()
    if diagnostics.errors:
        return build
    on_stage("lowering")
    if early is None or not kept:
        build.api = lower(document, build.spec, diagnostics, toml)
    else:
        build.api, lowered = early
        diagnostics.extend(lowered)
    return build


def _lower_early(
    document: dict[str, Any], spec: ProviderSpec, toml: str
) -> tuple[ir.Api, Diagnostics] | None:
    """Lower ``document`` before it is validated, its diagnostics kept apart.

    The result stands only when the validation finds no error and drops exactly the nodes
    left out of it (the document lowered is then the one validated); otherwise it is thrown
    away, and so is a failure here: lowering an invalid document may fail in ways the
    validation explains.
    """
    lowered = Diagnostics()
    try:
        return lower(document, spec, lowered, toml), lowered
    except Exception:  # noqa: BLE001 - lowered again (and any bug raised) once validated
        return None


def check_unique_names(
    builds: list[ProviderBuild], specs_dir: Path, display_root: str
) -> Diagnostics:
    """Two provider folders whose provider.toml give the same ``name`` would write the same
    module: the second one's ``name`` is an error at its line."""
    diagnostics = Diagnostics()
    first: dict[str, str] = {}
    for build in builds:
        name = build.spec.name if build.spec else build.api.name if build.api else None
        if name is None:
            continue
        if name not in first:
            first[name] = build.name
            continue
        try:
            text = (specs_dir / build.name / "provider.toml").read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        diagnostics.error(
            Location(f"{display_root}/{build.name}/provider.toml", _line_of_name(text)),
            f"name {name!r} is already the name of provider {first[name]!r}",
            "each provider needs a name of its own: it is its Python module",
        )
    return diagnostics


def _line_of_name(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=")[0].strip() == "name":
            return number
    return None


_MISSING = object()


def _drop_decided(
    diagnostics: Diagnostics, merged: dict[str, Any], fixed: dict[str, Any], settled: set[str]
) -> None:
    """Forget the warnings the overlay decided: about a node it changed, or about a page line
    whose node an action updated (a field read as `string` that the overlay types, even as
    `string` again)."""
    diagnostics.items = [
        d
        for d in diagnostics.items
        if (d.subject is None or _node(merged, d.subject) == _node(fixed, d.subject))
        and (d.level == "error" or str(d.location) not in settled)
    ]


def _node(document: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            document = document[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return document


def _read_pages(
    directory: Path, shown: str, spec: ProviderSpec, diagnostics: Diagnostics, sources: Sources
) -> list[tuple[dict[str, Any], str]]:
    """Each page's document with the page's display name, in provider.toml's order."""
    fragments = []
    for page_spec in spec.pages:
        display = f"{shown}/{page_spec.file}"
        page, problem = Page.load(directory / page_spec.file, display)
        if problem is not None:
            diagnostics.extend([problem])
            continue
        assert page is not None
        reader = reader_for(page_spec.format)
        if reader is None:
            diagnostics.error(
                Location(f"{shown}/provider.toml"),
                f"no reader for page format {page_spec.format!r}",
            )
            continue
        fragment = reader(page)
        diagnostics.extend(fragment.diagnostics)
        for pointer, source in fragment.sources.items():  # the first page wins, as in the merge
            sources.setdefault(pointer, source)
        if fragment.document.get("paths"):
            fragments.append((fragment.document, display))
        elif fragment.document.get("webhooks") and not fragment.diagnostics:
            diagnostics.error(
                page.at(1),
                "the document has webhooks (requests the API sends) but no paths to call",
                "a client is generated from paths; drop the page, or add the paths it calls",
            )
        elif not any(d.level == "error" for d in fragment.diagnostics):
            diagnostics.error(
                page.at(1),
                "the page yields no operation",
                "check the page's format in provider.toml, or drop the page",
            )
    return fragments

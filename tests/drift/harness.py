"""Build a provider with one of its pages edited, and compare the export with today's.

The pages are the live ones in ``specs/`` (copied, never changed): the drift suite says
what a maintainer may expect when the provider republishes a page with such an edit.
Edits find what they change by structure (a table header, a bullet, a blank line), not by
line numbers, so they keep working when the page itself is updated.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.pipeline import ProviderBuild, build_provider

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"


def page_text(provider: str, page: str) -> str:
    return (SPECS / provider / page).read_bytes().decode("utf-8")


def build_with(provider: str, page: str, text: str | bytes) -> ProviderBuild:
    """The provider built from a copy of its folder with ``page`` replaced by ``text``."""
    with tempfile.TemporaryDirectory(prefix="gw-drift-") as tmp:
        shutil.copytree(SPECS / provider, Path(tmp) / provider)
        data = text.encode("utf-8") if isinstance(text, str) else text
        (Path(tmp) / provider / page).write_bytes(data)
        return build_provider(Path(tmp), provider)


@functools.cache
def _baseline(provider: str) -> dict[str, Any]:
    build = build_provider(SPECS, provider)
    assert build.ok and build.document is not None
    document: dict[str, Any] = plain(build.document)
    return document


def baseline(provider: str) -> dict[str, Any]:
    return _baseline(provider)


def plain(node: Any) -> Any:
    """The export without ``x-source`` (line numbers move with any edit)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items() if k != "x-source"}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def differences(old: Any, new: Any, path: str = "$") -> Iterator[str]:
    """JSONPath-like paths where ``new`` differs from ``old`` (added, removed, changed)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            where = f"{path}.{key}"
            if key not in old:
                yield f"+{where}"
            elif key not in new:
                yield f"-{where}"
            else:
                yield from differences(old[key], new[key], where)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from differences(a, b, f"{path}[{index}]")
    elif old != new:
        yield f"~{path}"


def effect(provider: str, page: str, text: str | bytes) -> list[str]:
    """What the edit does to the export: [] for "same", else the differences.

    A build that fails is reported as its error messages, so "same" never hides one.
    """
    build = build_with(provider, page, text)
    if not build.ok or build.document is None:
        return [f"error: {d.format()}" for d in build.diagnostics.errors] or ["error"]
    return list(differences(baseline(provider), plain(build.document)))

"""The writer's slow steps, remembered by content: ruff's fixes and formatting, the import check.

A file ruff has fixed and formatted before (same text, same path, same ruff settings in
the staged ``pyproject.toml``, same installed tools) is written as ruff left it, and ruff
runs only on the others.  A staged package whose every file is byte for byte one that
imported before, under the same interpreter and installed packages, is not imported again.
The environment digest is the input stamp's (``stamp.environment_digest``): any install
or upgrade starts both afresh.
"""

from __future__ import annotations

from pathlib import Path

from generator.perf import cache
from generator.perf.stamp import environment_digest

_CONFIG = "pyproject.toml"  # the staged package's own: ruff's settings for it


def restore_formatted(staging: Path, files: dict[str, str]) -> list[str]:
    """Write the remembered ruff output over each staged Python file that has one; the
    files ruff still has to see."""
    pending = []
    for relative in _python(files):
        fixed = cache.read("formatted", _format_key(files, relative))
        if fixed is None:
            pending.append(relative)
        else:
            (staging / relative).write_text(fixed, encoding="utf-8")
    return pending


def remember_formatted(staging: Path, files: dict[str, str], done: list[str]) -> None:
    for relative in done:
        text = (staging / relative).read_text(encoding="utf-8")
        cache.write("formatted", _format_key(files, relative), text)


def imported_before(staging: Path, files: dict[str, str]) -> bool:
    return cache.read("imported", _import_key(staging, files)) is not None


def remember_imported(staging: Path, files: dict[str, str]) -> None:
    cache.write("imported", _import_key(staging, files), "ok")


def _python(files: dict[str, str]) -> list[str]:
    return sorted(relative for relative in files if relative.endswith(".py"))


def _format_key(files: dict[str, str], relative: str) -> str:
    return cache.cache_key(
        "ruff", environment_digest(), files.get(_CONFIG, ""), relative, files[relative]
    )


def _import_key(staging: Path, files: dict[str, str]) -> str:
    """Every staged file the import can see, as formatted (not as rendered)."""
    parts = ["import", environment_digest()]
    for relative in sorted(files):
        if relative.startswith("src/"):
            parts += [relative, (staging / relative).read_text(encoding="utf-8")]
    return cache.cache_key(*parts)

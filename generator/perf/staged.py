"""The writer's slow steps, remembered by content: ruff's fixes and formatting, the import check.

A file ruff has fixed and formatted before (a Python file; the README, whose code examples it
formats), with the same text, path, ruff settings (the staged ``pyproject.toml``) and
installed tools, is written as ruff left it, and ruff runs only on the others.

The import check is remembered per provider package: a provider whose files, and the files
every provider imports through (the package's own ``__init__.py``, the runtime), are byte
for byte ones that imported before, under the same interpreter and installed packages, is
not imported again; the others are.  The environment digest is the input stamp's
(``stamp.environment_digest``): any install or upgrade starts both afresh.
"""

from __future__ import annotations

from pathlib import Path

from generator.perf import cache
from generator.perf.code_shape import code_shape
from generator.perf.stamp import environment_digest

_CONFIG = "pyproject.toml"  # the staged package's own: ruff's settings for it


def restore_formatted(staging: Path, files: dict[str, str]) -> list[str]:
    """Write the remembered ruff output over each staged Python file (and the README, whose
    code examples ruff formats) that has one; the files ruff still has to see."""
    pending = []
    for relative in _formatted(files):
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


def to_import(staging: Path, files: dict[str, str]) -> list[str]:
    """The parts of the staged package (``PACKAGE``, then provider names) that have not
    imported before as they are now, nor in the same shape (``code_shape``): a provider
    whose code changed only in its docstrings imports as it did.  Importing a provider
    imports the shared part too."""
    texts = _texts(staging, files)
    pending = []
    for part, key in _import_keys(texts).items():
        if not _imported(key) and not _imported(_shape_key(texts, part)):
            pending.append(part)
    return pending


def remember_imported(staging: Path, files: dict[str, str], parts: list[str]) -> None:
    texts = _texts(staging, files)
    keys = _import_keys(texts)
    for part in parts:
        cache.write("imported", keys[part], "ok")
        cache.write("imported", _shape_key(texts, part), "ok")


PACKAGE = ""  # the part of the package that is no provider's: its __init__.py, the runtime
_ROOT = "src/gpuworkers/"


def part_of(relative: str) -> str | None:
    """Which part of the package a staged file belongs to; None outside ``src/``."""
    if not relative.startswith(_ROOT):
        return None if not relative.startswith("src/") else PACKAGE
    first, _, rest = relative[len(_ROOT) :].partition("/")
    return first if rest and not first.startswith("_") else PACKAGE


def _imported(key: str) -> bool:
    return cache.read("imported", key) is not None


def _formatted(files: dict[str, str]) -> list[str]:
    return sorted(
        relative for relative in files if relative.endswith(".py") or relative == "README.md"
    )


def _format_key(files: dict[str, str], relative: str) -> str:
    return cache.cache_key(
        "ruff", environment_digest(), files.get(_CONFIG, ""), relative, files[relative]
    )


def _texts(staging: Path, files: dict[str, str]) -> dict[str, dict[str, str]]:
    """The staged files the import can see, as formatted (not as rendered), by part."""
    texts: dict[str, dict[str, str]] = {PACKAGE: {}}
    for relative in sorted(files):
        part = part_of(relative)
        if part is not None:
            texts.setdefault(part, {})[relative] = (staging / relative).read_text("utf-8")
    return texts


def _import_keys(texts: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each part's key: its files and the shared part's."""
    shared = ["import", environment_digest(), *_flat(texts[PACKAGE])]
    keys = {PACKAGE: cache.cache_key(*shared)}
    for part, own in texts.items():
        if part != PACKAGE:
            keys[part] = cache.cache_key(*shared, "\0provider", *_flat(own))
    return keys


# Shape keys already worked out in this run, by the exact key of what they were worked out
# from: ``remember_imported`` needs the ones ``to_import`` found (~0.5 s at 1,000 operations).
_SHAPE_KEYS: dict[str, str] = {}


def _shape_key(texts: dict[str, dict[str, str]], part: str) -> str:
    """A provider's key by the shape of its modules, beside the shared part's files."""
    exact = cache.cache_key("shape-of", part, *_flat(texts[PACKAGE]), *_flat(texts[part]))
    if exact not in _SHAPE_KEYS:
        _SHAPE_KEYS[exact] = _worked_out_shape_key(texts, part)
    return _SHAPE_KEYS[exact]


def _worked_out_shape_key(texts: dict[str, dict[str, str]], part: str) -> str:
    if part == PACKAGE:
        return cache.cache_key("import-shape", environment_digest(), *_flat(texts[PACKAGE]))
    shapes = {
        path: code_shape(text) if path.endswith(".py") else text
        for path, text in texts[part].items()
    }
    return cache.cache_key(
        "import-shape", environment_digest(), *_flat(texts[PACKAGE]), "\0provider", *_flat(shapes)
    )


def _flat(texts: dict[str, str]) -> list[str]:
    return [item for path in sorted(texts) for item in (path, texts[path])]

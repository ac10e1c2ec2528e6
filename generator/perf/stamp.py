"""The input stamp: decide that a run has nothing to do before the generator loads.

After every run that leaves ``generated/`` equal to what ``specs/`` produce (a ``generate``,
a clean ``check``), the stamp records a digest of everything the output depends on, and a
hash of every file then in ``generated/``:

* each provider folder of ``specs/`` (every file in it), and the specs folder's own files;
* the generator itself: every file of the ``generator`` package (code, templates, runtime);
* the environment: the Python version and every installed distribution with its version
  (any install or upgrade invalidates the stamp, not only of the packages that shape the
  output: cheaper to read than to pick, and never wrong);
* where specs/ is (pages' paths are shown relative to it).

A later run whose inputs and ``generated/`` hash the same is a no-op: it prints what the
stamped run printed and exits, without importing anything beyond the standard library.
When only some providers' folders changed, the others are taken from their snapshots in
``generated/`` (``reusable``), as ``generate <provider>`` does.  A file edited, added or
deleted in ``generated/`` never matches the stamp, so ``check`` still sees it.

Standard library only, and nothing here may import the rest of the generator.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
GENERATOR_DIR = Path(__file__).resolve().parent.parent
# Tool caches and build metadata that appear in generated/ when it is linted or installed;
# the same as the writer leaves out when it compares trees.
NOT_OURS = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build")


@dataclass(frozen=True)
class Inputs:
    generator: str
    environment: str
    specs: str  # the specs folder's path and its own files (package.toml)
    providers: dict[str, str]  # specs/<folder> -> digest of its files
    specs_path: Path

    def shared(self) -> dict[str, str]:
        """Everything every provider depends on."""
        return {
            "generator": self.generator,
            "environment": self.environment,
            "specs": self.specs,
        }


@dataclass
class ProviderRecord:
    """What the stamped run printed about one provider."""

    digest: str
    operations: int
    models: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    """What the stamp says about this run."""

    inputs: Inputs
    up_to_date: bool = False  # nothing to do at all
    reusable: dict[str, ProviderRecord] = field(default_factory=dict)  # unchanged providers


def work_dir(target: Path) -> Path:
    """The folder beside ``target`` for staged trees, the lock and the stamp."""
    return target.parent / f".{target.name}-work"


def stamp_file(target: Path) -> Path:
    return work_dir(target) / "stamp.json"


def examine(specs: Path, out: Path) -> Verdict:
    """Compare this run's inputs and ``out`` with the stamp of the last run."""
    inputs = read_inputs(specs)
    verdict = Verdict(inputs)
    stamped = _load(out)
    if stamped is None or stamped.get("shared") != inputs.shared():
        return verdict
    if stamped.get("outputs") != outputs(out):
        return verdict
    records = {
        name: ProviderRecord(**record)
        for name, record in stamped.get("providers", {}).items()
        if inputs.providers.get(name) == record.get("digest")
    }
    verdict.reusable = records
    # What a killed run left in the work folder is cleared by a full run (under the lock).
    work = work_dir(out)
    leftovers = any(any(work.glob(pattern)) for pattern in ("staging-*", "check-*", "old-*"))
    verdict.up_to_date = records.keys() == inputs.providers.keys() and not leftovers
    return verdict


def save(out: Path, inputs: Inputs, records: dict[str, ProviderRecord]) -> None:
    """Stamp ``out`` as what ``inputs`` produce; ``records`` for the providers built or
    reused this run (a provider without one is read again next time).  Any failure to write
    only costs the next run its shortcut."""
    # specs/package.toml is written by the run itself (the version): read once more.
    shared = {**inputs.shared(), "specs": _specs_digest(inputs.specs_path)}
    data = {
        "format": FORMAT,
        "shared": shared,
        "providers": {name: vars(record) for name, record in sorted(records.items())},
        "outputs": outputs(out),
    }
    path = stamp_file(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".stamp-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except OSError:
        forget(out)


def forget(out: Path) -> None:
    """Drop the stamp (a run that changed ``out`` without establishing it)."""
    with contextlib.suppress(OSError):
        stamp_file(out).unlink(missing_ok=True)


def _load(out: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(stamp_file(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def read_inputs(specs: Path) -> Inputs:
    specs = specs.resolve()
    providers = {}
    if specs.is_dir():
        for entry in sorted(os.scandir(specs), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=True):
                providers[entry.name] = _tree_digest(Path(entry.path))
    return Inputs(
        generator=_tree_digest(GENERATOR_DIR),
        environment=environment_digest(),
        specs=_specs_digest(specs),
        providers=providers,
        specs_path=specs,
    )


def _specs_digest(specs: Path) -> str:
    """The specs folder's path and its own files (not its provider folders)."""
    digest = hashlib.sha256(os.fsencode(specs) + b"\0")
    if specs.is_dir():
        for entry in sorted(os.scandir(specs), key=lambda e: e.name):
            if not entry.is_dir(follow_symlinks=True):
                _add_file(digest, entry.name, Path(entry.path))
    return digest.hexdigest()


def _tree_digest(root: Path) -> str:
    """Every file under ``root`` (names and contents), bytecode caches left out."""
    digest = hashlib.sha256()
    for directory, folders, files in os.walk(root, followlinks=True):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        relative = os.path.relpath(directory, root)
        for name in sorted(files):
            _add_file(digest, os.path.join(relative, name), Path(directory, name))
    return digest.hexdigest()


def _add_file(digest: Any, name: str, path: Path) -> None:
    try:
        content = path.read_bytes()
    except OSError as exc:  # unreadable: the full run reports it; never a match
        content = f"\0unreadable {exc}".encode()
    digest.update(f"{name}\0{len(content)}\0".encode())
    digest.update(content)


@functools.cache
def environment_digest() -> str:
    """The interpreter and every distribution installed on its path, with versions."""
    digest = hashlib.sha256(f"{sys.implementation.name} {sys.version}\0".encode())
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        digest.update(f"{entry}\0".encode())
        for name in names:
            if name.endswith((".dist-info", ".egg-info", ".pth")):
                digest.update(f"{name}\0".encode())
                _add_metadata(digest, Path(entry or ".", name))
    return digest.hexdigest()


def _add_metadata(digest: Any, path: Path) -> None:
    """An editable install keeps its version in a ``.pth`` file's target and in its
    dist-info folder's name; a reinstall of the same version changes ``RECORD``."""
    target = path if path.suffix == ".pth" else path / "RECORD"
    try:
        stat = target.stat()
    except OSError:
        return
    digest.update(f"{stat.st_size} {stat.st_mtime_ns}\0".encode())


def outputs(out: Path) -> dict[str, str]:
    """The SHA-256 of every file in ``out``, by path; tool caches left out."""
    found: dict[str, str] = {}
    if not out.is_dir():
        return found
    for directory, folders, files in os.walk(out):
        folders[:] = [f for f in folders if f not in NOT_OURS and not f.endswith(".egg-info")]
        relative = os.path.relpath(directory, out)
        for name in files:
            path = os.path.join(directory, name)
            try:
                with open(path, "rb") as file:
                    found[os.path.normpath(os.path.join(relative, name))] = hashlib.sha256(
                        file.read()
                    ).hexdigest()
            except OSError:
                found[os.path.join(relative, name)] = "unreadable"
    return dict(sorted(found.items()))

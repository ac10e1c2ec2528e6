"""A content-addressed cache for the slow, deterministic steps of a regeneration.

datamodel-code-generator (the models) and openapi-spec-validator (the normalized
document) are most of the cost; their results depend only on their input and versions,
so a provider whose document did not change is not redone.  Entries live outside the
repository, in ``$GPUWORKERS_CACHE_DIR`` or else ``$XDG_CACHE_HOME/gpuworkers-generator``
(``~/.cache/...``); ``GPUWORKERS_CACHE_DIR=`` (empty) turns the cache off.  A missing,
unreadable or unwritable cache is only slower.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    configured = os.environ.get("GPUWORKERS_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gpuworkers-generator"


def jinja_bytecode() -> Any:
    """Jinja's own cache of compiled templates (keyed by the template's source), or None."""
    folder = cache_dir()
    if folder is None:
        return None
    import jinja2

    try:
        (folder / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder / "jinja"))


def cache_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def read(kind: str, key: str) -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / kind / key).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write(kind: str, key: str, text: str) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        (folder / kind).mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder / kind, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, folder / kind / key)  # atomic: readers never see half an entry
    except OSError:
        pass

"""The corpus's documents, their operations, and the provider.toml each one is given."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SUFFIXES = (".json", ".yaml", ".yml")


def public_specs() -> Path | None:
    """``$GPUWORKERS_PUBLIC_SPECS``, else ``shared/public-specs`` beside the repository.

    CI clones the repository with ``shared/`` beside it; a git worktree sits deeper
    (``<work>/wt/<name>``), so every parent folder is tried, nearest first.
    """
    explicit = os.environ.get("GPUWORKERS_PUBLIC_SPECS")
    if explicit:
        return Path(explicit) if Path(explicit).is_dir() else None
    for parent in ROOT.parents:
        candidate = parent / "shared" / "public-specs"
        if candidate.is_dir():
            return candidate
    return None


def corpus_documents(folder: Path) -> list[Path]:
    """Every OpenAPI document in ``folder`` (JSON or YAML with an ``openapi`` key), by size."""
    found = [p for p in folder.iterdir() if p.suffix in _SUFFIXES and _is_openapi(p)]
    return sorted(found, key=lambda p: (p.stat().st_size, p.name))


def _is_openapi(path: Path) -> bool:
    """A top-level ``openapi`` key (JSON may hold it last; a YAML top-level key is unindented)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            return "openapi" in json.loads(text)
        except (ValueError, TypeError):
            return False
    return re.search(r"""^["']?openapi["']?\s*:""", text, re.M) is not None


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data if isinstance(data, dict) else {}


def operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """``(METHOD, path)`` of every operation the document declares."""
    paths = document.get("paths")
    return [
        (method.upper(), str(path))
        for path, item in (paths.items() if isinstance(paths, dict) else ())
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    ]


def provider_name(path: Path) -> str:
    """A module name from the file name: ``oapc-baseline-3.0.json`` -> ``oapc_baseline_3_0``."""
    name = re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")
    return name if name[:1].isalpha() else f"api_{name}"


def provider_toml(
    name: str, document_file: str, document: dict[str, Any], fill: tuple[str, ...] = ()
) -> str:
    """The minimal provider.toml, ``name`` and one page, plus the keys in ``fill``.

    The generator should need nothing else (every other setting has a default derived
    from the document); a generator that still requires a key names it in its error,
    and the harness retries with that key filled here from the document's info/servers.
    """
    derived = {
        "display_name": str((document.get("info") or {}).get("title") or name),
        "client_name": "".join(part.capitalize() for part in name.split("_")),
        "base_url": _server_url(document),
    }
    lines = [f"name = {json.dumps(name)}"]
    lines += [f"{key} = {json.dumps(derived[key])}" for key in fill if key in derived]
    lines += ["", "[[pages]]", f"file = {json.dumps(document_file)}", 'format = "openapi"', ""]
    return "\n".join(lines)


def _server_url(document: dict[str, Any]) -> str:
    """``servers[0]`` with its variables' defaults; relative URLs on a placeholder host."""
    servers = document.get("servers") or [{}]
    server = servers[0] if isinstance(servers[0], dict) else {}
    url = str(server.get("url") or "/")
    for variable, spec in (server.get("variables") or {}).items():
        url = url.replace("{" + variable + "}", str((spec or {}).get("default", "")))
    return url if re.match(r"^https?://", url) else "http://localhost/" + url.lstrip("/")

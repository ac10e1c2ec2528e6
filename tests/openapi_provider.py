"""A provider made of one OpenAPI document, as a new user writes it: for tests."""

from __future__ import annotations

from pathlib import Path


def openapi_provider(specs: Path, name: str, document: str, settings: str = "") -> Path:
    """``specs/<name>/`` with ``openapi.yaml`` and the minimal ``provider.toml`` (plus
    ``settings`` lines); returns ``specs``."""
    folder = specs / name
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(document, encoding="utf-8")
    (folder / "provider.toml").write_text(
        f'name = "{name}"\n{settings}\n[[pages]]\nfile = "openapi.yaml"\nformat = "openapi"\n',
        encoding="utf-8",
    )
    return specs

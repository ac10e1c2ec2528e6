"""Format name (as written in provider.toml) -> reader function."""

from __future__ import annotations

from generator.readers import Reader
from generator.readers.openapi import read_openapi

READERS: dict[str, Reader] = {
    "openapi": read_openapi,
}

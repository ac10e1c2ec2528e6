"""Format name (as written in provider.toml) -> reader function."""

from __future__ import annotations

from generator.readers import Reader
from generator.readers.markdown_tables import read_markdown_tables
from generator.readers.mdx_bullets import read_mdx_bullets
from generator.readers.openapi import read_openapi
from generator.readers.reference_text import read_reference_text
from generator.readers.text_tables import read_text_tables

READERS: dict[str, Reader] = {
    "openapi": read_openapi,
    "markdown-tables": read_markdown_tables,
    "text-tables": read_text_tables,
    "mdx-bullets": read_mdx_bullets,
    "reference-text": read_reference_text,
}

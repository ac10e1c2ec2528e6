"""Format name (as written in provider.toml) -> reader function."""

from __future__ import annotations

from importlib import import_module

from generator.readers import Reader

# Module and function per format: only the readers a run's pages use are imported (all
# five together are ~90 ms of imports, markdown-it among them; the daily loop reads one page).
_READERS: dict[str, tuple[str, str]] = {
    "openapi": ("generator.readers.openapi", "read_openapi"),
    "markdown-tables": ("generator.readers.markdown_tables", "read_markdown_tables"),
    "text-tables": ("generator.readers.text_tables", "read_text_tables"),
    "mdx-bullets": ("generator.readers.mdx_bullets", "read_mdx_bullets"),
    "reference-text": ("generator.readers.reference_text", "read_reference_text"),
}


def reader(format_name: str) -> Reader | None:
    """The reader for ``format_name``, its module imported on first use; None if unknown."""
    where = _READERS.get(format_name)
    if where is None:
        return None
    function: Reader = getattr(import_module(where[0]), where[1])
    return function

"""Readers: one module per page FORMAT, never per provider.

Every reader has the signature ``read(page: Page) -> Fragment`` and turns one
page into an OpenAPI 3.1 fragment.  Conventions shared by all readers (the merge
and the overlay rely on them):

* The fragment is a plain ``dict``: ``openapi``, ``info`` (``title`` from the
  page), ``servers`` when the page names a host, ``paths`` and
  ``components.schemas``.
* Every operation, parameter, schema property and component schema the page
  defines carries ``x-source: "<file>:<line>"`` (``page.display`` and the
  1-based line in the page).
* ``operationId`` is the lowerCamelCase of the page's name for the operation
  (heading text such as "List workers" -> ``listWorkers``) when the page gives
  none of its own.
* When a page shows no HTTP method for an operation, the reader stores it under
  the path-item extension key ``x-unknown-method`` with its request fields
  (everything that is neither a path parameter nor known to be query/body) in
  ``x-request-fields``: a list of ``{name, schema, description, required,
  x-source}`` dicts.  The merge binds it to the method another page gives.
* Types come from the page, and from examples where the page is silent (an
  RFC 3339 value is ``format: date-time``).  Examples are kept as OpenAPI
  ``example`` values on the media type.
* Problems are never raised: they are appended to ``Fragment.diagnostics`` with
  file:line and a hint.  A page that yields no operation at all is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location
from generator.sourcemap import Sources


@dataclass(frozen=True)
class Page:
    """One input page: its text and the path shown in messages."""

    display: str
    text: str

    def at(self, line: int | None = None, column: int | None = None) -> Location:
        return Location(self.display, line, column)

    def source(self, line: int) -> str:
        """The ``x-source`` value for a 1-based line of this page."""
        return f"{self.display}:{line}"

    @classmethod
    def load(cls, path: Path, display: str) -> tuple[Page | None, Diagnostic | None]:
        """Read a page from disk; a missing, binary or non-UTF-8 file is a diagnostic."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, Diagnostic(
                "error",
                Location(display),
                f"cannot read page: {exc.strerror}",
                "check the file name in provider.toml's [[pages]]",
            )
        if b"\x00" in raw:
            return None, Diagnostic(
                "error",
                Location(display, 1),
                "page is a binary file, not text",
                "replace it with the page's text as published",
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return None, Diagnostic(
                "error",
                Location(display, line),
                "page is not valid UTF-8",
                "save the page as UTF-8",
            )
        return cls(display, text), None


@dataclass
class Fragment:
    """What a reader yields: an OpenAPI 3.1 document and what went wrong reading it."""

    document: dict[str, Any]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # ``file:line`` of nodes by JSON pointer, for what ``x-source`` cannot mark (a
    # Reference Object, a response, a default deep in a schema).  Readers that mark every
    # node the user can point at with ``x-source`` leave it empty.
    sources: Sources = field(default_factory=dict)


Reader = Callable[[Page], Fragment]


def reader_for(format_name: str) -> Reader | None:
    """The reader registered for a page format named in provider.toml."""
    # Imported lazily: a provider only pays for the readers its pages use.
    from generator.readers import registry

    return registry.reader(format_name)


def empty_document(title: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": {}},
    }

"""Problems found in specs, collected and reported together with file:line.

Every stage (readers, merge, overlay, provider settings, lowering) appends to a
``Diagnostics`` collector instead of raising, so one run shows every problem at
once; the command line prints them, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a spec file: ``file`` is the path as shown to the user."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text

    @classmethod
    def parse(cls, text: str) -> Location:
        """Parse ``file:line`` (as stored in ``x-source``) back into a Location."""
        file, _, line = text.rpartition(":")
        if file and line.isdigit():
            return cls(file, int(line))
        return cls(text)


Subject = tuple[str | int, ...]


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    location: Location
    message: str
    hint: str | None = None
    # The node of the provider's merged OpenAPI this problem is about, when an overlay can
    # settle it (a disagreement between pages, a schema a page never defines).  A warning
    # whose subject the overlay changed has been decided, and is not shown again.
    subject: Subject | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.level}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass
class Diagnostics:
    """An ordered collector of errors and warnings."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic("error", location, message, hint))

    def warning(
        self,
        location: Location,
        message: str,
        hint: str | None = None,
        subject: Subject | None = None,
    ) -> None:
        self.items.append(Diagnostic("warning", location, message, hint, subject))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

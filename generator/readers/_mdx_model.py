"""What the MDX bullet-list reader collects from a page, before the document is built."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostics
from generator.readers import Page

TYPE_WORDS: dict[str, str] = {
    "int": "integer",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "number": "number",
    "double": "number",
    "string": "string",
    "str": "string",
    "bool": "boolean",
    "boolean": "boolean",
    "list": "array",
    "array": "array",
    "object": "object",
    "dict": "object",
}
FIELD_SHAPE = "`name` (type): description"
BEARER = re.compile(r"\bbearer\b", re.IGNORECASE)


@dataclass
class BulletField:
    name: str
    schema: dict[str, Any]
    description: str
    line: int
    optional: bool
    required_flag: bool
    alternative_auth: str | None = None
    # Why the page's type cannot be used (none, or an unknown word): the example or `string`
    # settles it when the page is built.
    untyped: str | None = None


@dataclass
class Example:
    value: Any
    line: int  # the fence's first line
    text: str


@dataclass
class Section:
    line: int
    fields: list[BulletField] = field(default_factory=list)
    prose: list[tuple[int, str, list[str]]] = field(default_factory=list)  # line, text, code
    example: Example | None = None


@dataclass
class Operation:
    line: int
    level: int
    server: str | None
    path: str
    method: str | None
    inputs: Section | None = None
    outputs: Section | None = None


@dataclass
class Reading:
    """What one pass over the page collects before the document is built."""

    page: Page
    diags: Diagnostics
    title: str | None = None
    description: str | None = None
    operations: list[Operation] = field(default_factory=list)
    bearer_line: int | None = None

"""Load JSON or YAML text into plain Python data while remembering source lines.

OpenAPI documents, overlays and fixtures are all JSON or YAML.  Loading them
through YAML's composer (libyaml when available) gives every node its line, so
callers can point diagnostics and ``x-source`` at the exact place in a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LoadError(Exception):
    """The text is not valid JSON/YAML; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Located:
    """Data loaded from text, with the 1-based line of every dict and list in it."""

    data: Any
    lines: dict[int, int] = field(default_factory=dict)

    def line_of(self, node: object, default: int | None = None) -> int | None:
        return self.lines.get(id(node), default)


def load_located(text: str, line_offset: int = 0) -> Located:
    """Parse JSON or YAML; ``line_offset`` is added to every line (fenced blocks)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # A mark at the very end of the text (a truncated document) belongs to its last line.
        last_line = max(text.rstrip("\n").count("\n"), 0)
        line = min(mark.line, last_line) + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(_yaml_problem(exc), line, column) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks
        raise LoadError(str(exc), None, None) from None
    located = Located(None)
    if root is not None:
        located.data = _Builder(located.lines, line_offset).build(root)
    return located


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) or "cannot parse"


class _Builder:
    def __init__(self, lines: dict[int, int], offset: int) -> None:
        self._lines = lines
        self._offset = offset
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node)
                # YAML allows `200:` as an int key; OpenAPI keys are strings.
                result[key if isinstance(key, str) else _key_text(key)] = self.build(value_node)
            self._remember(result, node)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = [self.build(child) for child in node.value]
            self._remember(items, node)
            return items
        return self._scalars.construct_object(node)

    def _remember(self, value: object, node: yaml.Node) -> None:
        self._lines[id(value)] = node.start_mark.line + 1 + self._offset


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)

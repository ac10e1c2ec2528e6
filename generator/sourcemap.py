"""Load JSON or YAML text into plain Python data while remembering source lines.

OpenAPI documents, overlays and fixtures are all JSON or YAML.  Loading them
through YAML's composer (libyaml when available) gives every node its line, so
callers can point diagnostics and ``x-source`` at the exact place in a page.
Text that is strict JSON takes a cheaper path with the same result: the json
module's Python scanner with its object and array parsers wrapped to note where
each container starts (about five times faster than composing YAML nodes).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Location

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Pointer = tuple[str | int, ...]
# ``file:line`` by the JSON pointer (as a tuple of keys and indexes) of a node.
Sources = dict[Pointer, str]

# YAML aliases repeat their anchor's node; a page's data is a tree, so each repetition is
# copied.  Nested aliases multiply ("billion laughs": 100 lines, 10**9 nodes), so what
# aliases may add in all is capped: far above what anchors in a real document repeat.
ALIAS_NODE_BUDGET = 50_000


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
    # The line of each scalar under a mapping key, by (id of the mapping, key): YAML only.
    key_lines: dict[tuple[int, str], int] = field(default_factory=dict)

    def line_of(self, node: object, default: int | None = None) -> int | None:
        return self.lines.get(id(node), default)


def pointer_lines(located: Located) -> dict[Pointer, int]:
    """The line of every dict and list of ``located.data``, by JSON pointer."""
    found: dict[Pointer, int] = {}
    stack: list[tuple[Pointer, Any]] = [((), located.data)]
    while stack:
        pointer, node = stack.pop()
        line = located.lines.get(id(node))
        if line is not None:
            found[pointer] = line
        if isinstance(node, dict):
            stack.extend(((*pointer, key), value) for key, value in node.items())
            for key in node:
                scalar_line = located.key_lines.get((id(node), key))
                if scalar_line is not None:
                    found[(*pointer, key)] = scalar_line
        elif isinstance(node, list):
            stack.extend(((*pointer, index), value) for index, value in enumerate(node))
    return found


def load_located(text: str, line_offset: int = 0) -> Located:
    """Parse JSON or YAML; ``line_offset`` is added to every line (fenced blocks)."""
    if text.lstrip().startswith(("{", "[")):
        located = _load_json(text, line_offset)
        if located is not None:
            return located
    located = Located(None)
    try:
        root = yaml.compose(text, Loader=_Loader)
        if root is not None:  # building constructs scalars, which can fail too (a bad tag)
            located.data = _Builder(located, line_offset).build(root)
    except _AliasProblem as exc:
        raise LoadError(exc.message, exc.line + 1 + line_offset, exc.column + 1) from None
    except RecursionError:
        raise LoadError("nested too deeply (hundreds of levels)", 1 + line_offset, 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # A mark at the very end of the text (a truncated document) belongs to its last line.
        last_line = max(text.rstrip("\n").count("\n"), 0)
        line = min(mark.line, last_line) + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(_yaml_problem(exc), line, column) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks
        raise LoadError(str(exc), None, None) from None
    return located


def _load_json(text: str, line_offset: int) -> Located | None:
    """Strict JSON with the line of every dict and list; None when the text is not strict
    JSON (YAML flow style, NaN, a syntax error), which the YAML path then reads or reports."""
    located = Located(None)
    newlines = [index for index, char in enumerate(text) if char == "\n"]

    def remember(value: object, start: int) -> None:
        located.lines[id(value)] = bisect.bisect_left(newlines, start) + 1 + line_offset

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        remember(value, s_and_end[1] - 1)
        return value, end

    def parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[Any, int]:
        value, end = json.decoder.JSONArray(s_and_end, scan_once)  # type: ignore[attr-defined]
        remember(value, s_and_end[1] - 1)
        return value, end

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    decoder = json.JSONDecoder(parse_constant=no_constants)
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.parse_array = parse_array  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        located.data = decoder.decode(text)
    except ValueError:  # json.JSONDecodeError included
        return None
    except RecursionError:
        raise LoadError("nested too deeply (hundreds of levels)", 1 + line_offset, 1) from None
    return located


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) or "cannot parse"


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _AliasProblem(Exception):
    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.message = message
        self.line, self.column = node.start_mark.line, node.start_mark.column


class _Builder:
    """Composed YAML nodes -> plain data, with every alias copied, within a budget."""

    def __init__(self, located: Located, offset: int) -> None:
        self._lines = located.lines
        self._key_lines = located.key_lines
        self._offset = offset
        self._scalars = yaml.SafeLoader("")
        self._seen: set[int] = set()  # nodes built once already: seeing one again is an alias
        self._open: set[int] = set()  # nodes being built (an alias to one of them is a loop)
        self._aliased = 0  # how deep inside a repeated node we are
        self._outermost: yaml.Node | None = None  # the repeated node we are inside of
        self._copies = 0  # nodes built because an alias repeated them

    def build(self, node: yaml.Node) -> Any:
        repeated = self._enter(node)
        try:
            if isinstance(node, yaml.MappingNode):
                result: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    key = self.build(key_node)
                    value = self.build(value_node)
                    # YAML allows `200:` as an int key; OpenAPI keys are strings.
                    key = key if isinstance(key, str) else _key_text(key)
                    if isinstance(value, (dict, list)):
                        # A block mapping starts at its first key, a line below: the user's
                        # place for `get:` is the line that says `get:`.
                        self._remember(value, key_node)
                    else:
                        line = key_node.start_mark.line + 1 + self._offset
                        self._key_lines[(id(result), key)] = line
                    result[key] = value
                self._remember(result, node)
                return result
            if isinstance(node, yaml.SequenceNode):
                items = [self.build(child) for child in node.value]
                self._remember(items, node)
                return items
            if node.tag == _TIMESTAMP:  # JSON has no dates: `2020-01-01` stays the text it is
                return node.value
            return self._scalars.construct_object(node)
        finally:
            self._aliased -= repeated
            self._open.discard(id(node))

    def _enter(self, node: yaml.Node) -> bool:
        """Note that ``node`` is being built; whether an alias repeats it."""
        key = id(node)
        if key in self._open:
            raise _AliasProblem("a YAML alias refers to a node that contains it", node)
        repeated = key in self._seen
        self._seen.add(key)
        if repeated and not self._aliased:
            self._outermost = node
        if repeated or self._aliased:
            self._copies += 1
            if self._copies > ALIAS_NODE_BUDGET:
                raise _AliasProblem(
                    f"YAML aliases expand to more than {ALIAS_NODE_BUDGET} nodes (the anchored "
                    "node here is repeated, through nested aliases, too often: a 'billion "
                    "laughs' document?); write the repeated part out, or use a $ref",
                    self._outermost or node,
                )
        self._open.add(key)
        self._aliased += repeated
        return repeated

    def _remember(self, value: object, node: yaml.Node) -> None:
        self._lines[id(value)] = node.start_mark.line + 1 + self._offset


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def json_pointer(pointer: Pointer) -> str:
    """RFC 6901 text of ``pointer``: ``/paths/~1pets/get``; the root is ``/``."""
    parts = (str(part).replace("~", "~0").replace("/", "~1") for part in pointer)
    return "".join(f"/{part}" for part in parts) or "/"


def physical(document: Any, pointer: Pointer) -> Pointer:
    """Where ``pointer`` leads in ``document`` when each ``$ref`` on the way is followed:
    a validator walks references, a reader's line belongs to the node's own place."""
    node: Any = document
    found: list[str | int] = []
    for index, part in enumerate(pointer):
        seen: set[str] = set()
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                break
            seen.add(ref)
            node, found = _target(document, ref)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return (*found, *pointer[index:])
        found.append(part)
    return tuple(found)


def locate(document: Any, sources: Sources, pointer: Pointer) -> Location:
    """The ``file:line`` of the node at ``pointer``, or of its nearest located ancestor.

    A node's ``x-source`` travels with it through merge and overlay; the readers' sources
    table knows nodes ``x-source`` cannot mark.  The deeper of the two wins, ``x-source``
    when both are as deep.
    """
    best = sources.get(())
    node = document
    for depth in range(len(pointer) + 1):
        if depth:
            try:
                node = node[pointer[depth - 1]]
            except (KeyError, IndexError, TypeError):
                break
        best = sources.get(pointer[:depth], best)
        if isinstance(node, dict) and isinstance(node.get("x-source"), str):
            best = node["x-source"]
    best = best or _first_source(document)
    return Location.parse(best) if best else Location("(normalized OpenAPI)")


def _first_source(node: Any) -> str | None:
    """Some place in the pages, for a problem with the document as a whole."""
    if isinstance(node, dict):
        if isinstance(node.get("x-source"), str):
            return str(node["x-source"])
        values: Any = node.values()
    elif isinstance(node, list):
        values = node
    else:
        return None
    return next((found for value in values if (found := _first_source(value))), None)


def _target(document: Any, ref: str) -> tuple[Any, list[str | int]]:
    """The node a local ``$ref`` names, and its pointer (indexes as ints, as in the tables)."""
    node: Any = document
    parts: list[str | int] = []
    for text in ref[2:].split("/"):
        part: str | int = _unescaped(text)
        if isinstance(node, list) and text.isdigit():
            part = int(text)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None, parts
        parts.append(part)
    return node, parts


def _unescaped(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")

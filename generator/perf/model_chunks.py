"""Split a large provider's schemas into chunks closed under ``$ref``, and merge the models back.

datamodel-code-generator has passes that scan every model for each model, so one call on
thousands of schemas costs more than the same schemas in a few calls of a few hundred.
A chunk is a run of schemas (in the IR's order) together with every schema they reach
through ``$ref``, so datamodel-code-generator sees each chunk as a complete document; a
schema that several chunks reach is generated in each of them and kept once.

``merge`` only accepts chunk outputs it can merge without changing a name: each chunk
defines exactly its schemas' classes, a class generated twice is the same text both times,
no class takes the name of an import, and the body is classes only.  Anything else returns
None and the caller takes the single call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from heapq import merge as merge_sorted
from typing import Any

_REF_PREFIX = "#/components/schemas/"
_CLASS = re.compile(r"^class (\w+)\b", re.M)
_TOP_LEVEL = re.compile(r"^\S", re.M)
_FROM_IMPORT = re.compile(r"from ([\w.]+) import (\w+(?:, \w+)*)")
_FUTURE = "from __future__ import annotations"
# Chunks holding more schemas than this many times the provider's are not worth it.
_MAX_OVERLAP = 1.5


def plan(schemas: Mapping[str, dict[str, Any]], size: int) -> list[list[str]]:
    """The chunks (lists of schema names, in ``schemas``' order) of about ``size`` schemas.

    Each chunk is closed under ``$ref``; one schema reaching more than ``size`` schemas makes
    a larger chunk.  A single chunk means that splitting does not help: everything is one
    chunk when the chunks would repeat too much (schemas reaching a large common part).
    """
    references = {name: _references(schema, schemas) for name, schema in schemas.items()}
    order = {name: index for index, name in enumerate(schemas)}
    chunks: list[set[str]] = []
    current: set[str] = set()
    covered: set[str] = set()
    volume = 0
    for name in schemas:
        if name in covered:
            continue
        reached = _closure(name, references)
        if current and len(current | reached) > size:
            chunks.append(current)
            volume += len(current)
            current = set()
        if volume + len(current | reached) > _MAX_OVERLAP * len(schemas):
            return [list(schemas)]
        current |= reached
        covered |= reached
    chunks.append(current)
    return [sorted(chunk, key=order.__getitem__) for chunk in chunks]


def _references(schema: Any, known: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
                found.add(ref[len(_REF_PREFIX) :])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    # A dangling reference is not followed: datamodel-code-generator reports it in the
    # chunk that holds it, as the single call would.
    return found & known.keys()


def _closure(name: str, references: Mapping[str, set[str]]) -> set[str]:
    reached = {name}
    stack = [name]
    while stack:
        for target in references.get(stack.pop(), ()):
            if target not in reached:
                reached.add(target)
                stack.append(target)
    return reached


@dataclass
class _Chunk:
    """One chunk's output: its text up to the imports and after the last class, its imports,
    its class blocks in order."""

    lead: str
    tail: str
    imports: list[tuple[str, list[str]]]
    classes: list[tuple[str, str]]


def _split(source: str, header: str) -> _Chunk | None:
    future = source.find(_FUTURE + "\n", len(header))
    first_class = _CLASS.search(source, len(header))
    if not source.startswith(header) or future < 0 or first_class is None:
        return None
    lead_end = future + len(_FUTURE) + 1
    imports: list[tuple[str, list[str]]] = []
    for line in source[lead_end : first_class.start()].splitlines():
        if not line:
            continue
        matched = _FROM_IMPORT.fullmatch(line)
        if matched is None:  # `import x`, an alias, a wrapped line: not worth handling
            return None
        imports.append((matched[1], matched[2].split(", ")))
    starts = [m.start() for m in _TOP_LEVEL.finditer(source, first_class.start())]
    classes: list[tuple[str, str]] = []
    for start, end in zip(starts, [*starts[1:], len(source)], strict=True):
        block = source[start:end].rstrip("\n")
        matched = _CLASS.match(block)
        if matched is None:  # a top-level statement other than a class
            return None
        classes.append((matched[1], block))
    tail = source[len(source.rstrip("\n")) :]
    return _Chunk(source[:lead_end], tail, imports, classes)


def merge(outputs: Iterable[str], chunks: Iterable[list[str]], header: str) -> str | None:
    """One module from the chunks' outputs, or None when they do not merge cleanly.

    The imports are the union of the chunks' (modules in order of first appearance, names
    sorted, as datamodel-code-generator writes them); the classes are the chunks' classes
    merged by name, each chunk's order kept (it puts a base class before its subclasses).
    """
    parsed: list[_Chunk] = []
    for source, names in zip(outputs, chunks, strict=True):
        chunk = _split(source, header)
        if chunk is None or sorted(name for name, _ in chunk.classes) != sorted(names):
            return None
        if parsed and (chunk.lead, chunk.tail) != (parsed[0].lead, parsed[0].tail):
            return None
        parsed.append(chunk)
    imports: dict[str, set[str]] = {}
    for chunk in parsed:
        for module, names in chunk.imports:
            imports.setdefault(module, set()).update(names)
    imported = {name for names in imports.values() for name in names}
    blocks: dict[str, str] = {}
    for name, block in _in_name_order(parsed):
        if blocks.setdefault(name, block) != block or name in imported:
            return None
    import_lines = [
        f"from {module} import {', '.join(sorted(names))}" for module, names in imports.items()
    ]
    return (
        parsed[0].lead
        + "\n"
        + "\n".join(import_lines)
        + "\n\n\n"
        + "\n\n\n".join(blocks.values())
        + parsed[0].tail
    )


def _in_name_order(chunks: list[_Chunk]) -> Iterator[tuple[str, str]]:
    """All class blocks, by name where each chunk's order allows (as one call would order them)."""
    return merge_sorted(*(chunk.classes for chunk in chunks), key=lambda item: item[0])

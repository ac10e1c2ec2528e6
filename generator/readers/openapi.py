"""Reader for OpenAPI 3.x documents: whole (JSON or YAML) or fenced in markdown.

A markdown page may hold several complete documents in fenced blocks (one per
operation, each with its own components); they are merged into one fragment,
with repeated schemas deduplicated and conflicting ones reported with both
sources.  OpenAPI 3.0 documents are brought up to 3.1 (``nullable``, boolean
``exclusiveMinimum``/``exclusiveMaximum``), and so are schemas of a 3.1 document that
name an older JSON Schema dialect with ``$schema``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from markdown_it import MarkdownIt

from generator.diagnostics import Diagnostics
from generator.merge import merge_documents
from generator.pagekit import HTTP_METHODS
from generator.readers import Fragment, Page
from generator.refs import resolve_pointer
from generator.sourcemap import LoadError, Located, Sources, load_located, pointer_lines

_WHOLE_DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")


def read_openapi(page: Page) -> Fragment:
    diagnostics = Diagnostics()
    sources: Sources = {}
    documents = [
        doc for doc in _documents(page, diagnostics, sources) if _usable(doc, page, diagnostics)
    ]
    if not documents:
        if not diagnostics.errors:
            diagnostics.error(
                page.at(1),
                "no OpenAPI document found on the page",
                "a whole JSON/YAML document, or fenced blocks each holding one",
            )
        return Fragment({}, diagnostics.items)
    merged = merge_documents(
        [doc for doc, _ in documents],
        diagnostics,
        [page.source(line) for _, line in documents],
    )
    merged["openapi"] = "3.1.0"
    return Fragment(merged, diagnostics.items, sources)


def _documents(
    page: Page, diagnostics: Diagnostics, sources: Sources
) -> list[tuple[dict[str, Any], int]]:
    if page.display.endswith(_WHOLE_DOCUMENT_SUFFIXES) or _looks_whole(page.text):
        located = _load(page.text, 0, page, diagnostics)
        return [] if located is None else [_annotated(located, page, 1, sources)]
    found = []
    for token in MarkdownIt("commonmark").parse(page.text):
        if token.type != "fence" or token.map is None or "openapi" not in token.content:
            continue
        first_line = token.map[0] + 1  # 0-based fence line -> content starts a line later
        located = _load(token.content, first_line, page, diagnostics)
        if located is not None:
            found.append(_annotated(located, page, first_line + 1, sources))
    return found


def _looks_whole(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith("{") or stripped.startswith("openapi:")


def _load(text: str, offset: int, page: Page, diagnostics: Diagnostics) -> Located | None:
    try:
        return load_located(text, offset)
    except LoadError as exc:
        diagnostics.error(
            page.at(exc.line, exc.column),
            f"invalid JSON/YAML: {exc.message}",
            "fix the document's syntax",
        )
        return None


def _usable(entry: tuple[dict[str, Any], int], page: Page, diagnostics: Diagnostics) -> bool:
    document, line = entry
    if not isinstance(document, dict):
        diagnostics.error(
            page.at(line),
            "an OpenAPI document must be a mapping",
            "the page holds another kind of JSON/YAML value",
        )
        return False
    version = str(document.get("openapi", document.get("swagger", "")))
    if not version.startswith("3."):
        diagnostics.error(
            page.at(line),
            f"unsupported OpenAPI version {version or '(none)'!r}",
            "only OpenAPI 3.0 and 3.1 documents are read; convert a Swagger 2.0 one first "
            "(npx swagger2openapi in.json -o out.json)"
            if version.startswith("2")
            else "only OpenAPI 3.0 and 3.1 documents are read",
        )
        return False
    components = document.get("components", {})
    if not isinstance(components, dict) or not isinstance(components.get("schemas", {}), dict):
        diagnostics.error(
            page.at(line),
            "'components' and 'components.schemas' must be mappings",
            "components: {schemas: {<name>: <schema>}}",
        )
        return False
    if not isinstance(document.get("paths", {}), dict):
        diagnostics.error(
            page.at(line), "'paths' must be a mapping", "paths: {<path>: {<method>: ...}}"
        )
        return False
    return True


def _annotated(
    located: Located, page: Page, default_line: int, sources: Sources
) -> tuple[dict[str, Any], int]:
    document = located.data
    if not isinstance(document, dict):
        return document, default_line
    # The first fenced document wins a disagreement in the merge, and so in the table.
    for pointer, line in pointer_lines(located).items():
        sources.setdefault(pointer, page.source(line))

    def mark(node: dict[str, Any]) -> None:
        line = located.line_of(node, default_line)
        node.setdefault("x-source", page.source(line or default_line))

    def mark_parameters(parameters: Any) -> None:
        for parameter in parameters if isinstance(parameters, list) else []:
            # A Reference Object allows no extensions (OpenAPI 3.1 closes it): the
            # reference's line stays in the sources table, its target is marked instead.
            if isinstance(parameter, dict) and "$ref" not in parameter:
                mark(parameter)

    components = _mapping(document.get("components"))
    path_items = [*_mapping(document.get("paths")).values()]
    for item in path_items + [*_mapping(components.get("pathItems")).values()]:
        if not isinstance(item, dict):
            continue
        mark_parameters(item.get("parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                mark(operation)
                mark_parameters(operation.get("parameters"))
    _inline_path_item_refs(document)
    mark_parameters(list(_mapping(components.get("parameters")).values()))
    for schema in _mapping(components.get("schemas")).values():
        _mark_schema(schema, mark)
    if str(document.get("openapi", "")).startswith("3.0"):
        _drop_reference_siblings(document)
    _upgrade_to_31(document)
    dialect = document.get("jsonSchemaDialect")
    if isinstance(dialect, str) and not _DIALECT_2020_12.search(dialect):
        del document["jsonSchemaDialect"]  # its schemas are now 2020-12, as above
    return document, located.line_of(document, default_line) or default_line


def _inline_path_item_refs(document: dict[str, Any]) -> None:
    """A path item that is a reference (to 3.1's ``components.pathItems``, or to another
    path) becomes a copy of its target, marked already, so that every later step sees its
    operations; a ``summary`` or ``description`` beside the reference overrides the target's.
    A reference that leads nowhere stays, for validation to report where it is."""
    paths = _mapping(document.get("paths"))
    for path, item in paths.items():
        seen: set[str] = set()
        while isinstance(item, dict) and isinstance(item.get("$ref"), str):
            ref = item["$ref"]
            target = resolve_pointer(document, ref) if ref not in seen else None
            if not isinstance(target, dict):
                break
            seen.add(ref)
            siblings = {key: value for key, value in item.items() if key != "$ref"}
            item = {**copy.deepcopy(target), **siblings}
        paths[path] = item


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _mark_schema(schema: Any, mark: Any) -> None:
    if not isinstance(schema, dict):
        return
    mark(schema)
    for prop in _mapping(schema.get("properties")).values():
        _mark_schema(prop, mark)
    if isinstance(schema.get("items"), dict):
        _mark_schema(schema["items"], mark)


# JSON Schema 2020-12 itself, or OpenAPI 3.1's dialect built on it.
_DIALECT_2020_12 = re.compile(r"json-schema\.org/draft/2020-12/|spec\.openapis\.org/oas/3\.1/")
# Keywords that describe a schema's node rather than constrain its values.
_NODE_NOTES = frozenset({"description", "title", "default", "example", "readOnly", "writeOnly"})


def _nullable_to_31(node: dict[str, Any]) -> None:
    """3.0 ``nullable: true`` as 3.1 says it: ``null`` among the types, or beside the
    ``$ref``/``allOf``/``oneOf`` it qualifies (``anyOf: [<that>, {type: null}]``)."""
    if isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)
        return
    core = {k: node.pop(k) for k in list(node) if k not in _NODE_NOTES and k[:2] != "x-"}
    if core:
        node["anyOf"] = [core, {"type": "null"}]


def _lift_member_nullable(node: dict[str, Any]) -> None:
    """``allOf: [{$ref: X}, {nullable: true}]``: a member that only says ``nullable`` (it has
    no type, so by 3.0.3 it has no effect) is written to mean "X or null", like
    ``nullable`` beside a ``$ref``; it is read so, as ``nullable`` on the ``allOf`` itself."""
    members = node.get("allOf")
    if not isinstance(members, list):
        return
    for member in members:
        if (
            isinstance(member, dict)
            and member.get("nullable") is True
            and all(k in _NODE_NOTES or k == "nullable" or k[:2] == "x-" for k in member)
        ):
            del member["nullable"]
            node["nullable"] = True
            for note in ("description", "title"):  # what it says of the field, kept on it
                if note in member and note not in node:
                    node[note] = member.pop(note)


_REFERENCE_KEEPS = _NODE_NOTES | {"$ref", "nullable"}
# Keywords whose values are data, not schemas: a "$ref" key inside them is not a reference.
_LITERAL_VALUES = frozenset({"example", "examples", "default", "enum", "const", "x-source"})


def _drop_reference_siblings(node: Any) -> None:
    """OpenAPI 3.0's Reference Object: properties beside ``$ref`` "SHALL be ignored".

    3.1 (and JSON Schema 2020-12) applies them beside the target instead, so a 3.0
    ``{$ref: X, properties: {}}`` brought to 3.1 unchanged would constrain values the
    3.0 author never meant to (a mock that merges siblings into the target even loses
    X's properties).  Notes that constrain nothing (description, title...) are kept, and
    so is ``nullable``: documents write ``{$ref: X, nullable: true}`` meaning "X or null"
    (``_nullable_to_31`` reads it so), a practice too common to ignore.
    """
    if isinstance(node, list):
        for item in node:
            _drop_reference_siblings(item)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("$ref"), str):
        for key in [k for k in node if k not in _REFERENCE_KEEPS and k[:2] != "x-"]:
            del node[key]
    for key, value in node.items():
        if key not in _LITERAL_VALUES:
            _drop_reference_siblings(value)


def _upgrade_to_31(node: Any) -> None:
    """Rewrite the OpenAPI 3.0 schema keywords that 3.1 dropped, in place."""
    if isinstance(node, list):
        for item in node:
            _upgrade_to_31(item)
        return
    if not isinstance(node, dict):
        return
    _lift_member_nullable(node)
    if node.pop("nullable", False) is True:
        _nullable_to_31(node)
    dialect = node.get("$schema")
    if isinstance(dialect, str) and not _DIALECT_2020_12.search(dialect):
        # A schema may name an older dialect (draft-04's boolean exclusive bounds): once
        # rewritten below, it is 2020-12, and the validator must not read it as the old one.
        del node["$schema"]
    for bound in ("Minimum", "Maximum"):
        flag = node.get(f"exclusive{bound}")
        if isinstance(flag, bool):
            del node[f"exclusive{bound}"]
            limit = bound.lower()
            if flag and limit in node:
                node[f"exclusive{bound}"] = node.pop(limit)
    for value in node.values():
        _upgrade_to_31(value)

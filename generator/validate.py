"""Check a normalized OpenAPI 3.1 document before lowering it.

Errors are kept for what makes correct code impossible (a parameter list that is not a
list, a schema that is not a schema, a path parameter nobody declares); what the code
can be right without (an unknown field, a default its schema rejects, a repeated
``required`` entry) is a warning.  Every problem is reported, each at ``file:line`` (the
node's ``x-source``, else the sources table, else its nearest located ancestor) and
with its JSON pointer in the normalized document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from generator.diagnostics import Diagnostics, Level
from generator.pagekit import PATH_PARAM
from generator.patterns import DROPPED_PATTERN, pattern_problem
from generator.perf import cache
from generator.perf.stamp import environment_digest
from generator.refs import resolve_pointer
from generator.sourcemap import Pointer, Sources, json_pointer, locate, physical

# openapi-spec-validator and the schema lint (~0.4 s to import with jsonschema) load only
# when the findings are not cached, or there are findings.

_JSON_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
# Keys whose values are not schemas (nor hold any), skipped when looking for schema types.
_NOT_SCHEMAS = frozenset({"securitySchemes", "examples", "example", "default", "enum", "const"})
_DRAFT_2019 = frozenset({"$recursiveRef", "$recursiveAnchor"})
# Required fields whose absence changes no generated code.
_DOCS_ONLY_FIELDS = frozenset({"description", "version", "title", "summary"})
_UNRESOLVED = re.compile(r"Path parameter '(?P<name>.*)' for '.*' operation in '(?P<url>.*)'")
_HINT = "fix the page or the overlay"
# Schema keywords that constrain or describe a value without shaping the model: one with a
# value of the wrong kind (`pattern: 0`) is dropped, and code stays right.
_CHECKS_AND_NOTES = frozenset(
    {
        "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
        "minProperties", "maxProperties", "minContains", "maxContains", "format",
        "contentEncoding", "contentMediaType", "title", "description", "deprecated",
        "readOnly", "writeOnly", "$comment",
    }
)
DROPPED_KEYWORD = "it is dropped: the client does not check or show it; fix it in the page"
_CRASHED = "fix the page or the overlay; the checks inside this node did not run"


class Finding(NamedTuple):
    level: Level
    pointer: Pointer
    message: str
    hint: str


def validate_document(
    document: dict[str, Any], diagnostics: Diagnostics, sources: Sources | None = None
) -> None:
    """Report dangling references, then what openapi-spec-validator and the schema
    lint find; ``sources`` is the readers' ``file:line`` by JSON pointer."""
    start_validation(document, diagnostics, sources).finish()


def start_validation(
    document: dict[str, Any], diagnostics: Diagnostics, sources: Sources | None = None
) -> Validation:
    """``validate_document`` in two steps: the structural checks and the schema lint now,
    and, when the findings are not cached, openapi-spec-validator in ``finish()``, which
    reports them all.  Between the two the caller may lower the document as the lint
    leaves it (``Validation.computing``, ``early_drops``) and start its models on a
    background worker: the seconds the validator takes on a large document are then spent
    beside datamodel-code-generator rather than before it."""
    sources = sources or {}
    said: set[Pointer] = set()
    for pointer, ref in _dangling_refs(document):
        said.add(pointer)
        diagnostics.error(
            locate(document, sources, pointer),
            f"$ref {ref!r} points at nothing (at {json_pointer(pointer)})",
            "define the schema in the provider's overlay, or fix the reference",
        )
    for pointer, ref in _external_refs(document):
        said.add(pointer)
        diagnostics.error(
            locate(document, sources, pointer),
            f"$ref {ref!r} points outside the document; the generator never fetches or reads it"
            f" (at {json_pointer(pointer)})",
            "copy what it points at into the page or the overlay, and refer to it as '#/...'",
        )
    for pointer, kind in _unknown_types(document):
        said.add(pointer)
        diagnostics.error(
            locate(document, sources, pointer),
            f"unknown type {kind!r} at {json_pointer(pointer[:-1])}",
            "use one of " + ", ".join(sorted(_JSON_TYPES)),
        )
    for pointer, other in _same_templates(document):
        diagnostics.warning(
            locate(document, sources, pointer),
            f"path {pointer[-1]!r} is {other!r} with other parameter names: OpenAPI says such "
            "paths MUST NOT both exist, since a server cannot tell their requests apart "
            f"(at {json_pointer(pointer)})",
            "merge the two path items, or tell their paths apart by a literal segment",
        )
    return Validation(document, diagnostics, sources, said, _PendingFindings(document))


class Validation:
    """A validation whose findings may still be computing (``start_validation``)."""

    def __init__(
        self,
        document: dict[str, Any],
        diagnostics: Diagnostics,
        sources: Sources,
        said: set[Pointer],
        pending: _PendingFindings,
    ) -> None:
        self.document, self.diagnostics, self.sources = document, diagnostics, sources
        self.said, self.pending = said, pending

    @property
    def computing(self) -> bool:
        """Whether ``finish()`` still runs the validator (the findings are not cached)."""
        return self.pending.cached is None

    def early_drops(self) -> list[Pointer]:
        """The nodes ``finish()`` is known to drop already (the schema lint's), unless the
        structural checks said something about them."""
        return [p for p in self.pending.early_drops() if p not in self.said]

    def finish(self) -> list[Pointer]:
        """Report the findings, in the order ``validate_document`` always has, and drop the
        nodes they drop; the pointers dropped (the document changed there)."""
        document, said, dropped = self.document, self.said, list[Pointer]()
        findings = self.pending.result()
        if findings:
            from generator.schema_lint import DROPPED_DEFAULT
        for finding in findings:
            if finding.pointer in said or (said and finding.hint == _CRASHED):
                continue  # said above, more plainly; or a check that stopped on it
            where = locate(document, self.sources, finding.pointer)
            message = f"{finding.message} (at {json_pointer(finding.pointer)})"
            if finding.hint in (DROPPED_DEFAULT, DROPPED_PATTERN, DROPPED_KEYWORD):
                _drop(document, finding.pointer)
                dropped.append(finding.pointer)
            if finding.level == "error":
                self.diagnostics.error(where, message, finding.hint)
            else:
                self.diagnostics.warning(where, message, finding.hint)
        return dropped


def without(document: dict[str, Any], pointers: list[Pointer]) -> dict[str, Any]:
    """``document`` as ``_drop`` leaves it after dropping ``pointers``, built by copying only
    the containers on their paths: ``document`` itself is left as it is (its nodes are
    still to be located, and the findings dropped only once reported)."""
    if not pointers:
        return document
    root = dict(document)
    copied = {id(root)}
    for pointer in pointers:
        parent: Any = root
        for part in pointer[:-1]:
            try:
                child = parent[part]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(child, dict | list) and id(child) not in copied:
                child = dict(child) if isinstance(child, dict) else list(child)
                copied.add(id(child))
                parent[part] = child
            parent = child
        else:
            if isinstance(parent, dict):
                parent.pop(pointer[-1], None)
    return root


def _drop(document: Any, pointer: Pointer) -> None:
    """Remove the node at ``pointer`` (after it was located: its line stays known)."""
    parent = document
    for part in pointer[:-1]:
        parent = parent[part]
    if isinstance(parent, dict):
        parent.pop(pointer[-1], None)


class _PendingFindings:
    """Every finding for ``document``: from the cache when this very document was seen, or
    one that differs from it only in its prose (``_prose``) and whose findings did not
    quote that prose; else computed (the schema lint at once, the validator in
    ``result()``), and then remembered."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        tools = (
            *(
                Path(__file__).with_name(module).read_text("utf-8")
                for module in ("validate.py", "spec_validator.py", "schema_lint.py", "patterns.py")
            ),
            environment_digest(),  # the tools' versions: every install, as the stamp has it
        )
        self.key = cache.cache_key(_dumped(document), *tools)
        cached = cache.read("findings", self.key)
        self.prose: list[str] = []
        self.shape_key = ""
        if cached is None:
            without = _without_prose(document, self.prose)
            self.shape_key = cache.cache_key("shape", _dumped(without), *tools)
            cached = cache.read("findings-shape", self.shape_key)
        self.cached = None if cached is None else [
            Finding(level, tuple(pointer), message, hint)
            for level, pointer, message, hint in json.loads(cached)
        ]
        # The schema lint (~0.1 s on openai) runs at once: the nodes it drops are then known
        # before lowering.
        self.lint = _lint_part(document) if self.cached is None else None

    def early_drops(self) -> list[Pointer]:
        """The nodes the lint's findings drop (before the validator has run)."""
        if self.lint is None:
            return []
        from generator.schema_lint import DROPPED_DEFAULT  # loaded already: the lint ran

        dropping = (DROPPED_DEFAULT, DROPPED_PATTERN, DROPPED_KEYWORD)
        return [f.pointer for f in self.lint if f.hint in dropping]

    def result(self) -> list[Finding]:
        if self.cached is not None:
            return self.cached
        assert self.lint is not None
        findings = _combined(_validator_part(self.document), self.lint)
        text = json.dumps(findings, ensure_ascii=False)
        cache.write("findings", self.key, text)
        said = "\0".join(part for f in findings for part in (f.message, f.hint))
        prose = self.prose
        # Past this many comparisons the check costs more than it can save: not remembered.
        if len(said) * len(prose) < 50_000_000 and not any(words in said for words in prose):
            cache.write("findings-shape", self.shape_key, text)
        self.cached = findings
        return findings


def _dumped(document: Any) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, default=repr)


# Keys whose string values are prose: OpenAPI and JSON Schema require them to be strings and
# check nothing else about them.  Values where data is checked against a schema (defaults,
# examples, enums, consts) and extensions are left as they are, prose or not.
_PROSE = frozenset({"description", "summary"})
_DATA = frozenset({"default", "example", "examples", "enum", "const"})
_PLACEHOLDER = "\0prose"


def _without_prose(node: Any, prose: list[str]) -> Any:
    """``node`` with every non-empty ``description`` and ``summary`` string replaced by one
    placeholder (the texts collected in ``prose``): a document whose findings are those of
    the original, but for messages that quote the texts."""
    if isinstance(node, list):
        return [_without_prose(item, prose) for item in node]
    if not isinstance(node, dict):
        return node
    shape = {}
    for key, value in node.items():
        if key in _PROSE and isinstance(value, str) and value:
            prose.append(value)
            shape[key] = _PLACEHOLDER
        elif key in _DATA or (isinstance(key, str) and key.startswith("x-")):
            shape[key] = value
        else:
            shape[key] = _without_prose(value, prose)
    return shape


def _validator_part(document: dict[str, Any]) -> list[Finding]:
    return list(_validator_findings(document))


def _lint_part(document: dict[str, Any]) -> list[Finding]:
    from generator.schema_lint import schema_problems

    return [Finding("warning", *problem) for problem in schema_problems(document)]


def _combined(validator: list[Finding], lint: list[Finding]) -> list[Finding]:
    findings = list(dict.fromkeys(validator + lint))  # a schema that is no schema: said twice
    if any(f.level == "error" and f.hint != _CRASHED for f in findings):
        # A check that stopped on a broken shape only repeats what is said about it.
        findings = [f for f in findings if f.hint != _CRASHED]
    return findings


def _validator_findings(document: dict[str, Any]) -> Iterator[Finding]:
    from generator.spec_validator import LocatingSpecValidator

    errors = 0
    try:
        for error in LocatingSpecValidator(document, _walkable).located_errors():
            finding = _classified(error, physical(document, error.pointer))
            if finding is not None:
                errors += finding.level == "error"
                yield finding._replace(message=_shortened(finding.message))
    except Exception as exc:  # noqa: BLE001 - the validator's own failures are still a spec problem
        if not errors:  # else it tripped over what it already reported
            yield Finding("error", (), f"cannot validate: {type(exc).__name__}: {exc}", _HINT)


def _shortened(message: str, limit: int = 400) -> str:
    """A message quoting a whole schema or example is cut: the pointer says where it is."""
    return message if len(message) <= limit else message[: limit - 5] + " ... "


def _walkable(error: Any) -> bool:
    """A dialect error after which the library may still walk the schema."""
    return _dialect_level(error) != "error"


def _dialect_level(error: Any) -> Level | None:
    """How bad a schema's disagreement with the JSON Schema dialect is; None: said elsewhere."""
    path = list(error.path)
    if path and path[-1] in _DRAFT_2019:
        return None  # the schema lint names the keyword and what to use instead
    if error.validator == "uniqueItems" and path and path[-1] == "required":
        return "warning"
    if _keyword_of_wrong_kind(error):
        return "warning"  # a constraint or note of the wrong kind: dropped, said once
    if error.validator == "format" and path and path[-1] == "pattern":
        # Not ECMA-262 (``\\A...\\z``): the lint drops a pattern the model cannot check and
        # says so; one it can check (in Rust's or Python's syntax) is kept, with a warning.
        return None if pattern_problem(str(error.instance)) else "warning"
    return "error"


def _keyword_of_wrong_kind(error: Any) -> bool:
    """A constraint or note whose value is of the wrong kind (not a property so named)."""
    path = list(error.path)
    named = len(path) > 1 and path[-2] in ("properties", "patternProperties", "$defs")
    return bool(path) and path[-1] in _CHECKS_AND_NOTES and not named and (
        error.validator != "format"
    )


def _classified(error: Any, pointer: Pointer) -> Finding | None:
    from openapi_spec_validator.validation.exceptions import (
        DuplicateOperationIDError,
        ExtraParametersError,
        OpenAPIValidationError,
        UnresolvableParameterError,
    )

    if getattr(error, "crash", False):
        return Finding("error", pointer, f"invalid OpenAPI: {error.message}", _CRASHED)
    if isinstance(error, DuplicateOperationIDError):
        return None  # lowering gives each operation its own name, and says so
    if isinstance(error, ExtraParametersError):
        return Finding("warning", pointer, error.message, "declare the property, or drop it")
    if isinstance(error, UnresolvableParameterError):
        match = _UNRESOLVED.match(error.message)
        undeclared = match is not None and "{" + match["name"] + "}" in match["url"]
        hint = (
            "declare the path parameter; until then it is a required string argument"
            if undeclared
            else "drop the parameter"
        )
        return Finding("warning", pointer, error.message, hint)
    if isinstance(error, OpenAPIValidationError):  # the library's own checks
        if error.message.startswith("Duplicate tag"):
            return Finding("warning", pointer, error.message, "list each tag once")
        return Finding("error", pointer, f"invalid OpenAPI: {error.message}", _HINT)
    return _jsonschema_finding(error, pointer)


def _jsonschema_finding(error: Any, pointer: Pointer) -> Finding | None:
    """An error of the OpenAPI 3.1 schema (document) or of the dialect (a schema)."""
    if getattr(error, "is_dialect", False):
        level = _dialect_level(error)
        if level is None:
            return None
        if level == "warning" and _keyword_of_wrong_kind(error):
            keyword = list(error.path)[-1]
            return Finding(
                level,
                pointer,
                f"{keyword} {error.instance!r} is no valid {keyword}: {error.message}",
                DROPPED_KEYWORD,
            )
        if level == "warning" and error.validator == "format":
            return Finding(
                level,
                pointer,
                f"pattern {error.instance!r} is not an ECMA-262 regular expression, as JSON "
                "Schema asks; the client checks it as written (Rust's or Python's syntax)",
                "write it in ECMA-262 syntax, so that every tool reads it alike",
            )
        if level == "warning":
            return Finding(
                level,
                pointer,
                f"duplicate entries in required: {error.message}",
                "list each property once",
            )
        return Finding(level, pointer, f"invalid schema: {error.message}", _HINT)
    if error.validator in ("unevaluatedProperties", "additionalProperties"):
        fields = re.findall(r"'([^']*)'", error.message.partition("(")[2])
        named = ", ".join(repr(field) for field in fields) or error.message
        return Finding(
            "warning",
            pointer,
            f"unknown field {named}, ignored",
            "remove it, or prefix it with x- to keep it as an extension",
        )
    if error.validator == "required" and _missing(error) in _DOCS_ONLY_FIELDS:
        return Finding("warning", pointer, error.message, "add it for the documentation")
    return Finding("error", pointer, f"invalid OpenAPI: {error.message}", _HINT)


def _missing(error: Any) -> str | None:
    match = re.match(r"'(.*)' is a required property", error.message)
    return match[1] if match else None


def _refs(document: Any) -> Iterator[tuple[Pointer, str]]:
    """(pointer of the ``$ref``, ref) for every ``$ref`` string in ``document``."""
    stack: list[tuple[Pointer, Any]] = [((), document)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield (*pointer, "$ref"), node["$ref"]
            stack.extend(((*pointer, key), value) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(
                ((*pointer, index), value) for index, value in reversed(list(enumerate(node)))
            )


def _dangling_refs(document: Any) -> Iterator[tuple[Pointer, str]]:
    """(pointer, ref) for each local ``$ref`` that leads nowhere."""
    for pointer, ref in _refs(document):
        if ref.startswith("#/") and resolve_pointer(document, ref) is None:
            yield pointer, ref


def _same_templates(document: dict[str, Any]) -> Iterator[tuple[Pointer, str]]:
    """(pointer of a path, the earlier path it equals but for its parameters' names)."""
    paths = document.get("paths")
    seen: dict[str, str] = {}
    for path in paths if isinstance(paths, dict) else ():
        shape = PATH_PARAM.sub("{}", str(path))
        if shape in seen:
            yield ("paths", path), seen[shape]
        else:
            seen[shape] = str(path)


def _external_refs(document: Any) -> Iterator[tuple[Pointer, str]]:
    """(pointer, ref) for each ``$ref`` that is not ``#...``: a URL, a file, a relative path.

    Following one would fetch from the network or read local files while generating (and
    put what they hold into messages), so none is followed, wherever it is.
    """
    for pointer, ref in _refs(document):
        if not ref.startswith("#"):
            yield pointer, ref


def _unknown_types(node: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, str]]:
    """(pointer of the ``type``, type) for each schema type that JSON Schema does not know."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _unknown_types(value, (*pointer, index))
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "type" in node:
        for name in kinds:
            if isinstance(name, str) and name not in _JSON_TYPES:
                yield (*pointer, "type"), name
    for key, value in node.items():
        if (key in _NOT_SCHEMAS and key != "properties") or key.startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            for name, prop in value.items():
                yield from _unknown_types(prop, (*pointer, "properties", name))
        else:
            yield from _unknown_types(value, (*pointer, key))

"""Resource and method names that would shadow what the runtime's classes already define.

A resource is an attribute of the client (``client.deployments``), a method an attribute
of its resource.  A tag named ``close`` would replace ``client.close`` and break ``with
Client()``; one named ``with_raw_response`` would be overwritten by the raw-response view.
Such a name gets a trailing ``_`` (as a keyword does) and a warning.

What is taken is read from the runtime's source (``generator/runtime/``): every method,
class attribute and ``self.<name>`` assignment of the client and resource base classes
and their bases there, and what the template's client class sets, so a name added later is
avoided too.  Reading the
source rather than importing the runtime keeps httpx out of the generator's start-up.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import json
import re
from pathlib import Path

from generator import ir
from generator.diagnostics import Diagnostics, Location
from generator.perf import cache

_RUNTIME = Path(__file__).resolve().parent / "runtime"
_MACROS = Path(__file__).resolve().parent / "templates" / "macros.jinja"
_CLIENT_BASES = ("SyncAPIClient", "AsyncAPIClient")
_RESOURCE_BASES = ("SyncResource", "AsyncResource")


def _generated_client_attributes() -> set[str]:
    """What the generated client class sets besides its resources (``self.with_raw_response
    = ...`` in the template's ``client`` macro; a resource is ``self.{{ res.name }}``)."""
    text = _MACROS.read_text(encoding="utf-8")
    client = text[text.index("macro client(") :]
    return set(re.findall(r"self\.([A-Za-z_]\w*)\s*=", client))


@functools.cache
def _runtime_classes() -> dict[str, ast.ClassDef]:
    classes: dict[str, ast.ClassDef] = {}
    for path in sorted(_RUNTIME.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes.update({n.name: n for n in tree.body if isinstance(n, ast.ClassDef)})
    return classes


def _attributes(name: str, classes: dict[str, ast.ClassDef]) -> set[str]:
    """Every name class ``name`` and its runtime bases define, on the class or on ``self``."""
    found: set[str] = set()
    node = classes.get(name)
    if node is None:
        return found
    for base in node.bases:
        base_name = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(base_name, ast.Name):
            found |= _attributes(base_name.id, classes)
    for item in ast.walk(node):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item in node.body:
            found.add(item.name)
        elif (
            isinstance(item, ast.Attribute)
            and isinstance(item.ctx, ast.Store)
            and isinstance(item.value, ast.Name)
            and item.value.id == "self"
        ):
            found.add(item.attr)
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            found.add(statement.target.id)
        elif isinstance(statement, ast.Assign):
            found |= {t.id for t in statement.targets if isinstance(t, ast.Name)}
    return found


def client_attributes() -> frozenset[str]:
    return _taken()["client"]


def resource_attributes() -> frozenset[str]:
    return _taken()["resource"]


@functools.cache
def _taken() -> dict[str, frozenset[str]]:
    """The names the client and resource classes take, remembered by the content of the
    runtime and the template (parsing the runtime's 20-odd modules is ~30 ms a run)."""
    sources = [p.read_text(encoding="utf-8") for p in (*sorted(_RUNTIME.glob("*.py")), _MACROS)]
    key = cache.cache_key(Path(__file__).read_text(encoding="utf-8"), *sources)
    remembered = cache.read("runtime-names", key)
    if remembered is not None:
        return {kind: frozenset(names) for kind, names in json.loads(remembered).items()}
    classes = _runtime_classes()
    client = set().union(*(_attributes(name, classes) for name in _CLIENT_BASES))
    taken = {
        "client": frozenset(client | _generated_client_attributes()),
        "resource": frozenset(
            set().union(*(_attributes(name, classes) for name in _RESOURCE_BASES))
        ),
    }
    cache.write("runtime-names", key, json.dumps({k: sorted(v) for k, v in taken.items()}))
    return taken


def _free(name: str, taken: frozenset[str] | set[str]) -> str:
    while name in taken:
        name += "_"
    return name


def avoid_runtime_names(
    resources: tuple[ir.Resource, ...], diagnostics: Diagnostics
) -> tuple[ir.Resource, ...]:
    """``resources`` with every resource and method name that the runtime takes suffixed."""
    used = {r.name for r in resources}
    result = []
    for resource in resources:
        name = resource.name
        if name in client_attributes():
            name = _free(name, client_attributes() | used)
            used.add(name)
            diagnostics.warning(
                _where(resource),
                f"resource {resource.name!r} would shadow the client's own "
                f"`{resource.name}`; it is `client.{name}`",
                "give its operations another x-resource in the overlay",
            )
        operations = tuple(_avoid_in_methods(resource, name, diagnostics))
        result.append(dataclasses.replace(resource, name=name, operations=operations))
    return tuple(result)


def _avoid_in_methods(
    resource: ir.Resource, resource_name: str, diagnostics: Diagnostics
) -> list[ir.Operation]:
    taken = resource_attributes()
    used = {op.python_name for op in resource.operations}
    operations = []
    for op in resource.operations:
        python_name = op.python_name
        if python_name in taken:
            python_name = _free(python_name, taken | used)
            used.add(python_name)
            diagnostics.warning(
                Location.parse(op.source) if op.source else _where(resource),
                f"method {op.python_name!r} would shadow the resource's own "
                f"`{op.python_name}`; it is `{resource_name}.{python_name}`",
                "give the operation another x-python-name in the overlay",
            )
        operations.append(dataclasses.replace(op, resource=resource_name, python_name=python_name))
    return operations


def _where(resource: ir.Resource) -> Location:
    sources = [op.source for op in resource.operations if op.source]
    return Location.parse(sources[0]) if sources else Location("(normalized OpenAPI)")

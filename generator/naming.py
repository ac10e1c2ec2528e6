"""Python names for wire names: ``GPUName`` -> ``gpu_name``, ``CPUs`` -> ``cpus``."""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Collection, Iterable

# Names every generated method already uses for its per-call options.
RESERVED_ARGUMENTS = frozenset(
    {
        "self",
        "timeout",
        "max_retries",
        "extra_headers",
        "extra_query",
        "extra_body",
        "max_response_size",
        "max_json_depth",
    }
    # Builtins and runtime names a generated method's body calls or passes as `cast_to`: an
    # argument of that name would shadow them inside the method (`type(None)`, `str(n)`).
    | {"type", "str", "int", "float", "bool", "bytes", "list", "dict", "object", "cast"}
    | {"RequestOptions", "styled", "parameter_headers", "NOT_GIVEN"}
)

_PLURAL_ACRONYM = re.compile(r"([A-Z]{2,})s(?=[A-Z0-9_\-. ]|$)")
_ACRONYM_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


def words(name: str) -> list[str]:
    """Split a wire name into lower-case words, keeping acronyms (and their plurals) whole."""
    text = _PLURAL_ACRONYM.sub(lambda m: m.group(1) + "S", name)
    text = _ACRONYM_THEN_WORD.sub(r"\1_\2", text)
    text = _LOWER_THEN_UPPER.sub(r"\1_\2", text)
    return [w.lower() for w in _NON_WORD.split(text) if w]


def snake_case(name: str) -> str:
    result = "_".join(words(name)) or "value"
    return "_" + result if result[0].isdigit() else result


def pascal_case(name: str) -> str:
    result = "".join(w[:1].upper() + w[1:] for w in words(name)) or "Model"
    return "_" + result if result[0].isdigit() else result


def resource_name(name: str) -> str:
    """A client attribute for a tag: ``tag_1`` for tag ``1``, never ``_1``, which would read
    as private and give class-body constants a leading ``__`` that Python name-mangles."""
    result = snake_case(name)
    if result.startswith("_"):
        result = "tag" + result
    return result + "_" if keyword.iskeyword(result) else result


def method_name(name: str, verb: str) -> str:
    """A client method for an operation: ``get_1foo`` for ``1foo`` (not ``_1foo``, which
    reads as private), ``import_`` for ``import``."""
    result = snake_case(name)
    if result.startswith("_"):
        result = verb.lower() + result
    return result + "_" if keyword.iskeyword(result) else result


def python_identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """``snake_case(name)``, plus ``_`` where it would shadow a keyword or a reserved name."""
    result = snake_case(name)
    if keyword.iskeyword(result) or result in reserved:
        result += "_"
    return result


# pydantic.BaseModel attributes a model field must not shadow.
MODEL_ATTRIBUTES = frozenset(
    {"copy", "dict", "json", "schema", "construct", "validate", "fields", "model_config"}
)

# Names that generated modules import or define beside the model classes (client.py imports
# the models next to them): a model class named like one would shadow it.  Builtins and
# keywords that start with a capital (``Exception``, ``None``) are added below.
_GENERATED_MODULE_NAMES = frozenset(
    # gpuworkers._runtime, as client.py, _config.py and models.py import it
    [
        "NOT_GIVEN",
        "AsyncAPIClient",
        "AsyncPage",
        "AsyncResource",
        "BaseModel",
        "CaseInsensitiveEnum",
        "Credential",
        "Endpoint",
        "Envelope",
        "NotGiven",
        "Pagination",
        "ProviderConfig",
        "RequestOptions",
        "RetryPolicy",
        "SyncAPIClient",
        "SyncPage",
        "SyncResource",
        "Timeout",
        "CONFIG",
        "TYPE_CHECKING",
        "AnyUrl",
        "AwareDatetime",
        "ConfigDict",
        "Field",
        "RootModel",
        "StrictBool",
        "StrictInt",
        "StrictStr",
        "Json",
        "SecretStr",
        "AliasChoices",
        "Tag",
        "Discriminator",
        "Annotated",
        "Any",
        "Literal",
        "Mapping",
        "Iterator",
        "Optional",
        "Union",
        "ClassVar",
        "Enum",
        "IntEnum",
        "StrEnum",
        "UUID",
        "Decimal",
        "Path",
        "NaiveDatetime",
        "FutureDate",
        "PastDate",
        "EmailStr",
        "IPvAnyAddress",
        "Base64Str",
    ]
)
RESERVED_CLASS_NAMES = _GENERATED_MODULE_NAMES | frozenset(
    name for name in (*dir(builtins), *keyword.kwlist) if name[:1].isupper()
)
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")


def class_name(wanted: str, taken: Collection[str]) -> str:
    """A valid, unshadowing PascalCase class name for ``wanted``, not in ``taken``.

    A name already in that form is kept as written (``HTTPError``); anything else is
    rebuilt from its words (``a-b`` -> ``AB``, ``pet_item`` -> ``PetItem``), so that
    datamodel-code-generator, which renames classes it finds invalid, has nothing to rename.
    """
    name = wanted if _CLASS_NAME.fullmatch(wanted) else pascal_case(wanted)
    if not name[:1].isupper():  # `_2fa` from a leading digit
        name = "Model" + name.lstrip("_")
    if name in RESERVED_CLASS_NAMES:
        name += "Model"
    unique, number = name, 2
    while unique in taken:
        unique = f"{name}{number}"
        number += 1
    return unique


def field_names(wires: Iterable[str]) -> dict[str, str]:
    """Wire name -> Python attribute for one model's fields, unique within the model.

    A wire name that is already its Python form keeps it (``mixed_case``); another that
    maps to the same attribute (``mixedCase``) gets a number (``mixed_case_2``).
    """
    wanted = {wire: _field_identifier(wire) for wire in wires}
    result = {wire: python for wire, python in wanted.items() if python == wire}
    taken = set(result.values())
    for wire, python in wanted.items():
        if wire in result:
            continue
        unique, number = python, 2
        while unique in taken:
            unique = f"{python}_{number}"
            number += 1
        result[wire] = unique
        taken.add(unique)
    return {wire: result[wire] for wire in wanted}


def _field_identifier(wire: str) -> str:
    # pydantic takes an attribute that starts with `_` for a private one, not a field, and
    # keeps `model_` for its own methods (`model_dump`; a field named so warns or shadows).
    python = python_identifier(wire, MODEL_ATTRIBUTES)
    if python.startswith("_"):
        return "field" + python
    return "field_" + python if python.startswith("model_") else python

"""Python names for wire names: ``GPUName`` -> ``gpu_name``, ``CPUs`` -> ``cpus``."""

from __future__ import annotations

import keyword
import re

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


def python_identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """``snake_case(name)``, plus ``_`` where it would shadow a keyword or a reserved name."""
    result = snake_case(name)
    if keyword.iskeyword(result) or result in reserved:
        result += "_"
    return result

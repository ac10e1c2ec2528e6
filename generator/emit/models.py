"""IR schemas -> ``models.py`` through datamodel-code-generator, one call per provider.

The result is cached by content (``generator.cache``): the input document, the
header, this module's source and datamodel-code-generator's version make the key.
"""

from __future__ import annotations

import json
import re
import warnings
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator import cache, ir
from generator.lower_schemas import CASE_INSENSITIVE
from generator.naming import python_identifier

# pydantic.BaseModel attributes a field must not shadow.
_MODEL_ATTRIBUTES = frozenset(
    {"copy", "dict", "json", "schema", "construct", "validate", "fields", "model_config"}
)


def render_models(api: ir.Api, header: str) -> str:
    """The source of ``gpuworkers/<provider>/models.py`` (unformatted)."""
    if not api.schemas:
        return header + "\nfrom __future__ import annotations\n\n__all__: list[str] = []\n"
    document = {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": "0"},
        "paths": {},
        "components": {"schemas": {s.class_name: s.json_schema for s in api.schemas}},
    }
    text = json.dumps(document, sort_keys=False)
    key = cache.cache_key(
        text, header, Path(__file__).read_text("utf-8"), version("datamodel-code-generator")
    )
    cached = cache.read("models", key)
    if cached is not None:
        return cached
    source = _generate(text, api, header)
    result = _case_insensitive_enums(source, api.schemas) + _exports(api)
    cache.write("models", key, result)
    return result


def _generate(document: str, api: ir.Api, header: str) -> str:
    # Imported here: datamodel-code-generator is the slowest import of the generator.
    from datamodel_code_generator import (
        DataModelType,
        GenerateConfig,
        InputFileType,
        PythonVersion,
        generate,
    )

    config = GenerateConfig(
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_310,
        base_class="gpuworkers._runtime.BaseModel",
        aliases=_aliases(api.schemas),
        use_annotated=True,
        field_constraints=True,
        use_standard_collections=True,
        use_union_operator=True,
        use_schema_description=True,
        use_field_description=True,
        use_single_line_docstring=True,
        use_subclass_enum=True,
        capitalise_enum_members=True,
        keep_model_order=True,
        disable_timestamp=True,
        custom_file_header=header,
        formatters=[],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = generate(document, config=config)
    assert isinstance(source, str)
    return source


def _case_insensitive_enums(source: str, schemas: tuple[ir.Schema, ...]) -> str:
    """Base the enums marked ``x-case-insensitive`` on the runtime's ``CaseInsensitiveEnum``.

    datamodel-code-generator has no per-enum base class, so the class line is rewritten;
    ruff (run on every generated file) then merges the import and drops an unused ``Enum``.
    """
    names = [s.class_name for s in schemas if s.json_schema.get(CASE_INSENSITIVE) is True]
    for name in names:
        pattern = rf"^class {re.escape(name)}\((?:str, )?Enum\):"
        source, count = re.subn(pattern, f"class {name}(CaseInsensitiveEnum):", source, flags=re.M)
        if count != 1:
            raise ValueError(f"enum class {name} not found in the generated models")
    if names:
        future = "from __future__ import annotations\n"
        source = source.replace(
            future, future + "\nfrom gpuworkers._runtime import CaseInsensitiveEnum\n", 1
        )
    return source


def field_attribute(wire: str) -> str:
    """The Python attribute of a model field named ``wire`` on the wire."""
    return python_identifier(wire, _MODEL_ATTRIBUTES)


def _aliases(schemas: tuple[ir.Schema, ...]) -> dict[str, str]:
    """Wire field name -> Python name; the same rule as every other name in the IR."""
    names: dict[str, str] = {}
    for schema in schemas:
        for wire in schema.json_schema.get("properties") or {}:
            python = field_attribute(wire)
            if python != wire:
                names[wire] = python
    return dict(sorted(names.items()))


def _exports(api: ir.Api) -> str:
    names: list[Any] = sorted(s.class_name for s in api.schemas)
    return "\n\n__all__ = " + json.dumps(names) + "\n"

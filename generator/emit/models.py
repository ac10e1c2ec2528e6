"""IR schemas -> ``models.py`` through datamodel-code-generator.

One call per provider; a provider of more than ``CHUNKED_FROM`` schemas is generated in
chunks closed under ``$ref`` (``model_chunks``), run in parallel and merged, because one
call's cost grows faster than its number of schemas.  The result is cached by content
(``generator.cache``): the input document, the header, the chunking threshold, the source
of this module and of ``model_chunks`` and datamodel-code-generator's version make the key.
"""

from __future__ import annotations

import gc
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator import cache, ir
from generator.emit import model_chunks
from generator.lower_schemas import CASE_INSENSITIVE
from generator.naming import python_identifier

# pydantic.BaseModel attributes a field must not shadow.
_MODEL_ATTRIBUTES = frozenset(
    {"copy", "dict", "json", "schema", "construct", "validate", "fields", "model_config"}
)


# Schemas per chunk, and the size of provider that is split (smaller ones take one call).
CHUNK_SIZE = 200
CHUNKED_FROM = 500
# Worker processes at most (each holds up to ~100 MB for a 200-schema chunk).
MAX_WORKERS = 4


def render_models(
    api: ir.Api, header: str, *, chunk_size: int = CHUNK_SIZE, chunked_from: int = CHUNKED_FROM
) -> str:
    """The source of ``gpuworkers/<provider>/models.py`` (unformatted)."""
    if not api.schemas:
        return header + "\nfrom __future__ import annotations\n\n__all__: list[str] = []\n"
    schemas = {s.class_name: s.json_schema for s in api.schemas}
    text = json.dumps(_document(api.title, schemas), sort_keys=False)
    key = cache.cache_key(
        text,
        header,
        f"{chunk_size} {chunked_from}",
        Path(__file__).read_text("utf-8"),
        Path(model_chunks.__file__).read_text("utf-8"),
        version("datamodel-code-generator"),
    )
    cached = cache.read("models", key)
    if cached is not None:
        return cached
    aliases = _aliases(api.schemas)
    source = None
    if len(schemas) >= chunked_from:
        source = _generate_chunked(api.title, schemas, aliases, header, chunk_size)
    if source is None:
        source = _generate(text, aliases, header)
    result = _case_insensitive_enums(source, api.schemas) + _exports(api)
    cache.write("models", key, result)
    return result


def _document(title: str, schemas: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": dict(schemas)},
    }


def _generate_chunked(
    title: str,
    schemas: Mapping[str, dict[str, Any]],
    aliases: dict[str, str],
    header: str,
    chunk_size: int,
) -> str | None:
    """The models generated chunk by chunk, in parallel; None when that does not apply."""
    chunks = model_chunks.plan(schemas, chunk_size)
    if len(chunks) < 2:
        return None
    documents = [
        json.dumps(_document(title, {name: schemas[name] for name in chunk})) for chunk in chunks
    ]
    outputs = _in_parallel(documents, aliases, header)
    if outputs is None:
        outputs = [_generate(document, aliases, header) for document in documents]
    return model_chunks.merge(outputs, chunks, header)


def _in_parallel(documents: list[str], aliases: dict[str, str], header: str) -> list[str] | None:
    """``_generate`` of each document in worker processes; None with fewer than two CPUs
    or when worker processes cannot be had."""
    workers = min(len(documents), _cpus(), MAX_WORKERS)
    if workers < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Loaded once here rather than in each worker (most of a first call's extra cost).
    import datamodel_code_generator.model.pydantic_v2
    import datamodel_code_generator.parser.openapi  # noqa: F401

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    count = len(documents)
    gc.freeze()  # the workers' collections skip (and do not copy) what they inherit
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_generate, documents, [aliases] * count, [header] * count))
    except (BrokenProcessPool, NotImplementedError, OSError):  # no semaphores, a killed worker
        return None
    finally:
        gc.unfreeze()


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _generate(document: str, aliases: dict[str, str], header: str) -> str:
    # Imported here: datamodel-code-generator is the slowest import of the generator.
    from datamodel_code_generator import GenerateConfig, InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType

    config = GenerateConfig(
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_310,
        base_class="gpuworkers._runtime.BaseModel",
        aliases=aliases,
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
    wanted = set(names)
    rebased: list[str] = []

    def rebase(match: re.Match[str]) -> str:
        if match[1] not in wanted:
            return match[0]
        rebased.append(match[1])
        return f"class {match[1]}(CaseInsensitiveEnum):"

    # One pass over the source, however many enums are marked.
    source = re.sub(r"^class (\w+)\((?:str, )?Enum\):", rebase, source, flags=re.M)
    counts = Counter(rebased)
    for name in names:
        if counts[name] != 1:
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

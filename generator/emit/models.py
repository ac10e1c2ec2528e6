"""IR schemas -> ``models.py`` through datamodel-code-generator.

One call per provider; a provider of ``CHUNKED_FROM`` schemas or more is generated in
chunks closed under ``$ref`` (``model_chunks``), run in parallel and merged, because one
call's cost grows faster than its number of schemas.  The result is cached by content
(``generator.cache``): the input document, the header, the chunking threshold, the source
of this module and of ``model_chunks`` and datamodel-code-generator's version make the key.
"""

from __future__ import annotations

import gc
import json
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator import cache, ir, workers
from generator.emit import model_chunks, pysource
from generator.lower_schemas import CASE_INSENSITIVE

# Schemas per chunk, and the size of provider that is split (smaller ones take one call).
CHUNK_SIZE = 200
CHUNKED_FROM = 500


def render_models(
    api: ir.Api, header: str, *, chunk_size: int = CHUNK_SIZE, chunked_from: int = CHUNKED_FROM
) -> str:
    """The source of ``gpuworkers/<provider>/models.py`` (unformatted)."""
    return start_models(api, header, chunk_size=chunk_size, chunked_from=chunked_from).result()


class PendingModels:
    """A provider's ``models.py`` on its way: ``result()`` waits for it (and caches it)."""

    def __init__(
        self,
        *,
        source: str | None = None,
        api: ir.Api | None = None,
        key: str = "",
        jobs: _Jobs | None = None,
    ) -> None:
        self._source, self._api, self._key, self._jobs = source, api, key, jobs

    def result(self) -> str:
        if self._source is None:
            assert self._api is not None and self._jobs is not None
            # datamodel-code-generator escapes quotes and backslashes in docstrings, but
            # leaves control and bidi characters raw (in enum values too): escaped here.
            source = pysource.escape_invisible(self._jobs.result())
            _check_classes(source, self._api)
            self._source = _case_insensitive_enums(source, self._api.schemas) + _exports(self._api)
            cache.write("models", self._key, self._source)
        return self._source


def start_models(
    api: ir.Api, header: str, *, chunk_size: int = CHUNK_SIZE, chunked_from: int = CHUNKED_FROM
) -> PendingModels:
    """Start generating ``models.py``, in a model worker if there is one (generator.workers)."""
    if not api.schemas:
        empty = header + "\nfrom __future__ import annotations\n\n__all__: list[str] = []\n"
        return PendingModels(source=empty)
    schemas = {s.class_name: s.json_schema for s in api.schemas}
    text = json.dumps(_document(api.title, schemas), sort_keys=False)
    aliases = _aliases(api.schemas)
    key = cache.cache_key(
        text,
        json.dumps(aliases),
        header,
        f"{chunk_size} {chunked_from}",
        Path(__file__).read_text("utf-8"),
        Path(model_chunks.__file__).read_text("utf-8"),
        Path(pysource.__file__).read_text("utf-8"),
        version("datamodel-code-generator"),
    )
    cached = cache.read("models", key)
    if cached is not None:
        return PendingModels(source=cached)
    chunks = model_chunks.plan(schemas, chunk_size) if len(schemas) >= chunked_from else []
    if len(chunks) < 2:
        jobs = _Jobs([text], aliases, header)
    else:
        documents = [
            json.dumps(_document(api.title, {name: schemas[name] for name in chunk}))
            for chunk in chunks
        ]
        jobs = _Jobs(documents, aliases, header, chunks=chunks, whole=text)
    return PendingModels(api=api, key=key, jobs=jobs)


def _document(title: str, schemas: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": dict(schemas)},
    }


class _Jobs:
    """datamodel-code-generator calls for one provider: one document, or its chunks merged.

    Submitted to the background workers when there are any, else run here, in a pool of
    their own when there are several chunks.
    """

    def __init__(
        self,
        documents: list[str],
        aliases: dict[str, str],
        header: str,
        *,
        chunks: list[list[str]] | None = None,
        whole: str | None = None,
    ) -> None:
        self.documents, self.aliases, self.header = documents, aliases, header
        self.chunks, self.whole = chunks, whole
        self.futures: list[Future[str]] | None = None
        pool = workers.current()
        if pool is not None:
            try:
                self.futures = [
                    pool.submit(_generate, document, aliases, header) for document in documents
                ]
            except (BrokenProcessPool, RuntimeError):  # the pool broke or was shut down
                self.futures = None

    def result(self) -> str:
        outputs = None
        if self.futures is not None:
            try:
                outputs = self._gather(self.futures)
            except BrokenProcessPool:
                outputs = None
        if outputs is None and len(self.documents) > 1:
            outputs = _in_parallel(self.documents, self.aliases, self.header)
        if outputs is None:
            outputs = [
                _generate(document, self.aliases, self.header) for document in self.documents
            ]
        if self.chunks is None:
            return outputs[0]
        merged = model_chunks.merge(outputs, self.chunks, self.header)
        if merged is None:  # the chunks cannot be joined without renaming: one call after all
            assert self.whole is not None
            return _generate(self.whole, self.aliases, self.header)
        return merged

    def _gather(self, futures: list[Future[str]]) -> list[str]:
        """The workers' outputs; for chunks, this process takes back the ones not yet started
        (from the end, while the workers go on from the start) rather than wait idle."""
        outputs: list[str | None] = [None] * len(futures)
        if self.chunks is not None:
            for index in reversed(range(len(futures))):
                if futures[index].cancel():
                    outputs[index] = _generate(self.documents[index], self.aliases, self.header)
        return [
            output if output is not None else future.result()
            for output, future in zip(outputs, futures, strict=True)
        ]


def _in_parallel(documents: list[str], aliases: dict[str, str], header: str) -> list[str] | None:
    """``_generate`` of each document in a pool of its own; None with fewer than two CPUs
    or when worker processes cannot be had."""
    count = min(len(documents), workers.cpus(), workers.MAX_WORKERS)
    if count < 2:
        return None
    workers.warm_up()  # loaded once here rather than in each worker
    gc.freeze()  # the workers' collections skip (and do not copy) what they inherit
    try:
        pool = workers.fork_pool(count)
        if pool is None:
            return None
        with pool:
            many = len(documents)
            return list(pool.map(_generate, documents, [aliases] * many, [header] * many))
    except (BrokenProcessPool, OSError):  # a killed worker
        return None
    finally:
        gc.unfreeze()


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


def _aliases(schemas: tuple[ir.Schema, ...]) -> dict[str, str]:
    """``Class.wire`` -> Python name, for each field the IR names differently from the wire.

    Scoped by class: one model may have ``mixed_case`` and ``mixedCase`` (``mixed_case_2``)
    while another has only ``mixedCase`` (``mixed_case``).
    """
    return {
        f"{schema.class_name}.{field.name}": field.python_name
        for schema in schemas
        for field in schema.fields
        if field.python_name != field.name
    }


def _check_classes(source: str, api: ir.Api) -> None:
    """Every class the IR names is in the models, as named: the clients import them by name."""
    defined = set(re.findall(r"^class (\w+)\b", source, re.M))
    missing = [s for s in api.schemas if s.class_name not in defined]
    if missing:
        where = ", ".join(f"{s.class_name} ({s.source or s.name})" for s in missing[:5])
        raise ValueError(
            f"datamodel-code-generator did not define {len(missing)} model class(es) of "
            f"{api.name} under the IR's names: {where} (a generator bug)"
        )


def _exports(api: ir.Api) -> str:
    names: list[Any] = sorted(s.class_name for s in api.schemas)
    return "\n\n__all__ = " + json.dumps(names) + "\n"

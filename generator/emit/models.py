"""IR schemas -> ``models.py`` through datamodel-code-generator.

One call per provider; a provider of ``CHUNKED_FROM`` schemas or more is generated in
chunks closed under ``$ref`` (``generator.perf.model_chunks``), run in parallel on the
model workers and merged, because one call's cost grows faster than its number of schemas.
The result is cached by content (``generator.perf.cache``): the input document, the
header, the chunking threshold, the generator's model code and datamodel-code-generator's
version make the key.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator import ir
from generator.emit import pysource
from generator.lower_schemas import CASE_INSENSITIVE
from generator.perf import cache, model_chunks, model_jobs
from generator.perf.stamp import environment_digest

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
        jobs: model_jobs.ModelJobs | None = None,
    ) -> None:
        self._source, self._api, self._key, self._jobs = source, api, key, jobs

    def cancel(self) -> None:
        """Call off the calls no worker has started (the module is not wanted after all)."""
        if self._jobs is not None:
            self._jobs.cancel()

    def result(self, on_progress: model_jobs.OnProgress | None = None) -> str:
        """The module; ``on_progress(done, total)`` hears each chunk of a large provider."""
        if self._source is None:
            assert self._api is not None and self._jobs is not None
            # datamodel-code-generator escapes quotes and backslashes in docstrings, but
            # leaves control and bidi characters raw (in enum values too): escaped here.
            source = pysource.escape_invisible(self._jobs.result(on_progress))
            _check_classes(source, self._api)
            self._source = _case_insensitive_enums(source, self._api.schemas) + _exports(self._api)
            cache.write("models", self._key, self._source)
        return self._source


def start_models(
    api: ir.Api, header: str, *, chunk_size: int = CHUNK_SIZE, chunked_from: int = CHUNKED_FROM
) -> PendingModels:
    """Start generating ``models.py``, in a model worker if there is one (perf.workers)."""
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
        Path(model_jobs.__file__).read_text("utf-8"),
        Path(pysource.__file__).read_text("utf-8"),
        environment_digest(),  # the tools' versions: every install, as the stamp has it
    )
    cached = cache.read("models", key)
    if cached is not None:
        return PendingModels(source=cached)
    chunks = model_chunks.plan(schemas, chunk_size) if len(schemas) >= chunked_from else []
    if len(chunks) < 2:
        jobs = model_jobs.ModelJobs([text], aliases, header)
    else:
        documents = [
            json.dumps(_document(api.title, {name: schemas[name] for name in chunk}))
            for chunk in chunks
        ]
        jobs = model_jobs.ModelJobs(documents, aliases, header, chunks=chunks, whole=text)
    return PendingModels(api=api, key=key, jobs=jobs)


def _document(title: str, schemas: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": dict(schemas)},
    }


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

"""datamodel-code-generator calls for one provider's models: on the model workers, in chunks.

``generator.emit.models`` builds the input document and post-processes the result; this
module only runs the calls: one document, or a large provider's chunks (``model_chunks``)
merged back.  They go to the background workers (``workers``) when there are any, else run
here.  Importing this module is cheap: datamodel-code-generator loads on the first call
(or in ``warm_up``, which the workers run as they start).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from generator.perf import model_chunks, workers

# Told ``(done, total)`` as the chunks of a provider's models come in.
OnProgress = Callable[[int, int], None]


def _ignore(done: int, total: int) -> None:
    pass


def warm_up() -> None:
    """What a model job needs loaded (run by each worker as it starts)."""
    import datamodel_code_generator.model.pydantic_v2
    import datamodel_code_generator.parser.openapi  # noqa: F401


class ModelJobs:
    """The calls for one provider, started at once; ``result()`` waits for the module."""

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
                    pool.submit(generate, document, aliases, header) for document in documents
                ]
            except (BrokenProcessPool, RuntimeError):  # the pool broke or was shut down
                self.futures = None

    def cancel(self) -> None:
        """Call off the calls not started yet; one that is running ends unheeded."""
        for future in self.futures or ():
            future.cancel()

    def result(self, on_progress: OnProgress | None = None) -> str:
        report = on_progress or _ignore
        outputs = None
        if self.futures is not None:
            try:
                outputs = self._gather(self.futures, report)
            except BrokenProcessPool:
                outputs = None
        if outputs is None:
            outputs = []
            for document in self.documents:
                outputs.append(generate(document, self.aliases, self.header))
                report(len(outputs), len(self.documents))
        if self.chunks is None:
            return outputs[0]
        merged = model_chunks.merge(outputs, self.chunks, self.header)
        if merged is None:  # the chunks cannot be joined without renaming: one call after all
            assert self.whole is not None
            return generate(self.whole, self.aliases, self.header)
        return merged

    def _gather(self, futures: list[Future[str]], report: OnProgress) -> list[str]:
        """The workers' outputs; for chunks, this process takes back the ones not yet started
        (from the end, while the workers go on from the start) rather than wait idle."""
        outputs: list[str | None] = [None] * len(futures)
        total = len(futures)

        def finished() -> int:
            return sum(
                1 for o, f in zip(outputs, futures, strict=True) if o is not None or f.done()
            )

        if self.chunks is not None:
            for index in reversed(range(total)):
                if futures[index].cancel():
                    outputs[index] = generate(self.documents[index], self.aliases, self.header)
                    report(finished(), total)
        for index, future in enumerate(futures):
            if outputs[index] is None:
                outputs[index] = future.result()
                report(finished(), total)
        return [output for output in outputs if output is not None]


def generate(document: str, aliases: dict[str, str], header: str) -> str:
    """One datamodel-code-generator call: ``document`` (OpenAPI JSON) -> the models' source."""
    from datamodel_code_generator import GenerateConfig, InputFileType, PythonVersion
    from datamodel_code_generator import generate as run
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
        source = run(document, config=config)
    assert isinstance(source, str)
    return source

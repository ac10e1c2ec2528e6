"""What makes the generator fast, kept apart from what it generates.

* ``stamp``: the input stamp; a run whose inputs and output did not change is a no-op,
  decided before the generator loads; unchanged providers come from their snapshots.
* ``cache``: content-addressed results of the slow, deterministic steps (models,
  validation findings, formatting, the import check), shared between runs.
* ``workers``: worker processes forked first thing, which import datamodel-code-generator
  while the generator loads and reads the pages.
* ``model_jobs`` and ``model_chunks``: datamodel-code-generator calls, on the workers, and
  large providers split into chunks closed under ``$ref`` and merged back.

None of it changes a byte of the output: ``generator.emit`` produces the same files with
every part of it switched off (no workers, ``GPUWORKERS_CACHE_DIR=``, ``--force``).
"""

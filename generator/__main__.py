"""``python -m generator``: decide from the input stamp first, then load the generator.

A run whose inputs and output did not change since the last one (``generator.perf.stamp``)
prints that run's summary and ends here, having imported only the standard library.
Otherwise the model workers start (``generator.perf.workers``) before the rest of the
generator loads, so that they can import datamodel-code-generator meanwhile.
"""

import os
import sys
import time

started = time.perf_counter()

from generator import arguments  # noqa: E402 - after the clock starts
from generator.perf import stamp  # noqa: E402

args = arguments.parse()
verdict = stamp.examine(args.specs, args.out)
known = set(verdict.reusable)  # an unknown name is the full run's error to report
if verdict.up_to_date and not args.force and known.issuperset(args.providers):
    from generator import console

    raise SystemExit(
        console.replay(
            args.command,
            args.out.name,
            args.specs.name,
            verdict.reusable,
            quiet=args.quiet,
            seconds=time.perf_counter() - started,
        )
    )

from generator import import_check  # noqa: E402
from generator.perf import model_jobs, workers  # noqa: E402


def ended(code: int) -> None:
    """End the process with ``code`` once the run is over and its workers are gone.

    The interpreter's own teardown would free, object by object, everything the run built
    (the pages, the IR, the rendered files, the generators' modules): ~0.1 s for a small
    document, ~0.25 s at 1,000 operations, spent after the summary is printed.  Nothing is
    left to finish by then (files are written and closed, the workers stopped), so the
    output streams are flushed and the process ends at once.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if verdict.reusable:
    # The daily loop (some providers unchanged since the stamp): the models most often come
    # from the cache.  When a CPU is idle, the workers load what the import check of the
    # staged package needs (httpx, the runtime) meanwhile, which would otherwise be waited
    # for at the end of the run; on a busy machine that only slows this process down.  They
    # start once the generator is loaded: forked then, they have pydantic already.
    from generator.cli import main

    with workers.background(import_check.warm_up if workers.spare_cpu() else None):
        code = main(verdict=verdict)
    ended(code)

def _warm_up() -> None:
    """A worker's start on a cold run: datamodel-code-generator (its first job is a
    provider's models, started as soon as the provider is lowered), then what the import
    check of the staged package loads (httpx, which loads its command-line extras click,
    rich and pygments when they are installed, ~0.3 s in all)."""
    model_jobs.warm_up()
    import_check.warm_up()


# The workers load what they need as they start, the slowest part of a cold run, while the
# generator loads here and reads, lints, lowers and validates the pages.
with workers.background(_warm_up):
    from generator.cli import main

    code = main(verdict=verdict)
ended(code)

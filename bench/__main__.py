"""``python -m bench``: run every benchmark, write BENCHMARKS.md and bench/generation.png.

    nox -s bench                                   # installs the peer and matplotlib first
    python -m bench --sizes 10,100 --runs 2        # a quick look
    python -m bench --daily-only --runs 3          # only the daily loop; prints its table

Needs openapi-python-client (on PATH next to this interpreter) and matplotlib.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from bench import generation, imports, runtime_calls
from bench.measure import machine
from bench.report import Results, daily_table, plot
from bench.summary import markdown

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    peer_exe = shutil.which(
        "openapi-python-client", path=str(Path(sys.executable).parent)
    ) or shutil.which("openapi-python-client")
    if peer_exe is None:
        print("openapi-python-client is not installed: run `nox -s bench`", file=sys.stderr)
        return 2
    results = Results(machine(), version("openapi-python-client"))
    work = Path(tempfile.mkdtemp(prefix="gpuworkers-bench-"))
    log = _log
    try:
        runner = generation.Runner(work, peer_exe)
        if args.daily_only:
            log(f"machine: {results.machine}")
            loop = generation.daily_loop(runner, runs=args.runs, log=log)
            print(daily_table(loop))
            return 0
        big = args.big

        def reps(operations: int) -> tuple[int, int]:
            """-1: a document of megabytes."""
            return (0, args.big_runs) if operations >= big or operations < 0 else (1, args.runs)

        log(f"machine: {results.machine}")
        log("generation, synthetic documents (ours and the peer alternate):")
        results.synthetic = generation.compare(
            runner, generation.synthetic_inputs(work, args.sizes), reps=reps, log=log
        )
        log("generation, the providers' normalized exports:")
        results.exports = generation.compare(
            runner, generation.provider_inputs(), reps=reps, log=log
        )
        log("the daily loop on the providers' pages, beside the peer:")
        results.daily = generation.daily_loop(runner, runs=args.runs, log=log)
        if not args.no_public:
            log("generation, the public documents (../shared/public-specs/):")
            results.public = generation.compare(
                runner, generation.public_inputs(), reps=reps, log=log
            )
        log("where our time goes:")
        results.stages_size = max((s for s in args.sizes if s <= 1000), default=args.sizes[0])
        results.stages = _stages(results.stages_size)
        log("runtime, per call:")
        peer_client = _peer_client(runner, work)
        results.runtime = runtime_calls.measure(
            peer_client, rounds=args.rounds, calls=args.calls, log=log
        )
        results.runtime_calls = (
            f"{args.rounds} rounds of {args.calls} calls each, after one warm-up round"
        )
        log("import time:")
        providers = sorted(p.stem for p in (REPO / "generated" / "openapi").glob("*.json"))
        results.imports = imports.measure(providers, samples=args.import_samples, log=log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    plot(results.synthetic, REPO / "bench" / "generation.png")
    text = markdown(results, args)
    (REPO / "BENCHMARKS.md").write_text(text, "utf-8")
    print(text)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=[10, 100, 1000, 3000], help="synthetic sizes"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="measured runs per input (after a warm-up)"
    )
    parser.add_argument("--big", type=int, default=3000, help="from this many operations on ...")
    parser.add_argument(
        "--big-runs", type=int, default=2, help="... this many runs, no warm-up (and for MBs)"
    )
    parser.add_argument(
        "--no-public", action="store_true", help="skip ../shared/public-specs/ (minutes)"
    )
    parser.add_argument(
        "--daily-only",
        action="store_true",
        help="run only the daily loop and print its table (BENCHMARKS.md is not written)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="runtime: rounds per variant")
    parser.add_argument("--calls", type=int, default=500, help="runtime: calls per round")
    parser.add_argument("--import-samples", type=int, default=15, help="fresh processes per import")
    return parser


def _sizes(text: str) -> list[int]:
    return sorted(int(part) for part in text.split(",") if part.strip())


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _stages(operations: int) -> list[tuple[str, float]]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.stages", str(operations)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [(name, seconds) for name, seconds in json.loads(result.stdout)]


def _peer_client(runner: generation.Runner, work: Path) -> Path:
    """The peer's client for Yotta, generated from our normalized export."""
    item = generation.Input("yotta", "yotta-runtime", REPO / "generated" / "openapi" / "yotta.json")
    runner.peer(item)
    return work / "peer" / item.name


if __name__ == "__main__":
    sys.exit(main())

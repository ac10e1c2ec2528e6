"""Compose BENCHMARKS.md from the results: how it was measured, the tables, the targets."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from bench.generation import DAILY_CASES, Row
from bench.imports import BASELINE, BASELINES
from bench.measure import median
from bench.report import (
    PEER,
    Results,
    daily_table,
    generation_table,
    imports_table,
    runtime_table,
    scaling,
    stages_table,
)

NOTES = """\
## Notes

- The machine is shared: other jobs run beside the benchmark, so wall times carry their
  load (see the load average above).  CPU time (user + system of the generator's whole
  process tree) is steadier and is shown next to wall time; the two generators alternate
  run by run so both see the same load, and the ratios are the figures to trust.
- "Peak" is the most memory the run's whole process tree held at one time: the sum of
  the resident sets of the generator and every child it had running then (model workers,
  ruff, the import check; the peer's ruff hooks), sampled every 10 ms.  Pages processes
  share (the interpreter's libraries) count in each, which favours the peer (one process).
- Both generators run with their bytecode cached (one private `PYTHONPYCACHEPREFIX` that
  the first runs fill), as a package installed by pip has it; before 2026-12-03 ours ran
  with `PYTHONDONTWRITEBYTECODE=1` and compiled its own modules on every run.
- Our generator does more per run than the peer: it validates the document with
  openapi-spec-validator, writes the normalized OpenAPI and IR snapshots, and imports the
  staged package before swapping it in.  That work is part of every figure here.
"""


def markdown(results: Results, args: argparse.Namespace) -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `nox -s bench` (`python -m bench`); do not edit by hand.  The generator is",
        f"compared with {PEER} {results.peer_version} (default settings: its ruff `post_hooks`",
        "run) on the same OpenAPI documents.",
        "",
        f"**Machine:** {results.machine}.",
        "",
        "## Generation",
        "",
        "A full regeneration in a fresh child process into an empty folder: wall time, CPU time",
        "and peak memory, medians of the runs after one warm-up run of each generator (from",
        f"{args.big:,} operations on: {args.big_runs} run(s), no warm-up, to keep the run short).",
        "Our generator reads the document as a provider with one `openapi` page and a minimal",
        "`provider.toml`, with an empty model cache.  *peer/ours* above 1 means we are faster.",
        "",
        "### Synthetic documents (`bench/synth.py`)",
        "",
        generation_table(results.synthetic),
        "",
        "![generation time](bench/generation.png)",
        "",
        "### The providers' normalized exports (`generated/openapi/*.json`)",
        "",
        generation_table(results.exports),
        "",
    ]
    per_op, exponents = scaling(results.synthetic)
    parts += ["### Scaling", "", per_op, ""]
    if exponents:
        parts += [
            "Growth exponent of CPU time between the two largest sizes (1.0 = linear): "
            + ", ".join(f"{who} {value:.2f}" for who, value in exponents.items())
            + ".",
            "",
        ]
    if results.public:
        parts += [
            "### Real documents (`../shared/public-specs/`)",
            "",
            "Each document as one `openapi` page with a minimal `provider.toml`, no overlay;",
            "documents of megabytes: no warm-up run.",
            "",
            generation_table(results.public),
            "",
        ]
    if results.daily:
        parts += [
            "## The daily loop",
            "",
            "All four providers from their pages in `specs/` (a copy), in one output folder and",
            "one cache, round after round: the peer first (generating",
            f"`generated/openapi/{results.daily.provider}.json` into an empty folder, the",
            "reference for the ratios), then ours cold, with nothing changed, and after one page",
            "changed: an operation's description in it given a new suffix each time (a content",
            "change no cache has seen; the benchmark stops if the generated client does not show",
            "it, `bench/generation.py::PageEdit`).  A no-op run is decided from the input stamp",
            "(`generator/perf/stamp.py`) before the generator loads.  Medians of the rounds after",
            "a warm-up round.",
            "",
            daily_table(results.daily),
            "",
        ]
    if results.stages:
        parts += [
            f"### Where our time goes ({results.stages_size:,} synthetic operations)",
            "",
            "CPU seconds per stage, one cold run (`python -m bench.stages N`); child processes",
            "(model workers, ruff, the import check) are counted in the stage that ran them.",
            "",
            stages_table(results.stages),
            "",
        ]
    parts += [
        "## Runtime: per call",
        "",
        "Yotta `deployments.list_workers` returning 50 workers (envelope unwrapped) through an",
        "`httpx.MockTransport` whose response is built once.  Floor: `httpx.Client.get` +",
        "`json.loads` + the envelope check + `TypeAdapter(list[Worker]).validate_python` with our",
        f"model.  {PEER}: the client it generates from `generated/openapi/yotta.json`, its",
        "`sync` / `asyncio` functions (it returns the envelope; attrs models).",
        f"{results.runtime_calls}; medians.",
        "",
        runtime_table(results.runtime),
        "",
        "## Import",
        "",
        "A fresh interpreter timing its own statement (start-up excluded), bytecode cached,",
        f"medians of {args.import_samples} samples, all statements alternating.  Ratios are of",
        "CPU time, the process's own, which other jobs disturb far less than wall time.",
        "Provider modules load lazily, so three steps per provider: `import gpuworkers.<p>`;",
        "its first use, `from gpuworkers.<p> import <Client>` (the client, its models, the",
        "runtime and `pydantic.main`); and constructing the client.  Each step is also compared",
        "with the baseline that does its work without gpuworkers: `import httpx, pydantic`",
        "(which does not load `pydantic.main`), then `BaseModel` imported, then an",
        "`httpx.Client()` made.",
        "",
        imports_table(results.imports),
        "",
        "## Targets",
        "",
        *_targets(results),
        "",
        NOTES,
    ]
    analysis = Path(__file__).with_name("ANALYSIS.md")  # hand-written: profiles, what was done
    if analysis.is_file():
        parts += ["", analysis.read_text("utf-8").rstrip(), ""]
    return "\n".join(parts)


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _targets(results: Results) -> list[str]:
    lines = []
    for row in [*results.synthetic, *results.public]:
        lines += _generation_targets(row)
    _, exponents = scaling(results.synthetic)
    if "ours" in exponents:
        lines.append(
            f"- time growing linearly with operations: {_verdict(exponents['ours'] <= 1.15)} "
            f"(exponent {exponents['ours']:.2f}; the peer's {exponents.get('peer', math.nan):.2f})."
        )
    lines += _daily_targets(results)
    runtime = results.runtime
    for mode in ("sync", "async"):
        if f"ours {mode}" not in runtime:
            continue
        ratio = runtime[f"ours {mode}"] / runtime[f"floor {mode}"]
        peer = runtime.get(f"peer {mode}", math.nan)
        lines.append(
            f"- {mode} call ≤ 1.2× the floor: {_verdict(ratio <= 1.2)} ({ratio:.2f}×); "
            f"below {PEER}: {_verdict(runtime[f'ours {mode}'] < peer)} "
            f"({runtime[f'ours {mode}']:.0f} µs against {peer:.0f} µs)."
        )
    for step, what in (("import", "`import gpuworkers.<p>`"), ("first use", "first use")):
        if not results.imports.get(step):
            continue
        statement, timing = max(results.imports[step].items(), key=lambda item: item[1].cpu)
        baselines = results.imports["baseline"]
        ratio = timing.cpu / baselines[BASELINE].cpu
        lines.append(
            f"- {what} ≤ 1.3× httpx + pydantic: {_verdict(ratio <= 1.3)} "
            f"(slowest, `{statement}`: {ratio:.2f}× by CPU time, "
            f"{timing.wall / baselines[BASELINE].wall:.2f}× by wall time"
            + (
                ""
                if BASELINES[step] == BASELINE
                else f"; {timing.cpu / baselines[BASELINES[step]].cpu:.2f}× `{BASELINES[step]}`"
            )
            + ")."
        )
    return lines


def _generation_targets(row: Row) -> list[str]:
    if row.peer_error or not row.peer:
        ours = row.stat("ours", "wall")
        if "stripe" not in row.label.lower():
            return []
        return [f"- {row.label} ≤ 15 s (the peer cannot): {_verdict(ours <= 15)} ({ours:.1f} s)."]
    speed = row.stat("peer", "wall") / row.stat("ours", "wall")
    memory = row.stat("ours", "tree_mb") / row.stat("peer", "tree_mb")
    return [
        f"- {row.label}: ≥ 2× faster than {PEER}: {_verdict(speed >= 2)} ({speed:.2f}× by wall "
        f"time, {row.stat('peer', 'cpu') / row.stat('ours', 'cpu'):.2f}× by CPU"
        + ("" if speed >= 2 else f"; {2 / speed:.1f}× short")
        + f"); peak memory ≤ the peer's: {_verdict(memory <= 1)} ({memory:.2f} of it)."
    ]


def _daily_targets(results: Results) -> list[str]:
    loop = results.daily
    if loop is None or not loop.samples.get("peer"):
        return []
    peer = median([s.wall for s in loop.samples["peer"]])
    lines = []
    for case, limit in (
        ("noop generate", 0.4),
        ("noop check", 0.4),
        ("one page, generate", 0.5),
        ("one page, generate p", 0.5),
    ):
        if case not in loop.samples:
            continue
        wall = median([s.wall for s in loop.samples[case]])
        what = dict(DAILY_CASES)[case].format(p=loop.provider)
        lines.append(
            f"- {what} ≤ {limit}× the peer's time on {loop.provider}'s export: "
            f"{_verdict(wall / peer <= limit)} ({wall:.2f} s = {wall / peer:.2f}×)."
        )
    return lines

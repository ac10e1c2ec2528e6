"""BENCHMARKS.md tables and the generation plot."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.generation import DAILY_CASES, DailyLoop, Row
from bench.imports import BASELINE, BASELINES, Timing
from bench.measure import median

PEER = "openapi-python-client"


@dataclass
class Results:
    machine: str
    peer_version: str
    synthetic: list[Row] = field(default_factory=list)
    exports: list[Row] = field(default_factory=list)
    public: list[Row] = field(default_factory=list)
    daily: DailyLoop | None = None
    runtime: dict[str, float] = field(default_factory=dict)
    runtime_calls: str = ""
    imports: dict[str, dict[str, Timing]] = field(default_factory=dict)  # step -> statement
    stages: list[tuple[str, float]] = field(default_factory=list)
    stages_size: int = 0


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _ratio(peer: float, ours: float) -> str:
    return f"{peer / ours:.2f}×" if ours and not math.isnan(peer) and not math.isnan(ours) else "–"


def _fmt(value: float, unit: str, digits: int = 2) -> str:
    return "failed" if math.isnan(value) else f"{value:.{digits}f} {unit}"


def generation_table(rows: list[Row]) -> str:
    body = []
    notes = []
    for row in rows:
        if row.peer_error:
            notes.append(f"{PEER} fails on {row.label}: `{row.peer_error[:160]}`")
        ours_wall, peer_wall = row.stat("ours", "wall"), row.stat("peer", "wall")
        ours_cpu, peer_cpu = row.stat("ours", "cpu"), row.stat("peer", "cpu")
        ours_mb, peer_mb = row.stat("ours", "tree_mb"), row.stat("peer", "tree_mb")
        body.append(
            (
                row.label,
                f"{row.operations:,}",
                str(len(row.ours)),
                _fmt(ours_wall, "s"),
                _fmt(peer_wall, "s"),
                _ratio(peer_wall, ours_wall),
                _fmt(ours_cpu, "s"),
                _fmt(peer_cpu, "s"),
                _ratio(peer_cpu, ours_cpu),
                _fmt(ours_mb, "MB", 0),
                _fmt(peer_mb, "MB", 0),
                "–" if math.isnan(peer_mb) else f"{ours_mb / peer_mb:.2f}",
            )
        )
    header = (
        "input", "ops", "runs", "ours wall", "peer wall", "peer/ours",
        "ours CPU", "peer CPU", "peer/ours CPU", "ours peak", "peer peak", "ours/peer mem",
    )  # fmt: skip
    return table(header, body) + "".join(f"\n\n{note}" for note in notes)


def scaling(rows: list[Row]) -> tuple[str, dict[str, float]]:
    """Milliseconds per operation at each size, and the growth exponent between the two
    largest sizes (where fixed costs no longer hide how the per-operation cost grows)."""
    body = []
    for row in rows:
        body.append(
            (
                f"{row.operations:,}",
                f"{row.stat('ours', 'cpu') / row.operations * 1000:.1f} ms",
                f"{row.stat('peer', 'cpu') / row.operations * 1000:.1f} ms",
            )
        )
    exponents: dict[str, float] = {}
    if len(rows) >= 2:
        first, last = rows[-2], rows[-1]
        for who in ("ours", "peer"):
            growth = last.stat(who, "cpu") / first.stat(who, "cpu")
            exponents[who] = math.log(growth) / math.log(last.operations / first.operations)
    return table(("operations", "ours CPU per op", "peer CPU per op"), body), exponents


def daily_table(loop: DailyLoop) -> str:
    """Each case of the daily loop, and its wall and CPU time as a share of the peer's."""
    peer = loop.samples.get("peer", [])
    peer_wall, peer_cpu = median([s.wall for s in peer]), median([s.cpu for s in peer])
    rows = []
    for case, what in DAILY_CASES:
        samples = loop.samples.get(case, [])
        if not samples:
            continue
        wall, cpu = median([s.wall for s in samples]), median([s.cpu for s in samples])
        rows.append(
            (
                what.format(p=loop.provider),
                str(len(samples)),
                f"{wall:.2f} s",
                f"{cpu:.2f} s",
                f"{median([s.tree_mb for s in samples]):.0f} MB",
                f"{wall / peer_wall:.2f}×",
                f"{cpu / peer_cpu:.2f}×",
            )
        )
    header = ("run", "runs", "wall", "CPU", "peak", "× peer wall", "× peer CPU")
    return table(header, rows)


def runtime_table(runtime: dict[str, float]) -> str:
    rows = []
    for who in ("floor", "ours", "peer"):
        if f"{who} sync" not in runtime:
            continue
        sync, asynchronous = runtime[f"{who} sync"], runtime[f"{who} async"]
        rows.append(
            (
                {"floor": "floor (httpx + json + pydantic)", "ours": "gpuworkers", "peer": PEER}[
                    who
                ],
                f"{sync:.0f} µs",
                f"{sync / runtime['floor sync']:.2f}×",
                f"{asynchronous:.0f} µs",
                f"{asynchronous / runtime['floor async']:.2f}×",
            )
        )
    return table(("client", "sync per call", "× floor", "async per call", "× floor"), rows)


def imports_table(imports: dict[str, dict[str, Timing]]) -> str:
    """Each statement, with its CPU time against ``import httpx, pydantic`` and against the
    baseline that does the same step's work without gpuworkers."""
    baselines = imports["baseline"]
    rows = []
    for step, group in imports.items():
        same = baselines[BASELINES[step]].cpu if step in BASELINES else math.nan
        rows += [
            (
                step,
                f"`{s}`",
                f"{v.wall:.0f} ms",
                f"{v.cpu:.0f} ms",
                f"{v.cpu / baselines[BASELINE].cpu:.2f}×",
                _ratio(v.cpu, same),
            )
            for s, v in group.items()
        ]
    header = ("step", "statement", "wall", "CPU", f"× `{BASELINE}`", "× the step's baseline")
    return table(header, rows)


def stages_table(stages: list[tuple[str, float]]) -> str:
    total = sum(seconds for _, seconds in stages) or 1.0
    rows = [(name, f"{s:.2f} s", f"{s / total:.0%}") for name, s in stages]
    return table(("stage", "CPU", "share"), rows)


def plot(rows: list[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    operations = [r.operations for r in rows]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    for who, label, marker in (("ours", "gpuworkers", "o"), ("peer", PEER, "s")):
        values = [r.stat(who, "wall") for r in rows]
        axes.plot(operations, values, marker=marker, label=label)
        for x, y in zip(operations, values, strict=True):
            axes.annotate(
                f"{y:.1f} s", (x, y), textcoords="offset points", xytext=(4, -12), fontsize=8
            )
    if rows:
        last = rows[-1]
        slope = last.stat("ours", "wall") / last.operations
        axes.plot(
            operations,
            [slope * n for n in operations],
            ":",
            color="grey",
            label="linear (through ours' last point)",
        )
    axes.margins(x=0.12)  # room for the last point's label
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("operations in the OpenAPI document (synthetic)")
    axes.set_ylabel("full regeneration, wall seconds (median)")
    axes.set_title("Generation time: gpuworkers vs " + PEER)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)

"""What a run prints while it works: progress per provider and stage, warnings, the summary.

On a terminal, a live display (rich) shows each provider's current stage, with a bar
while a large provider's models are generated in chunks.  Elsewhere (CI, a pipe) each
stage is one line on stderr, ``yotta: validating``.  ``--quiet`` prints only the summary
and errors.  Standard library only at import: rich loads when the display starts, and a
no-op run (``generator.perf.stamp``) prints its summary through here without it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from generator.perf.stamp import ProviderRecord

# The stages of one provider, in order (``formatting`` includes the import check).
STAGES = ("reading", "validating", "lowering", "clients", "models", "formatting")


class Progress:
    """One line per stage on ``out`` (stderr), or nothing when quiet."""

    def __init__(self, out: TextIO, *, quiet: bool = False) -> None:
        self.out = out
        self.quiet = quiet

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stage(self, provider: str, name: str) -> None:
        if not self.quiet:
            print(f"{provider}: {name}", file=self.out, flush=True)

    def advance(self, provider: str, done: int, total: int) -> None:
        """``done`` of ``total`` parts of the provider's current stage (model chunks)."""

    def stop(self) -> None:
        """End the live display, if any (before the summary is printed)."""


class LiveProgress(Progress):
    """rich's live display on a terminal: one row per provider, a bar for chunked models."""

    def __init__(self, out: TextIO, providers: Sequence[str]) -> None:
        super().__init__(out)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichProgress

        self._live = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.fields[provider]:<12}"),
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=out),
            transient=True,
        )
        self._tasks: dict[str, Any] = {}
        for provider in providers:
            self._tasks[provider] = self._live.add_task(
                "waiting", provider=provider, total=len(STAGES), visible=True
            )
        self._live.start()

    def stage(self, provider: str, name: str) -> None:
        task = self._task(provider)
        done = STAGES.index(name) if name in STAGES else 0
        self._live.update(task, description=name, completed=done, total=len(STAGES))

    def advance(self, provider: str, done: int, total: int) -> None:
        self._live.update(self._task(provider), completed=done, total=total)

    def stop(self) -> None:
        self._live.stop()

    def _task(self, provider: str) -> Any:
        if provider not in self._tasks:
            self._tasks[provider] = self._live.add_task(
                "waiting", provider=provider, total=len(STAGES)
            )
        return self._tasks[provider]


def progress(out: TextIO, providers: Sequence[str], *, quiet: bool) -> Progress:
    """The live display on a terminal, else one line per stage (none when quiet)."""
    if not quiet and _is_terminal(out):
        try:
            return LiveProgress(out, providers)
        except ImportError:  # rich missing from a partial install: lines still work
            pass
    return Progress(out, quiet=quiet)


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def print_warnings(lines: Sequence[str], out: TextIO, *, quiet: bool) -> None:
    if not quiet:
        for line in lines:
            print(line, file=out)


def print_summary(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    """The per-provider table: provider, operations, models, warnings, changes."""
    table = [("provider", "operations", "models", "warnings", "changes"), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for index, row in enumerate(table):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=out,
        )
        if index == 0:
            print("  ".join("-" * width for width in widths), file=out)


def replay(
    command: str,
    out_name: str,
    specs_name: str,
    records: Mapping[str, ProviderRecord],
    *,
    quiet: bool,
    seconds: float,
) -> int:
    """What a run with nothing to do prints (``generator.perf.stamp``): the stamped run's
    warnings, then ``check``'s verdict or ``generate``'s summary."""
    for name in sorted(records):
        print_warnings(records[name].warnings, sys.stderr, quiet=quiet)
    if command == "check":
        print(up_to_date_line(out_name, specs_name))
        return 0
    rows = [
        (name, str(r.operations), str(r.models), str(len(r.warnings)), "0")
        for name, r in sorted(records.items())
    ]
    print_summary(rows, sys.stdout)
    print(
        f"\n0 file(s) changed in {out_name}/ ({seconds:.2f} s; nothing changed since the last run)"
    )
    return 0


def up_to_date_line(out_name: str, specs_name: str) -> str:
    return f"{out_name}/ is up to date with {specs_name}/"

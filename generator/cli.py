"""``python -m generator generate | check``: the maintainer's commands.

No logic lives here: the command line parses arguments, calls the pipeline and
the writer, and prints diagnostics and a summary.  Spec problems are printed as
``file:line: error: message (hint: ...)`` lines, never as a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import tomllib
from pathlib import Path
from typing import TextIO

from generator.diagnostics import Diagnostic
from generator.emit import ProviderOutput, render_package
from generator.emit.writer import WriteError, compare, stage, swap
from generator.pipeline import ProviderBuild, build_provider, discover_providers, from_snapshot

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--specs", type=Path, default=ROOT / "specs", help="specs folder")
    parser.add_argument("--out", type=Path, default=ROOT / "generated", help="generated folder")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    generate = commands.add_parser(
        "generate", help="regenerate clients from specs/ into generated/"
    )
    generate.add_argument("providers", nargs="*", help="only these providers (default: all)")
    generate.set_defaults(run=_generate)
    check = commands.add_parser("check", help="fail if generated/ is not what specs/ produce")
    check.set_defaults(run=_check, providers=[])
    return parser


def _generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    builds = _build_all(args.specs, sys.stderr, args.providers, args.out)
    if builds is None:
        print("nothing was written: generated/ is unchanged", file=sys.stderr)
        return 1
    try:
        staging = stage(_render(builds, args.specs), args.out)
    except WriteError as exc:
        print(f"error: {exc}\nnothing was written: generated/ is unchanged", file=sys.stderr)
        return 1
    drift = compare(staging, args.out)
    swap(staging, args.out)
    _summary(builds, sys.stdout)
    changed = len(drift.added) + len(drift.removed) + len(drift.changed)
    print(
        f"\n{changed} file(s) changed in {args.out.name}/ ({time.perf_counter() - started:.2f} s)"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    builds = _build_all(args.specs, sys.stderr)
    if builds is None:
        return 1
    try:
        staging = stage(_render(builds, args.specs), args.out)
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        drift = compare(staging, args.out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if drift.clean:
        print(f"{args.out.name}/ is up to date with {args.specs.name}/")
        return 0
    print(
        f"{args.out.name}/ is stale: run `python -m generator generate` and commit the result",
        file=sys.stderr,
    )
    for label, paths in (
        ("added", drift.added),
        ("removed", drift.removed),
        ("changed", drift.changed),
    ):
        for path in paths:
            print(f"  {label:8} {args.out.name}/{path}", file=sys.stderr)
    return 1


def _build_all(
    specs: Path, out: TextIO, only: list[str] | None = None, generated: Path | None = None
) -> list[ProviderBuild] | None:
    """Build every provider.

    With ``only``, the other providers stay as they are in ``generated``: re-rendered from
    their snapshots, or left out when they have none yet.
    """
    names = discover_providers(specs)
    if not names:
        print(
            f"error: no provider found in {specs} (expected {specs.name}/<provider>/provider.toml)",
            file=out,
        )
        return None
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        print(
            f"error: no provider named {', '.join(unknown)} (known: {', '.join(names)})", file=out
        )
        return None
    builds = []
    for name in names:
        if only and name not in only:
            kept = from_snapshot(generated, name) if generated else None
            if kept is not None:
                builds.append(kept)
            continue
        print(f"reading {name} ...", file=out, flush=True)
        builds.append(build_provider(specs, name, _display(specs)))
    problems = [d for b in builds for d in b.diagnostics]
    _print_diagnostics(problems, out)
    if any(not b.ok for b in builds):
        failed = [b.name for b in builds if not b.ok]
        print(f"error: {', '.join(failed)} could not be generated", file=out)
        return None
    return builds


def _render(builds: list[ProviderBuild], specs: Path) -> dict[str, str]:
    outputs = [ProviderOutput(b.api, b.document) for b in builds if b.api and b.document]
    return render_package(outputs, _version(specs))


def _version(specs: Path) -> str:
    try:
        return str(tomllib.loads((specs / "package.toml").read_text("utf-8"))["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0.0.0"


def _display(specs: Path) -> str:
    try:
        return str(specs.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(specs)


def _print_diagnostics(diagnostics: list[Diagnostic], out: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=out)


def _summary(builds: list[ProviderBuild], out: TextIO) -> None:
    rows = [("provider", "operations", "models", "warnings")]
    for build in builds:
        assert build.api is not None
        rows.append(
            (
                build.name,
                str(len(build.api.operations)),
                str(len(build.api.schemas)),
                str(len(build.diagnostics.warnings)),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)), file=out
        )
        if index == 0:
            print("  ".join("-" * width for width in widths), file=out)

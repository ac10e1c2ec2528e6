"""``python -m generator generate | check``: the maintainer's commands.

No logic lives here: the command line parses arguments, calls the pipeline and
the writer, and prints diagnostics and a summary.  Spec problems are printed as
``file:line: error: message (hint: ...)`` lines, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import tomllib
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

from generator import arguments, console
from generator.changes import ChangeReport, report_against_snapshots, with_entry
from generator.diagnostics import Diagnostic
from generator.emit import ProviderOutput, render_package, start_early
from generator.emit.writer import (
    WriteError,
    compare,
    foreign_files,
    foreign_problem,
    locked,
    manifest,
    stage,
    swap,
    unusable_target,
)
from generator.perf import stamp, workers
from generator.pipeline import (
    ProviderBuild,
    build_provider,
    check_unique_names,
    discover_providers,
    from_snapshot,
)

ROOT = arguments.ROOT


def main(argv: list[str] | None = None, verdict: stamp.Verdict | None = None) -> int:
    """Run the command; ``verdict`` is the input stamp's, when ``__main__`` examined it."""
    args = arguments.parse(argv)
    if verdict is None:
        verdict = stamp.examine(args.specs, args.out)
    if args.force:
        verdict.reusable = {}
    args.verdict = verdict
    try:
        return _generate(args) if args.command == "generate" else _check(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug here is still one line, not a traceback
        _internal_error(", ".join(args.providers) or "all providers", exc, sys.stderr)
        return 1


def _generate(args: argparse.Namespace) -> int:
    problem = unusable_target(args.out, contents=False)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        with locked(args.out, sys.stderr):
            return _generate_locked(args)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {_os_problem(exc)}", file=sys.stderr)
        return 1


def _os_problem(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where} (hint: check the folder's permissions and free space)"


def _generate_locked(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with _progress(args) as shown:
        return _generate_shown(args, shown, started)


def _progress(args: argparse.Namespace) -> console.Progress:
    names = [
        name
        for name in discover_providers(args.specs)
        if name not in args.verdict.reusable and (not args.providers or name in args.providers)
    ]
    return console.progress(sys.stderr, names, quiet=args.quiet)


def _generate_shown(args: argparse.Namespace, shown: console.Progress, started: float) -> int:
    builds = _build_all(args, sys.stderr, shown, args.providers)
    if builds is None:
        print("nothing was written: generated/ is unchanged", file=sys.stderr)
        return 1
    release = _release(builds, args.specs, args.out)
    if release is None:
        print("nothing was written: generated/ is unchanged", file=sys.stderr)
        return 1
    if args.fail_on_breaking and release.report.breaking:
        _print_report(release, sys.stderr)
        print(
            f"error: {release.report.breaking} breaking change(s) and --fail-on-breaking\n"
            "nothing was written: generated/ is unchanged",
            file=sys.stderr,
        )
        return 1
    kept = _kept(args, builds)
    files = _render(builds, release, shown, kept)
    if files is None:
        return 1
    problem = unusable_target(args.out, contents=True)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        staging = _stage(files, args.out, builds, shown, final=_paths(kept))
    except WriteError as exc:
        print(f"error: {exc}\nnothing was written: generated/ is unchanged", file=sys.stderr)
        return 1
    foreign = foreign_files(staging, args.out)
    if foreign:
        shutil.rmtree(staging, ignore_errors=True)
        print(
            f"error: {foreign_problem(foreign, args.out)}\n"
            "nothing was written: generated/ is unchanged",
            file=sys.stderr,
        )
        return 1
    drift = compare(staging, args.out)
    swap(staging, args.out)
    if release.version != release.previous:
        _write_version(args.specs, release.version)
    _save_stamp(args, builds)
    shown.stop()
    _summary(builds, release.report, args.verdict.reusable, sys.stdout)
    _print_report(release, sys.stdout)
    changed = len(drift.added) + len(drift.removed) + len(drift.changed)
    print(
        f"\n{changed} file(s) changed in {args.out.name}/ ({time.perf_counter() - started:.2f} s)"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        with locked(args.out, sys.stderr), _progress(args) as shown:
            return _check_locked(args, shown)
    except OSError as exc:
        print(f"error: cannot check {args.out}: {_os_problem(exc)}", file=sys.stderr)
        return 1


def _check_locked(args: argparse.Namespace, shown: console.Progress) -> int:
    builds = _build_all(args, sys.stderr, shown)
    if builds is None:
        return 1
    release = _release(builds, args.specs, args.out)
    kept = _kept(args, builds)
    files = _render(builds, release, shown, kept) if release is not None else None
    if release is None or files is None:
        return 1
    try:
        staging = _stage(files, args.out, builds, shown, kind="check", final=_paths(kept))
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        foreign = foreign_files(staging, args.out)
        drift = compare(staging, args.out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shown.stop()
    if foreign:  # said apart: they are not stale output, and generate would stop on them
        print(f"error: {foreign_problem(foreign, args.out)}", file=sys.stderr)
        drift.removed = [path for path in drift.removed if path not in foreign]
        if drift.clean:
            return 1
    if drift.clean:
        _save_stamp(args, builds)
        print(console.up_to_date_line(args.out.name, args.specs.name))
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
    if release.report:
        print("\ngenerate would record these API changes:", file=sys.stderr)
        _print_report(release, sys.stderr)
    return 1


@dataclass(frozen=True)
class _Release:
    """What a generate run records: the API changes, the version before and after."""

    report: ChangeReport
    previous: str
    version: str
    changelog: str | None  # the new generated/CHANGELOG.md, when there are changes


def _release(builds: list[ProviderBuild], specs: Path, out: Path) -> _Release | None:
    """The change report against generated/'s snapshots, and the version it leads to.

    ``check`` computes exactly this too (without writing it), so it compares with
    what ``generate`` would write from the current specs/package.toml.
    """
    apis = [b.api for b in builds if b.api is not None]
    try:
        report, unreadable = report_against_snapshots(apis, out, discover_providers(specs))
    except Exception as exc:  # noqa: BLE001 - a generator bug must not become a traceback
        _internal_error(", ".join(b.name for b in builds), exc, sys.stderr, stage="change report")
        return None
    for problem in unreadable:
        print(
            f"warning: cannot read the IR snapshot {problem}; no change report for it",
            file=sys.stderr,
        )
    previous = _version(specs)
    try:
        version = report.next_version(previous)
    except ValueError as exc:
        print(
            f'{_display(specs)}/package.toml: error: {exc} (hint: write version = "1.2.3")',
            file=sys.stderr,
        )
        return None
    changelog = None
    if report:
        path = out / "CHANGELOG.md"
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
        changelog = with_entry(existing, report.changelog_entry(version))
    return _Release(report, previous, version, changelog)


def _build_all(
    args: argparse.Namespace,
    out: TextIO,
    shown: console.Progress,
    only: list[str] | None = None,
) -> list[ProviderBuild] | None:
    """Build every provider.

    With ``only``, the other providers stay as they are in ``generated/``: re-rendered from
    their snapshots, or left out when they have none yet.  So do the providers whose folder
    did not change since the stamped run (``args.verdict.reusable``), whatever ``only`` says.
    """
    specs, generated, reusable = args.specs, args.out, args.verdict.reusable
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
    # With a model worker, each provider's models start as soon as it is lowered, while this
    # process validates it (``build_provider``'s ``on_early``).
    early = start_early if workers.current() is not None else None
    builds = []
    for name in names:
        if (only and name not in only) or name in reusable:
            try:
                kept = from_snapshot(generated, name)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                print(
                    f"error: {name}: cannot read its snapshot in {generated}/ "
                    f"({type(exc).__name__}: {exc}) (hint: regenerate it too: "
                    f"python -m generator generate {' '.join([*(only or []), name])})",
                    file=out,
                )
                builds.append(ProviderBuild(name))
                continue
            if kept is not None:
                builds.append(kept)
            continue
        try:
            on_stage = partial(shown.stage, name)
            builds.append(build_provider(specs, name, _display(specs), on_stage, early))
        except Exception as exc:  # noqa: BLE001 - a generator bug must not become a traceback
            _internal_error(name, exc, out)
            builds.append(ProviderBuild(name))  # failed; the other providers still report
    duplicates = check_unique_names(builds, specs, _display(specs))
    for name in sorted(reusable):
        console.print_warnings(reusable[name].warnings, out, quiet=args.quiet)
    problems = [d for b in builds for d in b.diagnostics] + duplicates.items
    _print_diagnostics(problems, out, quiet=args.quiet)
    if any(not b.ok for b in builds) or duplicates.errors:
        failed = ", ".join(b.name for b in builds if not b.ok) or "providers of the same name"
        print(f"error: {failed} could not be generated", file=out)
        return None
    return builds


def _kept(args: argparse.Namespace, builds: list[ProviderBuild]) -> dict[str, dict[str, str]]:
    """The files of each provider taken from its snapshot that the stamp says nothing changed
    for (its folder, the generator, the environment, ``generated/`` itself): as written."""
    written = manifest(args.out)
    kept = {}
    for build in builds:
        if build.spec is not None or build.name not in args.verdict.reusable or written is None:
            continue
        package = f"src/gpuworkers/{build.name}/"
        own = {f"openapi/{build.name}.json", f"ir/{build.name}.json"}
        paths = [path for path in written if path.startswith(package) or path in own]
        try:
            kept[build.name] = {path: (args.out / path).read_text("utf-8") for path in paths}
        except (OSError, UnicodeDecodeError):
            continue  # rendered again instead
    return kept


def _paths(kept: dict[str, dict[str, str]]) -> frozenset[str]:
    return frozenset(path for files in kept.values() for path in files)


def _render(
    builds: list[ProviderBuild],
    release: _Release,
    shown: console.Progress,
    kept: dict[str, dict[str, str]],
) -> dict[str, str] | None:
    outputs = [
        ProviderOutput(b.api, b.document, kept.get(b.name)) for b in builds if b.api and b.document
    ]
    try:
        files = render_package(outputs, release.version, shown)
    except Exception as exc:  # noqa: BLE001 - a generator bug must not become a traceback
        _internal_error(", ".join(b.name for b in builds), exc, sys.stderr, stage="emit")
        print("nothing was written: generated/ is unchanged", file=sys.stderr)
        return None
    if release.changelog is not None:
        files["CHANGELOG.md"] = release.changelog
    return files


def _stage(
    files: dict[str, str],
    out: Path,
    builds: list[ProviderBuild],
    shown: console.Progress,
    kind: str = "staging",
    final: frozenset[str] = frozenset(),
) -> Path:
    for build in builds:
        if build.spec is not None:  # built this run, not taken from its snapshot
            shown.stage(build.name, "formatting")
    return stage(files, out, kind=kind, final=final)


def _save_stamp(args: argparse.Namespace, builds: list[ProviderBuild]) -> None:
    """generated/ is now what specs/ produce: stamp it, for the next run's shortcut."""
    inputs, reusable = args.verdict.inputs, args.verdict.reusable
    records = {}
    for build in builds:
        if build.spec is not None and build.api is not None:
            records[build.name] = stamp.ProviderRecord(
                digest=inputs.providers.get(build.name, ""),
                operations=len(build.api.operations),
                models=len(build.api.schemas),
                warnings=[d.format() for d in build.diagnostics.warnings],
            )
        elif build.name in reusable:
            records[build.name] = reusable[build.name]
    stamp.save(args.out, inputs, records)


_VERSION_LINE = re.compile(r'^(version\s*=\s*)"[^"]*"', re.M)


def _version(specs: Path) -> str:
    try:
        return str(tomllib.loads((specs / "package.toml").read_text("utf-8"))["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0.0.0"


def _write_version(specs: Path, version: str) -> None:
    """Set the version in specs/package.toml, keeping its comments."""
    path = specs / "package.toml"
    text = path.read_text("utf-8") if path.is_file() else ""
    if _VERSION_LINE.search(text):
        text = _VERSION_LINE.sub(lambda m: f'{m.group(1)}"{version}"', text, count=1)
    else:
        text += f'version = "{version}"\n'
    path.write_text(text, encoding="utf-8")


# Which pipeline stage a generator module belongs to, for internal-error messages.
_STAGES = (
    ("generator/readers/", "read"),
    ("generator/merge.py", "merge"),
    ("generator/overlay.py", "overlay"),
    ("generator/provider.py", "provider settings"),
    ("generator/validate.py", "validate"),
    ("generator/lower", "lower"),
    ("generator/emit/", "emit"),
)


def _internal_error(provider: str, exc: BaseException, out: TextIO, stage: str = "") -> None:
    """One line for a bug in the generator; the traceback only with GPUWORKERS_DEBUG=1."""
    frames = [
        frame.filename.replace(os.sep, "/") for frame in traceback.extract_tb(exc.__traceback__)
    ]
    for filename in frames[1:] if not stage else []:
        stage = next((name for part, name in _STAGES if part in filename), "")
        if stage:
            break
    where = f" in the {stage} stage" if stage else ""
    print(
        f"error: {provider}: internal error{where}: {type(exc).__name__}: {exc} "
        "(hint: this is a bug in the generator, not in your specs: please report it with the "
        "spec that triggers it; GPUWORKERS_DEBUG=1 shows the traceback)",
        file=out,
    )
    if os.environ.get("GPUWORKERS_DEBUG"):
        traceback.print_exception(exc, file=out)


def _display(specs: Path) -> str:
    """specs/ as pages' paths begin, in messages and in the ``x-source`` of the output.

    Relative to the specs folder's parent, never to the working directory: what is generated
    must not depend on where the command runs.
    """
    return specs.resolve().name


def _print_diagnostics(diagnostics: list[Diagnostic], out: TextIO, *, quiet: bool) -> None:
    for diagnostic in diagnostics:
        if diagnostic.level == "error" or not quiet:
            print(diagnostic.format(), file=out)


def _summary(
    builds: list[ProviderBuild],
    report: ChangeReport,
    reused: dict[str, stamp.ProviderRecord],
    out: TextIO,
) -> None:
    changes = {p.provider: p.summary() for p in report.providers}
    rows = []
    for build in builds:
        assert build.api is not None
        warnings = len(build.diagnostics.warnings)
        if build.spec is None and build.name in reused:
            warnings = len(reused[build.name].warnings)
        rows.append(
            (
                build.name,
                str(len(build.api.operations)),
                str(len(build.api.schemas)),
                str(warnings),
                changes.get(build.api.name, "0"),
            )
        )
    console.print_summary(rows, out)


def _print_report(release: _Release, out: TextIO) -> None:
    if not release.report:
        return
    report = release.report
    print(
        f"\nAPI changes: {len(report.changes)} ({report.breaking} breaking); "
        f"version {release.previous} -> {release.version}",
        file=out,
    )
    for line in report.lines():
        print(f"  {line}", file=out)

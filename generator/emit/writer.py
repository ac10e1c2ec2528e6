"""Write rendered files safely: stage, format with ruff, import-check, then swap.

``generated/`` is only replaced once the whole new tree is built, formatted and
importable; on any failure it is left byte for byte as it was.  Everything in progress
lives in one ignored folder beside it, ``.generated-work/`` (``work_dir``): the staged
trees, the old tree during a swap, and the lock that serializes runs (``locked``).  The
swap is one atomic exchange of the two trees where the system has it (Linux); elsewhere
two renames, and a run killed between them is repaired by the next (``recover``).
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from generator import import_check
from generator.emit import HEADER
from generator.emit.problems import located, ruff_problems
from generator.perf import staged, workers
from generator.perf.stamp import work_dir

# Files in generated/ that the generator owns but does not re-render each run.
PRESERVED = ("CHANGELOG.md",)
# The list of every file the last run wrote: a file in generated/ that is in neither it nor
# the new tree was put there by someone else, and is never deleted without a word.
MANIFEST = ".generated-files"


class WriteError(Exception):
    """Formatting or importing the staged package failed; generated/ is untouched."""


@dataclass
class Drift:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)


# How the generated package's __init__.py begins: a folder holding it is one generated before.
_GENERATED_MARK = HEADER.split("{", 1)[0]


def unusable_target(target: Path, *, contents: bool) -> str | None:
    """Why ``target`` must not be replaced, if it must not: it is a file, a link, or (with
    ``contents``) a folder with files in it that the generator did not write."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return f"{target} is not a folder; nothing was written (hint: give --out a folder)"
    if not contents or not target.is_dir() or not any(target.iterdir()):
        return None
    marker = target / "src" / "gpuworkers" / "__init__.py"
    try:
        ours = marker.read_text(encoding="utf-8").startswith(_GENERATED_MARK)
    except (OSError, UnicodeDecodeError):
        ours = False
    if ours:
        return None
    return (
        f"{target} holds files the generator did not write; nothing was written "
        "(hint: give --out a new or empty folder, or one it generated before)"
    )


@contextlib.contextmanager
def locked(target: Path, out: TextIO) -> Iterator[None]:
    """Hold the lock of ``target``'s work folder (waiting, and saying so, while another run
    holds it), after repairing what a killed run left."""
    work = work_dir(target)
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "lock", "a+", encoding="utf-8") as handle:
        _lock(handle, target, out)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        recover(target, out)
        yield


def _lock(handle: TextIO, target: Path, out: TextIO) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: runs are not serialized
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        print(
            f"waiting for another generator run on {target.name}/ (pid {holder}) to finish ...",
            file=out,
            flush=True,
        )
        fcntl.flock(handle, fcntl.LOCK_EX)


def recover(target: Path, out: TextIO) -> None:
    """Put back the old tree a run killed mid-swap left without ``target``; drop leftovers."""
    work = work_dir(target)
    olds = sorted(work.glob("old-*"), key=lambda path: path.stat().st_mtime)
    if olds and not target.exists():
        olds.pop().rename(target)
        print(f"restored {target.name}/ from an interrupted run", file=out)
    for leftover in [*olds, *(p for k in ("staging", "check", "pyc") for p in work.glob(f"{k}-*"))]:
        shutil.rmtree(leftover, ignore_errors=True)


def stage(
    files: dict[str, str], target: Path, kind: str = "staging", final: frozenset[str] = frozenset()
) -> Path:
    """Write ``files`` into a new folder in ``target``'s work folder, formatted and checked;
    those named in ``final`` are as a run formatted them before, and not formatted again."""
    work = work_dir(target)
    work.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=work))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for name in PRESERVED:
            if (target / name).exists() and name not in files:
                shutil.copy2(target / name, staging / name)
        _format(staging, {path: text for path, text in files.items() if path not in final})
        _write_manifest(staging)
        parts = staged.to_import(staging, files)
        if parts:
            _import_check(staging, files, parts)
            staged.remember_imported(staging, files, parts)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: at no moment is there no ``target``, or (without
    an atomic exchange) ``recover`` can put the old one back.  Build outputs and tool caches
    in ``target`` (``build/``, ``*.egg-info``, ...) are carried over into the new tree."""
    if target.exists():
        carry_over(target, staging)
    if not target.exists():
        staging.rename(target)
    elif _exchange(staging, target):  # staging now holds the old tree
        shutil.rmtree(staging, ignore_errors=True)
    else:
        old = work_dir(target) / f"old-{os.getpid()}"
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False when the
    system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library without it
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def compare(staging: Path, target: Path) -> Drift:
    drift = Drift()
    new = _tree(staging)
    current = _tree(target) if target.exists() else set()
    drift.added = sorted(new - current)
    drift.removed = sorted(current - new)
    drift.changed = sorted(
        rel for rel in new & current if not filecmp.cmp(staging / rel, target / rel, shallow=False)
    )
    return drift


# Tool caches and build outputs that appear in generated/ when it is linted, tested or
# installed (`pip install ./generated` leaves build/ and src/gpuworkers.egg-info/): never
# compared, never deleted, carried over by each swap.
_NOT_OURS = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist")


def _not_ours(name: str) -> bool:
    return name in _NOT_OURS or name.endswith(".egg-info")


def _tree(root: Path) -> set[str]:
    files = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or any(_not_ours(part) for part in relative.parts):
            continue
        files.add(relative.as_posix())
    return files


def _write_manifest(staging: Path) -> None:
    listed = sorted(_tree(staging) | {MANIFEST})
    text = "# Every file the generator wrote here; any other file is yours.\n"
    (staging / MANIFEST).write_text(text + "\n".join(listed) + "\n", encoding="utf-8")


def manifest(root: Path) -> set[str] | None:
    """Every file the last run wrote in ``root`` (its manifest); None for a tree without one."""
    try:
        text = (root / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def foreign_files(staging: Path, target: Path) -> list[str]:
    """Files in ``target`` that neither the last run (its manifest) nor this one wrote,
    build outputs and caches aside.  A tree from before manifests: none (all were ours)."""
    if not target.is_dir():
        return []
    written = manifest(target)
    if written is None:
        return []
    return sorted(_tree(target) - written - _tree(staging))


def foreign_problem(foreign: list[str], target: Path) -> str:
    listed = ", ".join(f"{target.name}/{path}" for path in foreign[:10])
    more = f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""
    return (
        f"{target.name}/ holds {len(foreign)} file(s) the generator did not write: "
        f"{listed}{more} (hint: move them out of {target.name}/, which holds only generated "
        "files; build outputs such as build/, dist/ and *.egg-info are kept)"
    )


def _outputs(root: Path) -> Iterator[Path]:
    """The build-output and cache folders (and files) under ``root``, outermost only."""
    for path in sorted(root.iterdir()):
        if _not_ours(path.name):
            yield path
        elif path.is_dir() and not path.is_symlink():
            yield from _outputs(path)


def carry_over(target: Path, staging: Path) -> None:
    """Copy ``target``'s build outputs into the same places in ``staging`` (copied, not
    moved: a run killed before the swap leaves ``target`` whole).  Those inside a package
    folder that the new tree no longer has are caches of removed modules, and dropped."""
    for path in _outputs(target):
        relative = path.relative_to(target)
        destination = staging / relative
        if not destination.parent.is_dir() or destination.exists():
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.copytree(path, destination, symlinks=True)
        else:
            shutil.copy2(path, destination, follow_symlinks=False)


def _ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    from ruff.__main__ import find_ruff_bin

    return subprocess.run(
        [os.fsdecode(find_ruff_bin()), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _format(staging: Path, files: dict[str, str]) -> None:
    """ruff's fixes and formatting, on the Python files it has not seen before (``staged``);
    and on the README's code examples, where ruff formats Markdown (a long client name
    must not leave an example that ``ruff format --check`` flags)."""
    pending = staged.restore_formatted(staging, files)
    python = [relative for relative in pending if relative.endswith(".py")]
    if python:
        _run_ruff(staging, python)
    if "README.md" in pending:
        # A ruff that does not format Markdown refuses the file: nothing to do then.
        _ruff("format", "--quiet", "--no-cache", "README.md", cwd=staging)
    staged.remember_formatted(staging, files, pending)


def _run_ruff(staging: Path, paths: list[str]) -> None:
    options = ("--quiet", "--no-cache")
    fix = _ruff("check", "--fix", *options, "--output-format=json", *paths, cwd=staging)
    if fix.returncode == 1 and fix.stdout.strip():  # problems that --fix cannot fix
        raise WriteError("the generated code fails ruff:\n" + ruff_problems(staging, fix.stdout))
    if fix.returncode != 0:
        last = (fix.stderr.strip() or "(no output)").splitlines()[-1]
        raise WriteError(f"ruff check could not run on the generated code: {last}")
    formatted = _ruff("format", *options, *paths, cwd=staging)
    if formatted.returncode != 0:
        raise WriteError("ruff format on the generated code failed:\n" + formatted.stderr)


def _import_check(staging: Path, files: dict[str, str], parts: list[str]) -> None:
    """Import the generated modules of ``parts`` (``staged.to_import``: the providers not
    imported before as they are, and always the package's shared modules) in an interpreter
    that has not loaded ``gpuworkers``.

    That is a model worker when there is one (``generator.workers``: idle by now, and it
    has pydantic loaded already), else a fresh interpreter.  Packages load lazily, so every
    module is named; each provider's models first, the slowest to run.  Meanwhile this
    process compiles the modules the other imports last (``_precompile``).
    """
    wanted = {staged.PACKAGE, *parts}
    modules = sorted(
        (
            rel[len("src/") : -len(".py")].replace("/", ".").removesuffix(".__init__")
            for rel in files
            if rel.startswith("src/gpuworkers/")
            and rel.endswith(".py")
            and staged.part_of(rel) in wanted
        ),
        key=_import_order,
    )
    source = staging / "src"
    bytecode = Path(tempfile.mkdtemp(prefix="pyc-", dir=staging.parent))
    try:
        failure = _import_in_background(source, modules, bytecode)
    finally:
        shutil.rmtree(bytecode, ignore_errors=True)
    if failure:
        place = re.match(r"(src/\S+?\.py):(\d+): (.*)", failure)
        if place is None:
            raise WriteError(f"the generated package does not import: {failure}")
        problem = located(staging, place[1], int(place[2]), f"does not import: {place[3]}")
        raise WriteError(f"the generated package does not import:\n{problem}")


def _import_order(module: str) -> tuple[str, int, str]:
    """A provider's models right after its package: they take longest to run, and while
    they do, this process compiles the rest."""
    parent, _, last = module.rpartition(".")
    if last == "models":
        return (parent, 0, "")
    return (module, 1, "")


def _import_in_background(source: Path, modules: list[str], bytecode: Path) -> str | None:
    """``import_check.import_modules`` on a worker or in a fresh interpreter, while this
    process compiles; its failure, if any."""
    arguments = (str(source), modules, str(bytecode))
    future = workers.submit(import_check.import_modules, *arguments)
    if future is not None:
        _precompile(source, modules, bytecode, until=future.done)
        try:
            return future.result()
        except (BrokenProcessPool, RuntimeError):  # no worker after all: a fresh interpreter
            pass
    program = Path(import_check.__file__).read_text("utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)  # only the staged package is put on the path
    with subprocess.Popen(
        [sys.executable, "-c", f"{program}\nraise SystemExit(import_modules(*{arguments!r}))\n"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        _precompile(source, modules, bytecode, until=lambda: process.poll() is not None)
        _, stderr = process.communicate()
    if process.returncode == 0:
        return None
    lines = stderr.strip().splitlines()
    return lines[-1] if lines else "(no output)"


def _precompile(
    source: Path, modules: list[str], bytecode: Path, *, until: Callable[[], bool]
) -> None:
    """Compile ``modules`` last to first into ``bytecode`` (laid out as Python lays out
    ``sys.pycache_prefix``), until the import check is done: each one compiled before the
    check reaches it is loaded from here, and the two processes share the compiling.  A
    module the check reaches first is compiled there too; the result is the same."""
    tag = sys.implementation.cache_tag
    for module in reversed(modules):
        if until() or tag is None:
            return
        path = source.joinpath(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        # The folder as the importer spells it: joined to the working folder when relative,
        # never normalized (no `..` resolved, links kept), as `cache_from_source` does.
        folder = os.path.join(os.getcwd(), path.parent) if not path.is_absolute() else path.parent
        target = bytecode / str(folder).lstrip(os.sep) / f"{path.stem}.{tag}.pyc"
        try:
            py_compile.compile(str(path), cfile=str(target), doraise=True)
        except (py_compile.PyCompileError, OSError):
            continue  # the import check says what is wrong with it, where

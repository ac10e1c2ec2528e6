"""Import a staged ``gpuworkers`` package, module by module (standard library only).

Run in a model worker (``generator.workers``), or as the program of a fresh interpreter
when there is none: ``emit.writer`` passes this file's source to ``python -c``.
"""

from __future__ import annotations

import importlib
import sys
import traceback


def import_modules(source: str, modules: list[str]) -> str | None:
    """Import ``modules`` from ``source``; the first failure as its traceback's last line.

    Writes no bytecode into ``source`` and leaves the interpreter as it found it:
    ``source`` off the path, ``gpuworkers`` unloaded.
    """
    sys.path.insert(0, source)
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        for name in modules:
            importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - reported, whatever the generated code raised
        return _where(exc, source) + _last_line(exc)
    finally:
        sys.dont_write_bytecode = writes_bytecode
        sys.path.remove(source)
        for name in [m for m in sys.modules if m == "gpuworkers" or m.startswith("gpuworkers.")]:
            del sys.modules[name]
        importlib.invalidate_caches()
    return None


def _last_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(exc)).strip().splitlines()[-1]


def _where(exc: BaseException, source: str) -> str:
    """``src/gpuworkers/x/models.py:12: `` for the innermost frame in the staged package
    (a syntax error's own file and line), or nothing."""
    root = source.rstrip("/").rsplit("/", 1)[0] + "/"
    places = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, SyntaxError) and exc.filename:
        places.append((exc.filename, exc.lineno))
    for filename, line in reversed(places):
        if filename.startswith(source + "/"):
            return f"{filename[len(root) :]}:{line}: "
    return ""

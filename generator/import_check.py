"""Import a staged ``gpuworkers`` package, module by module (standard library only).

Run in a model worker (``generator.workers``), or as the program of a fresh interpreter
when there is none: ``emit.writer`` passes this file's source to ``python -c``.
"""

from __future__ import annotations

import gc
import importlib
import sys
import traceback


def import_modules(source: str, modules: list[str], bytecode: str | None = None) -> str | None:
    """Import ``modules`` from ``source``; the first failure as its traceback's last line.

    Writes no bytecode into ``source`` and leaves the interpreter with ``source`` off the
    path and ``gpuworkers`` unloaded (a ``gpuworkers`` loaded before, as in a worker forked
    from a process that had one, is unloaded first: the staged package is the one imported).
    ``bytecode``: a folder laid out as ``sys.pycache_prefix`` where the generator compiles
    modules meanwhile (``emit.writer``); a module whose bytecode is there, for its source
    as it is now (size and time, as Python checks), is not compiled again.
    """
    _unload()
    sys.path.insert(0, source)
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    prefix = sys.pycache_prefix
    if bytecode is not None:
        sys.pycache_prefix = bytecode
    # The cyclic collector paused: the thousands of model classes a large provider defines
    # are kept, not garbage, and the collector scanning them as they pile up was a sixth of
    # the check's time (1,000 operations: 2.95 s -> 2.43 s).  What the imports leave
    # unreachable waits for the collector's next run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in modules:
            importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - reported, whatever the generated code raised
        return _where(exc, source) + _last_line(exc)
    finally:
        sys.dont_write_bytecode = writes_bytecode
        sys.pycache_prefix = prefix
        sys.path.remove(source)
        _unload()
        if collecting:
            gc.enable()
    return None


def _unload() -> None:
    for name in [m for m in sys.modules if m == "gpuworkers" or m.startswith("gpuworkers.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def warm_up() -> None:
    """Load what every generated module imports, for a worker that will run the check.

    The generator's own copy of the runtime (``generator.runtime``, which the generated
    package's ``_runtime`` is copied from) imports httpx, pydantic and the rest, and builds
    a model, so pydantic's schema machinery is loaded too.  ``gpuworkers`` stays unloaded:
    the check still executes every staged module it names.
    """
    import pkgutil

    import generator.runtime

    for module in pkgutil.iter_modules(generator.runtime.__path__, "generator.runtime."):
        importlib.import_module(module.name)


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

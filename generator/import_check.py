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
        return "".join(traceback.format_exception_only(exc)).strip().splitlines()[-1]
    finally:
        sys.dont_write_bytecode = writes_bytecode
        sys.path.remove(source)
        for name in [m for m in sys.modules if m == "gpuworkers" or m.startswith("gpuworkers.")]:
            del sys.modules[name]
        importlib.invalidate_caches()
    return None

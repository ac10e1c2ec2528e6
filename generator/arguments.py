"""The command line's arguments (standard library only).

``python -m generator`` parses them before the generator loads, to decide from the input
stamp (``generator.perf.stamp``) whether the run has anything to do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_DESCRIPTION = (
    "Regenerate typed clients from the provider pages in specs/, "
    "or check that generated/ is what they produce."
)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return parser().parse_args(argv)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=_DESCRIPTION)
    parser.add_argument("--specs", type=Path, default=ROOT / "specs", help="specs folder")
    parser.add_argument("--out", type=Path, default=ROOT / "generated", help="generated folder")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    generate = commands.add_parser(
        "generate", help="regenerate clients from specs/ into generated/"
    )
    generate.add_argument("providers", nargs="*", help="only these providers (default: all)")
    generate.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 and write nothing when the API changes in a breaking way",
    )
    generate.set_defaults(command="generate")
    check = commands.add_parser("check", help="fail if generated/ is not what specs/ produce")
    check.set_defaults(command="check", providers=[], fail_on_breaking=False)
    for command in (generate, check):
        command.add_argument(
            "-q", "--quiet", action="store_true", help="print only the summary and errors"
        )
        command.add_argument(
            "--force",
            action="store_true",
            help="read and regenerate every provider, even when the input stamp says that "
            "nothing changed",
        )
    return parser

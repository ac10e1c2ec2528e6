"""The corpus table, for the terminal and for CORPUS.md."""

from __future__ import annotations

from collections.abc import Iterable

from tests.corpus.stages import DocumentResult

HEADER = (
    "document",
    "operations",
    "provider.toml",
    "generated",
    "ruff",
    "import",
    "mypy errors",
    "round-tripped",
    "of those a request can satisfy",
    "failed: client / document / mock / harness",
    "mock served",
    "time",
    "first error",
)


def row(result: DocumentResult) -> tuple[str, ...]:
    dash = "–"
    imported = dash if not result.generated else ("no" if result.import_error else "yes")
    reached = result.generated and result.import_error is None and result.calls
    return (
        result.document,
        str(result.operations),
        "minimal" if not result.filled else "+ " + ", ".join(result.filled),
        "yes" if result.generated else "no",
        dash if result.ruff_issues is None else str(result.ruff_issues),
        imported,
        dash if result.mypy_errors is None else str(result.mypy_errors),
        f"{result.round_tripped}/{result.operations} ({result.ratio:.0%})" if reached else dash,
        _satisfiable(result) if reached else dash,
        " / ".join(str(result.failed(fault)) for fault in FAULTS) if reached else dash,
        result.served or dash,
        f"{result.seconds:.1f} s (generate {result.generate_seconds:.1f} s)",
        result.error or dash,
    )


FAULTS = ("client", "document", "mock", "harness")


def _satisfiable(result: DocumentResult) -> str:
    """Round-tripped of the operations not failed as ``document`` (no request satisfies
    those: the table's ceiling for any client)."""
    possible = result.operations - result.failed("document")
    share = result.round_tripped / possible if possible else 0.0
    return f"{result.round_tripped}/{possible} ({share:.0%})"


def failures(result: DocumentResult) -> list[str]:
    """One line per operation that did not round-trip, whose fault first, the client's first."""
    failed = [call for call in result.calls if not call.ok]
    failed.sort(key=lambda call: FAULTS.index(call.fault) if call.fault in FAULTS else 0)
    return [f"[{call.fault or 'client'}] {call.operation}: {call.reason}" for call in failed]


def dynamic(result: DocumentResult) -> list[str]:
    """Operations that round-tripped only on Prism's generated response, or on one built from
    the schema when Prism's were both invalid (see calls._dynamic)."""
    return [f"{call.operation}: {call.note}" for call in result.calls if call.ok and call.note]


def text(results: Iterable[DocumentResult], error_width: int = 120) -> str:
    results = list(results)
    rows = [HEADER, *(_clip(row(r), error_width) for r in results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for result in results:
        failing = failures(result)
        if failing:
            lines += ["", f"{result.document}: {len(failing)} operation(s) did not round-trip"]
            lines += [f"  {line}" for line in failing]
    return "\n".join(lines) + "\n"


def markdown(results: Iterable[DocumentResult], preamble: str) -> str:
    results = list(results)
    lines = [preamble.rstrip(), ""]
    lines.append("| " + " | ".join(HEADER) + " |")
    lines.append("|" + "---|" * len(HEADER))
    for result in results:
        cells = row(result)
        lines.append("| " + " | ".join([*cells[:-1], _code(cells[-1])]) + " |")
    for result in results:
        failing = failures(result)
        if failing:
            lines += ["", f"### {result.document}: {len(failing)} operation(s) did not round-trip"]
            lines += ["", "```text", *failing, "```"]
        regenerated = dynamic(result)
        if regenerated:
            title = "round-tripped on a response other than the document's example (it was invalid)"
            lines += ["", f"### {result.document}: {len(regenerated)} operation(s) {title}"]
            lines += ["", "```text", *regenerated, "```"]
    return "\n".join(lines) + "\n"


def _clip(cells: tuple[str, ...], width: int) -> tuple[str, ...]:
    last = cells[-1]
    return (*cells[:-1], last if len(last) <= width else last[: width - 1] + "…")


def _code(value: str) -> str:
    """A table cell shown as code (messages hold ``<``, ``_`` and ``*``); pipes escaped."""
    if value == "–":
        return value
    return "`" + value.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"

"""A table row whose type is missing or unknown does not block a page: it is read as
`string` with a warning at the row, and a better source (another page, the overlay) wins.

The cases under ``untyped/`` were broken-input cases until the readers learned this; each is
one provider's specs folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import build_provider

CASES = Path(__file__).resolve().parent / "untyped"


def _show_all(case: str) -> tuple[list[str], dict[str, object]]:
    build = build_provider(CASES, case)
    assert build.ok and build.document is not None, [d.format() for d in build.diagnostics]
    warnings = [d.format() for d in build.diagnostics.warnings]
    for item in build.document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("name") == "showAll":
                    return warnings, parameter["schema"]
    raise AssertionError("no showAll parameter")


@pytest.mark.parametrize(
    ("case", "line", "said"),
    [
        ("text-tables-unknown-type", "page.txt:13", "has unknown type 'yes-or-no'"),
        ("md-tables-unknown-type", "page.md:17", "has unknown type 'yes-or-no'"),
        ("md-tables-row-missing-cells", "page.md:17", "has no type"),
    ],
)
def test_untyped_row_is_a_located_warning(case: str, line: str, said: str) -> None:
    warnings, _ = _show_all(case)
    assert f"specs/{case}/{line}: warning: field 'showAll' {said}; read as string" in "\n".join(
        warnings
    )


def test_alone_it_is_read_as_string() -> None:
    assert _show_all("text-tables-unknown-type")[1] == {"type": "string"}


@pytest.mark.parametrize("case", ["md-tables-unknown-type", "md-tables-row-missing-cells"])
def test_the_other_page_types_it(case: str) -> None:
    """The text page of the same API says boolean: the merge keeps it (and reports both)."""
    warnings, schema = _show_all(case)
    assert schema == {"type": "boolean"}
    assert any("parameters[2].schema.type: 'boolean' here, 'string'" in w for w in warnings)


def test_reference_text_field_without_a_recognisable_type() -> None:
    """Scraped reference text glues a field's type to its description; a word it cannot read
    is the field's description, and the field is a string until the overlay says otherwise."""
    case = "reference-text-unknown-type"
    build = build_provider(CASES, case)
    assert build.ok and build.document is not None
    [warning] = [d.format() for d in build.diagnostics.warnings]
    assert warning.startswith(
        f"specs/{case}/ref.txt:26: warning: field interval of WorkersGetActivityReportRequest"
        " has no recognisable type; read as string"
    )
    schema = build.document["components"]["schemas"]["WorkersGetActivityReportRequest"]
    assert schema["properties"]["interval"]["type"] == "string"

"""The small corpus documents in CI: each holds at least what it reached when last measured.

The same harness as ``nox -s corpus`` (which adds the two large documents and writes
CORPUS.md).  Raise a floor when the generator gets further on a document; a floor that
is no longer met is a regression.  Skipped without Prism (as tests/integration is) or
without ``shared/public-specs/`` beside the repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.corpus import documents, report
from tests.corpus.stages import run_document
from tests.integration.prism import PRISM_VERSION, prism_binary

PRISM = prism_binary()
SPECS = documents.public_specs()
pytestmark = [
    pytest.mark.skipif(
        PRISM is None,
        reason="Prism is not installed: "
        f"npm install --prefix .mock @stoplight/prism-cli@{PRISM_VERSION}",
    ),
    pytest.mark.skipif(SPECS is None, reason="no shared/public-specs/ beside the repository"),
]


@dataclass(frozen=True)
class Floor:
    generated: bool
    round_trip: float  # the share of the document's operations that must round-trip


# Measured with `nox -s corpus`; see CORPUS.md.
FLOORS = {
    "petstore.yaml": Floor(generated=True, round_trip=1.0),
    "oapc-baseline-3.0.json": Floor(generated=True, round_trip=0.90),
    "oapc-baseline-3.1.yaml": Floor(generated=True, round_trip=0.90),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_document_holds_its_floor(name: str, tmp_path: Path) -> None:
    assert SPECS is not None
    result = run_document(SPECS / name, tmp_path, PRISM)
    floor = FLOORS[name]
    summary = report.text([result])
    if not result.generated:
        # Not generated yet: the generator must say why in one line, located in the document,
        # or as its own one-line internal error (a generator bug), never as a traceback.
        clean = rf"({re.escape(name)}:\d+: error: |error: \w+: internal error in the )"
        assert re.match(clean, result.error) and "Traceback" not in result.error, summary
        assert not floor.generated, summary
        return
    assert result.ruff_issues == 0, summary
    assert result.import_error is None, summary
    assert result.mypy_errors == 0, summary
    assert result.ratio >= floor.round_trip, summary
    # What fails there is the document's or Prism's (see CORPUS.md), never the client's.
    assert result.failed("client") == 0 and result.failed("harness") == 0, summary

"""The OpenAPI reader never raises: broken documents become diagnostics (fuzzed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic
from generator.readers import Fragment, Page
from generator.readers.openapi import read_openapi
from tests.readers.fuzzing import FUZZ, line_mutations, mutate

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = (ROOT / "tests/specs/petstore/petstore.yaml").read_text(encoding="utf-8")
LINES = PETSTORE.splitlines()


def _checked(fragment: Fragment) -> Fragment:
    assert isinstance(fragment, Fragment)
    assert all(isinstance(d, Diagnostic) and d.location.file for d in fragment.diagnostics)
    return fragment


def test_the_petstore_reads_cleanly() -> None:
    fragment = _checked(read_openapi(Page("petstore.yaml", PETSTORE)))
    assert fragment.diagnostics == [] and len(fragment.document["paths"]) == 2


@FUZZ
@given(st.text(), st.sampled_from(["page.md", "page.yaml", "page.json"]))
def test_random_text_never_raises(text: str, name: str) -> None:
    _checked(read_openapi(Page(name, text)))


@FUZZ
@given(line_mutations(len(LINES), '{}[]":,#&*!|>- $refabc0123\\'))
def test_mutated_document_never_raises(mutations: list[tuple[int, str, str]]) -> None:
    text = mutate(LINES, mutations)
    _checked(read_openapi(Page("petstore.yaml", text)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@FUZZ
@given(st.sampled_from(["paths", "components", "info", "openapi"]), JSON_VALUES, st.booleans())
def test_wrong_shapes_never_raise(key: str, value: Any, fenced: bool) -> None:
    """Any JSON value in a place where the document expects a particular shape."""
    document = yaml.safe_load(PETSTORE)
    document[key] = value
    text = json.dumps(document)
    if fenced:
        _checked(read_openapi(Page("page.md", f"# API\n\n```json\n{text}\n```\n")))
    else:
        _checked(read_openapi(Page("page.json", text)))

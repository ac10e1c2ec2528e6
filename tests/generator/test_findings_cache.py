"""The validation findings of a document that differs from one seen before only in its
prose (descriptions, summaries) are taken from the cache, unless they quote that prose."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics
from generator.validate import validate_document

ROOT = Path(__file__).resolve().parents[2]


def _document(description: str, summary: str = "List the items") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Doc", "version": "1", "description": description},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "summary": summary,
                    "description": description,
                    "parameters": [
                        # A default its schema rejects: a warning that quotes no prose.
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "default": "ten"},
                        }
                    ],
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
    }


def _messages(document: dict[str, Any]) -> list[str]:
    diagnostics = Diagnostics()
    validate_document(document, diagnostics)
    return [f"{d.level}: {d.message}" for d in diagnostics.items]


def test_an_edited_description_reuses_the_findings_without_loading_the_validator(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    program = textwrap.dedent(
        """\
        import json, sys
        from generator.diagnostics import Diagnostics
        from generator.validate import validate_document
        diagnostics = Diagnostics()
        validate_document(json.loads(sys.argv[1]), diagnostics)
        print(json.dumps({
            "messages": [f"{d.level}: {d.message}" for d in diagnostics.items],
            "validator": "openapi_spec_validator" in sys.modules,
        }))
        """
    )

    def run(document: dict[str, Any]) -> dict[str, Any]:
        result = subprocess.run(
            [sys.executable, "-c", program, json.dumps(document)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"GPUWORKERS_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"},
        )
        return dict(json.loads(result.stdout))

    first = run(_document("Items, as a list."))
    assert first["validator"]
    assert any("default" in message for message in first["messages"])
    edited = run(_document("Items, as a list. Now paged.", summary="List the items, paged"))
    assert not edited["validator"]
    assert edited["messages"] == first["messages"]
    changed = _document("Items, as a list.")
    changed["paths"]["/items"]["get"]["parameters"][0]["schema"]["default"] = 10
    assert run(changed)["validator"]  # not only prose changed: validated again


def test_findings_that_quote_the_prose_are_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GPUWORKERS_CACHE_DIR", str(tmp_path / "cache"))

    def document(text: str) -> dict[str, Any]:
        found = _document("Items.")
        # A property whose schema is a string: the error quotes it.
        schema = {"type": "object", "properties": {"summary": text}}
        found["paths"]["/items"]["get"]["parameters"][0]["schema"] = schema
        return found

    first = _messages(document("first text"))
    assert any("'first text'" in message for message in first)
    second = _messages(document("second text"))
    assert any("'second text'" in message for message in second)
    assert not any("first text" in message for message in second)

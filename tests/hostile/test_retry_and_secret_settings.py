"""provider.toml: write statuses only with a reason beside them; idempotency key; secret fields."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.provider import load_provider

HEAD = '''name = "demo"
display_name = "Demo"
client_name = "Demo"
base_url = "https://demo.test"
secret_fields = ["env.value"]

[[pages]]
file = "demo.yaml"
format = "openapi"

[retry]
idempotency_header = "Idempotency-Key"
'''


def load(tmp_path: Path, statuses: str) -> tuple[object, list[str]]:
    (tmp_path / "provider.toml").write_text(HEAD + "\n[retry.non_idempotent_statuses]\n"
                                            + statuses, encoding="utf-8")
    diagnostics = Diagnostics()
    spec = load_provider(tmp_path, "specs/demo", diagnostics)
    return spec, [d.format() for d in diagnostics]


def test_declared_write_status_with_its_reason_is_read(tmp_path: Path) -> None:
    spec, problems = load(tmp_path, '503 = "maintenance: the server refuses before acting"\n')
    assert problems == []
    assert spec.retry.non_idempotent_statuses == {  # type: ignore[attr-defined]
        503: "maintenance: the server refuses before acting"
    }
    assert spec.retry.idempotency_header == "Idempotency-Key"  # type: ignore[attr-defined]
    assert spec.secret_fields == ("env.value",)  # type: ignore[attr-defined]


def test_write_status_without_a_reason_or_out_of_range_is_an_error(tmp_path: Path) -> None:
    spec, problems = load(tmp_path, '503 = "  "\n429 = "line one\\nline two"\n42 = "why"\n')
    assert spec is None
    assert len(problems) == 3
    assert all(p.startswith("specs/demo/provider.toml:") and ": error: retry." in p
               for p in problems)

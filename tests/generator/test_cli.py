"""The maintainer's commands, run as processes: outputs, exit statuses, safety of generated/."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.generator.conftest import ROOT, run_generator


def _digest(tree: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(tree.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(tree)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_committed_generated_tree_is_exactly_what_specs_produce() -> None:
    """The golden test: regenerating gives byte-identical output."""
    result = run_generator("check")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_generate_twice_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert run_generator("--out", str(out), "generate", "yotta").returncode == 0
    first = _digest(out)
    assert run_generator("--out", str(out), "generate", "yotta").returncode == 0
    assert _digest(out) == first


def test_check_lists_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__"))
    (out / "src/gpuworkers/yotta/client.py").write_text("# edited by hand\n")
    (out / "stray.txt").write_text("x")
    result = run_generator("--out", str(out), "check")
    assert result.returncode == 1
    assert "changed  generated/src/gpuworkers/yotta/client.py" in result.stderr
    # Not stale output but a file the generator did not write: said so, not "removed".
    assert "generated/ holds 1 file(s) the generator did not write: generated/stray.txt" in (
        result.stderr
    )
    assert "removed  generated/stray.txt" not in result.stderr


BROKEN_PAGES = [
    # (how the page is broken, expected message fragment, expected line)
    ("truncated", "invalid JSON/YAML", 8),
    ("empty", "no OpenAPI document found", 1),
    ("binary", "binary file", 1),
]


def _break_page(page: Path, how: str) -> None:
    text = page.read_text()
    if how == "truncated":
        lines = text.splitlines()
        lines[7] = lines[7][: len(lines[7]) // 2]
        page.write_text("\n".join(lines) + "\n")
    elif how == "empty":
        page.write_text("")
    elif how == "binary":
        page.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")


@pytest.mark.parametrize(("how", "message", "line"), BROKEN_PAGES)
def test_broken_page_names_file_line_and_leaves_generated_untouched(
    specs_copy: Path, tmp_path: Path, how: str, message: str, line: int
) -> None:
    out = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__"))
    before = _digest(out)
    _break_page(specs_copy / "yotta" / "elastic-deployments.md", how)
    result = run_generator("--specs", str(specs_copy), "--out", str(out), "generate", "yotta")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"elastic-deployments.md:{line}" in result.stderr
    assert message in result.stderr
    assert "generated/ is unchanged" in result.stderr
    assert _digest(out) == before


def test_overlay_action_that_matches_nothing_is_reported_with_its_line(
    specs_copy: Path, tmp_path: Path
) -> None:
    overlay = specs_copy / "yotta" / "overlay.yaml"
    overlay.write_text(overlay.read_text().replace("deploy/{id}/stop'", "deploy/{id}/halt'"))
    line = next(
        number for number, text in enumerate(overlay.read_text().splitlines(), start=1)
        if "deploy/{id}/halt'" in text
    )
    result = run_generator("--specs", str(specs_copy), "--out", str(tmp_path / "g"), "generate")
    assert result.returncode == 1
    assert f"overlay.yaml:{line}: error: overlay target" in result.stderr
    assert not (tmp_path / "g").exists()


def test_bad_provider_toml_is_reported_with_its_line(specs_copy: Path, tmp_path: Path) -> None:
    settings = specs_copy / "yotta" / "provider.toml"
    settings.write_text(settings.read_text().replace('base_url = "https://', 'base_url = "ftp://'))
    result = run_generator("--specs", str(specs_copy), "--out", str(tmp_path / "g"), "generate")
    assert result.returncode == 1
    assert "provider.toml:6: error: base_url" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_reported_in_one_run(specs_copy: Path, tmp_path: Path) -> None:
    overlay = specs_copy / "yotta" / "overlay.yaml"
    text = overlay.read_text().replace("deploy/{id}/stop'", "deploy/{id}/halt'")
    overlay.write_text(text.replace("deploy/{id}/start'", "deploy/{id}/resume'"))
    result = run_generator("--specs", str(specs_copy), "--out", str(tmp_path / "g"), "generate")
    assert result.stderr.count("error: overlay target") == 2


def test_unknown_provider_name() -> None:
    result = run_generator("--out", "/nonexistent/out", "generate", "nosuch")
    assert result.returncode == 1
    assert "no provider named nosuch" in result.stderr

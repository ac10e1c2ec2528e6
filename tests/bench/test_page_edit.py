"""The daily-loop benchmark's edit changes a page's content, and says so when it misses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.generation import REPO, EditMissed, PageEdit


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    return tmp_path / "specs"


@pytest.mark.parametrize("provider", ["yotta", "vast", "clearml", "everai"])
def test_each_apply_gives_the_description_a_new_suffix(specs: Path, provider: str) -> None:
    edit = PageEdit.find(specs, provider)
    original = edit.page.read_text("utf-8")
    edit.apply()
    first = edit.page.read_text("utf-8")
    edit.apply()
    second = edit.page.read_text("utf-8")
    assert len({original, first, second}) == 3
    assert f"{edit.text} {edit.tag}" in second
    assert second.replace(f" {edit.tag}", "") == original


def test_an_edit_not_in_the_output_stops_the_benchmark(specs: Path, tmp_path: Path) -> None:
    edit = PageEdit.find(specs, "yotta")
    edit.apply()
    client = tmp_path / "out" / "src" / "gpuworkers" / "yotta" / "client.py"
    client.parent.mkdir(parents=True)
    client.write_text(f'"""{edit.text}"""\n', "utf-8")
    with pytest.raises(EditMissed, match="did not reach"):
        edit.verify(tmp_path / "out")
    client.write_text(f'"""{edit.text} {edit.tag}"""\n', "utf-8")
    edit.verify(tmp_path / "out")

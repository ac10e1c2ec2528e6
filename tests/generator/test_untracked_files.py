"""`generated/` never loses a file silently.

Build outputs and caches (what `pip install ./generated`, mypy, ruff and pytest leave:
`build/`, `dist/`, `*.egg-info`, `__pycache__`) survive every regeneration untouched; any
other file the generator did not write stops the run, listed, and nothing is written.
Each test generates into a real temporary folder through the command line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.generator.conftest import ROOT, run_generator

PROVIDER_TOML = 'name = "{name}"\n\n[[pages]]\nfile = "petstore.yaml"\nformat = "openapi"\n'

# What a build and a test run leave in generated/, as pip, setuptools and Python write them.
BUILD_OUTPUTS = {
    "build/lib/gpuworkers/__init__.py": "# built\n",
    "build/bdist.linux-x86_64/marker": "",
    "dist/gpuworkers-0.1.0-py3-none-any.whl": "wheel",
    "src/gpuworkers.egg-info/PKG-INFO": "Metadata-Version: 2.1\n",
    "src/gpuworkers/__pycache__/__init__.cpython-311.pyc": "pyc",
    "src/gpuworkers/petstore/__pycache__/client.cpython-311.pyc": "pyc",
    ".mypy_cache/3.11/cache.json": "{}",
}


def _specs(root: Path, *names: str) -> Path:
    specs = root / "specs"
    for name in names:
        folder = specs / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "provider.toml").write_text(PROVIDER_TOML.format(name=name))
        shutil.copy(ROOT / "tests/specs/petstore/petstore.yaml", folder / "petstore.yaml")
    return specs


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Specs with two providers, generated once; each test copies the result."""
    root = tmp_path_factory.mktemp("untracked")
    specs = _specs(root, "petstore", "zoo")
    out = root / "generated"
    result = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    return specs, out


@pytest.fixture
def workspace(first_run: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    specs, out = first_run
    shutil.copytree(specs, tmp_path / "specs")
    shutil.copytree(out, tmp_path / "generated", symlinks=True)
    return tmp_path / "specs", tmp_path / "generated"


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_the_run_records_what_it_wrote(first_run: tuple[Path, Path]) -> None:
    _, out = first_run
    listed = (out / ".generated-files").read_text().splitlines()
    assert "src/gpuworkers/zoo/client.py" in listed
    assert "CHANGELOG.md" not in listed or (out / "CHANGELOG.md").is_file()
    every = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert every - {".lock"} <= set(listed[1:]) | {"CHANGELOG.md"}


def test_build_outputs_survive_a_regeneration(workspace: tuple[Path, Path]) -> None:
    specs, out = workspace
    for relative, text in BUILD_OUTPUTS.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text)

    result = run_generator("--specs", str(specs), "--out", str(out), "generate")

    assert result.returncode == 0, result.stderr
    for relative, text in BUILD_OUTPUTS.items():
        assert (out / relative).read_text() == text, relative
    check = run_generator("--specs", str(specs), "--out", str(out), "check")
    assert check.returncode == 0, check.stderr


def test_a_file_the_generator_did_not_write_stops_the_run(workspace: tuple[Path, Path]) -> None:
    specs, out = workspace
    (out / "NOTES.md").write_text("mine\n")
    (out / "src/gpuworkers/zoo/helpers.py").write_text("X = 1\n")
    before = _snapshot(out)

    result = run_generator("--specs", str(specs), "--out", str(out), "generate")

    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "error: generated/ holds 2 file(s) the generator did not write: generated/NOTES.md, "
        "generated/src/gpuworkers/zoo/helpers.py (hint: move them out of generated/, which "
        "holds only generated files; build outputs such as build/, dist/ and *.egg-info are "
        "kept)",
        "nothing was written: generated/ is unchanged",
    ]
    assert _snapshot(out) == before
    check = run_generator("--specs", str(specs), "--out", str(out), "check")
    assert check.returncode == 1
    assert "generated/NOTES.md" in check.stderr.splitlines()[-1]


def test_files_a_provider_no_longer_produces_go_without_complaint(
    workspace: tuple[Path, Path],
) -> None:
    specs, out = workspace
    shutil.rmtree(specs / "zoo")
    (out / "src/gpuworkers/zoo/__pycache__").mkdir()
    (out / "src/gpuworkers/zoo/__pycache__/client.cpython-311.pyc").write_text("pyc")

    result = run_generator("--specs", str(specs), "--out", str(out), "generate")

    assert result.returncode == 0, result.stderr
    assert not (out / "src/gpuworkers/zoo").exists()  # its cache went with it
    assert (out / "src/gpuworkers/petstore/client.py").is_file()

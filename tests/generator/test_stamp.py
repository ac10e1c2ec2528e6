"""The input stamp: a run with nothing to do ends early, and nothing it depends on is missed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator.perf import stamp
from tests.generator.conftest import ROOT, run_generator

# What a no-op run must not import: the generator proper and its heavy dependencies.
HEAVY = ("datamodel_code_generator", "jinja2", "openapi_spec_validator", "jsonschema", "rich")


@pytest.fixture
def stamped(specs_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    """specs/ copied and generated into a new folder: the stamp is written."""
    out = tmp_path / "generated"
    result = run_generator("--specs", str(specs_copy), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    assert stamp.stamp_file(out).is_file()
    return specs_copy, out


def _run(specs: Path, out: Path, *args: str) -> tuple[int, str, str]:
    result = run_generator("--specs", str(specs), "--out", str(out), *args)
    return result.returncode, result.stdout, result.stderr


def test_nothing_changed_is_a_noop_that_loads_no_heavy_module(stamped: tuple[Path, Path]) -> None:
    specs, out = stamped
    for command in ("generate", "check"):
        result = run_generator(
            "--specs", str(specs), "--out", str(out), command, python_options=("-X", "importtime")
        )
        assert result.returncode == 0, result.stderr
        imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
        assert not {name for name in imported if name.split(".")[0] in HEAVY}
    status, stdout, _ = _run(specs, out, "generate")
    assert "nothing changed since the last run" in stdout
    assert "yotta     10" in stdout  # the summary of the stamped run
    status, _, stderr = _run(specs, out, "generate", "nosuch")
    assert status == 1 and "no provider named nosuch" in stderr  # never a no-op


@pytest.mark.parametrize("how", ["edited", "deleted", "added"])
def test_check_after_a_stamped_run_still_sees_a_tampered_output(
    stamped: tuple[Path, Path], how: str
) -> None:
    specs, out = stamped
    client = out / "src/gpuworkers/yotta/client.py"
    if how == "edited":
        client.write_text(client.read_text() + "# by hand\n")
    elif how == "deleted":
        client.unlink()
    else:
        (out / "src/gpuworkers/yotta/extra.py").write_text("X = 1\n")
    status, _, stderr = _run(specs, out, "check")
    assert status == 1
    if how == "added":  # a file the generator did not write: named, and left to its owner
        assert "extra.py" in stderr
        (out / "src/gpuworkers/yotta/extra.py").unlink()
    else:
        assert "is stale" in stderr
        status, stdout, _ = _run(specs, out, "generate")
        assert status == 0 and "nothing changed since the last run" not in stdout
    assert _run(specs, out, "check")[0] == 0


def test_one_changed_provider_is_the_only_one_read(stamped: tuple[Path, Path]) -> None:
    specs, out = stamped
    page = specs / "yotta" / "elastic-deployments.md"
    page.write_text(page.read_text() + "\n")
    status, stdout, stderr = _run(specs, out, "generate")
    assert status == 0, stderr
    assert "yotta: reading" in stderr
    assert not [line for line in stderr.splitlines() if line.endswith(": reading")][1:]
    assert "clearml   8" in stdout  # the reused providers still in the summary
    # A full run from every page agrees with the shortcut, byte for byte.
    assert _run(specs, out, "check", "--force")[0] == 0


def test_stage_lines_when_not_a_terminal_and_quiet(stamped: tuple[Path, Path]) -> None:
    specs, out = stamped
    status, stdout, stderr = _run(specs, out, "check", "--force")
    assert status == 0
    for stage in ("reading", "validating", "lowering", "clients", "models", "formatting"):
        assert f"vast: {stage}" in stderr.splitlines()
    status, stdout, stderr = _run(specs, out, "generate", "--force", "--quiet")
    assert status == 0
    assert stderr == ""
    assert stdout.startswith("provider  operations")


PETS = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com"}]
paths:
  /pets:
    get:
      operationId: listPets
      colour: red
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""


def test_quiet_prints_errors_but_not_warnings(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "pets").mkdir(parents=True)
    (specs / "pets" / "provider.toml").write_text(
        'name = "pets"\n\n[[pages]]\nfile = "pets.yaml"\nformat = "openapi"\n'
    )
    page = specs / "pets" / "pets.yaml"
    page.write_text(PETS)  # an unknown field, `colour`: a warning
    out = tmp_path / "out"
    status, _, stderr = _run(specs, out, "generate")
    assert status == 0 and "pets.yaml:6: warning: unknown field" in stderr, stderr
    status, stdout, stderr = _run(specs, out, "generate", "--force", "--quiet")
    assert status == 0 and stderr == "" and "pets" in stdout
    page.write_text(PETS.replace("paths:", "paths: [", 1))
    status, _, stderr = _run(specs, out, "generate", "--quiet")
    assert status == 1 and "pets.yaml:" in stderr and ": error:" in stderr


def test_every_input_is_in_the_stamp(
    specs_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generator = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", generator, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamp, "GENERATOR_DIR", generator)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    stamp.environment_digest.cache_clear()
    before = stamp.read_inputs(specs_copy)

    (generator / "templates" / "client.py.jinja").write_text("# changed\n", "utf-8")
    (site / "ruff-99.0.dist-info").mkdir()
    (specs_copy / "package.toml").write_text('version = "9.9.9"\n')
    (specs_copy / "vast" / "overlay.yaml").write_text("# changed\n")
    stamp.environment_digest.cache_clear()
    after = stamp.read_inputs(specs_copy)
    assert after.generator != before.generator
    assert after.environment != before.environment
    assert after.specs != before.specs
    assert {
        name for name in after.providers if after.providers[name] != before.providers[name]
    } == {"vast"}


def test_a_changed_input_or_output_ends_the_shortcut(stamped: tuple[Path, Path]) -> None:
    specs, out = stamped
    inputs = stamp.read_inputs(specs)  # this interpreter's path differs from the run's
    stamp.save(
        out,
        inputs,
        {name: stamp.ProviderRecord(digest, 1, 1) for name, digest in inputs.providers.items()},
    )
    assert stamp.examine(specs, out).up_to_date
    (specs / "yotta" / "overlay.yaml").write_text("# changed\n")
    verdict = stamp.examine(specs, out)
    assert not verdict.up_to_date and set(verdict.reusable) == {"clearml", "everai", "vast"}
    (out / "README.md").write_text("by hand\n")
    verdict = stamp.examine(specs, out)
    assert not verdict.up_to_date and not verdict.reusable


def test_after_a_real_edit_only_the_changed_provider_is_rendered(
    stamped: tuple[Path, Path],
) -> None:
    specs, out = stamped
    page = specs / "yotta" / "elastic-deployments.md"
    text = page.read_text()
    assert text.count("Stop a specific Elastic deployment") == 2
    page.write_text(text.replace("Stop a specific Elastic deployment", "Stop it, for good"))
    status, stdout, stderr = _run(specs, out, "generate")
    assert status == 0, stderr
    assert "Stop it, for good" in (out / "src/gpuworkers/yotta/client.py").read_text()
    rendered = [line for line in stderr.splitlines() if line.endswith(": clients")]
    assert rendered == ["yotta: clients"]  # the others' files are taken over as written
    assert "clearml   8" in stdout
    # A full run from every page agrees, byte for byte, with check and with generate.
    assert _run(specs, out, "check", "--force")[0] == 0
    status, stdout, _ = _run(specs, out, "generate", "--force")
    assert status == 0 and "0 file(s) changed" in stdout

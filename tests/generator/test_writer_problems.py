"""Generated code that fails ruff or does not import is reported one line per problem,
naming the generated construct and the page that made it, never as a raw dump."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.emit.writer import WriteError, stage

IR = {
    "schemas": [{"class_name": "Zoo", "name": "Zoo", "source": "specs/acme/api.yaml:40"}],
    "resources": [
        {
            "class_name": "PetsResource",
            "operations": [{"python_name": "list_pets", "source": "specs/acme/api.yaml:12"}],
        }
    ],
}
CLIENT = '''"""Client."""


class PetsResource:
    def list_pets(self) -> int:
        return undefined_name


class AsyncPetsResource:
    async def list_pets(self) -> int:
        return other_undefined_name
'''


def _files(**modules: str) -> dict[str, str]:
    files = {
        "src/gpuworkers/__init__.py": "",
        "src/gpuworkers/acme/__init__.py": "",
        "ir/acme.json": json.dumps(IR),
    }
    files.update({f"src/gpuworkers/acme/{name}.py": text for name, text in modules.items()})
    return files


def test_ruff_problems_name_the_method_and_its_operation(tmp_path: Path) -> None:
    with pytest.raises(WriteError) as caught:
        stage(_files(client=CLIENT), tmp_path / "generated")
    lines = str(caught.value).splitlines()
    assert lines[0] == "the generated code fails ruff:"
    assert len(lines) == 3, lines  # one line per problem, nothing else
    sync, async_ = sorted(lines[1:], key=lambda line: "Async" in line)
    assert sync.startswith("specs/acme/api.yaml:12: error: generated method ")
    assert "`PetsResource.list_pets` fails ruff F821" in sync
    assert "(src/gpuworkers/acme/client.py:6)" in sync
    assert "`AsyncPetsResource.list_pets`" in async_ and "api.yaml:12" in async_
    assert list((tmp_path / ".generated-work").iterdir()) == []  # nothing staged


def test_ruff_problems_are_located_when_the_output_is_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--out generated`` from the working directory: ruff still names files absolutely."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WriteError) as caught:
        stage(_files(client=CLIENT), Path("generated"))
    lines = str(caught.value).splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith("specs/acme/api.yaml:12: error: generated method ") for line in
               lines[1:])


def test_an_import_failure_names_the_model_and_its_schema(tmp_path: Path) -> None:
    models = 'class Zoo:\n    """A zoo."""\n\n    size = int("many")\n'
    with pytest.raises(WriteError) as caught:
        stage(_files(models=models), tmp_path / "generated")
    lines = str(caught.value).splitlines()
    assert len(lines) == 2, lines
    assert lines[1].startswith("specs/acme/api.yaml:40: error: generated class `Zoo` ")
    assert "does not import: ValueError: invalid literal" in lines[1]
    assert "(src/gpuworkers/acme/models.py:4)" in lines[1]


def test_a_problem_outside_any_class_names_the_generated_file(tmp_path: Path) -> None:
    models = 'class Zoo:\n    """A zoo."""\n\n\nZoo.rebuild(undefined_name)\n'
    with pytest.raises(WriteError) as caught:
        stage(_files(models=models), tmp_path / "generated")
    (line,) = str(caught.value).splitlines()[1:]
    assert line.startswith("src/gpuworkers/acme/models.py:5: error: generated code fails ruff")

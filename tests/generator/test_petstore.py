"""A public OpenAPI 3.0 document nobody here wrote: generated, type-checked, imported, called."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.generator.conftest import ROOT, run_generator


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("petstore") / "generated"
    result = run_generator("--specs", str(ROOT / "tests/specs"), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out / "src"))
    for name in [m for m in sys.modules if m == "gpuworkers" or m.startswith("gpuworkers.")]:
        del sys.modules[name]
    yield out
    sys.path.remove(str(out / "src"))
    for name in [m for m in sys.modules if m == "gpuworkers" or m.startswith("gpuworkers.")]:
        del sys.modules[name]


def test_petstore_client_passes_mypy_strict(petstore: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(petstore / "src")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout


def test_petstore_client_calls_and_parses(petstore: Path) -> None:
    module = importlib.import_module("gpuworkers.petstore")
    pets = [{"id": 1, "name": "Rex", "tag": "dog"}, {"id": 2, "name": "Tom"}]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/pets" and request.method == "GET":
            return httpx.Response(200, json=pets, headers={"x-next": "/pets?page=2"})
        if request.url.path == "/v1/pets/2":
            return httpx.Response(404, json={"code": 404, "message": "no such pet"})
        return httpx.Response(201)

    transport = httpx.MockTransport(handler)
    with module.PetstoreClient(http_client=httpx.Client(transport=transport)) as client:
        listed = client.pets.list_pets(limit=2)
        assert [p.name for p in listed] == ["Rex", "Tom"]
        assert listed[0].tag == "dog"
        assert client.pets.create_pets() is None
        errors = importlib.import_module("gpuworkers")
        with pytest.raises(errors.NotFoundError) as caught:
            client.pets.show_pet_by_id(pet_id="2")
    assert caught.value.body == {"code": 404, "message": "no such pet"}
    assert str(seen[0].url) == "http://petstore.swagger.io/v1/pets?limit=2"


def test_petstore_export_is_openapi_31(petstore: Path) -> None:
    document = json.loads((petstore / "openapi/petstore.json").read_text())
    assert document["openapi"] == "3.1.0"
    responses = document["paths"]["/pets"]["get"]["responses"]
    assert "200" in responses  # YAML integer keys became strings

"""A public OpenAPI 3.0 document nobody here wrote: generated, type-checked, imported, called.

The Petstore package is a second `gpuworkers` distribution, so it runs in its own process
(with its own sys.path) rather than in the test process, where `gpuworkers` is ours.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.generator.conftest import ROOT, run_generator

CALLS = textwrap.dedent('''
    import httpx
    import gpuworkers
    from gpuworkers.petstore import PetstoreClient

    pets = [{"id": 1, "name": "Rex", "tag": "dog"}, {"id": 2, "name": "Tom"}]
    seen = []

    def handler(request):
        seen.append(request)
        if request.url.path == "/v1/pets" and request.method == "GET":
            return httpx.Response(200, json=pets)
        if request.url.path == "/v1/pets/2":
            return httpx.Response(404, json={"code": 404, "message": "no such pet"})
        return httpx.Response(201)

    with PetstoreClient(http_client=httpx.Client(transport=httpx.MockTransport(handler))) as c:
        listed = c.pets.list_pets(limit=2)
        assert [p.name for p in listed] == ["Rex", "Tom"], listed
        assert listed[0].tag == "dog" and listed[1].tag is None
        assert c.pets.create_pets() is None
        try:
            c.pets.show_pet_by_id(pet_id="2")
        except gpuworkers.NotFoundError as error:
            assert error.body == {"code": 404, "message": "no such pet"}, error.body
        else:
            raise AssertionError("404 did not raise NotFoundError")
    assert str(seen[0].url) == "http://petstore.swagger.io/v1/pets?limit=2", seen[0].url
    print("ok")
''')


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("petstore") / "generated"
    result = run_generator("--specs", str(ROOT / "tests/specs"), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    return out


def _python(petstore: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(petstore / "src")}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          check=False, cwd=petstore)


def test_petstore_client_passes_mypy_strict(petstore: Path) -> None:
    result = _python(petstore, "-m", "mypy", "--strict", "--no-incremental", "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_petstore_client_calls_and_parses(petstore: Path) -> None:
    result = _python(petstore, "-c", CALLS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_petstore_export_is_openapi_31(petstore: Path) -> None:
    document = json.loads((petstore / "openapi/petstore.json").read_text())
    assert document["openapi"] == "3.1.0"
    responses = document["paths"]["/pets"]["get"]["responses"]
    assert "200" in responses  # YAML integer keys became strings

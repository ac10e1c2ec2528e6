"""Names and settings that used to generate silently wrong code (issue 13, item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic

import httpx

from generator import ir
from generator.client_names import avoid_runtime_names, client_attributes, resource_attributes
from generator.diagnostics import Diagnostics
from tests.hostile.generator_support import (
    ROOT,
    minimal_document,
    run_generator,
    run_python,
    write_provider,
)


def _operation(operation_id: str, tag: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": [tag],
        "summary": f"{operation_id}.",
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}
                    }
                },
            }
        },
    }


COLLIDING_TAGS = ("close", "with_raw_response", "with_options", "request", "timeout")

CALLS = """
import httpx
from gpuworkers.hostile import HostileClient

seen = []
def handler(request):
    seen.append(request.url.path)
    return httpx.Response(200, json={"ok": True})

with HostileClient(http_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
    assert client.close_.list_close().ok
    assert client.with_raw_response_.list_raw().ok
    assert client.with_options_.list_options().ok
    assert client.request_.list_request().ok
    assert client.timeout_.list_timeout().ok
    assert client.with_raw_response.close_.list_close().parse().ok
    assert client.with_options(max_retries=0).close_.list_close().ok
assert seen == ["/v1/close", "/v1/raw", "/v1/options", "/v1/request", "/v1/timeout",
                "/v1/close", "/v1/close"], seen
print("ok")
"""


def test_resources_and_methods_named_like_runtime_attributes_are_suffixed(tmp_path: Path) -> None:
    paths = {
        "/close": {"get": _operation("listClose", "close")},
        "/raw": {"get": _operation("listRaw", "with_raw_response")},
        "/options": {"get": _operation("listOptions", "with_options")},
        "/request": {"get": _operation("listRequest", "request")},
        "/timeout": {"get": _operation("listTimeout", "timeout")},
    }
    document = {"openapi": "3.1.0", "info": {"title": "Names", "version": "1"}, "paths": paths}
    write_provider(tmp_path / "specs", document)
    out = tmp_path / "generated"
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    for tag in COLLIDING_TAGS:
        assert f"warning: resource {tag!r} would shadow the client's own `{tag}`" in result.stderr
    called = run_python(out, CALLS)
    assert called.returncode == 0, called.stderr
    assert called.stdout.strip() == "ok"


def test_the_reserved_names_cover_every_attribute_of_a_generated_client() -> None:
    """The names come from the runtime's source; this holds them to a real client."""
    from gpuworkers.yotta import YottaClient

    client = YottaClient(api_key="k" * 16, http_client=httpx.Client())
    resources = set(type(client).__annotations__) - {"with_raw_response"}
    own = {n for n in set(dir(type(client))) | set(vars(client)) if not n.startswith("__")}
    assert own - resources - set(dir(Generic)) - client_attributes() == set()
    resource = getattr(client, sorted(resources)[0])
    methods = {n for n, v in type(resource).__dict__.items() if callable(v)}
    assert (set(vars(resource)) | set(dir(type(resource)))) - methods - {
        n for n in dir(object)
    } <= resource_attributes() | {"__dict__", "__weakref__", "__module__"}


def test_a_method_named_like_a_resource_attribute_is_suffixed() -> None:
    """No page name reaches ``_client`` through snake_case today; the IR still guards it."""
    op = ir.Operation(
        operation_id="op",
        resource="things",
        python_name="_client",
        method="GET",
        path="/t",
        summary="",
        description="",
        idempotent=True,
        params=(),
        body=None,
        returns="None",
        status="204",
        source="specs/p/page.json:7",
    )
    diagnostics = Diagnostics()
    (resource,) = avoid_runtime_names(
        (ir.Resource("things", "ThingsResource", (op,)),), diagnostics
    )
    assert [o.python_name for o in resource.operations] == ["_client_"]
    assert [str(d.location) for d in diagnostics.warnings] == ["specs/p/page.json:7"]


def test_a_second_provider_with_the_same_name_is_an_error_at_its_line(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write_provider(specs, minimal_document(), name="first")
    write_provider(specs, minimal_document(), name="second")
    toml = specs / "second" / "provider.toml"
    toml.write_text(toml.read_text().replace('name = "second"', 'name = "first"'))
    out = tmp_path / "generated"
    result = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert result.returncode == 1, result.stdout
    assert (
        "specs/second/provider.toml:1: error: name 'first' is already the name of provider "
        "'first'" in result.stderr
    )
    assert not out.exists()


def test_a_header_value_with_a_line_break_is_an_error_at_its_line(tmp_path: Path) -> None:
    toml = '[headers]\nX-Client = "gpuworkers"\nX-Evil = "a\\r\\nInjected: yes"\n'
    write_provider(tmp_path / "specs", minimal_document(), extra_toml=toml)
    result = run_generator(
        "--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "out"), "generate"
    )
    assert result.returncode == 1, result.stdout
    assert "specs/hostile/provider.toml:7: error: headers.X-Evil: the value" in result.stderr
    assert "X-Client" not in result.stderr


def test_an_overlay_removing_the_whole_document_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = write_provider(tmp_path / "specs", minimal_document())
    (folder / "overlay.yaml").write_text(
        "overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\nactions:\n"
        "  - target: $.info\n    update: {x-ok: true}\n"
        "  - target: $\n    remove: true\n"
    )
    result = run_generator(
        "--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "out"), "generate"
    )
    assert result.returncode == 1, result.stdout
    assert "specs/hostile/overlay.yaml:6: error: overlay target '$' is the whole document" in (
        result.stderr
    )


def test_out_naming_a_file_is_an_error_and_the_file_stays(tmp_path: Path) -> None:
    write_provider(tmp_path / "specs", minimal_document())
    target = tmp_path / "notes.txt"
    target.write_text("the user's notes\n")
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(target), "generate")
    assert result.returncode == 1, result.stdout
    assert "notes.txt is not a folder" in result.stderr
    assert target.read_text() == "the user's notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "specs"]


def test_out_naming_a_folder_of_other_files_is_an_error_and_it_stays(tmp_path: Path) -> None:
    write_provider(tmp_path / "specs", minimal_document())
    target = tmp_path / "home"
    (target / "documents").mkdir(parents=True)
    (target / "documents" / "thesis.tex").write_text("years of work\n")
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(target), "generate")
    assert result.returncode == 1, result.stdout
    assert "holds files the generator did not write" in result.stderr
    assert [p.name for p in target.rglob("*")] == ["documents", "thesis.tex"]
    # A folder it generated itself is replaced as usual.
    generated = tmp_path / "generated"
    for _ in range(2):
        again = run_generator(
            "--specs", str(tmp_path / "specs"), "--out", str(generated), "generate"
        )
        assert again.returncode == 0, again.stderr


def test_the_output_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    specs = tmp_path / "project" / "specs"
    write_provider(specs, minimal_document())
    outputs = []
    for number, cwd in enumerate([tmp_path / "project", ROOT, Path("/")]):
        out = tmp_path / f"out{number}"
        result = run_generator("--specs", str(specs), "--out", str(out), "generate", cwd=cwd)
        assert result.returncode == 0, result.stderr
        outputs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
        checked = run_generator("--specs", str(specs), "--out", str(out), "check", cwd=ROOT)
        assert checked.returncode == 0, checked.stderr
    assert outputs[0] == outputs[1] == outputs[2]
    assert b'"x-source": "specs/hostile/openapi.json:1"' in outputs[0][Path("openapi/hostile.json")]

"""Page text reaches generated source only as escaped string content (issue 13, item 1).

The nastiest strings go into every place a page can put text (summaries, descriptions,
parameter, field and schema descriptions, titles, enum values, defaults, examples, info,
tags, the path, provider.toml's display name); the real pipeline generates a package from
them, which is then imported and called.  Nothing may run, and each text must read back
unchanged (but for whitespace, which docstrings re-wrap) from ``__doc__``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import tokenize
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.emit.pysource import check_code, docstring_text
from tests.hostile.generator_support import (
    minimal_document,
    run_generator,
    run_python,
    write_provider,
)
from tests.ir_helpers import api_with_schemas

EVIL_MEDIA_TYPE = 'application/vnd.x""" if __import__("os") else """\\+json'


def nasty_strings(marker: Path) -> list[str]:
    return [
        f'List.""" if __import__("pathlib").Path({str(marker)!r}).write_text("x") else """',
        "''' if __import__('os').system('true') else '''",
        'ends with a quote"',
        "ends with a backslash \\",
        '\\N{BULLET} \\x41 \\u0041 \\" \\',
        "nul \x00 bell \x07 escape \x1b delete \x7f carriage\rreturn",
        "bidi \u202e\u2066 override, zero\u200bwidth, \ufeff bom, \u2028 line separator",
        "*/ /* {{ 7 * 7 }} {% if true %}jinja{% endif %} {# comment #} ${x} %s {0}",
        '"""""" six quotes',
        '"',
    ]


def hostile_document(nasty: list[str]) -> dict[str, Any]:
    text = " ".join(nasty)
    described = {"description": text, "title": text}
    thing = {
        "type": "object",
        **described,
        "properties": {
            "name": {"type": "string", **described, "default": nasty[0], "examples": nasty},
            "kind": {"$ref": "#/components/schemas/Kind"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": text, "version": "1", "description": text},
        "tags": [{"name": text, "description": text}],
        "paths": {
            '/things/{thing_id}/"""\\': {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "summary": text,
                    "description": f"{text}\n\nSecond paragraph: {text}",
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "description": text,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "mode",
                            "in": "query",
                            "description": text,
                            "schema": {"type": "string", "enum": nasty, "default": nasty[0]},
                        },
                    ],
                    "responses": {"200": _json("#/components/schemas/Thing", text)},
                }
            },
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "tags": [text],
                    "description": text,  # no summary: the description is the first line
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": _ref("Thing")},
                            EVIL_MEDIA_TYPE: {"schema": _ref("Thing")},  # offered too
                        },
                    },
                    "responses": {"200": _json("#/components/schemas/Thing", text)},
                },
                "put": {
                    "operationId": "putThing",
                    "tags": ["things"],
                    "summary": "Put a thing.",
                    "requestBody": {"content": {EVIL_MEDIA_TYPE: {"schema": {"type": "string"}}}},
                    "responses": {"204": {"description": text}},
                },
            },
        },
        "components": {
            "schemas": {
                "Thing": thing,
                "Kind": {"type": "string", "enum": nasty, **described},
            }
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


CALL_EVERYTHING = """
import asyncio, importlib, inspect, json, pkgutil, sys
import httpx
import gpuworkers

modules = [gpuworkers] + [
    importlib.import_module(info.name)
    for info in pkgutil.walk_packages(gpuworkers.__path__, "gpuworkers.")
]
from gpuworkers.hostile import HostileClient, AsyncHostileClient
from gpuworkers.hostile import models

def handler(request):
    return httpx.Response(200, json={"name": "n", "kind": models.Kind.__members__[
        next(iter(models.Kind.__members__))].value})

docs = {}
def collect(name, obj):
    docs[name] = obj.__doc__ or ""

for module in modules:
    collect(module.__name__, module)
for cls in (HostileClient, AsyncHostileClient, models.Thing, models.Kind):
    collect(cls.__name__, cls)
with HostileClient(http_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
    for resource_name in type(client).__annotations__:
        resource = getattr(client, resource_name)
        collect(type(resource).__name__, type(resource))
        for method_name, method in inspect.getmembers(resource, inspect.ismethod):
            if method_name.startswith("_"):
                continue
            collect(f"{resource_name}.{method_name}", method)
            arguments = {
                name: (models.Thing(name="n") if "Thing" in str(parameter.annotation) else "v")
                for name, parameter in inspect.signature(method).parameters.items()
                if parameter.default is inspect.Parameter.empty
            }
            method(**arguments)

async def call_async():
    transport = httpx.MockTransport(handler)
    async with AsyncHostileClient(http_client=httpx.AsyncClient(transport=transport)) as client:
        for resource_name in type(client).__annotations__:
            resource = getattr(client, resource_name)
            for method_name, method in inspect.getmembers(resource, inspect.ismethod):
                if not method_name.startswith("_"):
                    collect(f"async {resource_name}.{method_name}", method)
asyncio.run(call_async())
print(json.dumps({"docs": docs, "kind": [member.value for member in models.Kind]}))
"""


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    root = tmp_path_factory.mktemp("injection")
    marker = root / "INJECTED"
    nasty = nasty_strings(marker)
    write_provider(root / "specs", hostile_document(nasty), display_name=" ".join(nasty[:3]))
    out = root / "generated"
    result = run_generator("--specs", str(root / "specs"), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    return out, marker, nasty


def test_hostile_text_generates_imports_and_runs_nothing(
    generated: tuple[Path, Path, list[str]],
) -> None:
    out, marker, nasty = generated
    result = run_python(out, CALL_EVERYTHING)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "page text ran as code"
    report = json.loads(result.stdout)
    docs: dict[str, str] = report["docs"]
    text = _normal(" ".join(nasty))
    for name in (
        "things.get_thing",
        "async things.get_thing",
        "Thing",
        "Kind",
    ):
        assert text in _normal(docs[name]), (name, docs[name])
    # No summary: the description is the first line, and the rest of the docstring too.
    create = next(name for name in docs if name.endswith(".create_thing"))
    assert text in _normal(docs[create])
    assert '`GET /things/{thing_id}/"""\\`' in docs["things.get_thing"]
    assert f"also accepts `{EVIL_MEDIA_TYPE}`" in _normal(docs[create])
    put = next(name for name in docs if name.endswith(".put_thing"))
    assert f"sent as `{EVIL_MEDIA_TYPE}`" in docs[put]
    display = _normal(" ".join(nasty[:3]))
    for name in ("gpuworkers", "gpuworkers.hostile", "gpuworkers.hostile.client", "HostileClient"):
        assert display in _normal(docs[name]), (name, docs[name])
    assert report["kind"] == nasty  # enum values exactly, on the wire


def test_hostile_text_stays_inside_string_tokens(generated: tuple[Path, Path, list[str]]) -> None:
    """Every ``__import__(`` of the pages is inside a string literal, and no raw control or
    bidi character is left in the source (escaped, they read the same; raw, they can make
    the code read differently from what runs)."""
    out, _, _ = generated
    sources = sorted((out / "src").rglob("*.py"))
    assert sources
    found = 0
    for path in sources:
        source = path.read_text(encoding="utf-8")
        invisible = [c for c in source if c != "\n" and (ord(c) < 32 or 0x7F <= ord(c) < 0xA0)]
        invisible += [
            c
            for c in source
            if c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff\u2028\u2029"
        ]
        assert not invisible, (path, invisible[:5])
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if "__import__(" in token.string:
                assert token.type in (tokenize.STRING, tokenize.COMMENT), (path, token)
                found += 1
    assert found > 10  # the payload is there, as text


def test_the_reported_summary_does_not_run_when_the_method_is_called(tmp_path: Path) -> None:
    """The exact attack of the issue: only the summary; it used to generate with exit 0."""
    marker = tmp_path / "INJECTED"
    payload = f'List.""" if __import__("pathlib").Path({str(marker)!r}).write_text("x") else """'
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "tags": ["things"],
                    "summary": payload,
                    "responses": {"204": {"description": "nothing"}},
                }
            }
        },
    }
    write_provider(tmp_path / "specs", document)
    out = tmp_path / "generated"
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(out), "generate")
    assert result.returncode == 0, result.stderr
    call = (
        "import httpx\n"
        "from gpuworkers.hostile import HostileClient\n"
        "client = HostileClient(http_client=httpx.Client("
        "transport=httpx.MockTransport(lambda request: httpx.Response(204))))\n"
        "client.things.list_things()\n"
        "print(client.things.list_things.__doc__)\n"
    )
    called = run_python(out, call)
    assert called.returncode == 0, called.stderr
    assert not marker.exists(), "the summary ran as code"
    assert payload in called.stdout


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_docstring_text_reads_back_as_the_text(text: str) -> None:
    escaped = docstring_text(text)
    source = f'def f():\n    """{escaped}"""\n'
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated>", "exec"), namespace)  # noqa: S102 - the escaped text
    assert namespace["f"].__doc__ == text
    assert "\r" not in escaped and "\x00" not in escaped


def test_a_name_written_as_code_must_be_an_identifier(tmp_path: Path) -> None:
    """provider.toml's credential names become keyword arguments: never code from text."""
    marker = tmp_path / "INJECTED"
    credential = f'x=__import__("pathlib").Path({str(marker)!r}).write_text("x"),y'
    toml = (
        f'[credentials.{json.dumps(credential)}]\nenv = ["HOSTILE_KEY"]\n'
        f"[auth.key]\ncredentials = [{json.dumps(credential)}]\n"
    )
    document = minimal_document(
        components={"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}},
        security=[{"key": []}],
    )
    write_provider(tmp_path / "specs", document, extra_toml=toml)
    out = tmp_path / "generated"
    result = run_generator("--specs", str(tmp_path / "specs"), "--out", str(out), "generate")
    assert result.returncode == 1, result.stdout
    assert "cannot be written as code" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and not marker.exists()


@pytest.mark.parametrize(
    ("annotation", "default"),
    [
        ('__import__("os").system("true")', None),  # a call, not a type
        ("str", float("inf")),  # repr() is `inf`: not a literal
        ("str", {"a": [1, "b", None]}),  # fine: a literal
        ('Literal["x", -1] | list[models.Thing] | None', "d"),  # fine: a type expression
    ],
)
def test_annotations_and_defaults_written_as_code_are_checked(
    annotation: str, default: object
) -> None:
    param = ir.Param("p", "p", "query", annotation, False, default=default)
    op = ir.Operation(
        operation_id="op",
        resource="things",
        python_name="get",
        method="GET",
        path="/t",
        summary="",
        description="",
        idempotent=True,
        params=(param,),
        body=None,
        returns="None",
        status="204",
    )
    resource = ir.Resource("things", "ThingsResource", (op,))
    api = dataclasses.replace(api_with_schemas(()), resources=(resource,))
    harmless = annotation.startswith(("str", "Literal")) and default != float("inf")
    if harmless:
        check_code(api)
    else:
        with pytest.raises(ValueError, match="cannot be written as code"):
            check_code(api)

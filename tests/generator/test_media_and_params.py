"""Every request and response form, and every parameter place and style, on the wire.

`media/forms/openapi.yaml` is an OpenAPI 3.0 document written for this test: form and
multipart bodies, raw bytes and text, an array body, several 2xx responses, path-item,
header and cookie parameters, and each query style. Its client is generated into a temp
folder, type-checked, and driven through `httpx.MockTransport` in its own process (the
generated distribution is also called `gpuworkers`); the scripts assert the exact requests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.generator.conftest import run_generator

SPECS = Path(__file__).resolve().parent / "media"

PRELUDE = textwrap.dedent('''
    import io
    import json
    from urllib.parse import parse_qsl, unquote

    import httpx
    from gpuworkers.forms import AsyncFormsClient, FormsClient

    seen = []
    answers = {}

    def handler(request):
        request.read()
        seen.append(request)
        status, kwargs = answers.get((request.method, request.url.path), (200, {"json": {}}))
        return httpx.Response(status, **kwargs)

    client = FormsClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)))

    def form(request):
        return parse_qsl(request.content.decode(), keep_blank_values=True)
''')


def _generate(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    out = tmp_path_factory.mktemp(name) / "generated"
    result = run_generator("--specs", str(SPECS), "--out", str(out), "generate", name)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory, "forms")


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory, "names")


def _run(forms: Path, script: str, prelude: str = PRELUDE) -> None:
    env = {**os.environ, "PYTHONPATH": str(forms / "src")}
    code = prelude + textwrap.dedent(script) + '\nprint("ok")\n'
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=False, cwd=forms)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_forms_client_passes_mypy_strict(forms: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(forms / "src")}
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "src"],
                            env=env, capture_output=True, text=True, check=False, cwd=forms)
    assert result.returncode == 0, result.stdout + result.stderr


def test_form_body_nests_deep_objects_as_the_encoding_says(forms: Path) -> None:
    _run(forms, '''
        client.charges.create_charge(
            amount=100, currency="usd", capture=False, expand=["customer", "invoice"],
            metadata={"order": "42"}, card={"number": "4242", "exp": [12, 2030]},
            ids=["a", "b"],
        )
        request = seen[-1]
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert form(request) == [
            ("amount", "100"), ("currency", "usd"), ("capture", "false"),
            ("expand[0]", "customer"), ("expand[1]", "invoice"), ("metadata[order]", "42"),
            ("card[number]", "4242"), ("card[exp][0]", "12"), ("card[exp][1]", "2030"),
            ("ids", "a"), ("ids", "b"),
        ], form(request)
    ''')


def test_empty_form_body_is_sent_not_validated_as_a_dict(forms: Path) -> None:
    _run(forms, '''
        answers[("POST", "/v1/charges/ch_1/capture")] = (200, {"json": {"id": "ch_1"}})
        charge = client.charges.capture_charge(charge_id="ch_1")
        assert charge.id == "ch_1"
        request = seen[-1]
        assert request.content == b"", request.content
        assert "content-type" not in request.headers, request.headers
    ''')


def test_a_get_with_an_empty_form_body_sends_no_body(forms: Path) -> None:
    _run(forms, '''
        answers[("GET", "/v1/charges/list")] = (200, {"json": [{"id": "ch_1"}]})
        charges = client.charges.list_charges(expand=["data.customer", "data.invoice"])
        assert [c.id for c in charges] == ["ch_1"]
        request = seen[-1]
        assert request.content == b"" and "content-type" not in request.headers
        assert parse_qsl(request.url.query.decode()) == [
            ("expand[0]", "data.customer"), ("expand[1]", "data.invoice")]
    ''')


def test_response_media_binary_before_event_stream_and_wildcard_with_schema_as_json(
    forms: Path,
) -> None:
    _run(forms, '''
        from gpuworkers.forms.models import Item
        answers[("POST", "/v1/speech")] = (200, {"content": b"ID3\\x00"})
        assert client.audio.create_speech(input="hi") == b"ID3\\x00"
        assert seen[-1].headers["accept"] == "audio/mpeg"
        # `*/*` with a schema is JSON (springdoc writes it so), not bytes.
        answers[("GET", "/v1/legacy/x")] = (200, {"json": {"id": "x"}})
        assert client.things.get_legacy(id="x") == Item(id="x")
        assert seen[-1].headers["accept"] == "application/json"
    ''')


def test_a_form_body_whose_schema_names_no_fields_is_sent_as_given(forms: Path) -> None:
    _run(forms, '''
        answers[("POST", "/v1/notes/encoded")] = (204, {})
        assert client.notes.add_encoded_note(body="q=hi&source=en") is None
        request = seen[-1]
        assert request.content == b"q=hi&source=en", request.content
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        client.notes.add_encoded_note(body=b"q=h%C3%A9", extra_body={"format": "text"})
        assert seen[-1].content == b"q=h%C3%A9&format=text", seen[-1].content
        # multipart: the bytes are the body; their boundary is the caller's to declare.
        answers[("POST", "/v1/notes/packed")] = (204, {})
        packed = (
            b'--b0\\r\\nContent-Disposition: form-data; name="q"\\r\\n\\r\\n'
            b'hi\\r\\n--b0--\\r\\n'
        )
        client.notes.add_packed_note(
            body=packed, extra_headers={"Content-Type": "multipart/form-data; boundary=b0"}
        )
        request = seen[-1]
        assert request.content == packed
        assert request.headers["content-type"] == "multipart/form-data; boundary=b0"
        try:
            client.notes.add_packed_note(body=packed, extra_body={"more": "x"})
        except TypeError as exc:
            assert "cannot take more fields" in str(exc)
        else:
            raise AssertionError("extra fields beside a multipart body given as bytes")
    ''')


def test_a_form_body_whose_schema_names_no_fields_is_a_located_warning() -> None:
    from generator.pipeline import build_provider

    build = build_provider(SPECS, "forms")
    said = {d.message.split(":")[0]: d for d in build.diagnostics.warnings}
    encoded, packed = said["addEncodedNote"], said["addPackedNote"]
    assert encoded.location.file == "specs/forms/openapi.yaml" and encoded.location.line
    assert "x-www-form-urlencoded request body's schema is a string, not an object" in (
        encoded.message
    )
    assert "multipart/form-data request body's schema is a string" in packed.message


def test_an_open_object_without_properties_is_one_body_mapping(forms: Path) -> None:
    _run(forms, '''
        answers[("PUT", "/v1/labels")] = (204, {})
        assert client.things.set_labels(body={"team": "ml", "tier": "gold"}) is None
        assert json.loads(seen[-1].content) == {"team": "ml", "tier": "gold"}
    ''')


def test_json_is_chosen_among_several_media_types_and_the_docstring_says_so(forms: Path) -> None:
    _run(forms, '''
        client.customers.create_customer(email="a@b.c")
        request = seen[-1]
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == {"email": "a@b.c"}
        doc = " ".join(type(client.customers).create_customer.__doc__.split())
        assert "Sends the body as `application/json`; the API also accepts " \\
            "`application/x-www-form-urlencoded`." in doc, doc
    ''')


def test_multipart_sends_files_fields_and_json_parts(forms: Path) -> None:
    _run(forms, '''
        client.files.upload_file(
            file=("report.csv", b"a,b\\n1,2\\n", "text/csv"),
            purpose="fine-tune",
            tags=["x", "y"],
            attachments=[b"raw bytes", io.BytesIO(b"from a file object")],
            options={"public": True},
            link={"create": True, "days": 3},
            images=[b"img1", ("b.png", b"img2", "image/png")],
        )
        request = seen[-1]
        content_type = request.headers["content-type"]
        assert content_type.startswith("multipart/form-data; boundary="), content_type
        boundary = content_type.split("boundary=")[1].encode()
        body = request.content
        parts = [p for p in body.split(b"--" + boundary) if p not in (b"", b"--\\r\\n")]
        assert body.endswith(b"--" + boundary + b"--\\r\\n")
        heads = [p.split(b"\\r\\n\\r\\n", 1) for p in parts]
        got = [(h.strip().decode(), v[:-2]) for h, v in heads]
        assert got == [
            ('Content-Disposition: form-data; name="file"; filename="report.csv"\\r\\n'
             'Content-Type: text/csv', b"a,b\\n1,2\\n"),
            ('Content-Disposition: form-data; name="purpose"', b"fine-tune"),
            ('Content-Disposition: form-data; name="tags"', b"x"),
            ('Content-Disposition: form-data; name="tags"', b"y"),
            ('Content-Disposition: form-data; name="attachments"; filename="upload"\\r\\n'
             'Content-Type: application/octet-stream', b"raw bytes"),
            ('Content-Disposition: form-data; name="attachments"; filename="upload"\\r\\n'
             'Content-Type: application/octet-stream', b"from a file object"),
            ('Content-Disposition: form-data; name="options"\\r\\n'
             'Content-Type: application/json', b'{"public":true}'),
            ('Content-Disposition: form-data; name="link[create]"', b"true"),
            ('Content-Disposition: form-data; name="link[days]"', b"3"),
            ('Content-Disposition: form-data; name="images"; filename="upload"\\r\\n'
             'Content-Type: application/octet-stream', b"img1"),
            ('Content-Disposition: form-data; name="images"; filename="b.png"\\r\\n'
             'Content-Type: image/png', b"img2"),
        ], got
        client.files.upload_file(file=io.BytesIO(b"x"), purpose="p", images=b"one")
        assert b'name="images"; filename="upload"' in seen[-1].content
    ''')


def test_multipart_parts_take_the_content_type_their_encoding_declares(forms: Path) -> None:
    """OpenAPI's Encoding Object: ``contentType`` overrides a part's default type (JSON for
    objects, text for scalars, octet-stream for files); a list of types sends the first."""
    _run(forms, '''
        client.files.upload_file(
            file=b"f", purpose="p", offer="v=0", count=3, labels={"a": "b"},
            thumbnail=b"png bytes",
        )
        heads = {}
        for part in seen[-1].content.split(b"\\r\\n--")[:-1]:
            head, _, value = part.partition(b"\\r\\n\\r\\n")
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            kind = head.split(b"Content-Type: ")[1].decode() if b"Content-Type" in head else ""
            heads[name] = (kind, value)
        assert heads["offer"] == ("application/sdp", b"v=0"), heads
        assert heads["count"] == ("application/json", b"3"), heads
        assert heads["labels"] == ("application/yaml", b\'{"a":"b"}\'), heads
        assert heads["thumbnail"] == ("image/png", b"png bytes"), heads
        assert heads["purpose"] == ("", b"p"), heads
        client.files.upload_file(file=b"f", purpose="p", thumbnail=("t.jpg", b"j", "image/jpeg"))
        assert b\'filename="t.jpg"\\r\\nContent-Type: image/jpeg\' in seen[-1].content
    ''')


def test_raw_bytes_in_and_out_and_204_is_none(forms: Path) -> None:
    _run(forms, '''
        answers[("PUT", "/v1/blobs/b1")] = (204, {})
        answers[("GET", "/v1/blobs/b1")] = (200, {"content": b"\\x00\\xffPNG",
                                                  "headers": {"content-type": "image/png"}})
        assert client.blobs.put_blob(blob_id="b1", body=b"\\x00\\x01") is None
        put = seen[-1]
        assert put.content == b"\\x00\\x01"
        assert put.headers["content-type"] == "application/octet-stream"
        data = client.blobs.get_blob(blob_id="b1")
        assert data == b"\\x00\\xffPNG" and isinstance(data, bytes), data
        assert seen[-1].headers["accept"] == "application/octet-stream"
    ''')


def test_text_body_and_text_response(forms: Path) -> None:
    _run(forms, '''
        answers[("POST", "/v1/notes")] = (200, {"text": "# Hello\\n", "headers": {
            "content-type": "text/markdown; charset=utf-8"}})
        rendered = client.notes.add_note(body="héllo")
        assert rendered == "# Hello\\n", rendered
        request = seen[-1]
        assert request.content == "héllo".encode()
        assert request.headers["content-type"] == "text/plain"
        assert request.headers["accept"] == "text/markdown"
    ''')


def test_array_body_and_several_success_responses(forms: Path) -> None:
    _run(forms, '''
        from gpuworkers.forms.models import Item, Job
        answers[("POST", "/v1/batch")] = (202, {"json": {"job_id": "j1"}})
        job = client.items.batch(body=[Item(id="1", name="a"), Item(id="2")])
        assert isinstance(job, Job) and job.job_id == "j1", job
        assert json.loads(seen[-1].content) == [{"id": "1", "name": "a"}, {"id": "2"}]
        answers[("POST", "/v1/batch")] = (204, {})
        assert client.items.batch(body=[]) is None
        answers[("POST", "/v1/batch")] = (200, {"json": {"id": "1", "name": "a"}})
        assert client.items.batch(body=[]) == Item(id="1", name="a")
    ''')


def test_parameters_path_item_header_cookie_and_query_styles(forms: Path) -> None:
    _run(forms, '''
        client.items.get_item(
            item_id="i 1", limit=5, x_request_id="req-1", x_trace="t-9", type_="big",
            ids=[1, 2], words=["a", "b"], near=[1.5, 2.0],
            filter={"status": "open", "size": {"gt": 3}}, page={"cursor": "c1", "size": 10},
            x_flags=["f1", "f2"], session="s1", theme="dark",
            where={"a": 1, "b": ["x"]}, x_meta={"n": 2},
        )
        request = seen[-1]
        assert request.url.path == "/v1/items/i%201" or request.url.raw_path.startswith(
            b"/v1/items/i%201"), request.url
        query = parse_qsl(request.url.query.decode())
        assert query == [
            ("limit", "5"), ("type", "big"), ("ids", "1|2"), ("words", "a b"),
            ("near", "1.5,2.0"), ("filter[status]", "open"), ("filter[size][gt]", "3"),
            ("cursor", "c1"), ("size", "10"), ("where", '{"a":1,"b":["x"]}'),
        ], query
        headers = request.headers
        assert headers["x-request-id"] == "req-1" and headers["x-trace"] == "t-9"
        assert headers["x-flags"] == "f1,f2" and headers["x-meta"] == '{"n":2}'
        assert headers["cookie"] == "session=s1; theme=dark"
        client.items.get_item(item_id="i2", limit=1, x_request_id="r2",
                              extra_headers={"X-Request-Id": "mine"})
        headers = seen[-1].headers
        assert headers["x-request-id"] == "mine" and "cookie" not in headers
        assert "x-trace" not in headers
        assert parse_qsl(seen[-1].url.query.decode()) == [("limit", "1")]
    ''')


def test_path_and_header_styles_as_openapi_writes_them(forms: Path) -> None:
    """The examples of OpenAPI 3.0.3's "Style Examples" table, and a `/` in a value quoted."""
    _run(forms, '''
        client.items.get_styles(
            plain="a/b", tags=["blue", "black"], point={"x": 1, "y": 2}, labelled=[3, 4],
            dotted=[3, 4], matrixed=[3, 4], spread={"x": 1, "y": 2}, x_point={"x": 1, "y": 2},
        )
        request = seen[-1]
        assert request.url.raw_path == (
            b"/v1/styles/a%2Fb/blue,black/x=1,y=2/.3,4/.3.4/;matrixed=3,4/;x=1;y=2"
        ), request.url.raw_path
        assert request.headers["x-point"] == "x=1,y=2"
    ''')


def test_async_client_sends_the_same_forms(forms: Path) -> None:
    _run(forms, '''
        import asyncio

        async def main():
            transport = httpx.MockTransport(handler)
            async with AsyncFormsClient(http_client=httpx.AsyncClient(transport=transport)) as c:
                await c.charges.create_charge(amount=1, metadata={"k": "v"})
                assert form(seen[-1]) == [("amount", "1"), ("metadata[k]", "v")]
                answers[("GET", "/v1/blobs/b")] = (200, {"content": b"\\x01"})
                assert await c.blobs.get_blob(blob_id="b") == b"\\x01"

        asyncio.run(main())
    ''')


def test_streaming_response_leaves_the_download_unread_until_iterated(forms: Path) -> None:
    _run(forms, '''
        import asyncio
        import gpuworkers

        pulled = []

        def chunks():
            for chunk in (b"ab", b"cd"):
                pulled.append(chunk)
                yield chunk

        answers[("GET", "/v1/blobs/none")] = (404, {"json": {"error": "no blob"}})

        def streaming(request):
            if request.url.path == "/v1/blobs/big":
                seen.append(request)
                return httpx.Response(200, content=chunks())
            return handler(request)

        client = FormsClient(http_client=httpx.Client(transport=httpx.MockTransport(streaming)))
        with client.with_streaming_response.blobs.get_blob(blob_id="big") as response:
            assert pulled == [] and response.status_code == 200
            assert list(response.iter_bytes()) == [b"ab", b"cd"] and pulled == [b"ab", b"cd"]
        assert response.http_response.is_closed
        with client.with_streaming_response.notes.add_note(body="x") as response:
            assert response.parse() == "{}"
        try:
            with client.with_streaming_response.blobs.get_blob(blob_id="none"):
                raise AssertionError("a 404 did not raise")
        except gpuworkers.NotFoundError as error:
            assert error.body == {"error": "no blob"}, error.body

        async def chunks_async():
            for chunk in (b"ef", b"gh"):
                pulled.append(chunk)
                yield chunk

        async def main():
            transport = httpx.MockTransport(
                lambda request: httpx.Response(200, content=chunks_async()))
            async with AsyncFormsClient(http_client=httpx.AsyncClient(transport=transport)) as c:
                async with c.with_streaming_response.blobs.get_blob(blob_id="b") as response:
                    assert pulled == [b"ab", b"cd"]
                    assert [chunk async for chunk in response.aiter_bytes()] == [b"ef", b"gh"]
                assert response.http_response.is_closed

        asyncio.run(main())
    ''')


def test_same_name_in_several_places_gets_one_argument_each(names: Path) -> None:
    prelude = PRELUDE.replace("gpuworkers.forms import AsyncFormsClient, FormsClient",
                              "gpuworkers.names import NamesClient")
    prelude = prelude.replace("client = FormsClient(", "client = NamesClient(")
    _run(names, '''
        assert client.things.get_thing(id_path="p1", id_query="q1", id_header="h1",
                                       mixed_case="a", mixed_case_2="b") is None
        request = seen[-1]
        assert request.url.path == "/v1/things/p1"
        assert parse_qsl(request.url.query.decode()) == [
            ("id", "q1"), ("mixedCase", "a"), ("mixed_case", "b")]
        assert request.headers["id"] == "h1"
        answers[("GET", "/v1/items")] = (200, {"json": ["a"]})
        assert client.items.list_items(type_="t", str_=3) == ["a"]
        assert parse_qsl(seen[-1].url.query.decode()) == [("type", "t"), ("str", "3")]
    ''', prelude)


def test_names_client_passes_mypy_strict(names: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(names / "src")}
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "src"],
                            env=env, capture_output=True, text=True, check=False, cwd=names)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ir_and_the_runtime_know_the_same_styles() -> None:
    from typing import get_args

    from generator import ir
    from generator.runtime._types import Style

    assert get_args(ir.ParamStyle) == get_args(Style)


@pytest.mark.parametrize(
    "media_type",
    ["", "application/json", "application/problem+json; charset=utf-8", "TEXT/plain",
     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
     "application/octet-stream", "image/*", "*/*", "application/vnd.api+json"],
)
def test_the_generator_reads_media_types_as_the_runtime_does(media_type: str) -> None:
    from generator.media_types import media_kind
    from generator.runtime._content import media_kind as runtime_media_kind

    assert media_kind(media_type) == runtime_media_kind(media_type)

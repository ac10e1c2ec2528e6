"""Constructs of real public documents that used to fail generation or their round trip.

One inline document: servers on a path item and on an operation; descriptions with words
longer than a docstring line (a URL is not split, no line ends in a space: ruff W291);
string formats whose pydantic types would change what is sent or received (``password`` sent
as ``**********``, ``uri`` rewritten, ``email`` needing email-validator); names ruff calls
ambiguous (``O``, ``l``) that the wire gives; a pattern beyond the Rust regex engine's size
limit (dropped with a warning, else the package does not import) beside one that needs
Python's ``re``; operationIds that are a keyword or start with a digit (a method ``import_``
and ``delete_2fa``, not a syntax error or a private-looking ``_2fa``); a tag that is a
number (its resource must not start with ``_``, whose class-body constants would start with
``__`` and be name-mangled); and an operation whose only response is ``default`` with a non-
JSON body (the client must accept and parse what that response declares). Generated once
into a temp folder and driven through ``httpx.MockTransport`` in its own interpreter.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.generator.conftest import run_generator
from tests.openapi_provider import openapi_provider

DOCUMENT = """
openapi: 3.1.0
info: {title: Wire, version: "1"}
servers: [{url: https://wire.example}]
paths:
  /numbered:
    get:
      tags: ["1"]
      operationId: getNumbered
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /keyword:
    get:
      tags: [class]
      operationId: getKeyword
      responses: {"204": {description: none}}
  /keyword-operation:
    get:
      tags: [names]
      operationId: import
      responses: {"204": {description: none}}
  /digit-operation:
    delete:
      tags: [names]
      operationId: 2fa
      responses: {"204": {description: none}}
  /patterned:
    post:
      tags: [names]
      operationId: patterned
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                huge: {type: string, pattern: '^[\\p{L}\\p{N}_.:/=+@-]{1,2048}$'}
                size:
                  oneOf: [{type: string, enum: [auto]}, {type: integer}]
                  default: auto
                modes: {type: array, items: {type: string, enum: [fast, slow]}}
                code: {type: string, pattern: '^(?!x)[a-z]{1,3}$'}
      responses: {"204": {description: none}}
  /person:
    get:
      tags: [names]
      operationId: getPerson
      description: >-
        The person as stored. To see which fields are kept, see <a href="
        https://docs.example.com/AmazingService/latest/UserGuide/AdjustingTheMaintenanceWindow.html
        ">the guide</a>, written by the well-known-hyphenated-team.
      parameters:
        - name: window
          in: query
          description: 'The window to read, on a random day of the week. To see more, see
            https://docs.example.com/AmazingService/latest/UserGuide/AdjustingTheMaintenanceWindow.html
            '
          schema: {type: string}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  gender: {$ref: "#/components/schemas/Gender"}
                  l: {type: integer}
                  used: {type: string, format: uint64}
                  runtimes:
                    additionalProperties: {$ref: "#/components/schemas/Runtime"}
                    default: {runc: {path: runc}}
  /login:
    post:
      tags: [names]
      operationId: login
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [password, email, site]
              properties:
                password: {type: string, format: password}
                email: {type: string, format: email}
                site: {type: string, format: uri}
                data: {type: string, format: byte}
                ip: {type: string, format: ipv4}
                backup: {type: [string, "null"], format: email}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  site: {type: string, format: uri}
                  when: {type: string, format: date-time}
  /relative:
    servers: [{url: /v2}]
    get:
      tags: [names]
      operationId: getRelative
      responses: {"204": {description: none}}
  /elsewhere:
    get:
      tags: [names]
      operationId: getElsewhere
      servers:
        - url: "https://{region}.uploads.example/u1"
          variables: {region: {default: eu}}
      responses: {"204": {description: none}}
  /either:
    get:
      tags: [names]
      operationId: getEither
      summary: One | the other
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/Runtime"}
                  - {type: array, items: {type: string}}
  /default-only:
    get:
      tags: [responses]
      operationId: defaultOnly
      responses:
        default: {description: any, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    Gender: {type: string, enum: [M, F, O]}
    Runtime: {type: object, properties: {path: {type: string}}}
"""

PRELUDE = """
import datetime, json, httpx
from gpuworkers.wire import WireClient
EMPTY = ("/v2/relative", "/u1/elsewhere", "/keyword", "/keyword-operation", "/digit-operation",
         "/patterned")
seen = []

def handler(request):
    seen.append(request)
    if request.url.path == "/default-only":
        return httpx.Response(200, text="plain words", headers={"content-type": "text/plain"})
    if request.url.path == "/login":
        when = "2026-01-02T03:04:05Z"
        return httpx.Response(200, json={"site": "HTTPS://Example.com", "when": when})
    if request.url.path == "/person":
        return httpx.Response(200, json={"gender": "O", "l": 3, "used": "18446744073709551615"})
    if request.url.path in EMPTY:
        return httpx.Response(204)
    return httpx.Response(200, json={"a": 1})

client = WireClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wire")
    specs = openapi_provider(root / "specs", "wire", DOCUMENT)
    out = root / "generated"
    result = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _run(generated: Path, script: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(script)],
        env={"PYTHONPATH": str(generated / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=False, cwd=generated,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_numeric_tag_gives_a_public_resource_that_calls(generated: Path) -> None:
    result = _run(generated, """
        answer = client.tag_1.get_numbered()
        print(json.dumps({"answer": answer, "path": seen[-1].url.path,
                          "private": [n for n in vars(client) if n.startswith("_1")]}))
    """)
    assert result == {"answer": {"a": 1}, "path": "/numbered", "private": []}
    source = (generated / "src/gpuworkers/wire/client.py").read_text()
    assert "__1" not in source  # no name Python would mangle in a class body


def test_a_keyword_tag_gives_a_usable_attribute(generated: Path) -> None:
    result = _run(generated, """
        print(json.dumps({"answer": client.class_.get_keyword(), "path": seen[-1].url.path}))
    """)
    assert result == {"answer": None, "path": "/keyword"}


def test_a_default_only_response_is_accepted_and_parsed_as_declared(generated: Path) -> None:
    result = _run(generated, """
        answer = client.responses.default_only()
        print(json.dumps({"answer": answer, "accept": seen[-1].headers["accept"]}))
    """)
    assert result == {"answer": "plain words", "accept": "text/plain"}


def test_keyword_and_digit_operation_ids_give_public_methods(generated: Path) -> None:
    result = _run(generated, """
        client.names.import_()
        client.names.delete_2fa()
        print(json.dumps([(r.method, r.url.path) for r in seen]))
    """)
    assert result == [["GET", "/keyword-operation"], ["DELETE", "/digit-operation"]]


def test_a_pattern_beyond_the_regex_engine_is_dropped_and_the_others_still_check(
    generated: Path,
) -> None:
    result = _run(generated, """
        client.names.patterned(huge="a" * 2000, code="abc")
        try:
            client.names.patterned(huge="a", code="xyz")
            refused = False
        except ValueError:
            refused = True
        print(json.dumps({"sent": json.loads(seen[-1].content), "refused": refused}))
    """)
    assert result == {"sent": {"huge": "a" * 2000, "code": "abc"}, "refused": True}


def test_wire_named_fields_parse_and_an_object_default_is_not_kept(generated: Path) -> None:
    result = _run(generated, """
        person = client.names.get_person()
        gender = getattr(person.gender, "value", person.gender)
        print(json.dumps({"gender": gender, "l": person.l, "runtimes": person.runtimes,
                          "used": person.used}))
    """)
    # An object default (a dict literal typed as a dict of models) is not kept: not mypy-clean.
    # uint64 as a decimal string (Google's APIs) is an exact int.
    assert result == {"gender": "O", "l": 3, "runtimes": None, "used": 2**64 - 1}


def test_string_formats_keep_the_values_as_sent_and_received(generated: Path) -> None:
    result = _run(generated, """
        answer = client.names.login(
            password="hunter2", email="a@b.co", site="https://x.io", data="aGk=", ip="1.2.3.4",
            backup="c@d.co",
        )
        print(json.dumps({"sent": json.loads(seen[-1].content), "site": answer.site,
                          "when": isinstance(answer.when, datetime.datetime)}))
    """)
    assert result == {
        "sent": {"password": "hunter2", "email": "a@b.co", "site": "https://x.io",
                 "data": "aGk=", "ip": "1.2.3.4", "backup": "c@d.co"},
        "site": "HTTPS://Example.com",
        "when": True,
    }


def test_long_words_in_descriptions_stay_whole_and_lines_end_clean(generated: Path) -> None:
    source = (generated / "src/gpuworkers/wire/client.py").read_text()
    url = "https://docs.example.com/AmazingService/latest/UserGuide/AdjustingTheMaintenanceWindow"
    assert source.count(url) >= 4  # description and argument, sync and async
    assert source.count(url) == source.count("https://docs.example.com/")  # none split
    assert "well-known-hyphenated-team" in source
    assert [line for line in source.splitlines() if line != line.rstrip()] == []


def test_path_and_operation_servers_are_where_those_calls_go(generated: Path) -> None:
    result = _run(generated, """
        client.names.get_relative()
        client.names.get_elsewhere()
        print(json.dumps([str(r.url) for r in seen]))
    """)
    assert result == [
        "https://wire.example/v2/relative", "https://eu.uploads.example/u1/elsewhere"]


def test_the_readme_method_table_keeps_its_columns_with_unions_and_pipes(
    generated: Path,
) -> None:
    readme = (generated / "README.md").read_text()
    [row] = [line for line in readme.splitlines() if "names.get_either" in line]
    cells = [cell for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
    assert len(cells) == 4, row
    assert "Runtime \\| list[str]" in row and "One \\| the other" in row


def test_closed_enums_in_a_union_or_list_of_a_request_are_literals(generated: Path) -> None:
    """datamodel-code-generator reads its enum-as-Literal marker on the field: an enum in a
    union or in items was an Enum class, with a default of "auto" mypy rejected."""
    source = (generated / "src/gpuworkers/wire/models.py").read_text()
    assert 'size: Literal["auto"] | int | None = "auto"' in source
    assert 'modes: list[Literal["fast", "slow"]] | None = None' in source
    result = _run(generated, """
        client.names.patterned(huge="a", code="abc", size=3, modes=["slow"])
        print(json.dumps(json.loads(seen[-1].content)))
    """)
    assert result == {"huge": "a", "code": "abc", "size": 3, "modes": ["slow"]}


def test_the_readme_examples_are_formatted_for_a_long_client_name(tmp_path: Path) -> None:
    """`ruff format --check` on the generated package reads README.md's examples too."""
    name = "a_provider_whose_name_is_long_enough_to_push_every_example_line_past_the_limit"
    specs = openapi_provider(tmp_path / "specs", name, DOCUMENT)
    out = tmp_path / "generated"
    result = run_generator("--specs", str(specs), "--out", str(out), "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    checked = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--no-cache", "--check", "."],
        cwd=out, capture_output=True, text=True, check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

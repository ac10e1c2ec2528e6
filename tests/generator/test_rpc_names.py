"""Operations on RPC-style paths (`POST /service.action`) are named as the RPC reads when
nothing else names them: `client.queues.create`, not `client.api.queues_create`."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import build_provider

PAGE = """\
queues

POST /queues.create#

Description#

Create a new queue

Parameters#

TypeNameDescriptionSchema
Bodyrequest
required
request bodyrequest

request

NameDescriptionSchema
name
required
Queue name Unique within the company.string

Responses#

HTTP CodeSchema
200Response 200

Response 200

NameDescriptionSchema
id
optional
New queue IDstring

POST /queues.delete

Description

Deletes a queue.

Parameters

TypeNameDescriptionSchema
Bodyrequest
required
request bodyrequest

request

NameDescriptionSchema
queue
required
Queue idstring

Responses

HTTP CodeSchema
200Response 200

Response 200

NameDescriptionSchema
deleted
optional
Number of queues deleted (0 or 1)integer
"""

OVERLAY = """\
overlay: 1.0.0
info: {title: names, version: 1.0.0}
actions:
  - target: $.paths['/queues.delete'].post
    update: {x-resource: admin, x-python-name: remove_queue}
"""


def _names(tmp_path: Path, overlay: str | None) -> dict[str, list[str]]:
    folder = tmp_path / "specs" / "rpc"
    folder.mkdir(parents=True)
    (folder / "queues.txt").write_text(PAGE, encoding="utf-8")
    toml = 'name = "rpc"\nbase_url = "https://rpc.test"\n\n[[pages]]\nfile = "queues.txt"\n'
    toml += 'format = "reference-text"\n'
    if overlay is not None:
        (folder / "overlay.yaml").write_text(overlay, encoding="utf-8")
    (folder / "provider.toml").write_text(toml, encoding="utf-8")
    build = build_provider(tmp_path / "specs", "rpc")
    assert build.api is not None, build.diagnostics
    return {r.name: [op.python_name for op in r.operations] for r in build.api.resources}


def test_rpc_paths_name_the_resource_and_the_method(tmp_path: Path) -> None:
    assert _names(tmp_path, None) == {"queues": ["create", "delete"]}


def test_the_overlay_still_names_what_it_names(tmp_path: Path) -> None:
    assert _names(tmp_path, OVERLAY) == {"admin": ["remove_queue"], "queues": ["create"]}

"""Operations on RPC-style paths (`POST /service.action`) are named as the RPC reads when
nothing else names them: `client.queues.create`, not `client.api.queues_create`."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import build_provider


def _operation(path: str, mark: str, request: str, response: str) -> str:
    """One operation as the site renders it; ``mark`` is the headings' permalink mark."""
    return f"""
POST {path}{mark}

Description{mark}

What {path} does.

Parameters{mark}

TypeNameDescriptionSchema
Bodyrequest
required
request bodyrequest

request

NameDescriptionSchema
{request}
required
The {request}string

Responses{mark}

HTTP CodeSchema
200Response 200

Response 200

NameDescriptionSchema
{response}
optional
The {response}integer
"""


PAGE = "queues\n" + _operation("/queues.create", "#", "name", "id") + _operation(
    "/queues.delete", "", "queue", "deleted"
)

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

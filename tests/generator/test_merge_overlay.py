"""Merging fragments and applying overlays: the declarative fixes' machinery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics
from generator.merge import merge_documents
from generator.overlay import apply_overlay, load_overlay


def _doc(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas or {}}}


def test_repeated_schemas_are_deduplicated_and_two_operations_on_one_path_kept() -> None:
    pet = {"type": "object", "properties": {"id": {"type": "integer"}}}
    first = _doc({"/p/{id}": {"get": {"operationId": "get", "x-source": "a.md:3"}}},
                 {"Pet": {**pet, "x-source": "a.md:3"}})
    second = _doc({"/p/{id}": {"delete": {"operationId": "del", "x-source": "a.md:9"}}},
                  {"Pet": {**pet, "x-source": "a.md:9"}})
    diagnostics = Diagnostics()
    merged = merge_documents([first, second], diagnostics)
    assert list(merged["paths"]["/p/{id}"]) == ["get", "delete"]
    assert merged["components"]["schemas"]["Pet"]["x-source"] == "a.md:3"
    assert not diagnostics.items


def test_conflicting_schemas_are_reported_with_both_sources() -> None:
    first = _doc({}, {"Pet": {"type": "object", "description": "one", "x-source": "a.md:3"}})
    second = _doc({}, {"Pet": {"type": "object", "description": "two", "x-source": "b.txt:7"}})
    diagnostics = Diagnostics()
    merged = merge_documents([first, second], diagnostics)
    assert merged["components"]["schemas"]["Pet"]["description"] == "one"
    (warning,) = diagnostics.warnings
    assert str(warning.location) == "a.md:3"
    assert "'one'" in warning.message and "'two' at b.txt:7" in warning.message


def test_enum_disagreement_keeps_the_union_and_warns() -> None:
    first = _doc({}, {"S": {"enum": ["A", "B"], "x-source": "a.txt:1"}})
    second = _doc({}, {"S": {"enum": ["A", "B", "C"], "x-source": "b.md:2"}})
    diagnostics = Diagnostics()
    merged = merge_documents([first, second], diagnostics)
    assert merged["components"]["schemas"]["S"]["enum"] == ["A", "B", "C"]
    assert "b.md:2" in diagnostics.warnings[0].message


def test_an_operation_without_method_is_bound_to_the_method_another_page_gives() -> None:
    field = {"name": "showAll", "schema": {"type": "boolean"}, "description": "all",
             "required": False, "x-source": "a.md:12"}
    unknown = _doc({"/w": {"x-unknown-method": {
        "operationId": "list", "x-source": "a.md:3", "x-request-fields": [field]}}})
    known = _doc({"/w": {"get": {"operationId": "list", "x-source": "b.txt:2"}}})
    merged = merge_documents([known, unknown], Diagnostics())
    operation = merged["paths"]["/w"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["showAll"]
    assert operation["parameters"][0]["in"] == "query"
    assert "x-unknown-method" not in merged["paths"]["/w"]


def test_an_operation_no_page_gives_a_method_for_is_an_error() -> None:
    unknown = _doc({"/w": {"x-unknown-method": {"operationId": "list", "x-source": "a.md:3"}}})
    diagnostics = Diagnostics()
    merge_documents([unknown], diagnostics)
    (error,) = diagnostics.errors
    assert str(error.location) == "a.md:3" and "HTTP method" in error.message


def _overlay(tmp_path: Path, text: str, diagnostics: Diagnostics) -> Any:
    path = tmp_path / "overlay.yaml"
    path.write_text(text)
    return load_overlay(path, "specs/x/overlay.yaml", diagnostics)


def test_overlay_update_remove_and_rename(tmp_path: Path) -> None:
    document = _doc({"/a": {"get": {"responses": {"200": {"content": {"*/*": {"schema": {}}}}}}}})
    document["security"] = [{}]
    diagnostics = Diagnostics()
    overlay = _overlay(tmp_path, """overlay: 1.0.0
info: {title: t, version: 1}
actions:
  - target: $.security
    remove: true
  - target: $.paths['/a'].get
    update: {x-python-name: fetch}
  - target: $.paths.*.*.responses.*.content['*/*']
    x-rename-key: application/json
""", diagnostics)
    result = apply_overlay(document, overlay, "specs/x/overlay.yaml", diagnostics)
    assert not diagnostics.items
    assert "security" not in result and "security" in document  # the input is not modified
    operation = result["paths"]["/a"]["get"]
    assert operation["x-python-name"] == "fetch"
    assert list(operation["responses"]["200"]["content"]) == ["application/json"]


def test_overlay_target_matching_nothing_is_an_error_at_its_line(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    overlay = _overlay(tmp_path, """overlay: 1.0.0
info: {title: t, version: 1}
actions:
  - target: $.paths['/a'].get
    update: {x-python-name: fetch}
  - target: $.paths['/gone'].post
    update: {x-python-name: gone}
""", diagnostics)
    apply_overlay(_doc({"/a": {"get": {}}}), overlay, "specs/x/overlay.yaml", diagnostics)
    (error,) = diagnostics.errors
    assert error.format().startswith("specs/x/overlay.yaml:6: error: overlay target")
    assert error.hint and "page changed" in error.hint


def test_overlay_that_is_not_yaml_names_file_and_line(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert _overlay(tmp_path, "overlay: 1.0.0\nactions: [\n  - target: x\n", diagnostics) is None
    assert diagnostics.errors[0].location.line is not None


def test_disagreements_the_overlay_decides_are_not_reported_again(tmp_path: Path) -> None:
    """EverAI's two pages disagree; its overlay settles each disagreement, and only then."""
    import shutil

    from generator.pipeline import build_provider

    root = Path(__file__).resolve().parents[2]
    specs = tmp_path / "specs"
    shutil.copytree(root / "specs" / "everai", specs / "everai")
    decided = build_provider(specs, "everai")
    assert decided.ok and not decided.diagnostics.warnings

    (specs / "everai" / "overlay.yaml").unlink()
    undecided = build_provider(specs, "everai")
    messages = [d.message for d in undecided.diagnostics.warnings]
    assert any(
        m.startswith("pages disagree on $.components.schemas.WorkerDetailStatus.enum")
        for m in messages
    )
    assert any("parameters[0].description" in m for m in messages)


def test_a_type_the_overlay_sets_settles_the_readers_assumption(tmp_path: Path) -> None:
    """Vast's logs page gives its outputs no type: the reader assumes `string` and warns at
    each bullet; the overlay action that types them (as `string` again) decides those warnings,
    and without that action they are reported."""
    import shutil

    import yaml

    from generator.pipeline import build_provider

    root = Path(__file__).resolve().parents[2]
    specs = tmp_path / "specs"
    shutil.copytree(root / "specs" / "vast", specs / "vast")
    settled = build_provider(specs, "vast")
    assert settled.ok and not settled.diagnostics.warnings

    overlay_path = specs / "vast" / "overlay.yaml"
    overlay = yaml.safe_load(overlay_path.read_text("utf-8"))
    overlay["actions"] = [
        a for a in overlay["actions"] if not a["target"].endswith(".schema.properties.*")
    ]
    overlay_path.write_text(yaml.safe_dump(overlay), "utf-8")
    unsettled = build_provider(specs, "vast")
    assert unsettled.ok
    untyped = [
        str(d.location) for d in unsettled.diagnostics.warnings if "has no type" in d.message
    ]
    lines = (64, 65, 66, 67, 96, 97, 98, 99)
    assert untyped == [f"specs/vast/logs.mdx:{n}" for n in lines]


def test_a_conflict_outside_marked_nodes_names_both_documents_origins() -> None:
    first, second = _doc({}), _doc({})
    first["info"]["title"], second["info"]["title"] = "Deployments", "Workers"
    diagnostics = Diagnostics()
    merge_documents([first, second], diagnostics, ["page.md:12", "page.md:80"])
    (warning,) = diagnostics.warnings
    assert str(warning.location) == "page.md:12"
    assert "'Workers' at page.md:80" in warning.message

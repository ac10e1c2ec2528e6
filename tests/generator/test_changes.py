"""The API change report: classes of change, version bumps, the changelog, the CLI flow."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.annotations import relate
from generator.changes import ChangeReport, bump, compare_providers, with_entry
from tests.generator.conftest import ROOT, run_generator

# -- building small IRs ------------------------------------------------------------------------


def _param(name: str, annotation: str = "int", required: bool = False, **kw: Any) -> ir.Param:
    return ir.Param(name, name, kw.pop("location", "query"), annotation, required, **kw)


def _op(name: str, *params: ir.Param, returns: str = "Pet", **kw: Any) -> ir.Operation:
    return ir.Operation(
        operation_id=name,
        resource="pets",
        python_name=name,
        method=kw.pop("method", "GET"),
        path=kw.pop("path", f"/{name}"),
        summary="",
        description="",
        idempotent=True,
        params=params,
        body=kw.pop("body", None),
        returns=returns,
        status="200",
        **kw,
    )


def _model(
    class_name: str, required: tuple[str, ...] = (), /, **fields: dict[str, Any]
) -> ir.Schema:
    schema: dict[str, Any] = {"type": "object", "properties": fields}
    if required:
        schema["required"] = list(required)
    return ir.Schema(class_name, class_name, schema)


def _enum(name: str, *values: str) -> ir.Schema:
    return ir.Schema(name, name, {"type": "string", "enum": list(values)})


def _api(*operations: ir.Operation, schemas: tuple[ir.Schema, ...] = ()) -> ir.Api:
    return ir.Api(
        name="pets",
        display_name="Pets",
        client_name="Pets",
        title="",
        description="",
        base_url="https://x",
        base_url_env=(),
        credentials=(),
        auth=(),
        envelope=None,
        retry=ir.Retry(2, (), ()),
        headers=(),
        resources=(ir.Resource("pets", "PetsResource", operations),),
        schemas=schemas,
    )


PET = _model("Pet", ("id",), id={"type": "integer"}, status={"$ref": "#/components/schemas/S"})
STATUS = _enum("S", "alive", "gone")
BASE = _api(_op("get", _param("id", required=True)), schemas=(PET, STATUS))


def _changes(old: ir.Api, new: ir.Api) -> list[tuple[str, bool, str]]:
    return [(c.kind, c.breaking, c.description) for c in compare_providers(old, new).changes]


def _with_model(api: ir.Api, *schemas: ir.Schema) -> ir.Api:
    return dataclasses.replace(api, schemas=schemas)


# -- classes of change -------------------------------------------------------------------------


def test_no_change_is_an_empty_report() -> None:
    assert _changes(BASE, BASE) == []


def test_operation_added_is_an_addition_and_removed_is_breaking() -> None:
    bigger = _api(
        _op("get", _param("id", required=True)),
        _op("list", returns="list[Pet]"),
        schemas=(PET, STATUS),
    )
    assert _changes(BASE, bigger) == [("added", False, "`pets.list()` added (GET /list)")]
    assert _changes(bigger, BASE) == [("removed", True, "`pets.list()` removed")]


@pytest.mark.parametrize(
    ("param", "breaking", "text"),
    [
        (_param("limit"), False, "new optional argument `limit: int`"),
        (_param("limit", required=True), True, "new required argument `limit: int`"),
    ],
)
def test_new_argument(param: ir.Param, breaking: bool, text: str) -> None:
    new = _api(_op("get", _param("id", required=True), param), schemas=(PET, STATUS))
    assert _changes(BASE, new) == [("added", breaking, f"`pets.get()`: {text}")]


def test_argument_removed_or_made_required_is_breaking_made_optional_is_not() -> None:
    none = _api(_op("get"), schemas=(PET, STATUS))
    assert _changes(BASE, none) == [("removed", True, "`pets.get()`: argument `id` removed")]
    optional = _api(_op("get", _param("id")), schemas=(PET, STATUS))
    assert _changes(BASE, optional) == [
        ("changed", False, "`pets.get()`: argument `id` is now optional")
    ]
    assert _changes(optional, BASE) == [
        ("changed", True, "`pets.get()`: argument `id` is now required")
    ]


@pytest.mark.parametrize(
    ("old", "new", "breaking", "label"),
    [
        ("int", "int | str", False, "widened"),  # an argument may accept more
        ("int | str", "int", True, "narrowed"),
        ("int", "float", False, "widened"),
        ("list[int]", "list[int | str]", False, "widened"),
        ("int", "str", True, "changed"),  # neither: breaking
        ("int", "Any", False, "widened"),
    ],
)
def test_argument_types_may_widen_but_not_narrow(
    old: str, new: str, breaking: bool, label: str
) -> None:
    before = _api(_op("get", _param("id", old)), schemas=(PET, STATUS))
    after = _api(_op("get", _param("id", new)), schemas=(PET, STATUS))
    [(kind, is_breaking, text)] = _changes(before, after)
    assert (kind, is_breaking) == ("changed", breaking)
    assert text == f"`pets.get()`: argument `id` is `{new}` instead of `{old}` ({label})"


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [("Pet", "Pet | None", True), ("Pet | None", "Pet", False), ("Pet", "list[Pet]", True)],
)
def test_return_types_may_narrow_but_not_widen(old: str, new: str, breaking: bool) -> None:
    before = _api(_op("get", returns=old), schemas=(PET, STATUS))
    after = _api(_op("get", returns=new), schemas=(PET, STATUS))
    [(kind, is_breaking, _)] = _changes(before, after)
    assert (kind, is_breaking) == ("changed", breaking)


def test_fields_of_a_received_model() -> None:
    added = _model("Pet", ("id",), **PET.json_schema["properties"], name={"type": "string"})
    assert _changes(BASE, _with_model(BASE, added, STATUS)) == [
        ("added", False, "model `Pet`: new field `name: str | None`")  # as the model has it
    ]
    removed = _model("Pet", ("id",), id={"type": "integer"})
    assert _changes(BASE, _with_model(BASE, removed, STATUS)) == [
        ("removed", True, "model `Pet`: field `status` removed")
    ]
    optional = _model("Pet", (), **PET.json_schema["properties"])
    assert _changes(BASE, _with_model(BASE, optional, STATUS)) == [
        ("changed", True, "model `Pet`: field `id` is now optional (may be None) (widened)")
    ]
    wider = _model(
        "Pet", ("id",), **{**PET.json_schema["properties"], "id": {"type": ["integer", "string"]}}
    )
    assert _changes(BASE, _with_model(BASE, wider, STATUS)) == [
        ("changed", True, "model `Pet`: field `id` is `int | str` instead of `int` (widened)")
    ]


def test_fields_of_a_paginated_methods_page_are_received() -> None:
    # Issue 14: Yotta's log cursor went from str to int and the report did not say so.
    page = _model("Page", (), items={"type": "array", "items": {"type": "integer"}},
                  next={"type": "string"})
    pagination = ir.Pagination("items", None, (("after", "next"),), "Page", "int")
    before = _api(_op("list", returns="Page", pagination=pagination), schemas=(page,))
    cursor = _model("Page", (), **{**page.json_schema["properties"], "next": {"type": "integer"}})
    assert _changes(before, _with_model(before, cursor)) == [
        ("changed", True,
         "model `Page`: field `next` is `int | None` instead of `str | None` (changed)")
    ]


def test_fields_of_a_sent_model_follow_the_argument_rules() -> None:
    sent = _model("Spec", ("size",), size={"type": "integer"})
    before = _api(_op("put", _param("spec", "Spec", True), returns="None"), schemas=(sent,))
    new_required = _model(
        "Spec", ("size", "kind"), size={"type": "integer"}, kind={"type": "string"}
    )
    wider = _model("Spec", (), size={"type": "number"})
    assert _changes(before, _with_model(before, new_required)) == [
        ("added", True, "model `Spec`: new field `kind: str` (required)")
    ]
    assert [(k, b) for k, b, _ in _changes(before, _with_model(before, wider))] == [
        ("changed", False),  # int -> float
        ("changed", False),  # now optional
    ]


def test_enum_values_added_are_not_breaking_removed_are() -> None:
    grown = _with_model(BASE, PET, _enum("S", "alive", "gone", "sleeping"))
    assert _changes(BASE, grown) == [("added", False, "enum `S`: new value `'sleeping'`")]
    assert _changes(grown, BASE) == [("removed", True, "enum `S`: value `'sleeping'` removed")]


def test_models_only_reached_through_flattened_bodies_are_reported_as_arguments() -> None:
    body = ir.Body("application/json", True, flattened=True, model="CreateRequest")
    request = _model("CreateRequest", ("name",), name={"type": "string"})
    op = _op("create", _param("name", "str", True, location="body"), body=body, method="POST")
    before = _api(op, schemas=(PET, STATUS, request))
    op2 = dataclasses.replace(op, params=(*op.params, _param("tag", "str", location="body")))
    request2 = _model("CreateRequest", ("name",), name={"type": "string"}, tag={"type": "string"})
    after = _api(op2, schemas=(PET, STATUS, request2))
    assert _changes(before, after) == [
        ("added", False, "`pets.create()`: new optional argument `tag: str`")
    ]


def test_new_and_removed_providers() -> None:
    assert [(c.kind, c.breaking) for c in compare_providers(None, BASE).changes] == [
        ("added", False)
    ]
    assert [(c.kind, c.breaking) for c in compare_providers(BASE, None).changes] == [
        ("removed", True)
    ]


@pytest.mark.parametrize(
    ("old", "new", "relation"),
    [
        ("int", "int", "same"),
        ("str | int", "int | str", "same"),
        ("dict[str, int]", "dict[str, float]", "wider"),
        ("list[Pet]", "list[Pet] | None", "wider"),
        ("int", "str", "unrelated"),
    ],
)
def test_relate(old: str, new: str, relation: str) -> None:
    assert relate(old, new) == relation


# -- versions and the changelog ----------------------------------------------------------------


def test_version_bump_by_kind_of_change() -> None:
    assert bump("0.3.2", "major") == "1.0.0"
    assert bump("0.3.2", "minor") == "0.4.0"
    assert bump("0.3.2", "patch") == "0.3.3"
    added = compare_providers(
        BASE, _api(_op("get", _param("id", required=True)), _op("list"), schemas=(PET, STATUS))
    )
    patch = compare_providers(BASE, _api(_op("get", _param("id")), schemas=(PET, STATUS)))
    breaking = compare_providers(BASE, _api(_op("get"), schemas=(PET, STATUS)))
    assert ChangeReport((added,)).next_version("0.3.2") == "0.4.0"
    assert ChangeReport((patch,)).next_version("0.3.2") == "0.3.3"
    assert ChangeReport((added, breaking)).next_version("0.3.2") == "1.0.0"
    assert ChangeReport(()).next_version("0.3.2") == "0.3.2"


def test_changelog_entries_go_newest_first_below_the_intro() -> None:
    first = with_entry(None, "## 0.2.0\n\n- a\n")
    second = with_entry(first, "## 0.3.0\n\n- b\n")
    assert second.startswith("# Changelog\n")
    assert second.index("## 0.3.0") < second.index("## 0.2.0")
    assert second.count("# Changelog") == 1


def test_changelog_entry_marks_breaking_changes_first() -> None:
    changes = compare_providers(BASE, _api(_op("list"), schemas=(PET, STATUS)))
    entry = ChangeReport((changes,)).changelog_entry("1.0.0")
    assert entry == (
        "## 1.0.0\n\n### Pets (`gpuworkers.pets`)\n\n"
        "- **breaking:** `pets.get()` removed\n"
        "- `pets.list()` added (GET /list)\n"
    )


# -- the maintainer's flow, as processes -------------------------------------------------------


def _digest(tree: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(tree.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(tree)).encode() + path.read_bytes())
    return digest.hexdigest()


def _edit_petstore(page: Path) -> None:
    """A field removed (breaking), a field added, an operation added."""
    text = page.read_text()
    text = text.replace(
        "        tag:\n          type: string\n", "        weight:\n          type: number\n"
    )
    text = text.replace(
        "  /pets/{petId}:\n",
        "  /pets/{petId}:\n    delete:\n      operationId: deletePet\n      tags: [pets]\n"
        "      parameters:\n"
        "        - {name: petId, in: path, required: true, schema: {type: string}}\n"
        "      responses:\n        '204': {description: deleted}\n",
    )
    page.write_text(text)


def test_regenerating_an_edited_page_reports_bumps_and_records(tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "generated"
    shutil.copytree(ROOT / "tests/specs/petstore", specs / "petstore")
    (specs / "package.toml").write_text('# the version\nversion = "0.4.1"\n')
    args = ("--specs", "specs", "--out", "generated")
    first = run_generator(*args, "generate", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert not (out / "CHANGELOG.md").exists()  # a first generation records nothing
    _edit_petstore(specs / "petstore" / "petstore.yaml")
    before = _digest(out)

    refused = run_generator(*args, "generate", "--fail-on-breaking", cwd=tmp_path)
    assert refused.returncode == 1
    assert "breaking  model `Pet`: field `tag` removed" in refused.stderr
    assert _digest(out) == before
    assert "0.4.1" in (specs / "package.toml").read_text()

    stale = run_generator(*args, "check", cwd=tmp_path)
    assert stale.returncode == 1
    assert "changed  generated/CHANGELOG.md" not in stale.stderr  # no changelog yet: added
    assert "added    generated/CHANGELOG.md" in stale.stderr
    assert "version 0.4.1 -> 1.0.0" in stale.stderr
    assert _digest(out) == before

    result = run_generator(*args, "generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    table = next(line for line in result.stdout.splitlines() if line.startswith("petstore"))
    assert table.split()[1:] == ["4", "1", "0", "3", "(1", "breaking)"]
    report = result.stdout[result.stdout.index("API changes") :]
    assert report.splitlines()[2:5] == [
        "    breaking  model `Pet`: field `tag` removed",
        "    added     `pets.delete_pet()` added (DELETE /pets/{petId})",
        "    added     model `Pet`: new field `weight: float | None`",
    ]
    assert (specs / "package.toml").read_text() == '# the version\nversion = "1.0.0"\n'
    changelog = (out / "CHANGELOG.md").read_text()
    assert "## 1.0.0\n\n### Swagger Petstore (`gpuworkers.petstore`)\n\n" in changelog
    assert 'version = "1.0.0"' in (out / "pyproject.toml").read_text()

    after = _digest(out)
    again = run_generator(*args, "generate", cwd=tmp_path)
    assert again.returncode == 0 and "API changes" not in again.stdout
    assert _digest(out) == after  # byte-identical: no new entry, no bump
    assert run_generator(*args, "check", cwd=tmp_path).returncode == 0


def test_model_fields_are_read_from_the_ir_by_their_python_names() -> None:
    # Two fields that differ only in case are two attributes (`mixed_case`, `mixed_case_2`):
    # the report names the one that changed, as the IR names it.
    def pet(annotation: str) -> ir.Schema:
        fields = (
            ir.Field("mixed_case", "mixed_case", "int", False),
            ir.Field("mixedCase", "mixed_case_2", annotation, False),
        )
        return dataclasses.replace(_model("Pet"), fields=fields)

    old = _api(_op("get"), schemas=(pet("int"),))
    new = _api(_op("get"), schemas=(pet("int | str"),))
    assert _changes(old, new) == [
        (
            "changed",
            True,
            "model `Pet`: field `mixed_case_2` is `int | str | None` instead of `int | None` "
            "(widened)",
        )
    ]

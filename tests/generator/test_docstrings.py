"""Docstrings say what the page says, and nothing when the page only repeats a name.

A model whose page description is its raw schema title (``"OpenapiScaleWorkersRequest"``)
and a field described by its own name (``image`` described as "image", ``gpu_type`` as "GPU Type")
get no docstring; an argument so described gets no line under ``Args:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.schema_shapes import informative
from tests.generator.conftest import ROOT

GENERATED = ROOT / "generated" / "src" / "gpuworkers"
MODELS = sorted(GENERATED.glob("*/models.py"))


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _docstring(node: ast.stmt | None) -> str | None:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        value = node.value.value
        return value.strip() if isinstance(value, str) else None
    return None


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.parent.name)
def test_no_model_docstring_is_a_bare_name(path: Path) -> None:
    bare = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ClassDef):
            continue
        doc = ast.get_docstring(node)
        if doc is not None and len(doc.split()) == 1:
            bare.append(f"{node.name}: {doc!r}")
        body = node.body
        for field, after in zip(body, [*body[1:], None], strict=True):
            if not isinstance(field, ast.AnnAssign) or not isinstance(field.target, ast.Name):
                continue
            text = _docstring(after)
            if text is not None and _squeeze(text) == _squeeze(field.target.id):
                bare.append(f"{node.name}.{field.target.id}: {text!r}")
    assert bare == []


def test_descriptions_the_pages_give_are_kept() -> None:
    source = (GENERATED / "yotta" / "models.py").read_text(encoding="utf-8")
    assert '"""Image Registry Url"""' in source  # says more than `image_registry`
    assert '"""GPU resources requested for a deployment."""' in source
    assert '"""image"""' not in source
    assert '"""OpenapiScaleWorkersRequest"""' not in source


def test_arguments_described_by_their_name_have_no_args_line() -> None:
    client = (GENERATED / "yotta" / "client.py").read_text(encoding="utf-8")
    assert "            image: image." not in client
    assert "            image_registry: Image Registry Url." in client


@pytest.mark.parametrize(
    ("text", "names", "single_word", "kept"),
    [
        ("image", ("image",), False, False),
        ("GPU Type", ("gpuType", "gpu_type"), False, False),
        ("ID", ("id",), False, False),
        ("Credential Id", ("credentialId",), False, False),
        ("ElasticDeployCreateRequest", ("CreateDeploymentRequest",), False, False),
        ("Expose", ("ExposePortRequest",), True, False),  # a model: one word says nothing
        ("Deprecated.", ("status",), False, True),  # a field: one plain word may say much
        ("Image Registry Url", ("imageRegistry",), False, True),
        ("How many workers to add.", ("scaleUpWorkersNum",), False, True),
        ("", ("x",), False, False),
    ],
)
def test_informative(text: str, names: tuple[str, ...], single_word: bool, kept: bool) -> None:
    assert informative(text, *names, single_word=single_word) == (text if kept else "")

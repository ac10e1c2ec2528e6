"""Loading and applying an overlay never raises: anything broken becomes a diagnostic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics
from generator.overlay import apply_overlay, load_overlay

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = yaml.safe_load((ROOT / "tests/specs/petstore/petstore.yaml").read_text())
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
TARGETS = st.sampled_from(
    [
        "$.info",
        "$.paths.*",
        "$.paths['/pets'].get",
        "$.components.schemas.Pet.properties",
        "$.paths.*.*.parameters[?(@.name == 'limit')]",
        "$..[",
        "$.nothing",
        "",
        "$[*]",
        "$",
    ]
) | st.text(max_size=15)
ACTIONS = st.fixed_dictionaries(
    {"target": TARGETS | VALUES},
    optional={"update": VALUES, "remove": VALUES, "copy": TARGETS, "x-rename-key": VALUES},
)


def _load(tmp_path: Path, data: bytes) -> tuple[Any, Diagnostics]:
    path = tmp_path / "overlay.yaml"
    path.write_bytes(data)
    diagnostics = Diagnostics()
    return load_overlay(path, "overlay.yaml", diagnostics), diagnostics


@FUZZ
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_random_bytes_never_raise(tmp_path_factory: Any, data: bytes) -> None:
    overlay, diagnostics = _load(tmp_path_factory.mktemp("o"), data)
    assert overlay is not None or diagnostics.errors


@FUZZ
@given(actions=st.lists(ACTIONS, max_size=4) | VALUES)
def test_random_actions_never_raise(tmp_path_factory: Any, actions: Any) -> None:
    text = json.dumps(
        {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}
    )
    overlay, diagnostics = _load(tmp_path_factory.mktemp("o"), text.encode())
    if overlay is not None:
        result = apply_overlay(DOCUMENT, overlay, "overlay.yaml", diagnostics)
        assert isinstance(result, dict)
    assert all(d.location.file == "overlay.yaml" for d in diagnostics)

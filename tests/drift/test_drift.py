"""Republished pages: realistic edits and what each must do to the export.

"same": the export (without line numbers) does not change.  "adds X": every difference
is about X.  Damaged pages must not pass as "same".
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.readers import Fragment, Page
from generator.readers.markdown_tables import read_markdown_tables
from generator.readers.text_tables import read_text_tables
from tests.drift.edits import (
    add_column,
    add_enum_row,
    crlf,
    double_blank_lines,
    rename_headers,
    space_out,
    swap_columns,
    trailing_spaces,
)
from tests.drift.harness import build_with, effect, page_text

PAGES = [
    ("clearml", "workers.txt"),
    ("everai", "workers.md"),
    ("everai", "workers.txt"),
    ("vast", "worker-list.mdx"),
    ("vast", "logs.mdx"),
    ("yotta", "elastic-deployments.md"),
]
IDS = [f"{provider}/{page}" for provider, page in PAGES]
FEW = settings(max_examples=8, deadline=None, derandomize=True)
LINES = st.sets(st.integers(min_value=0, max_value=10_000), max_size=12)


def read_page(page: str, text: str) -> Fragment:
    reader = read_markdown_tables if page.endswith(".md") else read_text_tables
    return reader(Page(page, text))


def only_about(differences: list[str], *words: str) -> bool:
    return bool(differences) and all(any(w in d for w in words) for d in differences)


# --- whitespace and line endings: same ---------------------------------------------


@pytest.mark.parametrize(("provider", "page"), PAGES, ids=IDS)
def test_crlf_line_endings_change_nothing(provider: str, page: str) -> None:
    assert effect(provider, page, crlf(page_text(provider, page))) == []


@pytest.mark.parametrize(("provider", "page"), PAGES, ids=IDS)
@FEW
@given(which=LINES)
def test_extra_blank_lines_change_nothing(provider: str, page: str, which: set[int]) -> None:
    text = double_blank_lines(page_text(provider, page), which)
    assert effect(provider, page, text) == []


@pytest.mark.parametrize(("provider", "page"), PAGES, ids=IDS)
@FEW
@given(which=LINES, line_end=st.sampled_from(["\n", "\r\n"]))
def test_trailing_spaces_change_nothing(
    provider: str, page: str, which: set[int], line_end: str
) -> None:
    text = trailing_spaces(page_text(provider, page), which).replace("\n", line_end)
    assert effect(provider, page, text) == []


def test_text_page_with_blank_lines_between_blocks_is_the_same() -> None:
    text = space_out(page_text("everai", "workers.txt"))
    assert text.count("\n\n") > 20
    assert effect("everai", "workers.txt", text) == []


# --- tables: column order, header words, new columns ----------------------------------


@pytest.mark.parametrize("page", ["workers.md", "workers.txt"])
def test_reordered_columns_change_nothing(page: str) -> None:
    text = swap_columns(page_text("everai", page), "type", "description")
    assert text != page_text("everai", page)
    assert effect("everai", page, text) == []


@pytest.mark.parametrize("page", ["workers.md", "workers.txt"])
def test_header_synonyms_change_nothing(page: str) -> None:
    names = {"Field Name": "Parameter", "Required": "Mandatory"}
    text = rename_headers(page_text("everai", page), names)
    assert text != page_text("everai", page)
    assert effect("everai", page, text) == []


@pytest.mark.parametrize("page", ["workers.md", "workers.txt"])
def test_a_default_column_adds_the_default(page: str) -> None:
    text = add_column(page_text("everai", page), "Default", {"showAll": "false"})
    changes = effect("everai", page, text)
    assert changes and all(c.endswith(".default") for c in changes), changes
    assert any("parameters" in c for c in changes)


@pytest.mark.parametrize("page", ["workers.md", "workers.txt"])
def test_an_example_column_adds_examples(page: str) -> None:
    text = add_column(page_text("everai", page), "Example", {"showAll": "true"})
    changes = effect("everai", page, text)
    assert only_about(changes, ".examples"), changes


@pytest.mark.parametrize("page", ["workers.md", "workers.txt"])
def test_an_unknown_column_is_kept_in_the_description_and_warned(page: str) -> None:
    text = add_column(page_text("everai", page), "Since", {"showAll": "v1.2"})
    build = build_with("everai", page, text)
    assert any("'Since'" in d.message for d in build.diagnostics.warnings)
    fragment = read_page(page, text)
    (entry,) = [
        field
        for item in fragment.document["paths"].values()
        for op in item.values()
        for field in [*op.get("x-request-fields", []), *op.get("parameters", [])]
        if field["name"] == "showAll"
    ]
    assert "Since: v1.2" in entry["description"]


def test_a_new_enum_value_adds_it() -> None:
    text = add_enum_row(page_text("everai", "workers.md"), "STATUS_", "STATUS_SLEEPING")
    changes = effect("everai", "workers.md", text)
    assert changes and all("enum" in c for c in changes), changes


# --- MDX: bullets, components, front matter, new fields and operations ------------------


def test_dash_bullets_change_nothing() -> None:
    text = page_text("vast", "worker-list.mdx").replace("\n* `", "\n- `")
    assert effect("vast", "worker-list.mdx", text) == []


def test_a_note_component_and_front_matter_change_nothing() -> None:
    text = page_text("vast", "worker-list.mdx")
    text = "---\ntitle: Worker List\nsidebarTitle: Workers\n---\n" + text.replace(
        "## Inputs\n", "## Inputs\n\n<Note>\n  Calls are rate limited.\n</Note>\n", 1
    )
    assert effect("vast", "worker-list.mdx", text) == []


def test_a_type_left_out_is_read_from_the_example() -> None:
    text = page_text("vast", "worker-list.mdx").replace("`status`(string)", "`status`", 1)
    assert effect("vast", "worker-list.mdx", text) == []


def test_types_added_to_the_logs_outputs_change_nothing() -> None:
    text = page_text("vast", "logs.mdx")
    for level in ("info0", "info1", "trace", "debug"):
        text = text.replace(f"- `{level}`:", f"- `{level}` (string):")
    assert effect("vast", "logs.mdx", text) == []


def test_a_new_output_bullet_adds_the_field() -> None:
    text = page_text("vast", "worker-list.mdx").replace(
        "* `status`(string): Current status of the worker.",
        "* `status`(string): Current status of the worker.\n"
        "* `gpu_ram`(int): GPU memory in MB.",
        1,
    )
    changes = effect("vast", "worker-list.mdx", text)
    assert only_about(changes, "gpu_ram"), changes


def test_a_new_mdx_operation_adds_its_path_only() -> None:
    text = page_text("vast", "logs.mdx")
    start = text.index("# POST https\\://run.vast.ai/get\\_autogroup\\_logs/")
    section = text[start:].replace("get\\_autogroup\\_logs", "get\\_workergroup\\_logs")
    section = section.replace("get_autogroup_logs", "get_workergroup_logs")
    changes = effect("vast", "logs.mdx", text + "\n\n***\n\n" + section)
    assert only_about(changes, "/get_workergroup_logs/"), changes


# --- reference text: sections in any order, new operations get the conventions ---------


def _reference_operation(text: str, path: str) -> tuple[int, int]:
    start = text.index(f"POST {path}\n")
    end = text.find("\nPOST /", start + 1)
    return start, len(text) if end < 0 else end + 1


def test_reference_sections_in_another_order_change_nothing() -> None:
    text = page_text("clearml", "workers.txt")
    start, end = _reference_operation(text, "/workers.get_all")
    operation = text[start:end]
    description = operation[operation.index("Description\n") : operation.index("Parameters\n")]
    moved = operation.replace(description, "", 1).rstrip("\n") + "\n\n" + description
    assert moved != operation
    edited = text[:start] + moved.rstrip("\n") + "\n\n" + text[end:]
    assert effect("clearml", "workers.txt", edited) == []


def test_a_new_reference_operation_gets_the_envelope_of_its_siblings() -> None:
    text = page_text("clearml", "workers.txt")
    start, end = _reference_operation(text, "/workers.get_count")
    operation = text[start:end].replace("/workers.get_count", "/workers.get_queue_count")
    edited = text.rstrip("\n") + "\n\n" + operation
    build = build_with("clearml", "workers.txt", edited)
    assert build.ok and build.document is not None
    paths = build.document["paths"]
    new = paths["/workers.get_queue_count"]["post"]["responses"]["200"]["content"]
    sibling = paths["/workers.get_count"]["post"]["responses"]["200"]["content"]
    schema = new["application/json"]["schema"]
    assert set(schema["properties"]) == {"meta", "data"} == set(
        sibling["application/json"]["schema"]["properties"]
    )
    assert schema["properties"]["data"], "the page's schema is the envelope's data"
    assert build.api is not None
    (op,) = [o for o in build.api.operations if o.path == "/workers.get_queue_count"]
    (sibling_op,) = [o for o in build.api.operations if o.path == "/workers.get_count"]
    assert op.returns != "None" and op.returns.endswith("Response200")
    assert sibling_op.returns != "None"
    # Named as its siblings are, by the RPC path, though no overlay action names it.
    assert (op.resource, op.python_name) == ("workers", "get_queue_count")
    assert (sibling_op.resource, sibling_op.python_name) == ("workers", "get_count")


# --- damaged pages: caught, never "same" -------------------------------------------------


@pytest.mark.parametrize(("provider", "page"), PAGES, ids=IDS)
def test_a_truncated_page_is_caught(provider: str, page: str) -> None:
    text = page_text(provider, page)
    assert effect(provider, page, text[: len(text) // 2]) != []


@pytest.mark.parametrize(("provider", "page"), PAGES, ids=IDS)
def test_a_binary_page_is_an_error(provider: str, page: str) -> None:
    changes = effect(provider, page, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert changes and changes[0].startswith("error"), changes


@pytest.mark.parametrize(("provider", "page"), PAGES, ids=IDS)
def test_a_page_with_its_lines_shuffled_is_caught(provider: str, page: str) -> None:
    lines = page_text(provider, page).split("\n")
    assert effect(provider, page, "\n".join(lines[1::2] + lines[0::2])) != []

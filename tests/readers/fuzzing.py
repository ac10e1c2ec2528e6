"""Line mutations for fuzzing readers: a page with lines deleted, doubled, replaced or cut."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

Mutation = tuple[int, str, str]


def line_mutations(line_count: int, alphabet: str) -> st.SearchStrategy[list[Mutation]]:
    """Up to six edits, each at a line of a page with ``line_count`` lines."""
    return st.lists(
        st.tuples(
            st.integers(0, max(line_count - 1, 0)),
            st.sampled_from(["delete", "dup", "replace", "cut"]),
            st.text(alphabet=alphabet, max_size=24),
        ),
        max_size=6,
    )


def mutate(lines: list[str], mutations: list[Mutation]) -> str:
    """The page's text after applying ``mutations`` in order."""
    lines = list(lines)
    for index, action, text in mutations:
        if not lines:
            break
        index %= len(lines)
        if action == "delete":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "replace":
            lines[index] = text
        else:
            lines[index] = lines[index][: len(text)]
    return "\n".join(lines)


# Enough examples to find crashes in seconds; pages make slow examples, which is fine here.
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

"""What a part of a document is given where it cuts a reference, and examples Prism needs.

A part (``parts.reduced``) keeps the components within a few references; a reference to
one farther used to become ``{}``: any value passes Prism's validation there, which is
right, but Prism also *builds* its responses from that ``{}``, and its static sampler
makes ``null`` of it, which the client, validating against the real schema, rightly
refuses (``billing_details (None is not of type 'object')``).  The stand-in keeps ``{}``'s
meaning (no constraint) and adds an ``example``: a minimal instance built from the full
document's schema, which Prism's samplers use as the value.

A kept schema that reaches itself gets such an example too: Prism's static sampler ends
the cycle with ``{}``, which lacks the required properties.  Likewise a kept string
schema with a ``pattern`` and no example is sampled by Prism as ``"string"``, which
matches few patterns; it is given an example that matches, when one can be built; and
one of an integer ``format`` (int64 as a decimal string) is given ``"1"`` (``byte`` and
``url`` a value of theirs).  The whole document, when Prism serves it whole, gets these
examples too.  Examples are annotations: what Prism accepts does not change.
"""

from __future__ import annotations

from typing import Any

from hypothesis.errors import HypothesisException

from tests.corpus import parts
from tests.corpus.arguments import MinimalArguments

# What building a value can raise: a pattern no string was found for, a schema with no
# finite instance (a required property that is its own type), a type the sampler lacks.
_UNBUILT = (ValueError, RecursionError, AttributeError, HypothesisException)
# What Prism samples a value from before its type (a string of an integer format keeps them).
_SAMPLED = ("examples", "default", "enum", "const")
# Formats Prism checks its responses against but samples as "string", which none matches:
# integers written as decimal strings (Google's int64), base64, a URL.
_FORMAT_EXAMPLES = {
    **dict.fromkeys(("int32", "int64", "uint32", "uint64"), "1"),
    "byte": "c3RyaW5n",
    "url": "https://example.com/",
}


class StandIns:
    """``stand_in(reference)`` for ``parts.reduced``, and ``with_examples`` for the part."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._arguments = MinimalArguments(document)
        self._cut: dict[str, dict[str, Any]] = {}
        self._patterns: dict[str, str | None] = {}

    def __call__(self, reference: str) -> dict[str, Any]:
        if reference not in self._cut:
            self._cut[reference] = self._example_schema({"$ref": reference})
        return self._cut[reference]

    def _example_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``{"example": value}`` with a value valid against ``schema``, else ``{}``."""
        try:
            value = self._arguments.sample(schema)
        except _UNBUILT:
            return {}
        return {"example": value} if self._arguments.valid(value, schema) else {}

    def with_examples(self, node: Any) -> Any:
        """``node`` with an ``example`` on each string schema whose ``pattern`` the
        default sample would not match (when a matching string can be built), and on each
        string of a ``format`` Prism samples as ``"string"`` yet checks (an int64 sent as a
        decimal string, Google's way; ``byte``; ``url``), which a client reading the format
        rightly refuses, or Prism's own check of its response does."""
        if isinstance(node, list):
            return [self.with_examples(item) for item in node]
        if not isinstance(node, dict):
            return node
        copy = {key: self.with_examples(value) for key, value in node.items()}
        if node.get("type") != "string" or "example" in node:
            return copy
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            example = self._matching(pattern, node)
            if example is not None:
                copy["example"] = example
        elif node.get("format") in _FORMAT_EXAMPLES and not any(k in node for k in _SAMPLED):
            example = _FORMAT_EXAMPLES[node["format"]]
            copy.update({"example": example} if self._arguments.valid(example, node) else {})
        return copy

    def with_recursive_examples(self, part: dict[str, Any]) -> dict[str, Any]:
        """``part`` with an ``example`` on each kept schema that reaches itself by reference:
        Prism's static sampler ends a cycle with ``{}``, an object missing its required
        properties (``payment_intent.last_payment_error.payment_intent``), where the
        example is a whole minimal instance."""
        schemas = (part.get("components") or {}).get("schemas") or {}
        for name, schema in schemas.items():
            cyclic = ("schemas", name) in parts.closure(part, schema)
            if cyclic and isinstance(schema, dict) and "example" not in schema:
                reference = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
                example = self(reference)
                if example:
                    schemas[name] = {**schema, **example}
        return part

    def _matching(self, pattern: str, schema: dict[str, Any]) -> str | None:
        if pattern not in self._patterns:
            built = self._example_schema({"type": "string", "pattern": pattern})
            self._patterns[pattern] = built.get("example")
        example = self._patterns[pattern]
        return example if example is not None and self._arguments.valid(example, schema) else None

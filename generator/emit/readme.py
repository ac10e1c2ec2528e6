"""What `generated/README.md` needs beyond the IR as it is: example calls it can show.

The README's examples are built from the APIs it documents (a template may not name a
provider), so every call shown is one the package has, with arguments of the right types.
A required argument gets a plain value of its type (1, "example", True): examples that
run against the mock server (`tests/docs/test_readme_examples.py` runs every one).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir
from generator.lower_media import media_kind

# Values for required arguments, by annotation: small, so a mock server's integer limit
# (Prism: 2^53) and an id's format are no obstacle.
_SAMPLES = {"int": "1", "float": "1.0", "bool": "True", "str": '"example"'}


@dataclass(frozen=True)
class Example:
    api: ir.Api
    op: ir.Operation

    @property
    def module(self) -> str:
        return f"gpuworkers.{self.api.name}"

    @property
    def client(self) -> str:
        return f"{self.api.client_name}Client"

    def call(self, suffix: str = "", extra: str = "") -> str:
        """``resource.method(required=value, ...)``: ``suffix`` appended to the method name,
        ``extra`` (more arguments, as source) after the required ones."""
        arguments = [
            f"{param.python_name}={_SAMPLES[param.annotation]}"
            for param in self.op.params
            if param.required
        ]
        listed = ", ".join([*arguments, extra] if extra else arguments)
        return f"{self.op.resource}.{self.op.python_name}{suffix}({listed})"

    def cursor(self) -> str:
        """``argument=page.attribute`` for the next page, or "" when there is no cursor."""
        assert self.op.pagination is not None
        arguments = {param.name: param.python_name for param in self.op.params}
        schema = next(
            (s for s in self.api.schemas if s.class_name == self.op.pagination.page_annotation),
            None,
        )
        attributes = {f.name: f.python_name for f in schema.fields} if schema else {}
        return ", ".join(
            f"{arguments.get(query, query)}=page.{attributes.get(field, field)}"
            for query, field in self.op.pagination.cursor
        )


def _callable(op: ir.Operation) -> bool:
    """Every required argument has a plain type a sample value fits."""
    required = [param for param in op.params if param.required]
    body_ok = op.body is None or op.body.flattened or not op.body.required
    return body_ok and all(param.annotation in _SAMPLES for param in required)


def _first(apis: list[ir.Api], wanted: str) -> Example | None:
    """The read (``"read"``) or paginated read (``"paged"``) with the fewest required
    arguments; the first API's, then the first operation's, on a tie."""
    found = [
        (sum(param.required for param in op.params), index, Example(api, op))
        for index, (api, op) in enumerate((a, o) for a in apis for o in a.operations)
        if _callable(op) and op.idempotent and op.response_media
        and (op.pagination is not None) == (wanted == "paged")
    ]
    return min(found, key=lambda entry: entry[:2])[2] if found else None


def examples(apis: list[ir.Api]) -> dict[str, Example | None]:
    """The read call the quick start shows and the paginated one the pagination section
    shows (None when no API has one)."""
    return {"read": _first(apis, "read"), "paged": _first(apis, "paged")}


def streamed(apis: list[ir.Api]) -> list[str]:
    """``module: resource.method`` of every download (a method with a streamed form)."""
    return [
        f"`gpuworkers.{api.name}`: `{op.resource}.{op.python_name}`"
        for api in apis
        for op in api.operations
        if op.pagination is None and media_kind(op.response_media) in ("text", "binary")
    ]

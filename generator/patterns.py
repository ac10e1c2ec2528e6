"""Whether a schema's ``pattern`` can be checked by the generated models.

Generated models validate ``pattern`` with pydantic, which compiles it with the Rust regex
engine, or with Python's ``re`` where the pattern needs lookaround (datamodel-code-generator
then sets the model's ``regex_engine``).  A pattern that neither compiles in the engine it
will get (an ECMA-262 construct, a Unicode property Rust does not know, or a pattern
beyond Rust's size limit) would make the whole package fail to import, so the lint drops
it with a warning: the server still checks what it sent.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

_LOOKAROUND = re.compile(r"\(\?<?[=!]")

DROPPED_PATTERN = (
    "it is dropped: the client does not check this pattern, the server still does; "
    "rewrite it in the common subset of ECMA-262, Rust and Python regular expressions"
)


@lru_cache(maxsize=4096)
def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be checked by a generated model, or None if it can."""
    # Here, not at the top: validate.py imports this module on every run, and pydantic-core
    # (~20 ms) is needed only when a finding about a pattern is classified.
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    engine: Literal["python-re", "rust-regex"] = (
        "python-re" if _LOOKAROUND.search(pattern) else "rust-regex"
    )
    try:
        SchemaValidator(
            core_schema.str_schema(pattern=pattern),
            core_schema.CoreConfig(regex_engine=engine),
        )
    except SchemaError as exc:
        reason = str(exc).strip().splitlines()[-1].strip()
        return f"{engine} cannot compile it: {reason[:200]}"
    return None

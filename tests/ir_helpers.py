"""Small IR values for tests that need an ``ir.Api`` around some schemas."""

from __future__ import annotations

from generator import ir


def api_with_schemas(schemas: tuple[ir.Schema, ...]) -> ir.Api:
    """A provider named ``demo`` with these schemas and no operations."""
    return ir.Api(
        name="demo",
        display_name="Demo",
        client_name="Demo",
        title="Demo",
        description="",
        base_url="https://demo.test",
        base_url_env=(),
        credentials=(),
        auth=(),
        envelope=None,
        retry=ir.Retry(2, (429,), (429,)),
        headers=(),
        resources=(),
        schemas=schemas,
    )

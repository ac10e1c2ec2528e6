"""How a body of a media type is encoded or decoded: the generator's copy of the runtime's
``_content.media_kind``, so that lowering does not import the runtime package (and httpx,
a tenth of a second on every run).  ``tests/generator/test_media_and_params.py`` holds the
two equal."""

from __future__ import annotations

from typing import Literal

MediaKind = Literal["json", "form", "multipart", "text", "binary"]
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def media_kind(media_type: str) -> MediaKind:
    """``*+json`` is JSON; ``text/*`` is text; anything else not form or multipart is bytes."""
    essence = media_type.split(";")[0].strip().lower()
    if essence in ("", "application/json") or essence.endswith("+json"):
        return "json"
    if essence == FORM:
        return "form"
    if essence == MULTIPART:
        return "multipart"
    return "text" if essence.startswith("text/") else "binary"

"""What every page reader (and the merge) needs, whatever the page's format.

* ``HTTP_METHODS``: the operation keys of an OpenAPI path item, in OpenAPI's order.
* ``place_fields``: request fields -> ``parameters`` + ``requestBody`` once the method
  is known (readers do it when the page gives the method, the merge when another page does).
* ``parse_curl``: a curl example -> method, URL, headers, body and user.
* ``json_key_lines``: the line of every object key of a JSON example, for ``x-source``.

It sits outside ``generator.readers`` so that the merge can use it without importing
the readers (one of which, the OpenAPI reader, uses the merge).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BODYLESS_METHODS = frozenset({"get", "head", "delete", "options", "trace"})

JsonPath = tuple[str, ...]
"""Where a value sits in a JSON example: object keys, ``"[]"`` for array items."""

ITEMS = "[]"

PATH_PARAM = re.compile(r"\{([^{}/]+)\}")  # a path template's {name}
_CURL_VALUE_OPTIONS = {
    "-X": "method",
    "--request": "method",
    "-H": "header",
    "--header": "header",
    "-d": "data",
    "--data": "data",
    "--data-raw": "data",
    "--data-binary": "data",
    "--data-urlencode": "data",
    "--json": "data",
    "-u": "user",
    "--user": "user",
}


def path_parameter_names(path: str) -> list[str]:
    """The ``{name}`` placeholders of a path template, in order."""
    return PATH_PARAM.findall(path)


def place_fields(
    method: str,
    path: str,
    fields: list[dict[str, Any]],
    *,
    body_names: set[str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Bind request fields to ``parameters`` and a JSON ``requestBody``.

    Fields named in the path template are path parameters (always required).  For
    methods without a body the rest are query parameters; otherwise they are body
    properties, unless ``body_names`` (e.g. the keys of an example body) says which
    fields are in the body, in which case the others are query parameters.
    """
    in_path = set(path_parameter_names(path))
    parameters: list[dict[str, Any]] = []
    properties: dict[str, Any] = {}
    required: list[str] = []
    bodyless = method.lower() in BODYLESS_METHODS
    for entry in fields:
        name = entry["name"]
        location = (
            "path"
            if name in in_path
            else "query"
            if bodyless or (body_names is not None and name not in body_names)
            else "body"
        )
        if location == "body":
            properties[name] = _property(entry)
            if entry.get("required"):
                required.append(name)
            continue
        parameter: dict[str, Any] = {
            "name": name,
            "in": location,
            "required": location == "path" or bool(entry.get("required")),
        }
        if entry.get("description"):
            parameter["description"] = entry["description"]
        parameter["schema"] = entry.get("schema", {})
        parameter["x-source"] = entry.get("x-source")
        parameters.append(parameter)
    if not properties:
        return parameters, None
    body_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        body_schema["required"] = required
    body = {"required": bool(required), "content": {"application/json": {"schema": body_schema}}}
    return parameters, body


def _property(entry: dict[str, Any]) -> dict[str, Any]:
    prop = dict(entry.get("schema", {}))
    if entry.get("description"):
        prop["description"] = entry["description"]
    prop["x-source"] = entry.get("x-source")
    return prop


def json_key_lines(text: str) -> dict[JsonPath, int]:
    """The 1-based line (within ``text``) where each object key first appears.

    Meant for text that ``json.loads`` accepted; on anything else it returns what
    it found so far.
    """
    lines: dict[JsonPath, int] = {}
    containers: list[JsonPath] = []  # path of each open container
    kinds: list[str] = []  # "{" or "[" per open container
    key: str | None = None
    expect_key = False
    position, line = 0, 1
    while position < len(text):
        char = text[position]
        if char == "\n":
            line += 1
        elif char == '"':
            end = _string_end(text, position)
            try:
                value = json.loads(text[position:end])
            except ValueError:
                return lines
            line += text.count("\n", position, end)
            if expect_key and kinds:
                key, expect_key = value, False
                lines.setdefault((*containers[-1], key), line)
            position = end
            continue
        elif char in "{[":
            parent = containers[-1] if containers else ()
            step = (key or "") if kinds and kinds[-1] == "{" else ITEMS
            containers.append((*parent, step) if kinds else ())
            kinds.append(char)
            expect_key = char == "{"
        elif char in "}]":
            if containers:
                containers.pop()
                kinds.pop()
        elif char == ",":
            expect_key = bool(kinds) and kinds[-1] == "{"
        position += 1
    return lines


def _string_end(text: str, start: int) -> int:
    """The index just past the JSON string that opens at ``start``."""
    position = start + 1
    while position < len(text) and text[position] != '"':
        position += 2 if text[position] == "\\" else 1
    return position + 1


@dataclass
class CurlCall:
    """What a curl example says; header lines are 0-based offsets into its text."""

    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str, int]] = field(default_factory=list)
    data: str | None = None
    user: str | None = None


def parse_curl(text: str) -> CurlCall | str:
    """The curl call in ``text`` (backslash continuations joined), or why it does not parse."""
    joined = re.sub(r"\\\r?\n", " ", text)
    try:
        tokens = shlex.split(joined)
    except ValueError as exc:
        return str(exc)
    if "curl" in tokens:
        tokens = tokens[tokens.index("curl") + 1 :]
    call = CurlCall()
    pending: str | None = None
    for token in tokens:
        if pending is not None:
            _curl_option(call, pending, token, text)
            pending = None
        elif token.startswith("-X") and len(token) > 2:
            call.method = token[2:]
        elif token in _CURL_VALUE_OPTIONS:
            pending = _CURL_VALUE_OPTIONS[token]
        elif call.url is None and token.startswith(("http://", "https://")):
            call.url = token
    return call


def _curl_option(call: CurlCall, kind: str, value: str, text: str) -> None:
    if kind == "method":
        call.method = value
    elif kind == "header":
        name, _, header_value = value.partition(":")
        lines = text.splitlines()
        offset = next((i for i, line in enumerate(lines) if name in line), 0)
        call.headers.append((name.strip(), header_value.strip(), offset))
    elif kind == "user":
        call.user = value
    else:
        call.data = value

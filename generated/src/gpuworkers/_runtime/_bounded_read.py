"""Reading a response body within a size limit, and refusing JSON nested too deeply.

The size is counted after decompression, and gzip/deflate are decompressed here in pieces
of at most ``_PIECE`` bytes: httpx's own decoder expands a whole network chunk at once,
and 64 KiB of a gzip bomb is 64 MiB unpacked. Other encodings (br, zstd) go through httpx's
decoder and are counted chunk by chunk.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import cast

import httpx

from ._deadline import Deadline
from ._errors import ResponseTooLargeError

__all__ = [
    "DEFAULT_MAX_JSON_DEPTH",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "JSONTooDeep",
    "aread_body",
    "check_limit",
    "loads_within",
    "nesting_exceeds",
    "read_body",
]

DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 128
_PIECE = 64 * 1024


def check_limit(name: str, value: int | None) -> int | None:
    if value is not None and (isinstance(value, bool) or value < 1):
        raise ValueError(f"{name} must be a positive number of bytes/levels, or None")
    return value


# -- the body -------------------------------------------------------------------------------


def read_body(response: httpx.Response, limit: int | None, deadline: Deadline) -> httpx.Response:
    """The ``stream=True`` response with its body read (``.content``, ``.text``, ``.json()``
    work), or raise and close it."""
    if _already_read(response, limit):
        return response
    try:
        _refuse_declared_length(response, limit)
        decoder = _Decoder.for_headers(response)
        if decoder is None:
            pieces = response.iter_bytes()
        else:
            pieces = decoder.decode_all(response.iter_raw())
        body = _collect(pieces, response, limit, deadline)
    finally:
        response.close()
    return _with_body(response, body)


async def aread_body(
    response: httpx.Response, limit: int | None, deadline: Deadline
) -> httpx.Response:
    """``read_body`` for an async response."""
    if _already_read(response, limit):
        return response
    try:
        _refuse_declared_length(response, limit)
        decoder = _Decoder.for_headers(response)
        body = bytearray()
        if decoder is None:
            async for piece in response.aiter_bytes():
                _append(body, piece, response, limit, deadline)
        else:
            async for raw in response.aiter_raw():
                for piece in decoder.decode(raw):
                    _append(body, piece, response, limit, deadline)
            for piece in decoder.flush():
                _append(body, piece, response, limit, deadline)
    finally:
        await response.aclose()
    return _with_body(response, bytes(body))


def _with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """``response`` (closed, its stream consumed here) again, holding ``body`` as read.

    httpx has no public way to hand a response the body read from its stream, so this is a
    new one built with httpx's public constructor: ``body`` is already decoded, so it is
    built without ``Content-Encoding`` (httpx would decode it again), then given the
    headers as received."""
    headers = response.headers
    encoded = "content-encoding" in headers
    fresh = httpx.Response(
        response.status_code,
        headers=[(k, v) for k, v in headers.multi_items() if k != "content-encoding"]
        if encoded
        else headers,
        content=body,  # read at once: `.content` is set before the headers are put back
        request=response.request,
        extensions=response.extensions,
        history=response.history,
        default_encoding=response.default_encoding,
    )
    fresh.headers = headers  # as received (httpx's constructor adds Content-Length if absent)
    fresh.next_request = response.next_request
    with contextlib.suppress(RuntimeError):  # set when its stream closed, if a client sent it
        fresh.elapsed = response.elapsed
    return fresh


def _already_read(response: httpx.Response, limit: int | None) -> bool:
    """True when a transport handed over the body whole (``MockTransport``); checks its size."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return False
    if limit is not None and len(content) > limit:
        raise ResponseTooLargeError(response, limit=limit)
    return True


def _refuse_declared_length(response: httpx.Response, limit: int | None) -> None:
    """An unencoded body whose ``Content-Length`` is over the limit is refused unread."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if limit is None or encoding != "identity":
        return
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLargeError(response, limit=limit)


def _collect(
    pieces: Iterable[bytes], response: httpx.Response, limit: int | None, deadline: Deadline
) -> bytes:
    body = bytearray()
    for piece in pieces:
        _append(body, piece, response, limit, deadline)
    return bytes(body)


def _append(
    body: bytearray,
    piece: bytes,
    response: httpx.Response,
    limit: int | None,
    deadline: Deadline,
) -> None:
    body += piece
    if limit is not None and len(body) > limit:
        raise ResponseTooLargeError(response, limit=limit)
    deadline.check(response.request)


class _Decoder:
    """Undoes ``Content-Encoding`` (gzip, deflate, chains of them) in bounded pieces."""

    def __init__(self, stages: list[_ZlibStage], request: httpx.Request) -> None:
        self._stages = stages
        self._request = request

    @classmethod
    def for_headers(cls, response: httpx.Response) -> _Decoder | None:
        """A decoder for the response's encodings, or None when httpx must do it."""
        names = [n.strip().lower() for n in response.headers.get("content-encoding", "").split(",")]
        stages = []
        for name in reversed([n for n in names if n and n != "identity"]):  # last applied first
            if name not in _WBITS:
                return None
            stages.append(_ZlibStage(name))
        return cls(stages, response.request)

    def decode_all(self, raw: Iterator[bytes]) -> Iterator[bytes]:
        for data in raw:
            yield from self.decode(data)
        yield from self.flush()

    def decode(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def flush(self) -> Iterator[bytes]:
        for index, stage in enumerate(self._stages):
            for piece in self._guard(stage.flush):
                yield from self._through(index + 1, piece)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._stages):
            if data:
                yield data
            return
        stage = self._stages[index]
        for piece in self._guard(lambda: stage.decode(data)):
            yield from self._through(index + 1, piece)

    def _guard(self, pieces: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
        try:
            yield from pieces()
        except zlib.error as exc:  # what httpx raises for a corrupt body, as before
            raise httpx.DecodingError(str(exc), request=self._request) from None


_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class _ZlibStage:
    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._inflate = zlib.decompressobj(_WBITS[encoding])
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        if not self._started and data:
            self._started = True
            data = self._first(data)
        while data:
            piece = self._inflate.decompress(data, _PIECE)
            if piece:
                yield piece
            data = self._inflate.unconsumed_tail

    def _first(self, data: bytes) -> bytes:
        """Servers send "deflate" both zlib-wrapped (as RFC 9110 says) and raw: accept both."""
        if self._encoding == "deflate" and not _has_zlib_header(data):
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        return data

    def flush(self) -> Iterator[bytes]:
        rest = self._inflate.flush()
        if rest:
            yield rest


def _has_zlib_header(data: bytes) -> bool:
    return len(data) < 2 or (data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0)


# -- JSON nesting ---------------------------------------------------------------------------

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_NOT_BRACKETS_OR_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_SQUARE = bytes.maketrans(b"{}", b"[]")
_STEP = bytes.maketrans(b"[]", b"\x01\xff")  # +1 / -1 as signed bytes
_QUICK_PASSES = 8


class JSONTooDeep(ValueError):
    """The JSON text nests deeper than allowed (or than Python's parser can go)."""


def loads_within(body: bytes, max_depth: int | None) -> object:
    """``json.loads(body)``; ``JSONTooDeep`` (a ``ValueError``) past ``max_depth`` levels."""
    if nesting_exceeds(body, max_depth):
        raise JSONTooDeep
    try:
        return cast(object, json.loads(body))
    except RecursionError:  # max_depth=None, and deeper than the parser's recursion allows
        raise JSONTooDeep from None


def nesting_exceeds(body: bytes, limit: int | None) -> bool:
    """Whether the JSON text ``body`` nests arrays/objects deeper than ``limit``.

    Runs at C speed before parsing (``json.loads`` and pydantic recurse once per level).
    A body with no more openers than the limit passes at once; otherwise the brackets
    outside strings are measured.
    """
    if limit is None or body.count(b"[") + body.count(b"{") <= limit:
        return False
    return _deeper_than(_structural_brackets(body).translate(_SQUARE), limit)


def _structural_brackets(body: bytes) -> bytes:
    """The brackets of ``body`` that are not inside a string, in order."""
    if b"\\" in body:  # with escapes gone, every quote opens or closes a string
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Quotes and brackets only; a string without brackets is then two adjacent quotes.
    skeleton = body.translate(None, _NOT_BRACKETS_OR_QUOTES).replace(b'""', b"")
    if b'"' not in skeleton:
        return skeleton
    return _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)  # brackets in strings


def _deeper_than(brackets: bytes, limit: int) -> bool:
    """Depth of a ``[``/``]`` sequence over ``limit``: a few passes of removing innermost
    pairs settle ordinary bodies; the running count settles the rest in one linear scan."""
    passes = 0
    while brackets and passes < min(limit, _QUICK_PASSES):
        brackets = brackets.replace(b"[]", b"")
        passes += 1
    steps = memoryview(brackets.translate(_STEP)).cast("b")
    return max(itertools.accumulate(steps), default=0) > limit - passes

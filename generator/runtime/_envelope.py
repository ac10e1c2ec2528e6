"""Reading a provider's JSON wrapper: is this 2xx body a failure, and where is the payload?

Rules for a 2xx JSON body (``Envelope`` fields):
1. ``string_is_error`` and the body is a JSON string -> failure (Vast: ``"invalid api_key"``).
2. The body is an object holding any of ``error_keys`` with a value -> failure (Vast:
   ``{"error_msg": ...}``); a null, empty or false value says "no error" (``"error": null``).
3. ``code`` is set and the value there is present and not in ``success`` -> failure.
4. ``code`` is set and the body does not carry it -> not a success either: only the code says
   success, so ``{"success": false}`` or ``{}`` is malformed (see ``lacks_code``).
5. Otherwise the payload is the value at ``data`` (the whole body if ``data`` is None, or if
   ``data_optional`` and the body is not an object holding ``data``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._config import Envelope

__all__ = ["EnvelopeFailure", "error_fields", "find_failure", "lacks_code", "lookup", "unwrap"]

# Keys read from error bodies of providers without an envelope (grpc-gateway, plain JSON APIs).
_GENERIC_CODE_KEYS = ("code",)
_GENERIC_MESSAGE_KEYS = ("message", "msg", "error_msg", "error", "detail")


@dataclass(frozen=True)
class EnvelopeFailure:
    code: int | str | None = None
    subcode: int | str | None = None
    message: str | None = None

    def status_family(self) -> int:
        """The HTTP status whose error class a 2xx envelope failure is raised as.

        An HTTP-like code (100-599, e.g. ClearML's ``meta.result_code``) maps to itself; any
        other code (Yotta's 10001 "invalid request parameters", 10007 "record not exist", ...)
        or a code-less failure (Vast's error strings) maps to 400, i.e. BadRequestError.
        """
        code = _as_int(self.code)
        if code is not None and 100 <= code <= 599:
            return code
        return 400


def lookup(body: object, path: str) -> object | None:
    """The value at a dotted path, or None when any step is missing or not an object."""
    value = body
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def find_failure(envelope: Envelope, body: object) -> EnvelopeFailure | None:
    """The failure carried by a 2xx body, or None when the body is a success."""
    if envelope.string_is_error and isinstance(body, str):
        return EnvelopeFailure(message=body)
    if isinstance(body, dict):
        for key in envelope.error_keys:
            if _says_error(body.get(key)):
                return EnvelopeFailure(message=_text(body[key]))
    if envelope.code is not None:
        code = lookup(body, envelope.code)
        if code is not None and _as_int(code) not in envelope.success:
            return _fields(envelope, body, code)
    return None


def lacks_code(envelope: Envelope, body: object) -> bool:
    """True when the envelope has a success code but this (2xx) body does not carry one."""
    return envelope.code is not None and lookup(body, envelope.code) is None


def unwrap(envelope: Envelope, body: object) -> object:
    """The payload of a successful body."""
    if envelope.data is None:
        return body
    if envelope.data_optional and not (isinstance(body, dict) and envelope.data in body):
        return body
    return lookup(body, envelope.data)


def error_fields(envelope: Envelope | None, body: object) -> EnvelopeFailure:
    """Code, subcode and message of an error body, as far as it has them."""
    if envelope is None:
        return _generic_fields(body)
    failure = find_failure(envelope, body)
    if failure is not None:
        return failure
    code = lookup(body, envelope.code) if envelope.code else None
    return _fields(envelope, body, code)


def _fields(envelope: Envelope, body: object, code: object) -> EnvelopeFailure:
    subcode = lookup(body, envelope.subcode) if envelope.subcode else None
    message = lookup(body, envelope.message) if envelope.message else None
    if message is None and isinstance(body, str):
        message = body
    return EnvelopeFailure(code=_scalar(code), subcode=_scalar(subcode), message=_text(message))


def _generic_fields(body: object) -> EnvelopeFailure:
    if isinstance(body, str):
        return EnvelopeFailure(message=body or None)
    if not isinstance(body, dict):
        return EnvelopeFailure()
    code = next((body[k] for k in _GENERIC_CODE_KEYS if k in body), None)
    message = next((body[k] for k in _GENERIC_MESSAGE_KEYS if isinstance(body.get(k), str)), None)
    return EnvelopeFailure(code=_scalar(code), message=_text(message))


def _says_error(value: object) -> bool:
    """An error key's value reports an error unless it is null, false or empty."""
    if value is None or value is False:
        return False
    return not (isinstance(value, str | list | dict) and not value)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _scalar(value: object) -> int | str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return value
    return str(value)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)

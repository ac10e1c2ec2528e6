"""Retry decisions and waits. Pure functions: the clients supply the clock and randomness."""

from __future__ import annotations

import email.utils
from collections.abc import Callable

import httpx

from ._config import RetryPolicy

__all__ = [
    "RETRY_COUNT_HEADER",
    "backoff_delay",
    "is_retryable_error",
    "is_retryable_status",
    "retry_after",
]

RETRY_COUNT_HEADER = "X-GpuWorkers-Retry-Count"

# Raised before any byte of the request reached the server, so even a non-idempotent call
# (scale-up) can be repeated without acting twice. A PoolTimeout is the same case: the
# request never left the connection pool.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Mistakes on our side (a bad URL scheme, an invalid header): repeating them cannot help.
_CLIENT_SIDE = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def is_retryable_error(exc: httpx.RequestError, idempotent: bool) -> bool:
    if isinstance(exc, _CLIENT_SIDE):
        return False
    if isinstance(exc, _NOT_SENT):
        return True
    if not idempotent:
        return False
    return isinstance(exc, httpx.TransportError)


def is_retryable_status(status: int, idempotent: bool, policy: RetryPolicy) -> bool:
    """``idempotent``: the operation is, or this call carries an idempotency key."""
    if idempotent:
        return status in policy.statuses
    return status in policy.non_idempotent_statuses


def backoff_delay(policy: RetryPolicy, retries_taken: int, random: Callable[[], float]) -> float:
    """Capped exponential backoff, scaled by a jitter factor in (0.75, 1.0]."""
    delay = min(policy.initial_delay * 2.0**retries_taken, policy.max_delay)
    return delay * (1.0 - 0.25 * random())


def retry_after(headers: httpx.Headers, now: float) -> float | None:
    """Seconds the server asks us to wait (``retry-after-ms``, ``Retry-After``), if it says."""
    millis = _parse_float(headers.get("retry-after-ms"))
    if millis is not None:
        return max(millis / 1000.0, 0.0)
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _parse_float(value)
    if seconds is not None:
        return max(seconds, 0.0)
    return _seconds_until(value, now)


def _parse_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def _seconds_until(http_date: str, now: float) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 7231 dates are GMT; a zone-less one is read as such
        return max(email.utils.mktime_tz((*when.timetuple()[:9], 0)) - now, 0.0)
    return max(when.timestamp() - now, 0.0)

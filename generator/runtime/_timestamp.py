"""``Timestamp``: the type of ``format: date-time`` fields, keeping what ``datetime`` drops.

A ``datetime`` holds microseconds; services send up to nanoseconds (Go's RFC 3339 output:
``2025-03-01T12:34:35.387883192Z``). A ``Timestamp`` is a ``datetime`` (compare it, format
it, do arithmetic with it) that also carries the ``nanosecond`` below the microsecond and
the exact ``text`` it was read from, which is what it serializes back to (as pandas'
``Timestamp`` carries nanoseconds on a ``datetime`` subclass).

pydantic and pydantic_core are imported only when a model using the type is built.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any, SupportsIndex, cast, overload

if TYPE_CHECKING:
    from typing import Self

    import pydantic
    from pydantic_core import core_schema

__all__ = ["Timestamp"]

# The fraction of the seconds, right after `hh:mm:ss` (RFC 3339 and ISO 8601's comma).
_FRACTION = re.compile(r"(?<=\d\d:\d\d:\d\d)[.,](\d+)")
_MICRO_DIGITS = 6


class Timestamp(_dt.datetime):
    """A ``datetime`` that keeps the nanoseconds and the text the service sent.

    ``nanosecond`` is the part below ``microsecond`` (0-999), as in pandas; ``text`` is the
    text it was read from (``isoformat()`` for one made in code), and serializing a model
    gives that text back unchanged. Comparisons and hashing include the nanoseconds, and
    adding or subtracting a ``timedelta`` keeps them; the difference of two timestamps is a
    ``timedelta``, in microseconds.
    """

    __slots__ = ("_nanosecond", "_text")
    _nanosecond: int
    _text: str | None

    def __new__(
        cls,
        year: SupportsIndex,
        month: SupportsIndex,
        day: SupportsIndex,
        hour: SupportsIndex = 0,
        minute: SupportsIndex = 0,
        second: SupportsIndex = 0,
        microsecond: SupportsIndex = 0,
        tzinfo: _dt.tzinfo | None = None,
        *,
        fold: int = 0,
        nanosecond: int = 0,
    ) -> Self:
        if not 0 <= nanosecond <= 999:
            raise ValueError(f"nanosecond must be in 0..999, not {nanosecond}")
        self = super().__new__(cls, year, month, day, hour, minute, second, microsecond,
                               tzinfo, fold=fold)
        self._nanosecond = nanosecond
        self._text = None
        return self

    # -- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        """A timestamp from RFC 3339 / ISO 8601 text, every fraction digit kept.

        Raises ``ValueError`` when ``text`` is not a date-time.
        """
        nanosecond, shortened = 0, text
        match = _FRACTION.search(text)
        if match is not None and len(match[1]) > _MICRO_DIGITS:
            digits = match[1]
            nanosecond = int(digits[_MICRO_DIGITS:_MICRO_DIGITS + 3].ljust(3, "0"))
            shortened = text[:match.start(1)] + digits[:_MICRO_DIGITS] + text[match.end(1):]
        stamp = cls.from_datetime(_parse_datetime(shortened), nanosecond=nanosecond)
        stamp._text = text
        return stamp

    @classmethod
    def from_datetime(cls, value: _dt.datetime, *, nanosecond: int | None = None) -> Timestamp:
        """``value`` as a timestamp (its own nanoseconds kept when it is one)."""
        if nanosecond is None:
            nanosecond = value.nanosecond if isinstance(value, Timestamp) else 0
        return cls(value.year, value.month, value.day, value.hour, value.minute, value.second,
                   value.microsecond, value.tzinfo, fold=value.fold, nanosecond=nanosecond)

    # -- what a datetime lacks ----------------------------------------------------------

    @property
    def nanosecond(self) -> int:
        """Nanoseconds below ``microsecond`` (0-999)."""
        return self._nanosecond

    @property
    def text(self) -> str:
        """The text this was read from, or ``isoformat()`` for a timestamp made in code."""
        return self._text if self._text is not None else self.isoformat()

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        """As ``datetime.isoformat``; ``"auto"`` shows nanoseconds when there are any, and
        ``timespec="nanoseconds"`` always does."""
        if timespec == "nanoseconds" or (timespec == "auto" and self._nanosecond):
            text = super().isoformat(sep, "microseconds")
            at = text.index(".", 19) + 1 + _MICRO_DIGITS  # after the microseconds
            return f"{text[:at]}{self._nanosecond:03d}{text[at:]}"
        return super().isoformat(sep, timespec)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r})"

    # -- datetime behaviour, nanoseconds included ---------------------------------------

    def replace(self, *args: Any, nanosecond: int | None = None, **kwargs: Any) -> Self:
        """As ``datetime.replace``, keeping the nanoseconds unless ``nanosecond`` is given."""
        value = super().replace(*args, **kwargs)
        value._nanosecond = self._nanosecond if nanosecond is None else nanosecond
        if not 0 <= value._nanosecond <= 999:
            raise ValueError(f"nanosecond must be in 0..999, not {value._nanosecond}")
        return value

    def astimezone(self, tz: _dt.tzinfo | None = None) -> Self:
        value = super().astimezone(tz)
        value._nanosecond = self._nanosecond
        return value

    def __add__(self, other: _dt.timedelta) -> Self:
        value = super().__add__(other)
        if value is NotImplemented:
            return value
        value._nanosecond = self._nanosecond
        return value

    __radd__ = __add__

    @overload  # type: ignore[override]
    def __sub__(self, other: _dt.timedelta) -> Self: ...
    @overload
    def __sub__(self, other: _dt.datetime) -> _dt.timedelta: ...
    def __sub__(self, other: _dt.timedelta | _dt.datetime) -> Self | _dt.timedelta:
        if isinstance(other, _dt.timedelta):
            value = super().__sub__(other)
            value._nanosecond = self._nanosecond
            return value
        # typeshed lets a datetime subtract only its own type; any datetime works.
        return cast(_dt.timedelta, cast(Any, super()).__sub__(other))

    def __eq__(self, other: object) -> bool:
        equal = super().__eq__(other)
        if equal is not True:
            return equal
        return self._nanosecond == _nanoseconds_of(other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        # Equal to a plain datetime (no nanoseconds): the same hash, as ``==`` requires.
        base = super().__hash__()
        return base if not self._nanosecond else hash((base, self._nanosecond))

    def __lt__(self, other: _dt.date) -> bool:
        return self._order(other) < 0

    def __le__(self, other: _dt.date) -> bool:
        return self._order(other) <= 0

    def __gt__(self, other: _dt.date) -> bool:
        return self._order(other) > 0

    def __ge__(self, other: _dt.date) -> bool:
        return self._order(other) >= 0

    def _order(self, other: _dt.date) -> int:
        """Negative, zero or positive as ``self`` is before, at or after ``other``."""
        if not isinstance(other, _dt.datetime):
            raise TypeError(f"cannot compare Timestamp to {type(other).__name__}")
        if _dt.datetime.__lt__(self, other):  # naive against aware raises TypeError here
            return -1
        if _dt.datetime.__gt__(self, other):
            return 1
        return self._nanosecond - _nanoseconds_of(other)

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        # datetime's own reduction rebuilds through the constructor, dropping the extras.
        plain = _dt.datetime(self.year, self.month, self.day, self.hour, self.minute,
                             self.second, self.microsecond, self.tzinfo, fold=self.fold)
        return _rebuild, (plain, self._nanosecond, self._text)

    # -- pydantic -----------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialize, when_used="json-unless-none"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: pydantic.GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


def _nanoseconds_of(value: object) -> int:
    return value.nanosecond if isinstance(value, Timestamp) else 0


def _rebuild(plain: _dt.datetime, nanosecond: int, text: str | None) -> Timestamp:
    stamp = Timestamp.from_datetime(plain, nanosecond=nanosecond)
    stamp._text = text
    return stamp


def _validate(value: object) -> Timestamp:
    if isinstance(value, Timestamp):
        return value
    if isinstance(value, str):
        return Timestamp.parse(value)
    if isinstance(value, _dt.datetime):
        return Timestamp.from_datetime(value)
    return Timestamp.from_datetime(_parse_datetime(value))  # a Unix time, as pydantic reads it


def _serialize(value: Timestamp) -> str:
    return value.text


_DATETIME_VALIDATOR: Any = None


def _parse_datetime(value: object) -> _dt.datetime:
    """``value`` read as pydantic reads a ``datetime`` field (text, or a Unix time)."""
    global _DATETIME_VALIDATOR
    if _DATETIME_VALIDATOR is None:
        from pydantic_core import SchemaValidator, core_schema

        _DATETIME_VALIDATOR = SchemaValidator(core_schema.datetime_schema())
    try:
        parsed = _DATETIME_VALIDATOR.validate_python(value)
    except ValueError as exc:  # pydantic_core.ValidationError
        raise ValueError(f"not a date-time: {value!r}") from exc
    assert isinstance(parsed, _dt.datetime)
    return parsed

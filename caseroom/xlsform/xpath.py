"""XPath 1.0 values as XLSForm expressions see them: conversions, comparisons and functions.

A value is a string, a number (float) or a boolean; an unanswered question is the empty
string, a multiple choice its names joined by spaces, a date 'YYYY-MM-DD' (in a number
context the days since 1970-01-01, as ODK does). Nothing here raises on any value: dividing
by zero gives NaN, and NaN compares false. Functions that build strings cap them at
limits.MAX_TEXT_ANSWER_CHARS, because a chain of calculations could otherwise double a text
at every step (`concat(${c1}, ${c1})` a thousand times).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from . import limits

__all__ = [
    "FUNCTIONS",
    "Context",
    "Value",
    "compare",
    "to_bool",
    "to_number",
    "to_string",
]

Value = str | float | bool

_NO_CHOICE: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Context:
    """What an expression reads: answers by question name, `.` (the answer being checked),
    today's date, and for a choice filter the columns of the choice being tested."""

    values: Mapping[str, Value]
    current: Value = ""
    today: dt.date = dt.date(1970, 1, 1)
    choice: Mapping[str, str] = field(default_factory=lambda: _NO_CHOICE)


# ---- conversions (XPath 1.0, section 4)

_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")
_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_EPOCH = dt.date(1970, 1, 1)


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if _NUMBER.fullmatch(value):
        return float(value)  # at most MAX_CELL_CHARS digits: float() is linear in them
    date = _DATE.fullmatch(value)
    if date:
        try:
            day = dt.date(int(date[1]), int(date[2]), int(date[3]))
        except ValueError:
            return math.nan
        return float((day - _EPOCH).days)
    return math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return value


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_bool(left) == to_bool(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


def _divide(a: float, b: float) -> float:
    return a / b if b else math.nan


def _modulo(a: float, b: float) -> float:
    return math.fmod(a, b) if b and math.isfinite(a) else math.nan


compare: dict[str, Callable[[Value, Value], bool]] = {
    "=": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": lambda a, b: to_number(a) < to_number(b),
    "<=": lambda a, b: to_number(a) <= to_number(b),
    ">": lambda a, b: to_number(a) > to_number(b),
    ">=": lambda a, b: to_number(a) >= to_number(b),
}
arithmetic: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _divide,
    "mod": _modulo,
}

# ---- functions

Args = Sequence[Value]


def _capped(text: str) -> str:
    return text[: limits.MAX_TEXT_ANSWER_CHARS]


def _selected(args: Args, context: Context) -> Value:
    return to_string(args[1]) in to_string(args[0]).split()


def _selected_at(args: Args, context: Context) -> Value:
    index = to_number(args[1])
    names = to_string(args[0]).split()
    if not math.isfinite(index) or not 0 <= index < len(names):
        return ""
    return names[int(index)]


def _round(args: Args, context: Context) -> Value:
    number = to_number(args[0])
    digits = to_number(args[1]) if len(args) > 1 else 0.0
    if not (math.isfinite(number) and math.isfinite(digits)) or abs(digits) > 15:
        return math.nan if not math.isfinite(number) else number
    # XPath rounds half up (towards positive infinity), not to even as Python does.
    scale = 10.0 ** int(digits)
    return math.floor(number * scale + 0.5) / scale


def _int(args: Args, context: Context) -> Value:
    number = to_number(args[0])
    return float(math.trunc(number)) if math.isfinite(number) else math.nan


def _if(args: Args, context: Context) -> Value:
    return args[1] if to_bool(args[0]) else args[2]


def _coalesce(args: Args, context: Context) -> Value:
    first = to_string(args[0])
    return args[0] if first else args[1]


def _concat(args: Args, context: Context) -> Value:
    return _capped("".join(to_string(a) for a in args))


def _substr(args: Args, context: Context) -> Value:
    text = to_string(args[0])
    start = to_number(args[1])
    end = to_number(args[2]) if len(args) > 2 else float(len(text))
    if not (math.isfinite(start) and math.isfinite(end)):
        return ""
    return text[max(0, int(start)) : max(0, int(end))]


# name -> (fewest arguments, most arguments (None: any number), implementation)
FUNCTIONS: dict[str, tuple[int, int | None, Callable[[Args, Context], Value]]] = {
    "selected": (2, 2, _selected),
    "selected-at": (2, 2, _selected_at),
    "count-selected": (1, 1, lambda a, c: float(len(to_string(a[0]).split()))),
    "string-length": (1, 1, lambda a, c: float(len(to_string(a[0])))),
    "not": (1, 1, lambda a, c: not to_bool(a[0])),
    "true": (0, 0, lambda a, c: True),
    "false": (0, 0, lambda a, c: False),
    "boolean": (1, 1, lambda a, c: to_bool(a[0])),
    "number": (1, 1, lambda a, c: to_number(a[0])),
    "string": (1, 1, lambda a, c: to_string(a[0])),
    "int": (1, 1, _int),
    "round": (1, 2, _round),
    "if": (3, 3, _if),
    "coalesce": (2, 2, _coalesce),
    "concat": (1, None, _concat),
    "contains": (2, 2, lambda a, c: to_string(a[1]) in to_string(a[0])),
    "starts-with": (2, 2, lambda a, c: to_string(a[0]).startswith(to_string(a[1]))),
    "ends-with": (2, 2, lambda a, c: to_string(a[0]).endswith(to_string(a[1]))),
    "substr": (2, 3, _substr),
    "today": (0, 0, lambda a, c: c.today.isoformat()),
}

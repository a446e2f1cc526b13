"""The building blocks of the scenario format's models: case time (`parse_duration`,
`Duration`), identifiers, texts, numbers, expressions, and `Strict`, the base that forbids
unknown keys. Kept apart from the models themselves (model.py), which import them."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from . import limits

__all__ = [
    "Duration",
    "Expression",
    "Id",
    "Markdown",
    "Number",
    "Strict",
    "Title",
    "VarName",
    "not_blank",
    "parse_duration",
]

# At most nine digits per part: a longer number is a mistake, and int() refuses 4,300 digits.
_DURATION = re.compile(
    r"^\s*(?:(\d{1,9})\s*w)?\s*(?:(\d{1,9})\s*d)?\s*(?:(\d{1,9})\s*h)?"
    r"\s*(?:(\d{1,9})\s*m(?:in)?)?\s*$"
)
_MAX_DURATION = f"{limits.MAX_DURATION_MINUTES // 1440}d"


def parse_duration(value: object) -> int:
    """Case time in minutes from `90`, `"90m"`, `"2h"`, `"1d 4h"`, `"3d"` or `"3w"`.

    >>> parse_duration("1d 2h 5m")
    1565
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a number of minutes or text like '2h', '3d', '1d 4h', '3w'")
    minutes: int | None = None
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        minutes = value
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match and any(match.groups()):
            weeks, days, hours, mins = (int(g) if g else 0 for g in match.groups())
            minutes = weeks * 10080 + days * 1440 + hours * 60 + mins
    if minutes is not None:
        # Case time becomes a date: ten years in one step is a typo, and 10^20 days
        # overflowed the clock of `caseroom play`.
        if minutes > limits.MAX_DURATION_MINUTES:
            raise ValueError(f"a duration is at most {_MAX_DURATION} (ten years)")
        return minutes
    raise ValueError(
        f"{value!r} is not a duration: write minutes (90) or text like '45m', '2h', '3d', "
        "'1d 4h', '3w'"
    )


Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": limits.MAX_DURATION_MINUTES},
                {
                    "type": "string",
                    "pattern": r"^\s*(\d{1,9}\s*w)?\s*(\d{1,9}\s*d)?\s*(\d{1,9}\s*h)?"
                    r"\s*(\d{1,9}\s*m(in)?)?\s*$",
                },
            ],
            "description": "Case time: minutes, or text like '45m', '2h', '3d', '1d 4h', '3w'.",
        }
    ),
]

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=limits.MAX_ID_CHARS,
        description="Stable identifier: lower-case letters, digits, '-' and '_'.",
    ),
]
VarName = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$", max_length=60)]
Markdown = Annotated[str, Field(description="Markdown text (sanitised when shown).")]


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# A title is shown wherever its element is named: an empty one leaves a blank line or link.
Title = Annotated[str, AfterValidator(not_blank)]
# Whole numbers the rules compute with (variables, points): far beyond any real use, and
# sums of them stay exact in JSON and in 64-bit columns.
Number = Annotated[int, Field(ge=-limits.MAX_NUMBER, le=limits.MAX_NUMBER)]
Expression = Annotated[
    str,
    Field(
        description=(
            "A condition such as `evidence >= 2 and not has('doc-bank-records')`. "
            "Helpers: visited(scene), at(scene), has(document), done(action), count(action), "
            "fired(inject), pending(action), phase(), elapsed(), hours(n), days(n), "
            "score(), picked(item), value()."
        )
    ),
]


class Strict(BaseModel):
    """Every model forbids unknown keys, so a typo is an error, not silently ignored."""

    # No NaN or infinity where a number is expected: `answer: .nan` made every answer wrong.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

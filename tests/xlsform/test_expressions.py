"""The expression subset of relevant, constraint and required: XPath's rules, safely."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from caseroom.xlsform import Context, ExpressionError, parse_expression


def value(source: str, current: object = "", **values: object) -> object:
    return parse_expression(source).value(
        Context(values, current=current, today=dt.date(2026, 11, 26))  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("7 div 2", 3.5),
        ("7 mod 3", 1.0),
        ("-2 - -3", 1.0),
        ("10 - 2 - 3", 5.0),  # left to right
        ("1 = 1 and 2 != 3", True),
        ("1 > 2 or 'a' = 'a'", True),
        ("not(1 = 1)", False),
        ("'10' > 9", True),  # strings compare as numbers with < >
        ("'abc' = 'abc'", True),
        ("true() and not(false())", True),
        ("string-length('four')", 4.0),
        ("number('2.5') * 2", 5.0),
        ("today() = '2026-11-26'", True),
        ("today() > '2026-01-01'", True),  # dates compare as days
    ],
)
def test_operators_and_functions_follow_xpath(source: str, expected: object) -> None:
    assert value(source) == expected


def test_references_read_answers_and_an_unanswered_question_is_empty() -> None:
    assert value("${age} >= 18", age=30.0) is True
    assert value("${age} >= 18") is False  # '' is NaN as a number
    assert value("${name} = ''") is True
    assert value("selected(${roles}, 'police')", roles="judge police") is True
    assert value("count-selected(${roles})", roles="judge police") == 2.0


def test_the_dot_is_the_answer_being_checked() -> None:
    assert value(". >= 18 and . < 100", current=42.0) is True
    assert value("string-length(.) <= 3", current="abcd") is False


def test_dividing_by_zero_gives_nan_which_compares_false() -> None:
    assert math.isnan(value("1 div 0"))  # type: ignore[arg-type]
    assert math.isnan(value("5 mod 0"))  # type: ignore[arg-type]
    assert value("1 div 0 > 0") is False
    assert parse_expression("1 div 0").evaluate(Context({})) is False


@pytest.mark.parametrize(
    ("source", "words", "column"),
    [
        ("${a} > 1 and (${b} = 2", "a '(' is never closed", 22),
        ("${a} > 1)", "a ')' without its '('", 8),
        ("${a} == 1", "use '=' instead of '=='", 5),
        ("${a} > 1 && ${b}", "use 'and' instead of '&&'", 9),
        ("regex(., 'x')", "the function regex() is not supported", 0),
        ("selected(${a})", "selected() takes 2 arguments, not 1", 0),
        ("/data/a = 1", "paths such as /data/x are not supported", 0),
        ("${a}[1]", "'[' is not supported", 4),
        ("${} = 1", "a reference needs a name", 0),
        ("age > 1", "refer to a question as ${name}", 0),
        ("1 +", "the expression ends too early", 3),
        ("", "the expression is empty", 0),
    ],
)
def test_a_mistake_is_reported_with_its_column(source: str, words: str, column: int) -> None:
    with pytest.raises(ExpressionError) as raised:
        parse_expression(source)
    assert words in raised.value.message
    assert raised.value.column == column


def test_a_long_chain_of_one_operator_is_one_level_not_a_thousand() -> None:
    source = " + ".join(["1"] * 400)  # 1,597 characters: over the length limit
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression(source)
    assert parse_expression(" + ".join(["1"] * 240)).value(Context({})) == 240.0


def test_nesting_is_bounded() -> None:
    assert parse_expression("(" * 30 + "1" + ")" * 30).value(Context({})) == 1.0
    with pytest.raises(ExpressionError, match="MAX_EXPRESSION_DEPTH"):
        parse_expression("(" * 33 + "1" + ")" * 33)
    with pytest.raises(ExpressionError, match="MAX_EXPRESSION_DEPTH"):
        parse_expression("-" * 40 + "1")

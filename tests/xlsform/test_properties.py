"""Properties under arbitrary input (hypothesis): nothing but FormError, never a crash."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from caseroom.xlsform import (
    Context,
    ExpressionError,
    Form,
    FormError,
    parse_expression,
    read_form,
    review_answers,
    score,
)
from tests.xlsform.conftest import fixture_bytes, xlsx_of

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
KNOWLEDGE = fixture_bytes("knowledge.md")
FORM = read_form(KNOWLEDGE, "knowledge.md")
NAMES = ["age", "agency", "other", "victim", "signs", "hours", "since", "consent", "intro", "x"]


@SETTINGS
@given(answers=st.dictionaries(st.sampled_from(NAMES), json_values, max_size=10))
def test_checking_arbitrary_answers_never_raises(answers: dict[str, Any]) -> None:
    review = review_answers(FORM, answers)
    json.dumps(review.answers)  # what is kept can be stored
    assert set(review.answers) <= review.relevant
    score(FORM, answers)


_ATOMS = ["${a}", "${b}", ".", "1", "2.5", "'x'", "''", "true()", "today()"]
_OPS = ["=", "!=", "<", "<=", ">", ">=", "and", "or", "+", "-", "*", "div", "mod"]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return draw(st.sampled_from(_ATOMS))
    kind = draw(st.sampled_from(["op", "paren", "call", "not"]))
    if kind == "op":
        op = draw(st.sampled_from(_OPS))
        return f"{draw(expressions(depth + 1))} {op} {draw(expressions(depth + 1))}"
    if kind == "paren":
        return f"({draw(expressions(depth + 1))})"
    if kind == "not":
        return f"not({draw(expressions(depth + 1))})"
    name = draw(st.sampled_from(["selected", "count-selected", "string-length", "number"]))
    if name == "selected":
        return f"selected({draw(expressions(depth + 1))}, {draw(expressions(depth + 1))})"
    return f"{name}({draw(expressions(depth + 1))})"


values = st.one_of(
    st.text(max_size=20), st.floats(allow_nan=True, allow_infinity=True), st.booleans()
)


@SETTINGS
@given(source=expressions(), a=values, b=values, current=values)
def test_the_evaluator_never_raises_on_any_answer(
    source: str, a: str | float | bool, b: str | float | bool, current: str | float | bool
) -> None:
    expression = parse_expression(source)
    result = expression.value(Context({"a": a, "b": b}, current=current))
    assert isinstance(result, str | float | bool)
    assert isinstance(expression.evaluate(Context({"a": a, "b": b}, current=current)), bool)


@SETTINGS
@given(source=st.text(max_size=200))
def test_parsing_any_text_gives_an_expression_or_an_expression_error(source: str) -> None:
    try:
        parse_expression(source)
    except ExpressionError as error:
        assert error.message


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_reading_arbitrary_bytes_raises_only_form_error(data: bytes) -> None:
    try:
        read_form(data, "upload.xlsx")
    except FormError as error:
        assert error.problems


_CELLS = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@SETTINGS
@given(
    rows=st.lists(st.lists(_CELLS, min_size=1, max_size=6), max_size=12),
    header=st.lists(
        st.sampled_from(["type", "name", "label", "relevant", "correct", "label::fr", "x"]),
        max_size=6,
    ),
)
def test_reading_arbitrary_tables_raises_only_form_error(
    rows: list[list[str]], header: list[str]
) -> None:
    lines = ["| survey |", "| | " + " | ".join(header) + " |"]
    lines += [
        "| | " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in row) + " |"
        for row in rows
    ]
    markdown = "\n".join(lines)
    for data, name in ((markdown.encode(), "form.md"), (xlsx_or_none(markdown), "form.xlsx")):
        if data is None:
            continue
        try:
            form = read_form(data, name)
        except FormError as error:
            assert error.problems
        else:
            assert Form.from_dict(json.loads(json.dumps(form.to_dict()))) == form


def xlsx_or_none(markdown: str) -> bytes | None:
    try:
        return xlsx_of(markdown)
    except (FormError, IllegalCharacterError, ValueError):  # cells or sheet names Excel refuses
        return None


@SETTINGS
@given(cut=st.integers(0, 5000), flip=st.integers(0, 255))
def test_a_damaged_workbook_is_refused_with_problems(cut: int, flip: int) -> None:
    data = bytearray(xlsx_of(KNOWLEDGE.decode()))
    position = cut % len(data)
    data[position] ^= flip
    try:
        read_form(bytes(data), "damaged.xlsx")
    except FormError as error:
        assert error.problems


# ---- calculation chains


def _calculations_form(rows: list[tuple[str, str]]) -> str:
    lines = ["| survey |", "| | type | name | label | calculation |", "| | integer | a | A | |"]
    lines += [f"| | calculate | {name} | | {source} |" for name, source in rows]
    return "\n".join(lines) + "\n"


@SETTINGS
@given(
    steps=st.lists(st.tuples(st.sampled_from(["+", "-", "*"]), st.integers(-9, 9)), max_size=12),
    start=st.integers(-1000, 1000),
    order=st.randoms(use_true_random=False),
)
def test_a_chain_of_calculations_gives_the_same_value_in_any_row_order(
    steps: list[tuple[str, int]], start: int, order: Any
) -> None:
    rows = []
    expected = start
    previous = "${a}"
    for index, (op, number) in enumerate(steps):
        rows.append((f"c{index}", f"{previous} {op} {number}"))
        expected = {"+": expected + number, "-": expected - number, "*": expected * number}[op]
        previous = f"${{c{index}}}"
    order.shuffle(rows)  # the author may write a calculation before the ones it reads
    form = read_form(_calculations_form(rows).encode(), "chain.md")
    answers = review_answers(form, {"a": start}).answers
    if steps:
        assert answers[f"c{len(steps) - 1}"] == expected
    assert answers["a"] == start


@SETTINGS
@given(
    reads=st.lists(st.lists(st.integers(0, 7), max_size=3), min_size=1, max_size=8),
)
def test_calculations_that_read_each_other_in_a_circle_are_refused_and_no_others(
    reads: list[list[int]],
) -> None:
    count = len(reads)
    needs = {i: {j for j in r if j < count} for i, r in enumerate(reads)}
    rows = [
        (f"c{i}", " + ".join(["${a}", *(f"${{c{j}}}" for j in sorted(needs[i]))]))
        for i in range(count)
    ]

    def circular() -> bool:
        # A circle exists when some calculation reaches itself by following what it reads.
        for first in range(count):
            seen, todo = set(), list(needs[first])
            while todo:
                node = todo.pop()
                if node == first:
                    return True
                if node not in seen:
                    seen.add(node)
                    todo.extend(needs[node])
        return False

    try:
        form = read_form(_calculations_form(rows).encode(), "graph.md")
    except FormError as error:
        assert circular()
        assert all("circle" in p.message and p.column == "calculation" for p in error.problems)
        return
    assert not circular()
    values = review_answers(form, {"a": 1}).answers
    # Each value is 1 plus the values it reads: worked out in a valid order, never stale.
    for i in range(count):
        assert values[f"c{i}"] == 1 + sum(values[f"c{j}"] for j in needs[i])  # type: ignore[misc]


COOPERATION = read_form(fixture_bytes("cooperation.md"), "cooperation.md")
COOPERATION_NAMES = [q.name for q in COOPERATION.questions] + ["unknown", "profile"]


@SETTINGS
@given(
    answers=st.dictionaries(st.sampled_from(COOPERATION_NAMES), json_values, max_size=12),
    strict=st.booleans(),
    partial=st.booleans(),
)
def test_reviewing_arbitrary_answers_to_a_kobo_form_never_raises(
    answers: dict[str, Any], strict: bool, partial: bool
) -> None:
    review = review_answers(COOPERATION, answers, strict=strict, partial=partial)
    json.dumps(review.answers)  # calculations included: still storable
    assert set(review.answers) <= review.relevant
    for name, offered in review.offered.items():
        picked = review.answers.get(name)
        if picked is not None and name not in review.complaints:
            assert set(picked if isinstance(picked, list) else [picked]) <= offered

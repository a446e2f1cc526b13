from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseroom.engine.expressions import Answer, ExpressionError, VarInfo, compile_expression

VARS = {
    "evidence": VarInfo("int"),
    "victim": VarInfo("bool"),
    "jit": VarInfo("enum", values=("none", "signed")),
    "seized": VarInfo("set", values=("cash", "phones")),
    "notes": VarInfo("int", scope="role"),
}


def state(**overrides: Any) -> Any:
    base: dict[str, Any] = {
        "vars": {"evidence": 2, "victim": True, "jit": "none", "seized": frozenset({"cash"})},
        "role_vars": {"police": {"notes": 1}},
        "visited": {"stop": 0},
        "unlocked": {"doc-a": 0},
        "taken": {"check": 2},
        "fired": {},
        "pending_actions": {"ask": 1},
        "scene": "stop",
        "phase": "checks",
        "clock": 150,
    }
    base.update(overrides)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("evidence >= 2 and victim", True),
        ("not victim or evidence > 5", False),
        ("jit == 'none'", True),
        ("'cash' in seized and 'phones' not in seized", True),
        ("jit in ['none', 'signed']", True),
        ("evidence * 2 + 1 == 5", True),
        ("evidence / 0 == 0", True),
        ("1 < evidence < 3", True),
        ("visited('stop') and has('doc-a') and done('check')", True),
        ("count('check') == 2 and pending('ask') and not fired('x')", True),
        ("phase() == 'checks'", True),
        ("elapsed() > hours(2) and elapsed() < days(1)", True),
        ("true and not false", True),
        ("notes == 1", True),
    ],
)
def test_conditions_evaluate_against_the_state(source: str, expected: bool) -> None:
    assert compile_expression(source, VARS)(state(), "police") is expected


def test_answer_helpers_read_the_answer() -> None:
    compiled = compile_expression(
        "score() >= 0.5 and picked('a') and value() == 3", VARS, allow_answer=True
    )
    assert compiled(state(), None, Answer(score=0.5, picked=frozenset({"a"}), value=3.0))
    assert not compiled(state(), None, Answer(score=0.4, picked=frozenset({"a"}), value=3.0))


def test_reads_and_references_are_reported_for_the_loader() -> None:
    compiled = compile_expression("evidence > 1 and has('doc-x') or visited('s')", VARS)
    assert compiled.reads == {"evidence"}
    assert [(h, i) for h, i, _ in compiled.refs] == [("has", "doc-x"), ("visited", "s")]


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("evidnce > 1", "unknown variable 'evidnce'", 0),
        ("victim and __import__('os')", "unknown helper '__import__'", 11),
        ("victim.real", "attribute access ('.') is not allowed", 0),
        ("seized[0]", "indexing ('[...]') is not allowed", 0),
        ("evidence > 1 victim", "syntax error: invalid syntax", 13),
        ("(evidence > 1", "syntax error: '(' was never closed", 0),
        ("evidence > 1 && victim", "use 'and' instead of '&&'", 13),
        ("jit == 'sgned'", "'sgned' is not a value of jit (none, signed)", 7),
        ("evidence == 'two'", "cannot compare num 'evidence' with str ''two''", 0),
        ("jit > 1", "cannot compare str 'jit' with num '1'", 0),
        ("'cash' in evidence", "'in' needs a set variable or a [list] on its right", 10),
        ("has(doc)", "has() takes an id in quotes", 4),
        ("has('a', 'b')", "has() takes 1 argument", 0),
        ("score() > 0", "score() is only allowed in outcomes and replies", 0),
        ("lambda: 1", "'lambda: 1' is not allowed in a condition", 0),
        ("evidence is None", "None is not allowed in a condition", 12),
        ("", "the condition is empty", 0),
    ],
)
def test_bad_conditions_are_rejected_with_the_column(
    source: str, message: str, column: int
) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source, VARS)
    assert message in caught.value.message
    assert caught.value.column == column


def test_role_variables_cannot_be_read_without_an_acting_role() -> None:
    with pytest.raises(ExpressionError, match="scope: role"):
        compile_expression("notes > 0", VARS, role_context=False)


def test_conditions_cannot_change_the_state() -> None:
    # Only comparisons and helper calls exist: no method can be reached to mutate a set.
    with pytest.raises(ExpressionError):
        compile_expression("seized.add('x')", VARS)
    compiled = compile_expression("'phones' in seized", VARS)
    current = state()
    compiled(current, None)
    assert current.vars["seized"] == frozenset({"cash"})


_OPS = {
    "==": lambda x, y: x == y,
    "!=": lambda x, y: x != y,
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


@settings(max_examples=300, deadline=None)
@given(
    op=st.sampled_from(sorted(_OPS)),
    evidence=st.integers(-3, 3),
    constant=st.integers(-3, 3),
    clock=st.integers(0, 3000),
    hours=st.integers(0, 50),
    jit=st.sampled_from(["none", "signed"]),
    listed=st.lists(st.sampled_from(["none", "signed"]), max_size=2),
)
def test_a_variable_or_the_clock_against_a_constant_compares_as_python_does(
    op: str, evidence: int, constant: int, clock: int, hours: int, jit: str, listed: list[str]
) -> None:
    """The commonest comparisons are compiled to one closure (`_Compiler._direct`): they
    must give what the general path and Python give, in either order of operands."""
    now = state(clock=clock, vars={"evidence": evidence, "victim": True, "jit": jit})
    compare = _OPS[op]
    cases = [
        (f"evidence {op} {constant}", compare(evidence, constant)),
        (f"{constant} {op} evidence", compare(constant, evidence)),
        (f"elapsed() {op} hours({hours})", compare(clock, hours * 60)),
        (f"elapsed() {op} days({hours})", compare(clock, hours * 1440)),
        ("victim == true", True),
        ("victim != true", False),
        (f"jit in {listed!r}", jit in listed),
        (f"jit not in {listed!r}", jit not in listed),
    ]
    if op in ("==", "!="):
        cases.append((f"jit {op} 'signed'", compare(jit, "signed")))
    for source, expected in cases:
        assert compile_expression(source, VARS)(now) is expected, source

"""Helpers of the learning tests: the shipped questionnaires chosen for a module, rounds
opened, answers with a chosen number right, tests taken in a line each."""

from __future__ import annotations

from typing import Any

from caseroom.programmes.learning import actions
from caseroom.programmes.learning.shipped import register_shipped
from caseroom.programmes.models import (
    Enrolment,
    Module,
    Purpose,
    Session,
    SessionRound,
    TestResult,
)

RIGHT: dict[str, Any] = {
    "consent": "true",
    "child_means": "act_purpose",
    "border": "false",
    "som_traits": ["fee", "consent", "border"],
    "benefit": "benefit",
    "prosecute": "true",
    "forced": ["documents", "wages", "debt"],
    "single": "enquire",
    "reflection": "d30",
    "ocg": "three",
}
WRONG: dict[str, Any] = {
    "consent": "false",
    "child_means": "purpose",
    "border": "true",
    "som_traits": ["continues"],
    "benefit": "group",
    "prosecute": "false",
    "forced": ["overtime_paid"],
    "single": "proof",
    "reflection": "d7",
    "ocg": "two",
}
EVALUATION: dict[str, Any] = {
    "objectives": "5",
    "relevant": "4",
    "simulation": "5",
    "cooperation": "4",
    "trainers": "5",
    "apply": "4",
    "comment": "More cases from the region, please.",
}


def answers(right: int) -> dict[str, Any]:
    """Knowledge-test answers with the first `right` questions right (out of 10)."""
    names = list(RIGHT)
    return {n: (RIGHT[n] if i < right else WRONG[n]) for i, n in enumerate(names)}


def posted(values: dict[str, Any], key: str = "") -> dict[str, Any]:
    """The same answers as a browser posts them (q-<name>, a list for a multiple choice)."""
    return {"key": key, **{f"q-{name}": value for name, value in values.items()}}


def plan(module: Module, *, evaluation: bool = True) -> None:
    """The shipped knowledge test as pre- and post-test, and the shipped evaluation."""
    test = register_shipped("knowledge_test")
    actions.choose_version(module, Purpose.PRE, test)
    actions.choose_version(module, Purpose.POST, test)
    if evaluation:
        actions.choose_version(module, Purpose.EVALUATION, register_shipped("session_evaluation"))


def open_all(session: Session, *purposes: str) -> dict[str, SessionRound]:
    return {p: actions.open_session_round(session, p) for p in purposes or ("pre", "post")}


def take(enrolment: Enrolment, purpose: str, right: int) -> TestResult:
    session_round = SessionRound.objects.select_related("round__version").get(
        session=enrolment.session_id, purpose=purpose
    )
    return actions.submit_test(enrolment, session_round, answers(right), language="en", key=None)

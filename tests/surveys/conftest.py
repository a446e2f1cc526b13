"""Fixtures of the surveys app: the knowledge test registered, and an open anonymous round."""

from __future__ import annotations

import pytest

from caseroom.surveys import actions
from caseroom.surveys.models import QuestionnaireVersion, Round
from caseroom.surveys.registry import register_form
from tests.xlsform.conftest import fixture_bytes

KNOWLEDGE = fixture_bytes("knowledge.md")

# A complete, valid submission to the knowledge test (3 of 3 points).
GOOD = {
    "age": 34,
    "agency": "police",
    "victim": "yes",
    "signs": ["debt", "control"],
    "hours": 12.5,
    "since": "2019-03-01",
    "consent": True,
}


@pytest.fixture
def version(db: None) -> QuestionnaireVersion:
    return register_form(KNOWLEDGE, "knowledge.md", "Module 2 knowledge test")


@pytest.fixture
def round_(version: QuestionnaireVersion) -> Round:
    return actions.create_round(version, "Pre-test, Skopje, March")


COOPERATION = fixture_bytes("cooperation.md")

# A complete self-assessment: a prosecutor of Montenegro (see tests/xlsform/forms/cooperation.md).
COOPERATION_ANSWERS = {
    "country": "me",
    "agency": "prosecution",
    "office": "me_central",
    "years": 3,
    "mla_sent": "yes",
    "mla_count": 2,
    "mla_answered": 1,
    "mla_speed": "2",
    "jit_obstacles": ["language"],
    "jit_difficulty": "Translations took four months.",
}


@pytest.fixture
def coop_version(db: None) -> QuestionnaireVersion:
    return register_form(COOPERATION, "cooperation.md", "Self-assessment")


@pytest.fixture
def coop_round(coop_version: QuestionnaireVersion) -> Round:
    """A self-assessment round that keeps drafts (save and continue later)."""
    return actions.create_round(coop_version, "2027 annual", drafts=True)

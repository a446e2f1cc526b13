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

"""The third shipped case, quiet-rooms (issue 15): domestic trafficking of nationals. It loads,
validates strictly, has the size the issue asks for, and its expert path reaches the best
ending without breaking the case's own rules."""

from __future__ import annotations

import re
from typing import Any

import pytest

from caseroom.engine import Scenario, load_scenario, play_expert_path, validate_scenario
from caseroom.engine.model import Action, Assessment
from caseroom.scenarios.registry import register_folder
from tests.conftest import ROOT

FOLDER = ROOT / "scenarios" / "quiet-rooms"
# The issue's list of what a rationale must cite (a law, a convention, a guideline).
SOURCE = re.compile(r"Art\.|Directive|Convention|Protocol|Code|Guidelines §")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(FOLDER)


def graded(action: Action) -> list[tuple[str, Assessment]]:
    """Every assessment a choice can give: itself, its outcomes and its approval's reactions."""
    found: list[tuple[str, Assessment]] = [(action.id, action)]
    found += [(f"{action.id} outcome {i}", o) for i, o in enumerate(action.outcomes)]
    if action.approval:
        found += [(f"{action.id} approve", action.approval.approve)]
        found += [(f"{action.id} refuse", action.approval.refuse)]
    return [(where, a) for where, a in found if a.grade]


def test_it_validates_with_no_error_and_no_warning() -> None:
    # The shipped scenarios' budget (tests/engine/test_validator.py): every scene, action,
    # document, inject and ending must be reached within it.
    assert [str(d) for d in validate_scenario(FOLDER, max_states=2000)] == []


def test_it_has_the_size_the_issue_asks_for(scenario: Scenario) -> None:
    doc = scenario.doc
    assert len(doc.roles) >= 5
    assert len(doc.scenes) >= 25  # each scene is a decision point of the debrief
    assert len(doc.documents) >= 20
    assert len(doc.endings) >= 5
    assert doc.languages == ["en"]


def test_the_expert_path_reaches_the_best_ending(scenario: Scenario) -> None:
    session, problems = play_expert_path(scenario)
    assert problems == []
    assert session.state.ending == "justice-and-redress"
    best = next(e for e in scenario.doc.endings if e.id == "justice-and-redress")
    assert best.outcome == "success"


def test_the_expert_follows_the_rules_it_teaches(scenario: Scenario) -> None:
    session, _ = play_expert_path(scenario)
    taken = [e.ref for e in session.events if e.type == "act"]
    # The girl is treated as a child victim with a guardian before anything else concerns her,
    # and her only interview is the recorded, child-friendly one.
    assert taken.index("tea-child-victim") < taken.index("preserve-now")
    assert "child-friendly-recorded" in taken
    assert not {"question-at-station", "everyone-hears-tea"} & set(taken)
    # The money is opened before the action day, the women referred on the action day.
    assert taken.index("open-parallel") < taken.index("act-now") < taken.index("refer-all")
    assert taken.index("refer-all") == taken.index("orders-and-care") + 1


def test_every_graded_choice_has_a_rationale_citing_its_source(scenario: Scenario) -> None:
    missing = [
        where
        for action in scenario.actions.values()
        for where, assessment in graded(action)
        if not assessment.debrief or not SOURCE.search(assessment.debrief)
    ]
    assert missing == []
    assert all(SOURCE.search(step.rationale) for step in scenario.doc.expert_path)


def test_every_misconception_is_attached_to_a_wrong_choice(scenario: Scenario) -> None:
    attached = {
        assessment.misconception
        for action in scenario.actions.values()
        for _, assessment in graded(action)
        if assessment.misconception and assessment.grade in ("poor", "harmful")
    }
    assert attached == {m.id for m in scenario.doc.misconceptions}


def test_the_best_option_is_not_always_in_the_same_place(scenario: Scenario) -> None:
    places = {
        next(i for i, o in enumerate(scene.options) if o.grade == "exemplary")
        for scene in scenario.doc.scenes
        if any(o.grade == "exemplary" for o in scene.options)
    }
    assert places == {0, 1, 2}


@pytest.mark.django_db
def test_it_registers_as_the_demo_loader_does(settings: Any) -> None:
    version = register_folder(FOLDER, explore=False)
    assert version.slug == "quiet-rooms"

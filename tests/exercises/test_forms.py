"""Participant and facilitator input arrives through forms: shape and size checked there,
the rest by the engine; moving a participant is an action that tells both teams."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from caseroom.engine import Scenario
from caseroom.exercises import actions, live
from caseroom.exercises.forms import ActForm, ApproveForm, GradeForm, RefuseForm
from caseroom.exercises.models import Participant, Team

ROLES = ["police-rs", "prosecutor-rs"]


def _post(**fields: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name.replace("_", "-"), [str(v) for v in value])
        else:
            data[name.replace("_", "-")] = str(value)
    return data


def act(mini: Scenario, **fields: Any) -> ActForm:
    return ActForm(_post(key="k", role="police-rs", **fields), roles=ROLES, actions=mini.actions)


def answer(form: ActForm) -> Any:
    assert form.is_valid(), form.errors
    return form.cleaned_data["answer"]


def test_a_role_the_participant_does_not_hold_is_told_apart_from_other_errors(
    mini: Scenario,
) -> None:
    form = ActForm(
        _post(role="police-mk", action="estimate", value=1), roles=ROLES, actions=mini.actions
    )
    assert form.role_not_held
    assert not act(mini, action="nonsense").role_not_held
    for form_class in (ApproveForm, RefuseForm):
        other = form_class(_post(role="police-mk", action="x", reason="r"), roles=ROLES)
        assert other.role_not_held


def test_an_unknown_action_is_refused_with_words(mini: Scenario) -> None:
    form = act(mini, action="nonsense")
    assert not form.is_valid()
    assert form.errors["action"] == ["That action does not exist."]


def test_a_numeric_answer_is_a_number_and_an_integer_when_whole(mini: Scenario) -> None:
    assert act(mini, action="estimate", value="10800.0").is_valid()
    assert answer(act(mini, action="estimate", value="10800")) == 10800
    assert answer(act(mini, action="estimate", value="10.5")) == 10.5
    for bad in ("", "ten", "nan", "inf"):
        form = act(mini, action="estimate", value=bad)
        assert not form.is_valid(), bad
        assert "Enter a number." in str(form.errors), bad


def test_an_order_gives_each_item_a_different_position(mini: Scenario) -> None:
    good = act(mini, action="order-steps", order_rapport=1, order_free=2, order_close=3)
    assert good.is_valid()
    assert good.cleaned_data["answer"] == ["rapport", "free", "close"]
    same = act(mini, action="order-steps", order_rapport=1, order_free=1, order_close=3)
    assert not same.is_valid()
    assert "Give each item a different position." in str(same.errors)
    missing = act(mini, action="order-steps", order_rapport=1, order_free=2)
    assert "Give every item a position." in str(missing.errors)
    beyond = act(mini, action="order-steps", order_rapport=1, order_free=2, order_close=99)
    assert not beyond.is_valid()


def test_ticked_items_must_be_the_actions_own(mini: Scenario) -> None:
    assert answer(act(mini, action="ask-mk", item=["plates", "dates"])) == ["plates", "dates"]
    nothing = act(mini, action="ask-mk")  # nothing ticked is no answer (issue 13)
    assert "Tick at least one item before sending." in str(nothing.errors)
    assert not act(mini, action="ask-mk", item=["plates", "<script>"]).is_valid()


def test_a_text_answer_is_required_trimmed_and_bounded(mini: Scenario) -> None:
    form = ActForm(
        _post(role="prosecutor-rs", action="grounds", text="  Proceeds of smuggling. "),
        roles=ROLES,
        actions=mini.actions,
    )
    assert form.is_valid()
    assert form.cleaned_data["answer"] == "Proceeds of smuggling."
    empty = ActForm(
        _post(role="prosecutor-rs", action="grounds", text=" "), roles=ROLES, actions=mini.actions
    )
    assert "Write your answer first." in str(empty.errors)
    huge = ActForm(
        _post(role="prosecutor-rs", action="grounds", text="x" * 10_001),
        roles=ROLES,
        actions=mini.actions,
    )
    assert not huge.is_valid()


def test_an_action_without_input_has_no_answer(mini: Scenario) -> None:
    form = act(mini, action="wrap-up")
    assert form.is_valid()
    assert form.cleaned_data["answer"] is None


def test_grading_takes_only_the_dimensions_sent_and_counts_an_empty_one_as_zero() -> None:
    form = GradeForm(
        _post(team=3, step=4, points_legal="", comment="  fine "),
        dimensions=["legal", "operational"],
    )
    assert form.is_valid()
    assert form.cleaned_data["points"] == {"legal": 0}
    assert form.cleaned_data["comment"] == "fine"
    for bad in ({"points_legal": "two"}, {"points_legal": -1}, {"step": "x"}, {"step": -1}):
        fields: dict[str, Any] = {"team": 3, "step": 4, **bad}
        assert not GradeForm(_post(**fields), dimensions=["legal"]).is_valid(), bad


@pytest.mark.django_db
def test_moving_a_participant_tells_the_team_they_leave_and_the_one_they_join(
    ana: Participant,
    other_team: Team,
    published: live.RecordingPublisher,
    django_capture_on_commit_callbacks: Any,
) -> None:
    left = ana.team
    assert left is not None
    with django_capture_on_commit_callbacks(execute=True):
        actions.place_participant(ana, team=other_team, roles=["prosecutor-rs"])
    ana.refresh_from_db()
    assert (ana.team, ana.roles) == (other_team, ["prosecutor-rs"])
    told = {team_id for _exercise, team_id, _seq in published.sent}
    assert told == {left.pk, other_team.pk}


@pytest.mark.django_db
def test_a_participant_cannot_be_moved_with_an_unknown_role(
    ana: Participant, other_team: Team
) -> None:
    with pytest.raises(actions.Refused):
        actions.place_participant(ana, team=other_team, roles=["king"])
    ana.refresh_from_db()
    assert ana.team != other_team

"""The event-sourced session: every rule of play, on the `mini` scenario."""

from __future__ import annotations

import json

import pytest

from caseroom.engine import Event, IllegalAction, ReplayError, Scenario, Session
from caseroom.engine.strings import text

POLICE, PROSECUTOR, MK = "police-rs", "prosecutor-rs", "police-mk"


def at_work(mini: Scenario) -> Session:
    session = Session(mini)
    session.act(POLICE, "treat-as-victim", actor="ana")
    return session


def expert(mini: Scenario) -> Session:
    session = at_work(mini)
    session.act(POLICE, "check-db")
    session.act(POLICE, "surveil")
    session.approve("surveil", PROSECUTOR)
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    session.wait()
    session.act(POLICE, "wrap-up")
    session.act(POLICE, "propose-jit")
    return session


def test_a_session_starts_in_the_start_scene_with_initial_documents(mini: Scenario) -> None:
    session = Session(mini)
    assert session.state.scene == "stop"
    assert session.state.phase == "checks"
    # on_enter of the start scene unlocks the report; the brief is initial.
    assert set(session.state.unlocked) == {"doc-brief", "doc-report"}
    assert session.state.vars == {
        "evidence": 0,
        "victim": False,
        "jit": "none",
        "seized": frozenset(),
    }


def test_a_decision_applies_effects_records_the_step_and_moves_on(mini: Scenario) -> None:
    session = Session(mini)
    result = session.act(POLICE, "treat-as-victim", actor="ana")
    assert session.state.scene == "work" and session.state.phase == "investigation"
    assert session.state.vars["victim"] is True
    assert "doc-statement" in session.state.unlocked
    (step,) = result.steps
    assert (step.grade, dict(step.points), step.objectives, step.actor) == (
        "exemplary",
        {"protection": 2},
        ("lo-identify",),
        "ana",
    )
    assert [f.key for f in result.feed if f.kind == "feedback"] == [
        "action.treat-as-victim.feedback"
    ]
    assert text(mini, "action.treat-as-victim.feedback") == "Good screening."


def test_a_harmful_choice_carries_its_misconception(mini: Scenario) -> None:
    session = Session(mini)
    (step,) = session.act(POLICE, "arrest-all").steps
    assert step.grade == "harmful" and step.misconception == "mc-victim-offender"
    assert session.score()["rubric"] == {
        "legal": -1,
        "protection": -2,
        "operational": 0,
        "cooperation": 0,
    }


def test_actions_cost_case_time(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(POLICE, "check-db")
    assert session.state.clock == 120
    session.act(MK, "consult")
    assert session.state.clock == 135


def test_a_role_sees_its_options_and_greyed_out_ones_with_the_reason(mini: Scenario) -> None:
    session = at_work(mini)
    police = {o.action: o for o in session.options(POLICE)}
    assert police["check-db"].enabled
    assert not police["wrap-up"].enabled
    assert police["wrap-up"].reason == "Gather some evidence first."
    assert "consult" in police  # global action offered in this phase
    prosecutor = {o.action for o in session.options(PROSECUTOR)}
    assert "check-db" not in prosecutor and "grounds" in prosecutor


@pytest.mark.parametrize(
    ("role", "action", "code"),
    [
        (PROSECUTOR, "check-db", "wrong_role"),
        (POLICE, "wrap-up", "condition"),
        (POLICE, "propose-jit", "not_here"),
        (POLICE, "nothing", "unknown_action"),
        ("judge", "check-db", "unknown_role"),
    ],
)
def test_illegal_actions_are_refused_and_change_nothing(
    mini: Scenario, role: str, action: str, code: str
) -> None:
    session = at_work(mini)
    before = session.state.to_dict()
    with pytest.raises(IllegalAction) as caught:
        session.act(role, action)
    assert caught.value.code == code
    assert session.state.to_dict() == before
    assert len(session.events) == 1


def test_a_once_action_cannot_be_repeated_but_a_repeatable_one_can(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(POLICE, "check-db")
    with pytest.raises(IllegalAction, match="already done"):
        session.act(POLICE, "check-db")
    session.act(MK, "consult")
    session.act(MK, "consult")
    assert session.state.taken["consult"] == 2


def test_role_scoped_variables_belong_to_each_role(mini: Scenario) -> None:
    session = at_work(mini)
    for _ in range(3):
        session.act(POLICE, "note")
    session.act(MK, "note")
    assert session.state.role_vars[POLICE]["notes"] == 3
    assert session.state.role_vars[MK]["notes"] == 1
    assert session.check(POLICE, "note").code == "condition"
    assert session.check(MK, "note").enabled


def test_an_approval_waits_for_the_approving_role(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(POLICE, "surveil")
    assert [p.action for p in session.awaiting(PROSECUTOR)] == ["surveil"]
    assert session.check(POLICE, "surveil").code == "pending"
    assert session.state.vars["evidence"] == 0
    with pytest.raises(IllegalAction) as caught:
        session.approve("surveil", POLICE)
    assert caught.value.code == "wrong_role"
    result = session.approve("surveil", PROSECUTOR, actor="pia")
    assert session.state.vars["evidence"] == 2
    assert [s.kind for s in result.steps] == ["approve", "act"]
    assert (result.feed[0].kind, result.feed[0].role, result.feed[0].roles) == (
        "approved",
        PROSECUTOR,
        None,
    )
    assert result.steps[0].role == PROSECUTOR and result.steps[1].role == POLICE
    assert session.state.taken["surveil"] == 1


def test_a_refusal_needs_a_reason_and_the_action_can_be_asked_again(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(POLICE, "surveil")
    with pytest.raises(IllegalAction, match="needs a reason"):
        session.refuse("surveil", PROSECUTOR, "  ")
    result = session.refuse("surveil", PROSECUTOR, "Grounds not documented")
    assert result.steps[0].grade == "poor" and result.steps[0].reason == "Grounds not documented"
    assert "surveil" not in session.state.taken
    assert session.check(POLICE, "surveil").enabled


def test_a_cross_border_request_answers_after_its_delay_by_its_content(mini: Scenario) -> None:
    good, bad = at_work(mini), at_work(mini)
    good.act(POLICE, "ask-mk", ["dates", "plates"])
    bad.act(POLICE, "ask-mk", ["gossip"])
    assert good.state.pending[0].due == 1440
    assert any(f.kind == "request" and MK in (f.roles or ()) for f in good.state.feed)
    assert good.can_wait()
    good.wait()
    bad.wait()
    assert good.state.clock == 1440
    assert "doc-mk" in good.state.unlocked and good.state.vars["evidence"] == 1
    assert "doc-mk" not in bad.state.unlocked
    replies = [s for s in good.state.steps if s.kind == "reply"]
    assert replies[0].grade == "exemplary" and replies[0].score == 1.0
    assert [s.grade for s in bad.state.steps if s.kind == "reply"] == ["poor"]


def test_waiting_is_refused_when_nothing_is_pending(mini: Scenario) -> None:
    session = Session(mini)
    session.fire("leak")
    with pytest.raises(IllegalAction) as caught:
        session.wait()
    assert caught.value.code == "nothing_pending"


@pytest.mark.parametrize(
    ("answer", "grade", "score"),
    [(10800, "exemplary", 1.0), ("12,500", "poor", 0.5), (50000, None, 0.0)],
)
def test_a_numeric_estimate_is_scored_with_its_tolerance(
    mini: Scenario, answer: object, grade: str | None, score: float
) -> None:
    session = at_work(mini)
    if grade != "poor":
        session.act(POLICE, "estimate", answer)
        step = session.state.steps[-1]
        assert (step.grade, step.score) == (grade, score)
        return
    session.act(POLICE, "check-db")  # seizes phones: the poor outcome needs them
    step = next(s for s in session.act(POLICE, "estimate", answer).steps)
    assert (step.grade, step.score, step.answer) == ("poor", 0.5, 12500.0)


def test_an_ordering_is_scored_by_pairs_in_order(mini: Scenario) -> None:
    session = at_work(mini)
    (step,) = session.act(MK, "order-steps", ["free", "rapport", "close"]).steps
    assert step.score == round(2 / 3, 4) and step.grade == "poor"


@pytest.mark.parametrize(
    ("action", "answer", "message"),
    [
        ("ask-mk", ["plates", "plates"], "an item is listed twice"),
        ("ask-mk", ["fax"], "unknown items: fax"),
        ("ask-mk", "plates", "a multi answer is a list of item ids"),
        ("order-steps", ["free"], "an order answer lists every item once"),
        ("estimate", "a lot", "'a lot' is not a number"),
        ("estimate", -5, "the number must be at least 0"),
        ("check-db", "yes", "check-db takes no answer"),
    ],
)
def test_bad_answers_are_refused_with_the_reason(
    mini: Scenario, action: str, answer: object, message: str
) -> None:
    session = at_work(mini)
    with pytest.raises(IllegalAction) as caught:
        session.act(POLICE if action != "order-steps" else MK, action, answer)
    assert caught.value.code == "bad_input"
    assert message in caught.value.message


def test_free_text_is_kept_and_graded_later_by_the_facilitator(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(
        PROSECUTOR, "grounds", "Reasonable suspicion of laundering: transfers of 3,000 EUR."
    )
    index = len(session.state.steps) - 1
    assert session.state.steps[index].score is None
    with pytest.raises(IllegalAction, match="between 0 and 3"):
        session.grade(index, {"legal": 4})
    session.grade(index, {"legal": 2}, "Good grounds", actor="facilitator")
    assert session.score()["rubric"]["legal"] == 2
    with pytest.raises(IllegalAction, match="already graded"):
        session.grade(index, {"legal": 1})
    with pytest.raises(IllegalAction, match="only free-text"):
        session.grade(0, {"legal": 1})


def test_a_timed_inject_fires_when_case_time_passes(mini: Scenario) -> None:
    session = at_work(mini)
    assert not session.can_wait()  # nothing is pending: no skipping ahead to the inject
    session.act(POLICE, "ask-mk", ["plates"])
    assert "leak" not in session.state.fired
    session.wait()  # the answer is due at 1 day, when the journalist also calls
    assert session.state.fired["leak"] == 1440
    leak = [f for f in session.state.feed if f.ref == "leak"][0]
    assert leak.roles == (POLICE,) and leak.key == "inject.leak.message"
    assert leak not in session.feed_for(MK) and leak in session.feed_for(POLICE)
    # The answer (due at the same minute) is handled before the inject.
    kinds = [f.kind for f in session.state.feed[-3:]]
    assert kinds.index("reply") < kinds.index("inject")


def test_a_conditional_inject_fires_once_its_condition_holds(mini: Scenario) -> None:
    session = Session(mini)
    session.act(POLICE, "arrest-all")
    session.act(POLICE, "check-db")
    assert "alarm" not in session.state.fired
    session.act(POLICE, "surveil")
    session.approve("surveil", PROSECUTOR)
    assert "alarm" in session.state.fired
    assert session.state.vars["victim"] is True  # its effect


def test_the_facilitator_fires_a_manual_inject_that_moves_play(mini: Scenario) -> None:
    session = at_work(mini)
    session.fire("storm", actor="facilitator")
    assert session.state.scene == "decide"
    with pytest.raises(IllegalAction, match="already fired"):
        session.fire("storm")


def test_the_expert_path_reaches_the_best_ending(mini: Scenario) -> None:
    session = expert(mini)
    assert session.ended and session.outcome == "dismantled"
    score = session.score()
    assert score["rubric"] == {"legal": 1, "protection": 2, "operational": 3, "cooperation": 5}
    assert score["objectives"] == {"lo-identify": 100, "lo-cooperate": 100}
    with pytest.raises(IllegalAction) as caught:
        session.act(POLICE, "consult")
    assert caught.value.code == "ended"


def test_goto_end_chooses_the_first_ending_whose_condition_holds(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(POLICE, "surveil")
    session.approve("surveil", PROSECUTOR)
    session.act(POLICE, "wrap-up")
    session.act(POLICE, "close")
    assert session.outcome == "partial"


def test_the_facilitator_can_end_a_case(mini: Scenario) -> None:
    session = at_work(mini)
    session.end("closed")
    assert session.outcome == "closed" and session.state.scene is None


def test_documents_are_visible_only_to_their_roles(mini: Scenario) -> None:
    session = expert(mini)
    assert "doc-statement" in session.visible_documents(PROSECUTOR)
    assert "doc-statement" not in session.visible_documents(MK)
    assert "doc-mk" in session.visible_documents(MK)
    assert "doc-mk" not in session.visible_documents(PROSECUTOR)


def test_a_repeated_submission_is_applied_once(mini: Scenario) -> None:
    session = at_work(mini)
    first = session.act(MK, "consult", key="k-1")
    again = session.act(MK, "consult", key="k-1")
    assert again.repeated and again.event == first.event
    assert session.state.taken["consult"] == 1 and len(session.events) == 2


def test_replay_reproduces_the_state_exactly(mini: Scenario) -> None:
    session = expert(mini)
    replayed = Session.replay(mini, session.events)
    assert replayed.state.to_dict() == session.state.to_dict()


def test_a_session_round_trips_through_json(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(PROSECUTOR, "grounds", "Text with ünïcode")
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    restored = Session.from_json(mini, session.to_json())
    assert restored.state.to_dict() == session.state.to_dict()
    assert restored.events == session.events
    assert json.loads(restored.to_json()) == json.loads(session.to_json())


def test_events_record_the_case_time_they_were_applied_at(mini: Scenario) -> None:
    session = at_work(mini)
    session.act(POLICE, "check-db")
    session.act(MK, "consult")
    assert [e.at for e in session.events] == [0, 0, 120]


def test_a_tampered_log_is_refused_on_replay(mini: Scenario) -> None:
    session = at_work(mini)
    events = [e.to_dict() for e in session.events] + [
        Event("act", role=PROSECUTOR, ref="check-db").to_dict()
    ]
    with pytest.raises(ReplayError, match="event 1 .act check-db.: check-db: only for"):
        Session.replay(mini, events)
    moved = [{**session.events[0].to_dict(), "at": 99}]
    with pytest.raises(ReplayError, match="recorded at case time 99"):
        Session.replay(mini, moved)
    with pytest.raises(ReplayError, match="belongs to scenario 'other'"):
        Session.from_json(mini, json.dumps({"scenario": "other", "events": []}))


def test_translations_replace_text_by_key(mini: Scenario) -> None:
    assert text(mini, "scene.stop.title", "sr") == "Zaustavljanje"
    assert text(mini, "scene.work.title", "sr") == "Investigation"  # falls back to the source


def test_the_facilitator_can_move_a_team_to_another_scene(mini: Scenario) -> None:
    session = at_work(mini)
    result = session.jump("decide", actor="facilitator")
    assert session.state.scene == "decide" and session.state.phase == "cooperation"
    assert [(s.kind, s.ref, s.scene) for s in result.steps] == [("jump", "decide", "work")]
    with pytest.raises(IllegalAction) as caught:
        session.jump("nowhere")
    assert caught.value.code == "unknown_scene"
    assert Session.replay(mini, session.events).state.to_dict() == session.state.to_dict()

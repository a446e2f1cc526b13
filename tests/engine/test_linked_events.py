"""Linked teams in the engine: a request to a role the other team plays waits for a person
there, and their answer (a chosen reply or a refusal) arrives after the request's delay."""

from __future__ import annotations

import pytest

from caseroom.engine import Event, IllegalAction, Scenario, Session
from caseroom.engine.session.linked import incoming_for

POLICE, MK = "police-rs", "police-mk"
DAY = 24 * 60


def asking_team(mini: Scenario) -> Session:
    """Team A: plays the Serbian side; the linked team plays police-mk."""
    session = Session(mini)
    session.apply(Event("link", input=[MK]))
    session.act(POLICE, "treat-as-victim", actor="ana")
    session.act(POLICE, "check-db")
    return session


def test_a_request_to_a_linked_role_gets_no_scripted_reply(mini: Scenario) -> None:
    session = asking_team(mini)
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    [pending] = [p for p in session.state.pending if p.kind == "request"]
    assert pending.due is None
    assert not session.can_wait()  # nothing is scheduled: a person has to answer
    assert session.check(POLICE, "ask-mk").code == "pending"


def test_the_answering_team_sees_the_request_and_answers_with_a_reply(mini: Scenario) -> None:
    other = Session(mini)
    other.apply(Event("incoming", role=POLICE, actor="ana", ref="ask-mk", input=["plates"]))
    [waiting] = incoming_for(other.state, MK)
    assert (waiting.role, waiting.actor, waiting.answer) == (POLICE, "ana", ["plates"])
    assert other.feed_for(MK)[-1].kind == "incoming"
    other.apply(Event("answer", role=MK, actor="marko", ref="ask-mk", input=0))
    assert incoming_for(other.state, MK) == []
    assert [s.kind for s in other.state.steps[-2:]] == ["incoming", "answer"]


def test_only_the_receiving_role_answers_and_only_with_a_declared_reply(mini: Scenario) -> None:
    other = Session(mini)
    with pytest.raises(IllegalAction) as nothing:
        other.apply(Event("answer", role=MK, ref="ask-mk", input=0))
    assert nothing.value.code == "no_request"
    other.apply(Event("incoming", role=POLICE, ref="ask-mk"))
    for event, code in [
        (Event("answer", role=POLICE, ref="ask-mk", input=0), "wrong_role"),
        (Event("answer", role=MK, ref="ask-mk", input=7), "bad_input"),
        (Event("answer", role=MK, ref="ask-mk", input=True), "bad_input"),
        (Event("answer", role=MK, ref="ask-mk", reason="  "), "no_reason"),
    ]:
        with pytest.raises(IllegalAction) as refused:
            other.apply(event)
        assert refused.value.code == code


def test_the_chosen_reply_arrives_after_the_delay_even_if_the_script_would_choose_another(
    mini: Scenario,
) -> None:
    session = asking_team(mini)
    session.act(POLICE, "ask-mk", ["gossip"])  # the script would answer "We need plates…"
    sent = session.state.clock
    session.apply(Event("reply", role=MK, actor="marko", ref="ask-mk", input=0))
    assert "doc-mk" not in session.state.unlocked  # still on its way
    session.wait()
    assert session.state.clock == sent + DAY
    assert "doc-mk" in session.state.unlocked
    reply = session.state.steps[-1]
    assert (reply.kind, reply.grade) == ("reply", "exemplary")
    assert session.check(POLICE, "ask-mk").code != "pending"


def test_a_refusal_reaches_the_asking_team_with_its_reason(mini: Scenario) -> None:
    session = asking_team(mini)
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    session.apply(Event("reply", role=MK, ref="ask-mk", reason="Send it through the MLA"))
    session.wait()
    refusal = session.state.feed[-1]
    assert (refusal.kind, refusal.role, refusal.reason) == (
        "refusal",
        MK,
        "Send it through the MLA",
    )
    assert "doc-mk" not in session.state.unlocked
    assert session.state.steps[-1].grade is None


def test_a_reply_needs_a_request_waiting_for_it(mini: Scenario) -> None:
    session = asking_team(mini)
    with pytest.raises(IllegalAction) as refused:
        session.apply(Event("reply", role=MK, ref="ask-mk", input=0))
    assert refused.value.code == "no_request"


def test_linked_logs_replay_to_the_same_state(mini: Scenario) -> None:
    session = asking_team(mini)
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    session.apply(Event("reply", role=MK, ref="ask-mk", input=1))
    session.wait()
    again = Session.replay(mini, [e.to_dict() for e in session.events])
    assert again.state.to_dict() == session.state.to_dict()
    assert again.state.remote == frozenset({MK})


def test_without_a_link_the_script_answers_as_before(mini: Scenario) -> None:
    session = Session(mini)
    session.act(POLICE, "treat-as-victim")
    session.act(POLICE, "check-db")
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    assert session.can_wait()
    session.wait()
    assert "doc-mk" in session.state.unlocked


def test_a_link_names_roles_of_the_scenario(mini: Scenario) -> None:
    with pytest.raises(IllegalAction) as refused:
        Session(mini).apply(Event("link", input=["judge-xx"]))
    assert refused.value.code == "unknown_role"


def test_unlinking_hands_a_request_still_waiting_to_the_script(mini: Scenario) -> None:
    session = asking_team(mini)
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    assert not session.can_wait()
    unlinked = session.state.clock
    session.apply(Event("link", input=[]))  # unlinked, or the other team's case ended
    assert session.state.remote == frozenset()
    handed = session.state.feed[-1]
    assert (handed.kind, handed.ref, handed.roles) == ("handed", "ask-mk", (POLICE, MK))
    session.wait()  # the script answers, the request's delay after the hand-over
    assert session.state.clock == unlinked + DAY
    assert "doc-mk" in session.state.unlocked
    assert session.state.steps[-1].kind == "reply"
    with pytest.raises(IllegalAction):  # a late answer of the other team finds nothing
        session.apply(Event("reply", role=MK, ref="ask-mk", input=0))
    again = Session.replay(mini, [e.to_dict() for e in session.events])
    assert again.state.to_dict() == session.state.to_dict()


def test_an_answer_already_given_still_arrives_after_unlinking(mini: Scenario) -> None:
    session = asking_team(mini)
    session.act(POLICE, "ask-mk", ["gossip"])
    session.apply(Event("reply", role=MK, ref="ask-mk", input=0))
    session.apply(Event("link", input=[]))
    assert [i.kind for i in session.state.feed].count("handed") == 0
    session.wait()
    assert "doc-mk" in session.state.unlocked  # the person's reply 0, not the script's


def test_unlinking_withdraws_the_other_team_s_requests_not_yet_answered(mini: Scenario) -> None:
    other = Session(mini)
    other.apply(Event("link", input=[POLICE]))
    other.apply(Event("incoming", role=POLICE, actor="ana", ref="ask-mk", input=["plates"]))
    other.apply(Event("link", input=[]))
    assert incoming_for(other.state, MK) == []
    withdrawn = other.state.feed[-1]
    assert (withdrawn.kind, withdrawn.ref, withdrawn.roles) == ("withdrawn", "ask-mk", (MK,))
    with pytest.raises(IllegalAction) as refused:
        other.apply(Event("answer", role=MK, ref="ask-mk", input=0))
    assert refused.value.code == "no_request"

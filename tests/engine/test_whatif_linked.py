"""The debrief's "what if the expert had taken over here" for a linked team: the other team is
not there to answer, so the script answers its requests as in an unlinked exercise."""

from __future__ import annotations

from caseroom.engine import Event, Scenario, Session, what_if

POLICE, MK = "police-rs", "police-mk"


def played(mini: Scenario, linked: bool) -> Session:
    session = Session(mini)
    if linked:
        session.apply(Event("link", input=[MK]))
    session.act(POLICE, "treat-as-victim", actor="ana")
    session.act(POLICE, "check-db")
    session.act(POLICE, "ask-mk", ["plates", "dates"])
    return session


def test_the_expert_continues_a_linked_log_as_an_unlinked_one(mini: Scenario) -> None:
    linked, alone = played(mini, linked=True), played(mini, linked=False)
    assert [p.due for p in linked.state.pending if p.kind == "request"] == [None]

    then = what_if(mini, linked.events, len(linked.events))
    expected = what_if(mini, alone.events, len(alone.events))

    assert then.stopped == expected.stopped == "ended"
    assert then.ending == expected.ending is not None
    # The expert waits for the Macedonian answer, which the script now gives, as unlinked.
    assert [m.ref for m in then.moves] == [m.ref for m in expected.moves]
    assert then.score == expected.score


def test_an_unlinked_log_is_continued_exactly_as_before(mini: Scenario) -> None:
    alone = played(mini, linked=False)

    first = what_if(mini, alone.events, len(alone.events))
    second = what_if(mini, alone.events, len(alone.events))

    assert first == second and first.stopped == "ended"

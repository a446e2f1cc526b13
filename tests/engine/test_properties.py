"""Properties of the engine under random play (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseroom.engine import IllegalAction, Session, load_scenario
from caseroom.engine.session import sample_answers

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {
    "mini": load_scenario(ROOT / "tests" / "engine" / "scenarios" / "mini"),
    "night-crossing": load_scenario(ROOT / "scenarios" / "night-crossing"),
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def playthrough(draw: st.DrawFn, name: str) -> Session:
    session = Session(SCENARIOS[name])
    for _ in range(draw(st.integers(0, 60))):
        options = session.legal_events(facilitator=True)
        if not options:
            break
        session.apply(draw(st.sampled_from(options)))
    return session


@pytest.mark.parametrize("name", SCENARIOS)
@SETTINGS
@given(data=st.data())
def test_random_legal_play_never_crashes_and_replays_exactly(
    name: str, data: st.DataObject
) -> None:
    scenario = SCENARIOS[name]
    session = data.draw(playthrough(name))
    replayed = Session.replay(scenario, [e.to_dict() for e in session.events])
    assert replayed.state.to_dict() == session.state.to_dict()
    restored = Session.from_json(scenario, session.to_json())
    assert restored.state.to_dict() == session.state.to_dict()
    json.dumps(session.state.to_dict())  # the state itself is JSON-ready


@pytest.mark.parametrize("name", SCENARIOS)
@SETTINGS
@given(data=st.data())
def test_a_log_replayed_in_two_parts_gives_the_same_state(name: str, data: st.DataObject) -> None:
    """What a server process does when another one served the team's last commands."""
    scenario = SCENARIOS[name]
    session = data.draw(playthrough(name))
    cut = data.draw(st.integers(0, len(session.events)))
    caught_up = Session(scenario, session.events[:cut])
    caught_up.extend([e.to_dict() for e in session.events[cut:]])
    assert caught_up.events == session.events
    assert caught_up.state.to_dict() == session.state.to_dict()


@pytest.mark.parametrize("name", SCENARIOS)
@SETTINGS
@given(data=st.data())
def test_every_listed_option_is_accepted_and_every_refusal_changes_nothing(
    name: str, data: st.DataObject
) -> None:
    scenario = SCENARIOS[name]
    session = data.draw(playthrough(name))
    role = data.draw(st.sampled_from(sorted(scenario.roles)))
    action = data.draw(st.sampled_from(sorted(scenario.actions)))
    before = session.state.to_dict()
    option = session.check(role, action)
    answer = data.draw(st.sampled_from(list(sample_answers(scenario.actions[action]))))
    try:
        session.act(role, action, answer)
    except IllegalAction as error:
        assert not option.enabled and error.code == option.code
        assert session.state.to_dict() == before
    else:
        assert option.enabled


@pytest.mark.parametrize("name", SCENARIOS)
@SETTINGS
@given(
    data=st.data(),
    junk=st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.text(max_size=3))),
)
def test_garbage_answers_are_refused_without_a_trace(
    name: str, data: st.DataObject, junk: object
) -> None:
    scenario = SCENARIOS[name]
    session = data.draw(playthrough(name))
    before = session.state.to_dict()
    action = data.draw(st.sampled_from(sorted(scenario.actions)))
    role = data.draw(st.sampled_from(sorted(scenario.roles)))
    try:
        session.act(role, action, junk)
    except IllegalAction:
        assert session.state.to_dict() == before

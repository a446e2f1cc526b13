"""The debrief core: annotated trajectories, what-if continuations, cross-team aggregates."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseroom.engine import (
    DIGEST_VERSION,
    ReplayError,
    Scenario,
    Session,
    TeamDigest,
    play_expert_path,
    summarise,
)
from caseroom.engine.debrief import (
    GLOBAL_POINT,
    VariableChange,
    annotate,
    compare_teams,
    decision_distribution,
    expert_choices,
    flows,
    misconception_ranking,
    replay_teams,
    what_if,
)
from caseroom.engine.strings import text

POLICE, PROSECUTOR = "police-rs", "prosecutor-rs"


def expert_session(mini: Scenario) -> Session:
    """The mini expert path, played by named people at known wall-clock times."""
    session = Session(mini)
    session.act(POLICE, "treat-as-victim", actor="ana", time="2026-05-04T09:00:00Z")
    session.act(POLICE, "check-db", actor="ana", time="2026-05-04T09:02:00Z")
    session.act(POLICE, "surveil", actor="ana")
    session.approve("surveil", PROSECUTOR, actor="pia")
    session.act(POLICE, "ask-mk", ["plates", "dates"], actor="ana")
    session.wait(actor="ana")
    session.act(POLICE, "wrap-up", actor="ana")
    session.act(POLICE, "propose-jit", actor="ana")
    return session


def careless_session(mini: Scenario, actor: str = "bo") -> Session:
    """Arrests everyone, checks the databases, writes notes and closes the case."""
    session = Session(mini)
    session.act(POLICE, "arrest-all", actor=actor)
    session.act(POLICE, "check-db", actor=actor)
    session.act(POLICE, "note", actor=actor)
    session.act(POLICE, "note", actor=actor)
    session.act(POLICE, "wrap-up", actor=actor)
    session.act(POLICE, "close", actor=actor)
    return session


def lingering_session(mini: Scenario) -> Session:
    """Arrests everyone, then only consults a colleague: never leaves the investigation."""
    session = Session(mini)
    session.act(POLICE, "arrest-all", actor="cy")
    session.act(PROSECUTOR, "consult", actor="cy")
    return session


def three_teams(mini: Scenario) -> list[tuple[str, Session]]:
    return [
        ("A", expert_session(mini)),
        ("B", careless_session(mini)),
        ("C", lingering_session(mini)),
    ]


# ---------------------------------------------------------------- expert index


def test_expert_choices_index_the_option_menu_actions_approvals_and_answers(
    mini: Scenario,
) -> None:
    index = expert_choices(mini)
    assert index.choices == {
        "stop": ("treat-as-victim",),
        "work": ("check-db", "surveil", "ask-mk", "wrap-up"),
        "decide": ("propose-jit",),
    }
    assert index.kinds["stop"] == "decision"
    assert index.kinds["work"] == "menu"
    assert index.kinds[GLOBAL_POINT] == "global"
    assert index.decisions == {"surveil": ("approve",)}
    assert index.answers == {"ask-mk": ["plates", "dates"]}
    assert index.rationale_keys("do", "treat-as-victim") == ("expert.0.rationale",)
    assert index.rationale_keys("approve", "surveil") == ("expert.3.rationale",)
    assert text(mini, "expert.0.rationale") == "Screen first."
    assert index.on_path("act", "arrest-all") is False
    assert index.on_path("act", "consult") is None  # the expert takes no global action
    assert index.on_path("refuse", "surveil") is False
    assert index.on_path("inject", "alarm") is None


# ---------------------------------------------------------------- annotate


def test_annotate_marks_expert_and_non_expert_steps(mini: Scenario) -> None:
    steps = annotate(mini, careless_session(mini).events)
    assert [(s.ref, s.on_expert_path) for s in steps] == [
        ("arrest-all", False),
        ("check-db", True),
        ("note", False),
        ("note", False),
        ("wrap-up", True),
        ("close", False),
    ]
    arrest = steps[0]
    assert arrest.expert == ("treat-as-victim",)
    assert arrest.expert_rationales == ("expert.0.rationale",)  # why the expert chose otherwise
    assert arrest.grade == "harmful"
    assert arrest.misconception == "mc-victim-offender"
    assert arrest.points == {"protection": -2, "legal": -1}
    assert arrest.phase == "checks"
    assert steps[2].expert == ("check-db", "surveil", "ask-mk", "wrap-up")
    assert steps[2].expert_rationales == ()  # a menu action the expert did not take


def test_annotate_reports_exact_consequences_of_each_event(mini: Scenario) -> None:
    session = expert_session(mini)
    steps = annotate(mini, session.events)
    assert [(s.index, s.event, s.kind, s.ref) for s in steps] == [
        (0, 0, "act", "treat-as-victim"),
        (1, 1, "act", "check-db"),
        (2, 3, "approve", "surveil"),
        (3, 3, "act", "surveil"),
        (4, 3, "inject", "alarm"),
        (5, 4, "act", "ask-mk"),
        (6, 5, "inject", "leak"),
        (7, 5, "reply", "ask-mk"),
        (8, 6, "act", "wrap-up"),
        (9, 7, "act", "propose-jit"),
    ]
    screen = steps[0].consequences
    assert screen is not None
    assert (screen.scene_before, screen.scene_after, screen.scenes) == ("stop", "work", ("work",))
    assert screen.scene_changed
    assert screen.documents == ("doc-statement",)
    assert screen.variables == (VariableChange("victim", False, True),)
    assert steps[0].time == "2026-05-04T09:00:00Z"
    assert steps[0].actor == "ana"

    check = steps[1].consequences
    assert check is not None
    assert check.elapsed == 120
    assert check.documents == ("doc-records",)
    assert not check.scene_changed
    assert check.variables == (
        VariableChange("evidence", 0, 1),
        VariableChange("seized", frozenset(), frozenset({"phones"})),
    )

    # The approval completes the action and fires the alarm: all on the approval step.
    approval = steps[2]
    assert approval.expert == ("approve",)
    assert approval.on_expert_path is True
    assert approval.expert_rationales == ("expert.3.rationale",)
    assert approval.role == PROSECUTOR and approval.actor == "pia"
    assert approval.consequences is not None
    assert approval.consequences.injects == ("alarm",)
    assert approval.consequences.variables == (VariableChange("evidence", 1, 3),)
    assert steps[3].consequences is None and steps[4].consequences is None
    assert steps[4].on_expert_path is None

    # Waiting: the answer arrives (on the reply step); the timed leak fired on the way.
    assert steps[6].consequences is None
    reply = steps[7].consequences
    assert reply is not None
    assert reply.injects == ("leak",)
    assert reply.documents == ("doc-mk",)
    assert reply.variables == (VariableChange("evidence", 3, 4),)
    assert reply.elapsed == 1440
    assert steps[5].expert_answer == ["plates", "dates"]
    assert steps[5].score == 1.0

    assert steps[8].consequences is not None
    assert steps[8].consequences.scenes == ("decide",)
    final = steps[9].consequences
    assert final is not None
    assert final.ending == "dismantled"
    assert (final.scene_before, final.scene_after, final.scenes) == ("decide", None, ())
    assert final.variables == (VariableChange("jit", "none", "signed"),)


def test_annotate_reports_role_variables_with_their_role(mini: Scenario) -> None:
    steps = annotate(mini, careless_session(mini).events)
    assert steps[2].consequences is not None
    assert steps[2].consequences.variables == (VariableChange("notes", 0, 1, POLICE),)
    assert steps[3].consequences is not None
    assert steps[3].consequences.variables == (VariableChange("notes", 1, 2, POLICE),)


def test_annotate_reads_logged_dicts_and_rejects_a_log_that_does_not_fit(mini: Scenario) -> None:
    logged = [e.to_dict() for e in expert_session(mini).events]
    assert annotate(mini, logged) == annotate(mini, expert_session(mini).events)
    with pytest.raises(ReplayError):
        annotate(mini, [{"type": "act", "role": POLICE, "ref": "propose-jit"}])
    with pytest.raises(ReplayError):
        annotate(mini, [{**logged[0], "at": 999}])


def test_annotate_is_json_ready(mini: Scenario) -> None:
    data = [s.to_dict() for s in annotate(mini, expert_session(mini).events)]
    json.dumps(data)
    assert data[1]["consequences"]["variables"][1] == {
        "name": "seized",
        "before": [],
        "after": ["phones"],
        "role": None,
    }


# ---------------------------------------------------------------- what if


@pytest.mark.parametrize("fixture", ["mini", "night"])
def test_what_if_from_the_start_reproduces_the_expert_ending(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    scenario: Scenario = request.getfixturevalue(fixture)
    expert, problems = play_expert_path(scenario)
    assert not problems
    result = what_if(scenario, [], 0)
    assert result.ending == expert.state.ending
    assert result.score == expert.score()
    assert result.stopped == "ended"
    assert result.diverged_at is None and result.skipped == ()
    assert [m.expert_step for m in result.moves] == list(range(len(scenario.doc.expert_path)))
    assert [(e.type, e.ref) for e in result.events] == [(e.type, e.ref) for e in expert.events]


def test_what_if_after_a_harmful_choice_shows_where_the_expert_path_leads(
    mini: Scenario,
) -> None:
    events = careless_session(mini).events
    result = what_if(mini, events, 1)  # after arresting everyone
    assert result.ending == "dismantled"
    assert result.outcome == "success"
    assert result.score["rubric"] == {
        "legal": 0,
        "protection": -2,
        "operational": 3,
        "cooperation": 5,
    }
    assert result.score["objectives"]["lo-identify"] == 0
    assert result.diverged_at == 0
    assert [(s.expert_step, s.code) for s in result.skipped] == [(0, "not_here")]
    assert [m.ref for m in result.moves][:3] == ["check-db", "surveil", "surveil"]
    assert result.moves[-1].ending == "dismantled"


def test_what_if_stops_where_no_expert_step_applies(mini: Scenario) -> None:
    events = careless_session(mini).events
    result = what_if(mini, events, 5)  # in the last decision with too little evidence
    assert result.ending is None
    assert result.stopped == "no_step_applies"
    assert result.moves == ()
    codes = {s.expert_step: s.code for s in result.skipped}
    assert codes[1] == "done"  # the team had checked the databases
    assert codes[6] == "done"
    assert codes[7] == "condition"  # a joint team needs more evidence
    assert result.diverged_at == 0


def test_what_if_takes_the_approval_a_team_left_pending(mini: Scenario) -> None:
    session = Session(mini)
    session.act(POLICE, "treat-as-victim")
    session.act(POLICE, "surveil")
    result = what_if(mini, session.events, 2)
    assert [m.ref for m in result.moves][:2] == ["check-db", "surveil"]
    assert result.moves[1].type == "approve"
    assert result.ending == "dismantled"
    assert result.diverged_at is None
    assert {s.expert_step: s.code for s in result.skipped} == {0: "done", 2: "done"}


def test_what_if_is_deterministic_and_checks_its_index(mini: Scenario) -> None:
    events = careless_session(mini).events
    assert what_if(mini, events, 2) == what_if(mini, events, 2)
    assert what_if(mini, events, 2).to_dict() == json.loads(
        json.dumps(what_if(mini, events, 2).to_dict())
    )
    with pytest.raises(IndexError):
        what_if(mini, events, len(events) + 1)


def test_what_if_respects_its_step_cap(mini: Scenario) -> None:
    result = what_if(mini, [], 0, max_steps=2)
    assert result.stopped == "cap"
    assert len(result.moves) == 2


# ---------------------------------------------------------------- across teams


def test_decision_distribution_counts_teams_per_option(mini: Scenario) -> None:
    points = decision_distribution(mini, three_teams(mini))
    assert list(points) == ["stop", "work", "decide", GLOBAL_POINT]
    stop = points["stop"]
    assert (stop.kind, stop.teams, stop.title) == ("decision", 3, "scene.stop.title")
    assert stop.counts == {"treat-as-victim": 1, "arrest-all": 2}
    assert stop.expert == ("treat-as-victim",)
    work = points["work"]
    assert work.teams == 3
    assert work.counts == {
        "check-db": 2,
        "surveil": 1,
        "note": 1,  # taken twice by one team: counted once
        "ask-mk": 1,
        "estimate": 0,
        "order-steps": 0,
        "grounds": 0,
        "wrap-up": 2,
    }
    assert work.expert == ("check-db", "surveil", "ask-mk", "wrap-up")
    assert points["decide"].teams == 2
    assert points["decide"].counts == {"propose-jit": 1, "close": 1}
    assert points[GLOBAL_POINT].counts == {"consult": 1}
    assert points[GLOBAL_POINT].teams == 3
    assert points[GLOBAL_POINT].expert == ()


def test_a_refused_option_still_counts_as_the_teams_choice(mini: Scenario) -> None:
    session = Session(mini)
    session.act(POLICE, "treat-as-victim")
    session.act(POLICE, "surveil")
    session.refuse("surveil", PROSECUTOR, "Grounds not documented")
    points = decision_distribution(mini, [session])
    assert points["work"].counts["surveil"] == 1


def test_flows_count_teams_along_each_link_with_the_expert_path_flagged(mini: Scenario) -> None:
    data = flows(mini, three_teams(mini))
    assert data.teams == 3
    assert data.expert_path == ("stop", "work", "decide", "dismantled")
    assert [(n.id, n.kind, n.teams, n.expert) for n in data.nodes] == [
        ("stop", "scene", 3, True),
        ("work", "scene", 3, True),
        ("decide", "scene", 2, True),
        ("dismantled", "ending", 1, True),
        ("closed", "ending", 1, False),
    ]
    assert data.nodes[4].outcome == "failure"
    assert [(k.source, k.target, k.teams, k.expert) for k in data.links] == [
        ("stop", "work", 3, True),
        ("work", "decide", 2, True),
        ("decide", "dismantled", 1, True),
        ("decide", "closed", 1, False),
    ]
    json.dumps(data.to_dict())


def test_flows_follow_facilitator_jumps_and_injects(mini: Scenario) -> None:
    session = Session(mini)
    session.fire("storm")  # straight from the stop to the last decision
    session.jump("work")
    data = flows(mini, [session])
    assert {(k.source, k.target): k.teams for k in data.links} == {
        ("stop", "decide"): 1,
        ("decide", "work"): 1,
        ("stop", "work"): 0,  # on the expert path, taken by nobody
        ("work", "decide"): 0,
        ("decide", "dismantled"): 0,
    }


def test_misconceptions_are_ranked_by_teams_then_participants(mini: Scenario) -> None:
    teams = three_teams(mini)
    teams.append(("D", careless_session(mini, actor="bo")))
    ranking = misconception_ranking(mini, teams)
    assert len(ranking) == 1
    rank = ranking[0]
    assert rank.id == "mc-victim-offender"
    assert (rank.teams, rank.participants, rank.occurrences) == (3, 3, 3)  # bo of B ≠ bo of D
    assert rank.actions == {"arrest-all": 3}
    assert text(mini, rank.title) == "Treated a victim as an offender"
    assert text(mini, rank.explanation) == "Indicators call for referral."
    assert misconception_ranking(mini, [expert_session(mini)]) == []


def test_compare_teams_summarises_each_team(mini: Scenario) -> None:
    summaries = compare_teams(mini, three_teams(mini))
    a, b, c = summaries
    assert (a.team, a.ending, a.outcome, a.total) == ("A", "dismantled", "success", 11)
    assert a.grades == {"exemplary": 5, "acceptable": 1, "poor": 0, "harmful": 0}
    assert (a.on_expert, a.off_expert, a.expert_share) == (7, 0, 1.0)
    assert a.objectives == {"lo-identify": 100, "lo-cooperate": 100}
    assert (b.ending, b.outcome, b.steps) == ("closed", "failure", 6)
    assert b.rubric == {"legal": -1, "protection": -2, "operational": 1, "cooperation": 0}
    assert b.grades == {"exemplary": 0, "acceptable": 1, "poor": 1, "harmful": 1}
    assert (b.on_expert, b.off_expert) == (2, 4)
    assert b.expert_share == pytest.approx(1 / 3)
    assert (c.ending, c.outcome, c.on_expert, c.off_expert) == (None, None, 0, 1)
    json.dumps([s.to_dict() for s in summaries])


def test_aggregates_accept_sessions_labelled_sessions_and_event_logs(mini: Scenario) -> None:
    sessions = [expert_session(mini), careless_session(mini)]
    logs: list[Any] = [
        ("team-1", sessions[0].events),
        ("team-2", [e.to_dict() for e in sessions[1].events]),
    ]
    for inputs in (sessions, list(zip(["team-1", "team-2"], sessions, strict=True)), logs):
        assert compare_teams(mini, inputs) == compare_teams(mini, sessions)
        assert flows(mini, inputs) == flows(mini, sessions)
    assert [label for label, _ in replay_teams(mini, sessions)] == ["team-1", "team-2"]


def test_aggregates_refuse_a_session_of_another_scenario(mini: Scenario, night: Scenario) -> None:
    with pytest.raises(ValueError, match="night-crossing"):
        compare_teams(mini, [Session(night)])


# ---------------------------------------------------------------- properties

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def playthrough(draw: st.DrawFn, scenario: Scenario) -> Session:
    session = Session(scenario)
    for number in range(draw(st.integers(0, 50))):
        options = session.legal_events(facilitator=True)
        if not options:
            break
        event = draw(st.sampled_from(options))
        session.apply(replace(event, time=f"2026-05-04T10:{number:02d}:00Z"))
    return session


def _replayed_consequences(scenario: Scenario, session: Session) -> None:
    steps = annotate(scenario, [e.to_dict() for e in session.events])
    state = session.state
    assert [(s.kind, s.ref) for s in steps] == [(s.kind, s.ref) for s in state.steps]
    start = Session(scenario).state
    visited, unlocked, fired = set(start.visited), set(start.unlocked), set(start.fired)
    variables = dict(start.vars)
    roles = {r: dict(v) for r, v in start.role_vars.items()}
    ending = None
    for step in steps:
        effect = step.consequences
        if effect is None:
            continue
        visited |= set(effect.scenes)
        unlocked |= set(effect.documents)
        fired |= set(effect.injects)
        for change in effect.variables:
            target = roles[change.role] if change.role else variables
            assert target[change.name] == change.before
            target[change.name] = change.after
        ending = effect.ending or ending
    assert visited == set(state.visited)
    assert unlocked == set(state.unlocked)
    assert fired == set(state.fired)
    assert variables == state.vars
    assert roles == state.role_vars
    assert ending == state.ending


@pytest.mark.parametrize("fixture", ["mini", "night"])
@SETTINGS
@given(data=st.data())
def test_random_play_annotates_and_aggregates_consistently(
    fixture: str, request: pytest.FixtureRequest, data: st.DataObject
) -> None:
    scenario: Scenario = request.getfixturevalue(fixture)
    sessions = data.draw(st.lists(playthrough(scenario), min_size=1, max_size=4))
    for session in sessions:
        _replayed_consequences(scenario, session)
    n = len(sessions)
    summaries = compare_teams(scenario, sessions)
    assert len(summaries) == n
    flow = flows(scenario, sessions)
    nodes = {node.id: node for node in flow.nodes}
    assert flow.teams == n
    assert nodes[scenario.doc.start].teams == n
    ended = sum(1 for s in sessions if s.ended)
    assert sum(node.teams for node in flow.nodes if node.kind == "ending") == ended
    assert decision_distribution(scenario, sessions)[scenario.doc.start].teams == n
    for rank in misconception_ranking(scenario, sessions):
        triggered = sum(
            1 for s in sessions if any(x.misconception == rank.id for x in s.state.steps)
        )
        assert rank.teams == triggered <= n
    # The comparison and the step-by-step view agree on what is on the expert path.
    for summary, session in zip(summaries, sessions, strict=True):
        marks = [s.on_expert_path for s in annotate(scenario, session.events)]
        assert (summary.on_expert, summary.off_expert) == (marks.count(True), marks.count(False))


def test_a_step_reports_the_doors_it_closed(night: Scenario) -> None:
    session, problems = play_expert_path(night)
    assert problems == []
    closing = {
        d.ref: d.consequences.closed for d in annotate(night, session.events) if d.consequences
    }
    # Presuming Samir is a child closes the option to record him as an adult.
    assert closing["presume-child"] == ("treat-as-adult",)
    assert all(ref not in closed for ref, closed in closing.items())  # never the step itself


# ---------------------------------------------------------------- digests


def test_a_digest_survives_json_and_feeds_every_aggregate_like_the_session(
    mini: Scenario,
) -> None:
    sessions = three_teams(mini)
    on_path = expert_choices(mini).on_path
    digests = [
        (label, TeamDigest.from_dict(json.loads(json.dumps(summarise(s, on_path).to_dict()))))
        for label, s in sessions
    ]
    assert digests[0][1].to_dict()["version"] == DIGEST_VERSION
    assert compare_teams(mini, digests) == compare_teams(mini, sessions)
    assert flows(mini, digests) == flows(mini, sessions)
    assert misconception_ranking(mini, digests) == misconception_ranking(mini, sessions)
    assert decision_distribution(mini, digests) == decision_distribution(mini, sessions)
    mixed = [digests[0], sessions[1], (sessions[2][0], sessions[2][1].events)]
    assert compare_teams(mini, mixed) == compare_teams(mini, sessions)


def test_a_digest_of_another_version_or_shape_is_refused(mini: Scenario) -> None:
    stored = summarise(expert_session(mini), expert_choices(mini).on_path).to_dict()
    with pytest.raises(ValueError, match="version"):
        TeamDigest.from_dict({**stored, "version": 0})
    broken = dict(stored)
    del broken["path"]
    with pytest.raises(ValueError, match="broken digest"):
        TeamDigest.from_dict(broken)
    with pytest.raises(TypeError, match="cannot be replayed"):
        replay_teams(mini, [TeamDigest.from_dict(stored)])


@pytest.mark.parametrize("fixture", ["mini", "night"])
@SETTINGS
@given(data=st.data())
def test_random_play_gives_the_same_aggregates_from_digests(
    fixture: str, request: pytest.FixtureRequest, data: st.DataObject
) -> None:
    scenario: Scenario = request.getfixturevalue(fixture)
    sessions = data.draw(st.lists(playthrough(scenario), min_size=1, max_size=4))
    on_path = expert_choices(scenario).on_path
    digests = [TeamDigest.from_dict(summarise(s, on_path).to_dict()) for s in sessions]
    assert compare_teams(scenario, digests) == compare_teams(scenario, sessions)
    assert flows(scenario, digests) == flows(scenario, sessions)
    assert misconception_ranking(scenario, digests) == misconception_ranking(scenario, sessions)
    assert decision_distribution(scenario, digests) == decision_distribution(scenario, sessions)

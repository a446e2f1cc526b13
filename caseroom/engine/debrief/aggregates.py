"""Across teams: the aggregates of the group debrief (the choices at each decision point,
the flows between scenes, the misconceptions shown, a team comparison), all read from
team digests, so a caller that keeps digests never replays a log to draw a chart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from ..digest import TeamDigest, node_path, summarise
from ..scenario import Scenario
from ..session import Session
from ..validator import play_expert_path
from .expert import GLOBAL_POINT, decision_point, expert_choices, point_kinds
from .records import EventLike, Record

__all__ = [
    "DecisionPoint",
    "FlowData",
    "FlowLink",
    "FlowNode",
    "MisconceptionRank",
    "TeamInput",
    "TeamSummary",
    "compare_teams",
    "decision_distribution",
    "flows",
    "misconception_ranking",
    "replay_teams",
    "team_digests",
]

TeamInput: TypeAlias = (
    Session
    | TeamDigest
    | tuple[str, Session]
    | tuple[str, TeamDigest]
    | tuple[str, Iterable[EventLike]]
)


def replay_teams(scenario: Scenario, items: Iterable[TeamInput]) -> list[tuple[str, Session]]:
    """Labelled, replayed sessions: replay once, then pass the result to every aggregate.

    Items are Sessions (labelled 'team-1', 'team-2', … by position), (label, Session) or
    (label, events). Teams are told apart by position, so labels need not be unique.
    """
    teams: list[tuple[str, Session]] = []
    for position, item in enumerate(items):
        if isinstance(item, Session):
            label, session = f"team-{position + 1}", item
        elif isinstance(item, TeamDigest):
            raise TypeError("a digest cannot be replayed: it keeps no events")
        else:
            label, body = item
            if isinstance(body, TeamDigest):
                raise TypeError(f"{label}: a digest cannot be replayed: it keeps no events")
            session = body if isinstance(body, Session) else Session.replay(scenario, body)
        if session.scenario is not scenario and session.scenario.id != scenario.id:
            raise ValueError(f"{label} plays scenario '{session.scenario.id}'")
        teams.append((label, session))
    return teams


def team_digests(scenario: Scenario, items: Iterable[TeamInput]) -> list[tuple[str, TeamDigest]]:
    """Labelled digests: given ones are used as they are, the others replayed and summarised.

    Every cross-team aggregate reads digests only, so a caller that keeps them (the web
    app stores one per team) never replays a log to draw a chart.
    """
    on_path = expert_choices(scenario).on_path
    digests: list[tuple[str, TeamDigest]] = []
    for position, item in enumerate(items):
        if isinstance(item, TeamDigest):
            digests.append((f"team-{position + 1}", item))
        elif isinstance(item, tuple) and isinstance(item[1], TeamDigest):
            digests.append((item[0], item[1]))
        else:
            ((label, session),) = replay_teams(scenario, [item])
            if isinstance(item, Session):
                label = f"team-{position + 1}"
            digests.append((label, summarise(session, on_path)))
    return digests


@dataclass(frozen=True, slots=True)
class DecisionPoint(Record):
    """How many teams took each option of a decision scene, or each action of a menu.

    `teams`: teams that reached the point (visited the scene; every team for the global
    actions); `counts`: option → teams that chose it, each team counted once per option
    (a team may choose several: after a refusal, or in a menu), every option listed.
    """

    id: str
    kind: str
    title: str | None  # text key (None for the global actions)
    teams: int
    counts: Mapping[str, int]
    expert: tuple[str, ...]


def _point_options(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    options = {scene_id: scenario.scene_actions[scene_id] for scene_id in scenario.scenes}
    if scenario.global_actions:
        options[GLOBAL_POINT] = scenario.global_actions
    return options


def decision_distribution(
    scenario: Scenario, sessions: Iterable[TeamInput]
) -> dict[str, DecisionPoint]:
    """Per decision point (scene id, or GLOBAL_POINT), the teams choosing each option.

    Counts the team's `act` events, so an option chosen and then refused by the approving
    role still counts as chosen: that is the team's decision.
    """
    teams = team_digests(scenario, sessions)
    points = _point_options(scenario)
    counts: dict[str, Counter[str]] = {point: Counter() for point in points}
    reached: Counter[str] = Counter()
    where = {action: decision_point(scenario, action) for action in scenario.actions}
    for _label, digest in teams:
        reached.update(digest.visited)
        for action in digest.chosen:
            if action in where:
                counts[where[action]][action] += 1
    index = expert_choices(scenario)
    kinds = point_kinds(scenario)
    return {
        point: DecisionPoint(
            id=point,
            kind=kinds[point],
            title=f"scene.{point}.title" if point != GLOBAL_POINT else None,
            teams=len(teams) if point == GLOBAL_POINT else reached[point],
            counts={action: counts[point][action] for action in options},
            expert=index.choices.get(point, ()),
        )
        for point, options in points.items()
    }


@dataclass(frozen=True, slots=True)
class FlowNode(Record):
    """A scene or an ending, with the number of teams that reached it."""

    id: str
    kind: Literal["scene", "ending"]
    phase: str | None
    outcome: str | None
    teams: int
    expert: bool


@dataclass(frozen=True, slots=True)
class FlowLink(Record):
    """Teams that moved from one node to the next (each team counted once per link)."""

    source: str
    target: str
    teams: int
    expert: bool


@dataclass(frozen=True, slots=True)
class FlowData(Record):
    """Sankey data. Facilitator jumps can make cycles; a renderer must tolerate them.
    Nodes no team reached are left out unless they lie on the expert path."""

    teams: int
    nodes: tuple[FlowNode, ...]
    links: tuple[FlowLink, ...]
    expert_path: tuple[str, ...]


def flows(scenario: Scenario, sessions: Iterable[TeamInput]) -> FlowData:
    """Scene-to-scene and scene-to-ending flows of the teams, expert path flagged.

    Read from each session's feed, which records every scene entry (including returns
    and facilitator jumps) and the ending, so no replay is needed.
    """
    teams = team_digests(scenario, sessions)
    node_teams: Counter[str] = Counter()
    link_teams: Counter[tuple[str, str]] = Counter()
    for _label, digest in teams:
        path = digest.path
        node_teams.update(set(path))
        link_teams.update(set(zip(path, path[1:], strict=False)))
    expert_path = tuple(node_path(play_expert_path(scenario)[0].state))
    expert_nodes = set(expert_path)
    expert_links = set(zip(expert_path, expert_path[1:], strict=False))
    order = {node: n for n, node in enumerate([*scenario.scenes, *scenario.endings])}
    nodes = [
        _flow_node(scenario, node, node_teams[node], node in expert_nodes)
        for node in order
        if node_teams[node] or node in expert_nodes
    ]
    links = [
        FlowLink(source, target, count, (source, target) in expert_links)
        for (source, target), count in link_teams.items()
    ]
    for source, target in expert_links - set(link_teams):
        links.append(FlowLink(source, target, 0, True))
    links.sort(key=lambda link: (order[link.source], order[link.target]))
    return FlowData(len(teams), tuple(nodes), tuple(links), expert_path)


def _flow_node(scenario: Scenario, node: str, teams: int, expert: bool) -> FlowNode:
    scene = scenario.scenes.get(node)
    if scene is not None:
        return FlowNode(node, "scene", scene.phase, None, teams, expert)
    return FlowNode(node, "ending", None, scenario.endings[node].outcome, teams, expert)


@dataclass(frozen=True, slots=True)
class MisconceptionRank(Record):
    """A misconception the teams showed: the list walked through in the group session.

    `participants`: distinct (team, actor) pairs; `actions`: action → teams whose step on
    it triggered the misconception, most teams first.
    """

    id: str
    title: str
    explanation: str
    teams: int
    participants: int
    occurrences: int
    actions: Mapping[str, int]


def misconception_ranking(
    scenario: Scenario, sessions: Iterable[TeamInput]
) -> list[MisconceptionRank]:
    """Triggered misconceptions, most teams first, then most participants, then id."""
    teams = team_digests(scenario, sessions)
    team_count: Counter[str] = Counter()
    people: dict[str, set[tuple[int, str]]] = {}
    occurrences: Counter[str] = Counter()
    by_action: dict[str, Counter[str]] = {}
    for number, (_label, digest) in enumerate(teams):
        seen: set[tuple[str, str]] = set()
        for mc, ref, actor in digest.misconceptions:
            occurrences[mc] += 1
            seen.add((mc, ref))
            if actor is not None:
                people.setdefault(mc, set()).add((number, actor))
        team_count.update({mc for mc, _ref in seen})
        for mc, ref in seen:
            by_action.setdefault(mc, Counter())[ref] += 1
    ranks = [
        MisconceptionRank(
            id=mc,
            title=f"misconception.{mc}.title",
            explanation=f"misconception.{mc}.explanation",
            teams=team_count[mc],
            participants=len(people.get(mc, ())),
            occurrences=occurrences[mc],
            actions=dict(sorted(by_action[mc].items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for mc in occurrences
    ]
    ranks.sort(key=lambda r: (-r.teams, -r.participants, r.id))
    return ranks


@dataclass(frozen=True, slots=True)
class TeamSummary(Record):
    """One row of the team comparison.

    `steps`: assessed steps in the trajectory; `on_expert`/`off_expert`: steps matching
    or not matching the expert's choice (steps where the expert makes none count in
    neither); `expert_share`: on_expert / (on_expert + off_expert), None without any.
    """

    team: str
    ending: str | None
    outcome: str | None
    rubric: Mapping[str, int]
    total: int
    objectives: Mapping[str, int | None]
    steps: int
    on_expert: int
    off_expert: int
    expert_share: float | None
    grades: Mapping[str, int]


def _team_summary(scenario: Scenario, label: str, digest: TeamDigest) -> TeamSummary:
    on, off = digest.on_expert, digest.off_expert
    ending = digest.ending
    return TeamSummary(
        team=label,
        ending=ending,
        outcome=scenario.endings[ending].outcome
        if ending is not None and ending in scenario.endings
        else None,
        rubric=digest.rubric,
        total=digest.total,
        objectives=digest.objectives,
        steps=digest.steps,
        on_expert=on,
        off_expert=off,
        expert_share=on / (on + off) if on + off else None,
        grades=digest.grades,
    )


def compare_teams(scenario: Scenario, sessions: Iterable[TeamInput]) -> list[TeamSummary]:
    """One summary per team, in the order given."""
    return [
        _team_summary(scenario, label, digest) for label, digest in team_digests(scenario, sessions)
    ]

"""The debrief's computational core: annotated trajectories, "what if" continuations along
the expert path, and cross-team aggregates, all derived from event logs (no Django).

>>> steps = annotate(scenario, session.events)                    # doctest: +SKIP
>>> [s.ref for s in steps if s.on_expert_path is False]          # doctest: +SKIP
>>> what_if(scenario, session.events, steps[3].event).ending       # doctest: +SKIP
>>> teams = replay_teams(scenario, [("Team A", events_a), ("Team B", events_b)])  # doctest: +SKIP
>>> decision_distribution(scenario, teams)["stop"].counts          # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import islice
from typing import Any, Literal, TypeAlias, cast

from .digest import TeamDigest, node_path, summarise
from .scenario import Scenario
from .session import Event, IllegalAction, ReplayError, Result, Session, State, Step
from .validator import play_expert_path

__all__ = [
    "GLOBAL_POINT",
    "Consequences",
    "DebriefStep",
    "DecisionPoint",
    "ExpertIndex",
    "ExpertMove",
    "FlowData",
    "FlowLink",
    "FlowNode",
    "MisconceptionRank",
    "SkippedStep",
    "TeamInput",
    "TeamSummary",
    "VariableChange",
    "WhatIf",
    "WhatIfMove",
    "annotate",
    "compare_teams",
    "decision_distribution",
    "decision_point",
    "expert_choices",
    "flows",
    "misconception_ranking",
    "replay_teams",
    "team_digests",
    "what_if",
]

# Global actions are offered in many scenes, so they form one decision point of their own;
# `*` is not a valid id, so it never collides with a scene.
GLOBAL_POINT = "*"
_VERB_KIND = {"do": "act", "approve": "approve", "refuse": "refuse"}

EventLike: TypeAlias = Event | Mapping[str, Any]
TeamInput: TypeAlias = (
    Session
    | TeamDigest
    | tuple[str, Session]
    | tuple[str, TeamDigest]
    | tuple[str, Iterable[EventLike]]
)


# ---------------------------------------------------------------- JSON-ready results


def _plain(value: Any) -> Any:
    """JSON-ready form of a result value: sets sorted, tuples as lists, records as dicts."""
    if isinstance(value, _Record | Event):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Record:
    """Base of the result dataclasses: one `to_dict()` for the views, exports and tests."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(cast(Any, self))}


# ---------------------------------------------------------------- the expert's choices


@dataclass(frozen=True, slots=True)
class ExpertMove(_Record):
    """One step of `expert_path`, with the text key of its rationale (None without one)."""

    index: int
    verb: Literal["do", "approve", "refuse", "wait"]
    ref: str | None
    role: str | None
    answer: Any
    rationale: str | None


@dataclass(frozen=True, slots=True)
class ExpertIndex(_Record):
    """The expert path indexed for look-ups while annotating thousands of steps.

    `choices`: decision point (scene id, or GLOBAL_POINT) → the actions the expert takes
    there, in expert order (one option in a decision scene, a set in a menu).
    `decisions`: approval action → the expert's decisions on it ('approve', 'refuse').
    `rationales`: verb ('do', 'approve', 'refuse', 'wait') → action → rationale text keys.
    `on_path_actions`: action → whether taking it follows the expert (None: the expert
    makes no choice at its decision point), precomputed once for speed.
    """

    moves: tuple[ExpertMove, ...]
    choices: Mapping[str, tuple[str, ...]]
    kinds: Mapping[str, str]
    decisions: Mapping[str, tuple[str, ...]]
    answers: Mapping[str, Any]
    rationales: Mapping[str, Mapping[str, tuple[str, ...]]]
    on_path_actions: Mapping[str, bool | None]

    def on_path(self, kind: str, ref: str) -> bool | None:
        """Whether a trajectory step of this kind and ref matches the expert's choice."""
        if kind == "act":
            return self.on_path_actions.get(ref)
        if kind in ("approve", "refuse"):
            decided = self.decisions.get(ref)
            return (kind in decided) if decided else None
        return None

    def rationale_keys(self, verb: str, ref: str) -> tuple[str, ...]:
        return self.rationales.get(verb, {}).get(ref, ())


def decision_point(scenario: Scenario, action_id: str) -> str:
    """The decision point an action belongs to: its scene, or GLOBAL_POINT."""
    return scenario.action_scene.get(action_id) or GLOBAL_POINT


def _expert_moves(scenario: Scenario) -> tuple[ExpertMove, ...]:
    moves: list[ExpertMove] = []
    for index, step in enumerate(scenario.doc.expert_path):
        verb: Literal["do", "approve", "refuse", "wait"]
        if step.wait:
            verb, ref = "wait", None
        elif step.approve:
            verb, ref = "approve", step.approve
        elif step.refuse:
            verb, ref = "refuse", step.refuse
        else:
            verb, ref = "do", step.do
        key = f"expert.{index}.rationale" if step.rationale else None
        moves.append(ExpertMove(index, verb, ref, step.role, step.answer, key))
    return tuple(moves)


def _point_kinds(scenario: Scenario) -> dict[str, str]:
    kinds: dict[str, str] = {scene_id: scene.kind for scene_id, scene in scenario.scenes.items()}
    if scenario.global_actions:
        kinds[GLOBAL_POINT] = "global"
    return kinds


def expert_choices(scenario: Scenario) -> ExpertIndex:
    """Index the expert path by decision point, approval, answer and rationale.

    Static (no replay): the expert's choice at a point does not depend on how the team
    got there; built once per scenario (kept in its cache: scenarios never change).
    """
    found = scenario.cache.get("expert_index")
    if isinstance(found, ExpertIndex):
        return found
    index = _build_expert_index(scenario)
    scenario.cache["expert_index"] = index
    return index


def _build_expert_index(scenario: Scenario) -> ExpertIndex:
    moves = _expert_moves(scenario)
    choices: dict[str, list[str]] = {}
    decisions: dict[str, list[str]] = {}
    answers: dict[str, Any] = {}
    rationales: dict[str, dict[str, list[str]]] = {}
    for move in moves:
        ref = move.ref or ""
        if move.rationale is not None:
            rationales.setdefault(move.verb, {}).setdefault(ref, []).append(move.rationale)
        if move.verb == "do":
            chosen = choices.setdefault(decision_point(scenario, ref), [])
            if ref not in chosen:
                chosen.append(ref)
            if move.answer is not None:
                answers.setdefault(ref, move.answer)
        elif move.verb in ("approve", "refuse") and move.verb not in decisions.get(ref, []):
            decisions.setdefault(ref, []).append(move.verb)
    frozen = {point: tuple(actions) for point, actions in choices.items()}
    on_path: dict[str, bool | None] = {}
    for action_id in scenario.actions:
        chosen_here = frozen.get(decision_point(scenario, action_id))
        on_path[action_id] = None if not chosen_here else action_id in chosen_here
    return ExpertIndex(
        moves=moves,
        choices=frozen,
        kinds=_point_kinds(scenario),
        decisions={ref: tuple(v) for ref, v in decisions.items()},
        answers=answers,
        rationales={
            verb: {ref: tuple(keys) for ref, keys in by_ref.items()}
            for verb, by_ref in rationales.items()
        },
        on_path_actions=on_path,
    )


# ---------------------------------------------------------------- one team: annotate


@dataclass(frozen=True, slots=True)
class VariableChange(_Record):
    """A variable's value before and after an event; `role` is set for role variables."""

    name: str
    before: Any
    after: Any
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Consequences(_Record):
    """What one event changed, by diffing the state before and after it."""

    elapsed: int  # case minutes the event took (action cost, waiting)
    scene_before: str | None
    scene_after: str | None
    scenes: tuple[str, ...]  # scenes entered, in order (also re-entries)
    documents: tuple[str, ...]  # documents unlocked
    injects: tuple[str, ...]  # injects fired
    variables: tuple[VariableChange, ...]
    ending: str | None  # the ending reached by this event
    # Doors closed: actions open to some role before the event and closed after it, in the
    # same scene, other than the one just taken ("arresting everyone closed the interview").
    closed: tuple[str, ...] = ()

    @property
    def scene_changed(self) -> bool:
        return self.scene_before != self.scene_after


@dataclass(frozen=True, slots=True)
class DebriefStep(_Record):
    """One assessed step of a team's trajectory, with everything the replay view shows.

    `index` is the step's position in `state.steps` (what the facilitator's grades and
    annotations refer to); `event` is the index of the causing event in the log (None for
    what happened at the start), so `what_if(scenario, events, step.event)` asks "what if
    the team had followed the expert from here instead". One event may cause several steps
    (an approval completes the action and may fire an inject): the event's consequences
    are given once, on its main step (the action, the approval decision, the reply waited
    for, the inject fired; else the first), and are None on the others. Events without
    a step (a request awaiting approval, the facilitator's `end`) have no line here.
    `expert`: the expert's action ids at this decision point, or for an approval decision
    the expert's decisions ('approve'/'refuse'); `on_expert_path` is None where the expert
    makes no choice (and for replies, injects, grades and jumps).
    """

    index: int
    event: int | None
    seq: int
    kind: str
    ref: str
    role: str | None
    actor: str | None
    at: int
    time: str | None
    scene: str | None
    phase: str | None
    grade: str | None
    points: Mapping[str, int]
    objectives: tuple[str, ...]
    misconception: str | None
    feedback: str | None
    debrief: str | None
    answer: Any
    score: float | None
    reason: str | None
    expert: tuple[str, ...]
    on_expert_path: bool | None
    expert_rationales: tuple[str, ...]
    expert_answer: Any
    consequences: Consequences | None


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """The parts of a state an event can change, taken cheaply before applying it.

    `unlocked`, `fired` and `visited` only ever grow in insertion order, so their lengths
    are enough to find what an event added.
    """

    clock: int
    scene: str | None
    ending: str | None
    vars: dict[str, Any]
    role_vars: dict[str, dict[str, Any]]
    unlocked: int
    fired: int
    open: frozenset[str]

    @classmethod
    def take(cls, state: State, session: Session) -> _Snapshot:
        return cls(
            state.clock,
            state.scene,
            state.ending,
            dict(state.vars),
            {role: dict(values) for role, values in state.role_vars.items()},
            len(state.unlocked),
            len(state.fired),
            _open_actions(session, state),
        )


def _open_actions(session: Session, state: State) -> frozenset[str]:
    """Actions some role could take now."""
    roles = list(session.scenario.roles)
    return frozenset(
        action_id
        for action_id in session.current_actions(state)
        if any(
            session.check(role, action_id, state).enabled
            for role in (session.scenario.actions[action_id].roles or roles)
        )
    )


def _variable_changes(before: _Snapshot, state: State) -> tuple[VariableChange, ...]:
    changes = [
        VariableChange(name, before.vars[name], value)
        for name, value in state.vars.items()
        if before.vars.get(name) != value
    ]
    for role, values in state.role_vars.items():
        old = before.role_vars.get(role, {})
        changes += [
            VariableChange(name, old.get(name), value, role)
            for name, value in values.items()
            if old.get(name) != value
        ]
    return tuple(changes)


def _consequences(
    before: _Snapshot, state: State, result: Result, session: Session
) -> Consequences:
    closed: tuple[str, ...] = ()
    if state.scene is not None and state.scene == before.scene:
        taken = result.event.ref
        now_open = _open_actions(session, state)
        closed = tuple(sorted(a for a in before.open - now_open if a != taken))
    return Consequences(
        elapsed=state.clock - before.clock,
        scene_before=before.scene,
        scene_after=state.scene,
        scenes=tuple(item.ref for item in result.feed if item.kind == "scene"),
        documents=tuple(islice(state.unlocked, before.unlocked, None)),
        injects=tuple(islice(state.fired, before.fired, None)),
        variables=_variable_changes(before, state),
        ending=state.ending if before.ending is None else None,
        closed=closed,
    )


def _as_event(raw: EventLike) -> Event:
    return raw if isinstance(raw, Event) else Event.from_dict(raw)


def _apply_logged(session: Session, event: Event) -> Result:
    """Apply a logged event with the same checks as `Session.replay`."""
    try:
        result = session.apply(event)
    except IllegalAction as error:
        raise ReplayError(
            f"event {len(session.events)} ({event.type} {event.ref}): {error.message}"
        ) from None
    if event.at is not None and not result.repeated and result.event.at != event.at:
        raise ReplayError(
            f"event {len(session.events) - 1} was recorded at case time {event.at}, "
            f"replay reaches it at {result.event.at}"
        )
    return result


def _expert_view(
    scenario: Scenario, index: ExpertIndex, step: Step
) -> tuple[tuple[str, ...], tuple[str, ...], Any]:
    """The expert's choice beside a step, its rationale keys and the expert's answer."""
    if step.kind == "act":
        point = decision_point(scenario, step.ref)
        chosen = index.choices.get(point, ())
        # Beside a decision, the expert's option and why; in a menu, why this action.
        shown = chosen if index.kinds.get(point) == "decision" else (step.ref,)
        keys = tuple(k for ref in shown if ref in chosen for k in index.rationale_keys("do", ref))
        return chosen, keys, index.answers.get(step.ref)
    if step.kind in ("approve", "refuse"):
        keys = index.rationale_keys("approve", step.ref) + index.rationale_keys("refuse", step.ref)
        return index.decisions.get(step.ref, ()), keys, None
    return (), (), None


def _debrief_step(
    scenario: Scenario,
    index: ExpertIndex,
    position: int,
    step: Step,
    event: tuple[int, Event] | None,
    consequences: Consequences | None,
) -> DebriefStep:
    expert, keys, expert_answer = _expert_view(scenario, index, step)
    scene = scenario.scenes.get(step.scene) if step.scene is not None else None
    return DebriefStep(
        index=position,
        event=event[0] if event else None,
        seq=step.seq,
        kind=step.kind,
        ref=step.ref,
        role=step.role,
        actor=step.actor,
        at=step.at,
        time=event[1].time if event else None,
        scene=step.scene,
        phase=scene.phase if scene is not None else None,
        grade=step.grade,
        points=dict(step.points),
        objectives=step.objectives,
        misconception=step.misconception,
        feedback=step.feedback,
        debrief=step.debrief,
        answer=step.answer,
        score=step.score,
        reason=step.reason,
        expert=expert,
        on_expert_path=index.on_path(step.kind, step.ref),
        expert_rationales=keys,
        expert_answer=expert_answer,
        consequences=consequences,
    )


# The step an event is "about": the action taken, the decision made, the answer waited for.
_PRIMARY_KIND = {"act": "act", "approve": "approve", "refuse": "refuse", "wait": "reply"}


def _primary_step(event: Event, steps: Sequence[Step]) -> int:
    """Which of an event's steps carries its consequences (the first one by default)."""
    kind = _PRIMARY_KIND.get(event.type, event.type)
    for offset, step in enumerate(steps):
        if step.kind == kind and (event.ref is None or step.ref == event.ref):
            return offset
    return 0


def annotate(scenario: Scenario, events: Iterable[EventLike]) -> list[DebriefStep]:
    """Replay a team's log once, event by event, and annotate every assessed step.

    Consequences come from diffing a small snapshot before each event with the state
    after it, so the whole log costs one replay (O(n)), not one replay per prefix.
    Raises ReplayError if the log does not fit the scenario.
    """
    index = expert_choices(scenario)
    session = Session(scenario)
    result: list[DebriefStep] = [
        _debrief_step(scenario, index, position, step, None, None)
        for position, step in enumerate(session.state.steps)
    ]
    for number, raw in enumerate(events):
        event = _as_event(raw)
        before = _Snapshot.take(session.state, session)
        applied = _apply_logged(session, event)
        if applied.repeated:
            continue  # an idempotent re-submission changed nothing
        consequences = _consequences(before, session.state, applied, session)
        primary = _primary_step(event, applied.steps)
        for offset, step in enumerate(applied.steps):
            result.append(
                _debrief_step(
                    scenario,
                    index,
                    len(result),
                    step,
                    (number, event),
                    consequences if offset == primary else None,
                )
            )
    return result


# ---------------------------------------------------------------- one team: what if


@dataclass(frozen=True, slots=True)
class WhatIfMove(_Record):
    """An expert step the continuation took, and where it led."""

    expert_step: int
    type: str
    ref: str | None
    role: str | None
    at: int | None
    scene: str | None  # the scene after the move
    ending: str | None


@dataclass(frozen=True, slots=True)
class SkippedStep(_Record):
    """An expert step the continuation did not take: `code` 'done' when the team had
    already done it, else why it was not possible (an IllegalAction code)."""

    expert_step: int
    verb: str
    ref: str | None
    code: str


@dataclass(frozen=True, slots=True)
class WhatIf(_Record):
    """Where the expert path leads from a point of a team's log.

    `diverged_at`: the first expert step the continuation could not take (None if it took
    or had done every one); `stopped`: 'ended', 'no_step_applies' or 'cap'.
    """

    index: int
    ending: str | None
    outcome: str | None
    score: Mapping[str, Any]
    moves: tuple[WhatIfMove, ...]
    skipped: tuple[SkippedStep, ...]
    diverged_at: int | None
    stopped: Literal["ended", "no_step_applies", "cap"]
    events: tuple[Event, ...]


def _expert_role(session: Session, move: ExpertMove) -> str:
    """The role the expert acts as: the one named, else the first role allowed now."""
    if move.role is not None:
        return move.role
    scenario = session.scenario
    ref = move.ref or ""
    if move.verb in ("approve", "refuse"):
        approval = scenario.actions[ref].approval
        if approval is None:
            raise IllegalAction("no_approval", f"{ref} needs no approval")
        return approval.role
    candidates = scenario.actions[ref].roles or list(scenario.roles)
    for role in candidates:
        if session.check(role, ref).enabled:
            return role
    return candidates[0]


def _expert_event(session: Session, move: ExpertMove) -> Event:
    if move.verb == "wait":
        return Event("wait", role=move.role, actor="expert")
    role = _expert_role(session, move)
    if move.verb == "do":
        return Event("act", role=role, actor="expert", ref=move.ref, input=move.answer)
    if move.verb == "approve":
        return Event("approve", role=role, actor="expert", ref=move.ref)
    return Event("refuse", role=role, actor="expert", ref=move.ref, reason="expert path")


def _occurrences(moves: Sequence[ExpertMove]) -> list[tuple[tuple[str, str], int] | None]:
    """For each expert move, (step kind, ref) and which occurrence of it this is (1-based):
    the k-th expert 'do' of an action is done once the team has taken it k times."""
    seen: Counter[tuple[str, str]] = Counter()
    result: list[tuple[tuple[str, str], int] | None] = []
    for move in moves:
        kind = _VERB_KIND.get(move.verb)
        if kind is None or move.ref is None:
            result.append(None)
            continue
        key = (kind, move.ref)
        seen[key] += 1
        result.append((key, seen[key]))
    return result


def _step_counts(state: State) -> Counter[tuple[str, str]]:
    return Counter((step.kind, step.ref) for step in state.steps)


def _replay_prefix(scenario: Scenario, events: Sequence[EventLike], index: int) -> Session:
    if not 0 <= index <= len(events):
        raise IndexError(f"index {index} is outside the log (0…{len(events)})")
    session = Session(scenario)
    for raw in events[:index]:
        _apply_logged(session, _as_event(raw))
    return session


def _take_next(
    session: Session,
    moves: Sequence[ExpertMove],
    open_steps: list[int],
    codes: dict[int, str],
) -> WhatIfMove | None:
    """Apply the first open expert step that is not done and possible now; None if none.

    Trying is safe: a command that the rules refuse changes nothing.
    """
    occurrences = _occurrences(moves)
    counts = _step_counts(session.state)
    for position, number in enumerate(open_steps):
        occurrence = occurrences[number]
        if occurrence is not None and counts[occurrence[0]] >= occurrence[1]:
            codes[number] = "done"
            continue
        try:
            event = _expert_event(session, moves[number])
            applied = session.apply(event)
        except IllegalAction as error:
            codes[number] = error.code
            continue
        del open_steps[position]
        state = session.state
        return WhatIfMove(
            number, event.type, event.ref, event.role, applied.event.at, state.scene, state.ending
        )
    return None


def what_if(
    scenario: Scenario, events: Sequence[EventLike], index: int, *, max_steps: int = 500
) -> WhatIf:
    """Replay `events[:index]`, then follow the expert path as far as it goes.

    Repeatedly takes the first expert step (in expert order) that is neither done nor
    impossible now, acting as the role it names (or the first role allowed), until the
    case ends, no expert step applies, or `max_steps` moves were made. A step impossible
    now may become possible later (an approval once asked), so each round rescans; each
    expert step is used at most once, so this terminates. Deterministic.
    """
    session = _replay_prefix(scenario, events, index)
    start = len(session.events)
    moves = _expert_moves(scenario)
    open_steps = list(range(len(moves)))
    codes: dict[int, str] = {}
    taken: list[WhatIfMove] = []
    while open_steps and not session.ended and len(taken) < max_steps:
        move = _take_next(session, moves, open_steps, codes)
        if move is None:
            break
        taken.append(move)
    stopped: Literal["ended", "no_step_applies", "cap"] = "no_step_applies"
    if session.ended:
        stopped = "ended"
    elif open_steps and len(taken) >= max_steps:
        stopped = "cap"
    skipped = tuple(
        SkippedStep(n, moves[n].verb, moves[n].ref, codes.get(n, "not_tried")) for n in open_steps
    )
    ending = session.state.ending
    return WhatIf(
        index=index,
        ending=ending,
        outcome=scenario.endings[ending].outcome if ending is not None else None,
        score=session.score(),
        moves=tuple(taken),
        skipped=skipped,
        diverged_at=next((s.expert_step for s in skipped if s.code != "done"), None),
        stopped=stopped,
        events=tuple(session.events[start:]),
    )


# ---------------------------------------------------------------- across teams


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
class DecisionPoint(_Record):
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
    kinds = _point_kinds(scenario)
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
class FlowNode(_Record):
    """A scene or an ending, with the number of teams that reached it."""

    id: str
    kind: Literal["scene", "ending"]
    phase: str | None
    outcome: str | None
    teams: int
    expert: bool


@dataclass(frozen=True, slots=True)
class FlowLink(_Record):
    """Teams that moved from one node to the next (each team counted once per link)."""

    source: str
    target: str
    teams: int
    expert: bool


@dataclass(frozen=True, slots=True)
class FlowData(_Record):
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
class MisconceptionRank(_Record):
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
class TeamSummary(_Record):
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

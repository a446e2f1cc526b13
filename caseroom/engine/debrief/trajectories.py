"""One team's trajectory annotated for the debrief: every assessed step beside the
expert's choice, with what the event that caused it changed (`annotate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ..scenario import Scenario
from ..session import Event, Result, Session, State, Step
from .expert import ExpertIndex, decision_point, expert_choices
from .records import EventLike, Record, apply_logged, as_event

__all__ = ["Consequences", "DebriefStep", "VariableChange", "annotate"]


@dataclass(frozen=True, slots=True)
class VariableChange(Record):
    """A variable's value before and after an event; `role` is set for role variables."""

    name: str
    before: Any
    after: Any
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Consequences(Record):
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
class DebriefStep(Record):
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
        event = as_event(raw)
        before = _Snapshot.take(session.state, session)
        applied = apply_logged(session, event)
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

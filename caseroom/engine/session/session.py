"""A team's play of a scenario, event-sourced.

The state is a pure function of the scenario and the ordered event log: `Session.replay`
rebuilds it exactly, and a session serialises to JSON as its events. Every command is
checked in full before anything changes, so an illegal one leaves the state untouched.

>>> session = Session(scenario)                                   # doctest: +SKIP
>>> session.act("police-rs", "check-databases", actor="ana")     # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from .answers import AnswerError, normalise_answer, score_answer
from .expressions import Answer
from .model import Action, Assessment, Effects, Grade, Reaction
from .scenario import END, Scenario

__all__ = [
    "GRADE_VALUE",
    "Event",
    "FeedItem",
    "IllegalAction",
    "Move",
    "Option",
    "Pending",
    "ReplayError",
    "Result",
    "Session",
    "State",
    "Step",
]

GRADE_VALUE = {Grade.exemplary: 3, Grade.acceptable: 2, Grade.poor: 1, Grade.harmful: 0}
EventType = Literal["act", "approve", "refuse", "wait", "inject", "grade", "end", "jump"]


class IllegalAction(Exception):
    """A command the rules do not allow now; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ReplayError(Exception):
    """An event log that does not fit the scenario (edited, or from another version)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the append-only log: who, as which role, did what, at which case time."""

    type: EventType
    role: str | None = None
    actor: str | None = None
    ref: str | None = None  # action, inject or ending id
    input: Any = None
    reason: str | None = None
    points: Mapping[str, int] | None = None
    step: int | None = None  # grade: the step being graded
    key: str | None = None  # idempotency key: a repeated submission is applied once
    at: int | None = None  # case time when applied (filled in by the session)
    time: str | None = None  # wall-clock time, for the debrief only

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        if self.points is not None:
            data["points"] = dict(self.points)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ReplayError(f"unknown event fields: {', '.join(sorted(unknown))}")
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Pending:
    kind: Literal["approval", "request"]
    action: str
    role: str  # who asked
    actor: str | None
    to: str  # who approves, or who receives the request
    answer: Any
    since: int
    due: int | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """Something the team sees happen; `key` addresses the text for translation."""

    at: int
    kind: str
    ref: str
    key: str | None = None
    roles: tuple[str, ...] | None = None  # None: the whole team
    role: str | None = None
    actor: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One assessed moment of the trajectory, for scoring and the debrief."""

    seq: int  # index of the event that caused it
    kind: str  # act, approve, refuse, reply, inject, grade
    ref: str
    at: int
    scene: str | None
    role: str | None = None
    actor: str | None = None
    grade: str | None = None
    points: Mapping[str, int] = field(default_factory=dict)
    objectives: tuple[str, ...] = ()
    misconception: str | None = None
    feedback: str | None = None  # text key
    debrief: str | None = None  # text key
    score: float | None = None
    answer: Any = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """An action as one role sees it now: enabled, or greyed out with the reason."""

    action: str
    enabled: bool
    code: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Move:
    """A legal command, as the explorer enumerates them."""

    type: EventType
    role: str | None
    ref: str | None


@dataclass(frozen=True)
class Result:
    event: Event
    feed: tuple[FeedItem, ...]
    steps: tuple[Step, ...]
    repeated: bool = False


@dataclass(slots=True)
class State:
    clock: int
    scene: str | None
    phase: str
    vars: dict[str, Any]
    role_vars: dict[str, dict[str, Any]]
    visited: dict[str, int] = field(default_factory=dict)
    unlocked: dict[str, int] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)
    fired: dict[str, int] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    pending_actions: dict[str, int] = field(default_factory=dict)
    feed: list[FeedItem] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    ending: str | None = None
    seq: int = 0

    @property
    def ended(self) -> bool:
        return self.ending is not None

    def copy(self, *, history: bool = True) -> State:
        """A copy to change independently; without history, feed and steps are not kept."""
        return State(
            clock=self.clock,
            scene=self.scene,
            phase=self.phase,
            vars=dict(self.vars),  # values are immutable (sets are frozensets)
            role_vars={r: dict(d) for r, d in self.role_vars.items()} if self.role_vars else {},
            visited=dict(self.visited),
            unlocked=dict(self.unlocked),
            taken=dict(self.taken),
            fired=dict(self.fired),
            pending=list(self.pending),  # Pending is immutable: sharing is safe
            pending_actions=dict(self.pending_actions),
            feed=list(self.feed) if history else _Discard(),
            steps=list(self.steps) if history else _Discard(),
            ending=self.ending,
            seq=self.seq,
        )

    def key(self) -> tuple[Any, ...]:
        """Everything but history and time stamps: equal keys have equal futures."""
        return (
            self.scene,
            self.clock,
            self.ending,
            tuple(self.vars.items()),
            tuple((r, tuple(d.items())) for r, d in self.role_vars.items()),
            frozenset(self.visited),
            frozenset(self.unlocked),
            frozenset(self.taken.items()),
            frozenset(self.fired),
            tuple((p.kind, p.action, p.role, p.to, p.due, repr(p.answer)) for p in self.pending),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready picture of the state (sets as sorted lists)."""

        def plain(value: Any) -> Any:
            return sorted(value) if isinstance(value, frozenset) else value

        return {
            "clock": self.clock,
            "scene": self.scene,
            "phase": self.phase,
            "ending": self.ending,
            "vars": {k: plain(v) for k, v in self.vars.items()},
            "role_vars": {
                r: {k: plain(v) for k, v in d.items()} for r, d in self.role_vars.items()
            },
            "visited": dict(self.visited),
            "unlocked": dict(self.unlocked),
            "taken": dict(self.taken),
            "fired": dict(self.fired),
            "pending": [asdict(p) for p in self.pending],
            "feed": [asdict(f) for f in self.feed],
            "steps": [asdict(s) for s in self.steps],
            "seq": self.seq,
        }


class _Discard(list[Any]):
    """History that the explorer does not need: appends are dropped."""

    def append(self, item: Any) -> None:
        pass


def _initial_value(var: Any) -> Any:
    if var.default is not None:
        return frozenset(var.default) if var.type == "set" else var.default
    return {
        "bool": False,
        "int": var.min if var.min is not None and var.min > 0 else 0,
        "enum": (var.values or [""])[0],
        "set": frozenset(),
    }[var.type]


class Session:
    """A team's session: commands in, events recorded, state derived."""

    def __init__(
        self, scenario: Scenario, events: Iterable[Event | Mapping[str, Any]] = ()
    ) -> None:
        self.scenario = scenario
        self.events: list[Event] = []
        self._results: dict[str, Result] = {}
        self._offered: dict[str, tuple[str, ...]] = {}
        # The same actions as a set: `check` asks "is it offered here?" for every option on
        # every screen, and a scene with 300 global actions made that scan quadratic.
        self._offered_set: dict[str, frozenset[str]] = {}
        self.state = self._initial_state()
        self.extend(events)

    def extend(self, events: Iterable[Event | Mapping[str, Any]]) -> None:
        """Replay recorded events after those already applied (a log that grew elsewhere).

        Raises ReplayError if an event does not fit; the events before it stay applied.
        """
        for raw in events:
            event = raw if isinstance(raw, Event) else Event.from_dict(raw)
            try:
                result = self.apply(event)
            except IllegalAction as error:
                raise ReplayError(
                    f"event {len(self.events)} ({event.type} {event.ref}): {error.message}"
                ) from None
            if event.at is not None and result.event.at != event.at:
                raise ReplayError(
                    f"event {len(self.events) - 1} was recorded at case time {event.at}, "
                    f"replay reaches it at {result.event.at}"
                )

    # construction ------------------------------------------------------------

    def _initial_state(self) -> State:
        sc = self.scenario
        team = {n: _initial_value(v) for n, v in sc.variables.items() if v.scope == "team"}
        per_role = {n: v for n, v in sc.variables.items() if v.scope == "role"}
        state = State(
            clock=0,
            scene=None,
            phase=sc.scenes[sc.doc.start].phase,
            vars=team,
            role_vars={r: {n: _initial_value(v) for n, v in per_role.items()} for r in sc.roles},
        )
        for document in sc.documents.values():
            if document.initial:
                state.unlocked[document.id] = 0
        self._enter(state, sc.doc.start)
        self._settle(state)
        return state

    @classmethod
    def replay(cls, scenario: Scenario, events: Iterable[Event | Mapping[str, Any]]) -> Session:
        """Rebuild a session from its log; raises ReplayError if the log does not fit."""
        return cls(scenario, events)

    def to_json(self) -> str:
        return json.dumps(
            {
                "scenario": self.scenario.id,
                "version": self.scenario.version,
                "events": [e.to_dict() for e in self.events],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, scenario: Scenario, text: str) -> Session:
        data = json.loads(text)
        if data.get("scenario") != scenario.id:
            raise ReplayError(f"this session belongs to scenario '{data.get('scenario')}'")
        return cls(scenario, data.get("events", []))

    # queries -------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.state.ended

    def current_actions(self, state: State | None = None) -> tuple[str, ...]:
        """Actions of the current scene, then global actions offered in its phase."""
        state = state or self.state
        if state.scene is None:
            return ()
        found = self._offered.get(state.scene)
        if found is None:
            sc = self.scenario
            phase = sc.scenes[state.scene].phase
            extra = tuple(
                a
                for a in sc.global_actions
                if sc.actions[a].phases is None or phase in (sc.actions[a].phases or ())
            )
            found = self._offered[state.scene] = sc.scene_actions[state.scene] + extra
            self._offered_set[state.scene] = frozenset(found)
        return found

    def _is_offered(self, state: State, action_id: str) -> bool:
        if state.scene is None:
            return False
        offered = self._offered_set.get(state.scene)
        if offered is None:
            self.current_actions(state)
            offered = self._offered_set[state.scene]
        return action_id in offered

    def check(self, role: str, action_id: str, state: State | None = None) -> Option:
        """Whether `role` may take the action now, and if not, why."""
        state = state or self.state
        sc = self.scenario
        action = sc.actions.get(action_id)
        if action is None:
            return Option(action_id, False, "unknown_action", f"there is no action '{action_id}'")
        if role not in sc.roles:
            return Option(action_id, False, "unknown_role", f"there is no role '{role}'")
        if state.ended:
            return Option(action_id, False, "ended", "the case has ended")
        if not self._is_offered(state, action_id):
            return Option(action_id, False, "not_here", "not available in the current scene")
        if action.roles is not None and role not in action.roles:
            who = ", ".join(sc.roles[r].title for r in action.roles if r in sc.roles)
            return Option(action_id, False, "wrong_role", f"only for: {who}")
        if action_id in state.pending_actions:
            return Option(action_id, False, "pending", "waiting for approval or an answer")
        if action.once and action_id in state.taken:
            return Option(action_id, False, "used", "already done")
        condition = sc.conditions.get(action_id)
        if condition is not None and not condition.fn(state, role, None):
            return Option(
                action_id, False, "condition", action.locked or f"requires: {condition.source}"
            )
        return Option(action_id, True)

    def options(self, role: str) -> list[Option]:
        """What this role sees in the current scene: enabled actions and greyed-out ones."""
        sc = self.scenario
        shown = [
            a
            for a in self.current_actions()
            if sc.actions[a].roles is None or role in (sc.actions[a].roles or ())
        ]
        return [self.check(role, a) for a in shown]

    def awaiting(self, role: str) -> list[Pending]:
        """Approvals this role has to decide."""
        return [p for p in self.state.pending if p.kind == "approval" and p.to == role]

    def can_wait(self, state: State | None = None) -> bool:
        return self._next_due(state or self.state) is not None

    def moves(self, state: State | None = None) -> list[Move]:
        """Every legal player command now (not the facilitator's): the explorer's branches."""
        state = state or self.state
        if state.ended:
            return []
        sc = self.scenario
        result: list[Move] = []
        for action_id in self.current_actions(state):
            action = sc.actions[action_id]
            for role in action.roles or sc.roles:
                if self.check(role, action_id, state).enabled:
                    result.append(Move("act", role, action_id))
        for pending in state.pending:
            if pending.kind == "approval":
                result.append(Move("approve", pending.to, pending.action))
                result.append(Move("refuse", pending.to, pending.action))
        if self.can_wait(state):
            result.append(Move("wait", None, None))
        return result

    def legal_events(self, *, facilitator: bool = False) -> list[Event]:
        """Every legal command now as an event, with sample answers to inputs.

        For random play (tests, benchmarks): refusals carry a stock reason; with
        `facilitator`, the injects not yet fired are included.
        """
        events: list[Event] = []
        for move in self.moves():
            if move.type == "act":
                assert move.ref is not None
                for answer in sample_answers(self.scenario.actions[move.ref]):
                    events.append(
                        Event("act", role=move.role, ref=move.ref, input=answer, actor="p")
                    )
            elif move.type == "refuse":
                events.append(Event("refuse", role=move.role, ref=move.ref, reason="not yet"))
            else:
                events.append(Event(move.type, role=move.role, ref=move.ref, actor="p"))
        if facilitator and not self.ended:
            events += [
                Event("inject", ref=i) for i in self.scenario.injects if i not in self.state.fired
            ]
        return events

    def visible_documents(self, role: str) -> list[str]:
        docs = self.scenario.documents
        return [
            d for d in self.state.unlocked if docs[d].roles is None or role in (docs[d].roles or ())
        ]

    def feed_for(self, role: str) -> list[FeedItem]:
        return [f for f in self.state.feed if f.roles is None or role in f.roles]

    def score(self) -> dict[str, Any]:
        """Points per rubric dimension and attainment (0–100) per learning objective."""
        sc = self.scenario
        dims = {d.id: 0 for d in sc.doc.rubric}
        grades: dict[str, list[int]] = {o.id: [] for o in sc.doc.objectives}
        for step in self.state.steps:
            for dim, points in step.points.items():
                dims[dim] = dims.get(dim, 0) + points
            if step.grade is not None:
                for objective in step.objectives:
                    grades.setdefault(objective, []).append(GRADE_VALUE[Grade(step.grade)])
        objectives = {
            o: (round(100 * sum(v) / (3 * len(v))) if v else None) for o, v in grades.items()
        }
        return {"rubric": dims, "total": sum(dims.values()), "objectives": objectives}

    @property
    def outcome(self) -> str | None:
        return self.state.ending

    def trajectory(self) -> list[Step]:
        return list(self.state.steps)

    # commands --------------------------------------------------------------------

    def act(
        self,
        role: str,
        action: str,
        answer: Any = None,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        return self.apply(
            Event("act", role=role, actor=actor, ref=action, input=answer, key=key, time=time)
        )

    def approve(
        self,
        action: str,
        role: str,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        return self.apply(Event("approve", role=role, actor=actor, ref=action, key=key, time=time))

    def refuse(
        self,
        action: str,
        role: str,
        reason: str,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        return self.apply(
            Event("refuse", role=role, actor=actor, ref=action, reason=reason, key=key, time=time)
        )

    def wait(
        self,
        role: str | None = None,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        return self.apply(Event("wait", role=role, actor=actor, key=key, time=time))

    def fire(
        self,
        inject: str,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        """The facilitator fires an inject."""
        return self.apply(Event("inject", actor=actor, ref=inject, key=key, time=time))

    def grade(
        self,
        step: int,
        points: Mapping[str, int],
        comment: str = "",
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        """The facilitator grades a free-text answer (the step index of the trajectory)."""
        return self.apply(
            Event(
                "grade",
                actor=actor,
                step=step,
                points=dict(points),
                reason=comment or None,
                key=key,
                time=time,
            )
        )

    def jump(
        self,
        scene: str,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        """The facilitator moves the team to a scene (to skip a phase, or to go back)."""
        return self.apply(Event("jump", actor=actor, ref=scene, key=key, time=time))

    def end(
        self,
        ending: str,
        *,
        actor: str | None = None,
        key: str | None = None,
        time: str | None = None,
    ) -> Result:
        """The facilitator ends the case with a chosen ending."""
        return self.apply(Event("end", actor=actor, ref=ending, key=key, time=time))

    def apply(self, event: Event) -> Result:
        """Check and apply one event; the only way the state changes."""
        if event.key is not None and event.key in self._results:
            return _repeat(self._results[event.key])
        state = self.state
        feed_mark, step_mark = len(state.feed), len(state.steps)
        recorded = self.transition(state, event, len(self.events))
        self.events.append(recorded)
        state.seq = len(self.events)
        result = Result(recorded, tuple(state.feed[feed_mark:]), tuple(state.steps[step_mark:]))
        if event.key is not None:
            self._results[event.key] = result
        return result

    def transition(self, state: State, event: Event, seq: int, *, record: bool = True) -> Event:
        """Check `event` against `state`, then apply it in place; returns it as recorded.

        Raises IllegalAction before anything changes. The explorer calls this on copies.
        """
        handler = _HANDLERS.get(event.type)
        if handler is None:
            raise IllegalAction("unknown_event", f"unknown event type '{event.type}'")
        prepared = handler.check(self, state, event)
        recorded = (
            event if not record or event.at == state.clock else replace(event, at=state.clock)
        )
        state.seq = seq
        handler.run(self, state, recorded, prepared)
        self._settle(state)
        return recorded

    # rules ----------------------------------------------------------------------------

    def _enter(self, state: State, scene_id: str) -> None:
        sc = self.scenario
        if scene_id == END:
            self._finish(state, self._choose_ending(state))
            return
        scene = sc.scenes[scene_id]
        state.scene = scene_id
        state.phase = scene.phase
        state.visited.setdefault(scene_id, state.clock)
        state.feed.append(FeedItem(state.clock, "scene", scene_id, f"scene.{scene_id}.title"))
        if scene.on_enter is not None:
            self._effects(state, scene.on_enter, None)

    def _choose_ending(self, state: State) -> str:
        for ending_id, condition in self.scenario.ending_conditions.items():
            if condition is None or condition(state, None):
                return ending_id
        # The validator warns when the last ending has a condition; never leave a team stuck.
        return list(self.scenario.endings)[-1]

    def _finish(self, state: State, ending_id: str) -> None:
        state.ending = ending_id
        state.scene = None
        state.pending.clear()
        state.pending_actions.clear()
        state.feed.append(
            FeedItem(state.clock, "ending", ending_id, f"ending.{ending_id}.narrative")
        )

    def _jump(self, state: State, goto: str | None, end: str | None) -> None:
        if state.ended:
            return
        if end is not None:
            self._finish(state, end)
        elif goto is not None:
            self._enter(state, goto)

    def _effects(self, state: State, effects: Effects, role: str | None) -> None:
        sc = self.scenario
        for name, value in effects.set.items():
            target = self._vars_for(state, name, role)
            target[name] = frozenset(value) if isinstance(value, list) else value
        for name, amount in effects.add.items():
            var = sc.variables[name]
            target = self._vars_for(state, name, role)
            new = target[name] + amount
            if var.min is not None and new < var.min:
                new = var.min
            if var.max is not None and new > var.max:
                new = var.max
            target[name] = new
        for name, members in effects.include.items():
            target = self._vars_for(state, name, role)
            target[name] = target[name] | (
                frozenset({members}) if isinstance(members, str) else frozenset(members)
            )
        for name, members in effects.exclude.items():
            target = self._vars_for(state, name, role)
            target[name] = target[name] - (
                frozenset({members}) if isinstance(members, str) else frozenset(members)
            )
        for document in effects.unlock:
            if document not in state.unlocked:
                state.unlocked[document] = state.clock
                roles = sc.documents[document].roles
                state.feed.append(
                    FeedItem(
                        state.clock,
                        "document",
                        document,
                        f"document.{document}.title",
                        tuple(roles) if roles is not None else None,
                    )
                )
        for inject in effects.fire:
            self._fire(state, inject)

    def _vars_for(self, state: State, name: str, role: str | None) -> dict[str, Any]:
        if self.scenario.variables[name].scope == "role":
            assert role is not None, "the loader rejects role variables outside a role's action"
            return state.role_vars[role]
        return state.vars

    def _fire(self, state: State, inject_id: str) -> None:
        if inject_id in state.fired or state.ended:
            return
        inject = self.scenario.injects[inject_id]
        state.fired[inject_id] = state.clock
        state.feed.append(
            FeedItem(
                state.clock,
                "inject",
                inject_id,
                f"inject.{inject_id}.message",
                tuple(inject.to) if inject.to is not None else None,
            )
        )
        state.steps.append(Step(state.seq, "inject", inject_id, state.clock, state.scene))
        if inject.effects is not None:
            self._effects(state, inject.effects, None)
        self._jump(state, inject.goto, inject.end)

    def _record(
        self,
        state: State,
        kind: str,
        ref: str,
        role: str | None,
        actor: str | None,
        item: Assessment,
        base: str,
        *,
        override: Assessment | None = None,
        override_key: str | None = None,
        answer: Any = None,
        score: float | None = None,
        reason: str | None = None,
    ) -> None:
        """Append an assessed step; an outcome's assessment overrides the action's own."""
        if type(state.steps) is _Discard:
            return  # the explorer keeps no history
        grade = item.grade
        points = dict(item.points)
        objectives = tuple(item.objectives)
        misconception = item.misconception
        feedback = f"{base}.feedback" if item.feedback else None
        debrief = f"{base}.debrief" if item.debrief else None
        if override is not None:
            grade = override.grade or grade
            if "points" in override.model_fields_set:  # an outcome may say {} on purpose
                points = dict(override.points)
            objectives = tuple(override.objectives) or objectives
            misconception = override.misconception or misconception
            feedback = f"{override_key}.feedback" if override.feedback else feedback
            debrief = f"{override_key}.debrief" if override.debrief else debrief
        state.steps.append(
            Step(
                state.seq,
                kind,
                ref,
                state.clock,
                state.scene,
                role,
                actor,
                grade.value if grade is not None else None,
                points,
                objectives,
                misconception,
                feedback,
                debrief,
                score,
                answer,
                reason,
            )
        )
        if feedback is not None:
            state.feed.append(FeedItem(state.clock, "feedback", ref, feedback, None, role, actor))

    def _complete(
        self, state: State, action_id: str, role: str, actor: str | None, answer: Any
    ) -> None:
        """An action takes effect (at once, or once approved)."""
        sc = self.scenario
        action = sc.actions[action_id]
        state.taken[action_id] = state.taken.get(action_id, 0) + 1
        scored: Answer | None = None
        if action.input is not None:
            scored = score_answer(action.input, answer)
        outcome_index: int | None = None
        for index, condition in enumerate(sc.outcome_conditions[action_id]):
            if condition is None or condition.fn(state, role, scored):
                outcome_index = index
                break
        base = f"action.{action_id}"
        outcome = action.outcomes[outcome_index] if outcome_index is not None else None
        self._record(
            state,
            "act",
            action_id,
            role,
            actor,
            action,
            base,
            override=outcome,
            override_key=f"{base}.outcomes.{outcome_index}",
            answer=answer,
            score=scored.score if scored else None,
        )
        if action.effects is not None:
            self._effects(state, action.effects, role)
        if outcome is not None and outcome.effects is not None:
            self._effects(state, outcome.effects, role)
        if action.request is not None:
            request = action.request
            state.pending.append(
                Pending(
                    "request",
                    action_id,
                    role,
                    actor,
                    request.to,
                    answer,
                    state.clock,
                    state.clock + request.delay,
                )
            )
            state.pending_actions[action_id] = state.pending_actions.get(action_id, 0) + 1
            state.feed.append(
                FeedItem(
                    state.clock,
                    "request",
                    action_id,
                    f"{base}.text",
                    (role, request.to),
                    role,
                    actor,
                )
            )
        if outcome is not None and (outcome.goto or outcome.end):
            self._jump(state, outcome.goto, outcome.end)
        else:
            self._jump(state, action.goto, action.end)

    def _reply(self, state: State, pending: Pending) -> None:
        sc = self.scenario
        action = sc.actions[pending.action]
        assert action.request is not None
        state.pending.remove(pending)
        _release(state, pending.action)
        scored = score_answer(action.input, pending.answer) if action.input is not None else None
        for index, condition in enumerate(sc.reply_conditions[pending.action]):
            if condition is None or condition.fn(state, None, scored):
                reply = action.request.replies[index]
                key = f"action.{pending.action}.request.replies.{index}"
                state.feed.append(
                    FeedItem(
                        state.clock,
                        "reply",
                        pending.action,
                        f"{key}.message",
                        (pending.role, pending.to),
                    )
                )
                self._record(
                    state,
                    "reply",
                    pending.action,
                    pending.to,
                    None,
                    reply,
                    key,
                    score=scored.score if scored else None,
                )
                if reply.effects is not None:
                    self._effects(state, reply.effects, None)
                self._jump(state, reply.goto, reply.end)
                return

    def _next_due(self, state: State) -> int | None:
        """When the next answer to a request arrives: what waiting skips to.

        Only answers count. Letting a team wait for a timed inject would let it skip
        ahead through case time instead of working; timed injects come as time passes.
        """
        if state.ended:
            return None
        times = [p.due for p in state.pending if p.due is not None]
        return min(times) if times else None

    def _settle(self, state: State) -> None:
        """Let time-driven and condition-driven consequences happen, in time order."""
        sc = self.scenario
        for _ in range(len(sc.injects) + len(state.pending) + len(sc.actions) + 2):
            if state.ended:
                return
            clock = state.clock
            # The earliest thing due: a reply before an inject at the same minute.
            due: tuple[int, int, Any] | None = None
            for pending in state.pending:
                if (
                    pending.due is not None
                    and pending.due <= clock
                    and (due is None or pending.due < due[0])
                ):
                    due = (pending.due, 0, pending)
            for at, inject_id in sc.timed_injects:  # sorted by time
                if at > clock or (due is not None and at >= due[0]):
                    break
                if inject_id not in state.fired:
                    due = (at, 1, inject_id)
                    break
            if due is not None:
                if due[1] == 0:
                    self._reply(state, due[2])
                else:
                    self._fire(state, due[2])
                continue
            for inject_id in sc.conditional_injects:
                if inject_id not in state.fired and sc.conditions[inject_id].fn(state, None, None):
                    self._fire(state, inject_id)
                    break
            else:
                return


def _release(state: State, action_id: str) -> None:
    left = state.pending_actions.get(action_id, 0) - 1
    if left > 0:
        state.pending_actions[action_id] = left
    else:
        state.pending_actions.pop(action_id, None)


def _repeat(result: Result) -> Result:
    return Result(result.event, result.feed, result.steps, repeated=True)


# Each event type: `check` validates without changing anything and returns what `run` needs.


class _Act:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        if event.role is None or event.ref is None:
            raise IllegalAction("bad_event", "an action needs a role and an action id")
        option = session.check(event.role, event.ref, state)
        if not option.enabled:
            raise IllegalAction(option.code, f"{event.ref}: {option.reason}")
        action = session.scenario.actions[event.ref]
        if action.input is None:
            if event.input is not None:
                raise IllegalAction("bad_input", f"{event.ref} takes no answer")
            return None
        try:
            return normalise_answer(action.input, event.input)
        except AnswerError as error:
            raise IllegalAction("bad_input", f"{event.ref}: {error}") from None

    @staticmethod
    def run(session: Session, state: State, event: Event, answer: Any) -> None:
        assert event.ref is not None and event.role is not None
        action = session.scenario.actions[event.ref]
        state.clock += action.cost
        if action.approval is not None:
            approval = action.approval
            state.pending.append(
                Pending(
                    "approval",
                    event.ref,
                    event.role,
                    event.actor,
                    approval.role,
                    answer,
                    state.clock,
                )
            )
            state.pending_actions[event.ref] = state.pending_actions.get(event.ref, 0) + 1
            state.feed.append(
                FeedItem(
                    state.clock,
                    "approval",
                    event.ref,
                    f"action.{event.ref}.approval.prompt",
                    None,
                    event.role,
                    event.actor,
                )
            )
            return
        session._complete(state, event.ref, event.role, event.actor, answer)


def _find_approval(state: State, event: Event) -> Pending:
    for pending in state.pending:
        if pending.kind == "approval" and pending.action == event.ref:
            if pending.to != event.role:
                raise IllegalAction("wrong_role", f"{event.ref}: only {pending.to} can decide this")
            return pending
    raise IllegalAction("no_approval", f"{event.ref}: nothing is waiting for approval")


class _Approve:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        if state.ended:
            raise IllegalAction("ended", "the case has ended")
        return _find_approval(state, event)

    @staticmethod
    def run(session: Session, state: State, event: Event, pending: Pending) -> None:
        action = session.scenario.actions[pending.action]
        assert action.approval is not None
        state.pending.remove(pending)
        _release(state, pending.action)
        reaction = action.approval.approve
        key = f"action.{pending.action}.approval.approve"
        # The whole team learns the decision, as it does for a refusal.
        state.feed.append(
            FeedItem(state.clock, "approved", pending.action, None, None, event.role, event.actor)
        )
        session._record(state, "approve", pending.action, event.role, event.actor, reaction, key)
        if reaction.effects is not None:
            session._effects(state, reaction.effects, event.role)
        session._complete(state, pending.action, pending.role, pending.actor, pending.answer)


class _Refuse:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        if state.ended:
            raise IllegalAction("ended", "the case has ended")
        pending = _find_approval(state, event)
        if not (event.reason or "").strip():
            raise IllegalAction("no_reason", "a refusal needs a reason")
        return pending

    @staticmethod
    def run(session: Session, state: State, event: Event, pending: Pending) -> None:
        action = session.scenario.actions[pending.action]
        assert action.approval is not None
        state.pending.remove(pending)
        _release(state, pending.action)
        reaction: Reaction = action.approval.refuse
        key = f"action.{pending.action}.approval.refuse"
        state.feed.append(
            FeedItem(
                state.clock,
                "refusal",
                pending.action,
                None,
                None,
                event.role,
                event.actor,
                event.reason,
            )
        )
        session._record(
            state,
            "refuse",
            pending.action,
            event.role,
            event.actor,
            reaction,
            key,
            reason=event.reason,
        )
        if reaction.effects is not None:
            session._effects(state, reaction.effects, event.role)
        session._jump(state, reaction.goto, reaction.end)


class _Wait:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        due = session._next_due(state)
        if due is None:
            raise IllegalAction("nothing_pending", "there is nothing to wait for")
        return due

    @staticmethod
    def run(session: Session, state: State, event: Event, due: int) -> None:
        state.clock = max(state.clock, due)


class _Inject:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        if state.ended:
            raise IllegalAction("ended", "the case has ended")
        if event.ref not in session.scenario.injects:
            raise IllegalAction("unknown_inject", f"there is no inject '{event.ref}'")
        if event.ref in state.fired:
            raise IllegalAction("used", f"{event.ref} has already fired")
        return None

    @staticmethod
    def run(session: Session, state: State, event: Event, _: Any) -> None:
        assert event.ref is not None
        session._fire(state, event.ref)


class _Grade:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        steps = state.steps
        if event.step is None or not 0 <= event.step < len(steps):
            raise IllegalAction("unknown_step", f"there is no step {event.step}")
        target = steps[event.step]
        action = session.scenario.actions.get(target.ref)
        if (
            target.kind != "act"
            or action is None
            or action.input is None
            or action.input.type != "text"
        ):
            raise IllegalAction(
                "not_gradable", "only free-text answers are graded by the facilitator"
            )
        if any(s.kind == "grade" and s.score == event.step for s in steps):
            raise IllegalAction("used", f"step {event.step} is already graded")
        limits = action.input.max_points
        for dim, points in (event.points or {}).items():
            if dim not in limits:
                raise IllegalAction("bad_points", f"{dim} is not graded for this answer")
            if not 0 <= points <= limits[dim]:
                raise IllegalAction("bad_points", f"{dim}: between 0 and {limits[dim]} points")
        return target

    @staticmethod
    def run(session: Session, state: State, event: Event, target: Step) -> None:
        state.steps.append(
            Step(
                state.seq,
                "grade",
                target.ref,
                state.clock,
                state.scene,
                target.role,
                event.actor,
                None,
                dict(event.points or {}),
                target.objectives,
                None,
                None,
                None,
                float(event.step or 0),
                None,
                event.reason,
            )
        )


class _End:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        if state.ended:
            raise IllegalAction("ended", "the case has ended")
        if event.ref not in session.scenario.endings:
            raise IllegalAction("unknown_ending", f"there is no ending '{event.ref}'")
        return None

    @staticmethod
    def run(session: Session, state: State, event: Event, _: Any) -> None:
        assert event.ref is not None
        session._finish(state, event.ref)


class _Jump:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        if state.ended:
            raise IllegalAction("ended", "the case has ended")
        if event.ref not in session.scenario.scenes:
            raise IllegalAction("unknown_scene", f"there is no scene '{event.ref}'")
        return None

    @staticmethod
    def run(session: Session, state: State, event: Event, _: Any) -> None:
        assert event.ref is not None
        state.steps.append(
            Step(state.seq, "jump", event.ref, state.clock, state.scene, None, event.actor)
        )
        session._enter(state, event.ref)


_HANDLERS: dict[str, Any] = {
    "act": _Act,
    "approve": _Approve,
    "refuse": _Refuse,
    "wait": _Wait,
    "inject": _Inject,
    "grade": _Grade,
    "end": _End,
    "jump": _Jump,
}


def sample_answers(action: Action) -> Sequence[Any]:
    """A few representative answers to an input, for the explorer and random play."""
    spec = action.input
    if spec is None:
        return [None]
    ids = [i.id for i in spec.items]
    if spec.type == "multi":
        wrong = [i for i in ids if i not in spec.correct]
        candidates = [
            list(spec.correct),
            [],
            ids,
            wrong,
            spec.correct[: max(1, len(spec.correct) // 2)],
        ]
        unique: list[Any] = []
        for candidate in candidates:
            ordered = sorted(set(candidate), key=ids.index)
            if ordered not in unique:
                unique.append(ordered)
        return unique
    if spec.type == "order":
        return [list(spec.correct), list(reversed(spec.correct))]
    if spec.type == "numeric":
        assert spec.answer is not None and spec.tolerance is not None
        samples = [
            spec.answer,
            spec.answer + 1.5 * spec.tolerance,
            spec.answer * 3 + 10 * spec.tolerance,
        ]
        return [
            min(
                max(v, spec.min if spec.min is not None else v),
                spec.max if spec.max is not None else v,
            )
            for v in samples
        ]
    return ["(free-text answer)"]

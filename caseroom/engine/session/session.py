"""The `Session`: a team's play of a scenario, commands in, events recorded, state derived.

The state is a pure function of the scenario and the ordered event log: `Session.replay`
rebuilds it exactly, and a session serialises to JSON as its events. Every command is
checked in full before anything changes, so an illegal one leaves the state untouched.

>>> session = Session(scenario)                                   # doctest: +SKIP
>>> session.act("police-rs", "check-databases", actor="ana")     # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from ..answers import sample_answers
from ..model import Grade
from ..scenario import Scenario
from .consequences import enter, next_due, settle
from .events import Event, FeedItem, IllegalAction, Move, Option, Pending, ReplayError, Result, Step
from .rules import HANDLERS
from .state import State
from .tracks import scene_of

__all__ = ["GRADE_VALUE", "RULES", "Session"]

GRADE_VALUE = {Grade.exemplary: 3, Grade.acceptable: 2, Grade.poor: 1, Grade.harmful: 0}

# The version of the rules new sessions play by, recorded in their first event. A log
# keeps the rules it was played under, so that it replays to the same state for ever:
#   1  logs without a version: a wait jumps to the answer, then everything due settles;
#   2  a wait stops at every moment something happens on the way (`timing.advance`).
RULES = 2


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
        self,
        scenario: Scenario,
        events: Iterable[Event | Mapping[str, Any]] = (),
        *,
        rules: int = RULES,
    ) -> None:
        """`rules`: those to play by if the first event is a new command (a what-if from
        the start of a log recorded under older rules); a logged event names its own."""
        self.scenario = scenario
        self.events: list[Event] = []
        self._new_rules = rules
        # Decided by the first event (`apply`); new sessions, and the explorer, play by RULES.
        self.rules = rules
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
        enter(sc, state, sc.doc.start)
        settle(sc, state)
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

    def current_actions(
        self, state: State | None = None, scene: str | None = None
    ) -> tuple[str, ...]:
        """Actions of the current scene, then the global actions offered there; with
        roles on tracks (`split`), then those of each track's scene; with `scene`, that
        scene's only. Who may take one where: `check`."""
        state = state or self.state
        if scene is None and state.tracks and state.ending is None:
            return tuple(
                dict.fromkeys(
                    a for where, _roles in self.locations(state) for a in self._offered_in(where)
                )
            )
        if scene is None:
            scene = state.scene
        if scene is None or state.ending is not None:
            return ()
        return self._offered_in(scene)

    def _offered_in(self, scene: str) -> tuple[str, ...]:
        found = self._offered.get(scene)
        if found is None:
            sc = self.scenario
            extra = sc.globals_in(scene)
            found = self._offered[scene] = sc.scene_actions[scene] + extra
            self._offered_set[scene] = frozenset(found)
        return found

    def scene_for(self, role: str, state: State | None = None) -> str | None:
        """The scene a role sees and acts in: its track's (`split`), else the team's."""
        return scene_of(state or self.state, role)

    def locations(self, state: State | None = None) -> list[tuple[str, tuple[str, ...]]]:
        """Each scene the team is in with the roles there: the team's scene first (its
        roles: all not on a track), then each track's, in the order they were entered."""
        state = state or self.state
        if state.scene is None or state.ending is not None:
            return []
        roles = tuple(self.scenario.roles)
        if not state.tracks:
            return [(state.scene, roles)]
        found = [(state.scene, tuple(r for r in roles if r not in state.tracks))]
        for scene in dict.fromkeys(state.tracks.values()):
            found.append((scene, tuple(r for r in roles if state.tracks.get(r) == scene)))
        return found

    def _is_offered(self, state: State, action_id: str, role: str) -> bool:
        scene = state.tracks.get(role, state.scene) if state.tracks else state.scene
        if scene is None:
            return False
        offered = self._offered_set.get(scene)
        if offered is None:
            self.current_actions(state, scene)
            offered = self._offered_set[scene]
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
        if state.ending is not None:
            return Option(action_id, False, "ended", "the case has ended")
        if not self._is_offered(state, action_id, role):
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
            for a in self.current_actions(None, self.scene_for(role))
            if sc.actions[a].roles is None or role in (sc.actions[a].roles or ())
        ]
        return [self.check(role, a) for a in shown]

    def awaiting(self, role: str) -> list[Pending]:
        """Approvals this role has to decide."""
        return [p for p in self.state.pending if p.kind == "approval" and p.to == role]

    def can_wait(self, state: State | None = None) -> bool:
        return next_due(state or self.state) is not None

    def moves(self, state: State | None = None) -> list[Move]:
        """Every legal player command now (not the facilitator's): the explorer's branches."""
        state = state or self.state
        if state.ended:
            return []
        sc = self.scenario
        result: list[Move] = []
        for scene, here in self.locations(state):
            for action_id in self.current_actions(state, scene):
                action = sc.actions[action_id]
                for role in action.roles or sc.roles:
                    if role in here and self.check(role, action_id, state).enabled:
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
        if not self.events:
            event = self._first(event)
        state = self.state
        feed_mark, step_mark = len(state.feed), len(state.steps)
        recorded = self.transition(state, event, len(self.events))
        self.events.append(recorded)
        state.seq = len(self.events)
        result = Result(recorded, tuple(state.feed[feed_mark:]), tuple(state.steps[step_mark:]))
        if event.key is not None:
            self._results[event.key] = result
        return result

    def _first(self, event: Event) -> Event:
        """The first event decides the rules: those it names, rules 1 for an event logged
        before versions (logged events carry their case time), else the current ones,
        which it then names."""
        if event.rules is not None:
            if not 1 <= event.rules <= RULES:
                raise IllegalAction(
                    "unknown_rules",
                    f"this log was played under rules {event.rules}, "
                    f"this version of Caseroom knows rules 1 to {RULES}",
                )
            self.rules = event.rules
            return event
        if event.at is not None:
            self.rules = 1
            return event
        self.rules = self._new_rules
        return replace(event, rules=self.rules)

    @staticmethod
    def rules_of(events: Iterable[Event | Mapping[str, Any]]) -> int:
        """The rules a log was played under (that of a new session for an empty log)."""
        for raw in events:
            first = raw if isinstance(raw, Event) else Event.from_dict(raw)
            return first.rules if first.rules is not None else 1 if first.at is not None else RULES
        return RULES

    def transition(self, state: State, event: Event, seq: int, *, record: bool = True) -> Event:
        """Check `event` against `state`, then apply it in place; returns it as recorded.

        Raises IllegalAction before anything changes. The explorer calls this on copies.
        """
        handler = HANDLERS.get(event.type)
        if handler is None:
            raise IllegalAction("unknown_event", f"unknown event type '{event.type}'")
        prepared = handler.check(self, state, event)
        recorded = (
            event if not record or event.at == state.clock else replace(event, at=state.clock)
        )
        state.seq = seq
        handler.run(self, state, recorded, prepared)
        settle(self.scenario, state)
        return recorded


def _repeat(result: Result) -> Result:
    return Result(result.event, result.feed, result.steps, repeated=True)

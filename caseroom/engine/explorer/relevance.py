"""What of a state can still change the future: the key on which the explorer merges states.

Two states with the same key have the same future — the same moves, leading to states with
the same keys, and the same scenes, actions, documents, injects and endings reached on the
way — so exploring one of them explores both. The key keeps:

* for an ended state, its ending alone: nothing happens after an ending;
* the scene (the phase follows from it), every inject fired (an inject fires once), and the
  pending approvals (as a set: each is found by its action) and requests (in the order
  their answers come: by time due relative to the clock, then as filed, because of two
  answers due at the same minute the first filed comes first), with the requesting role
  only where the action reads or writes role-scoped variables (`role_sensitive`) and the
  answer only as its signature (`answers.py`);
* what a condition that can still be evaluated reads (`Needs`). A condition can still be
  evaluated when it belongs to an action offered in a scene play can still reach
  (`scenegraph.SceneGraph`), to an approval or request still pending, to an inject not yet
  fired, or to an ending. Variables, visited scenes, unlocked documents, fired injects and
  action counts that no such condition reads can never change what happens again, so the
  key forgets them (a document unlocked by an effect in the planning meeting and read only
  by the planning meeting's conditions stops mattering once play has moved on);
* the use of a once-action while a scene offering it can still be reached (it cannot be
  taken twice), and counts up to the largest constant `count()`/`done()` compare them with:
  counts only grow, so past every constant every comparison gives the same answer for ever
  (`thresholds.py`); a repeatable action nothing names leaves no trace;
* the clock exactly below the largest `elapsed()` constant or `at` still live, and as "at
  least that" above it: the clock only grows, so past the last threshold every comparison
  gives the same answer for ever, and answers due are kept relative to the clock, as are
  delayed injects scheduled (`State.scheduled`: each by the time left until it fires).
  Where `elapsed()` is not a plain comparison with a constant, the clock is kept exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..expressions import Compiled
from ..scenario import Scenario
from ..session import State
from .answers import AnswerClasses, answer_classes
from .scenegraph import SceneGraph
from .thresholds import Uses, uses_in

__all__ = ["Needs", "Relevance", "role_sensitive"]


@dataclass
class Needs:
    """What some conditions read of a state."""

    vars: set[str] = field(default_factory=set)
    visited: set[str] = field(default_factory=set)
    has: set[str] = field(default_factory=set)
    fired: set[str] = field(default_factory=set)
    counts: dict[str, Uses] = field(default_factory=dict)
    clock: Uses = field(default_factory=Uses)

    @classmethod
    def of(cls, conditions: list[Compiled]) -> Needs:
        needs = cls()
        for condition in conditions:
            needs.vars |= condition.reads
            for helper, ident, _column in condition.refs:
                if helper == "visited":
                    needs.visited.add(ident)
                elif helper == "has":
                    needs.has.add(ident)
                elif helper == "fired":
                    needs.fired.add(ident)
        for counted, uses in uses_in(conditions, "count").items():
            if counted is not None:
                needs.counts.setdefault(counted, Uses()).add(uses)
        needs.clock.add(uses_in(conditions, "elapsed").get(None, Uses()))
        return needs

    def add(self, other: Needs) -> None:
        self.vars |= other.vars
        self.visited |= other.visited
        self.has |= other.has
        self.fired |= other.fired
        for ident, uses in other.counts.items():
            self.counts.setdefault(ident, Uses()).add(uses)
        self.clock.add(other.clock)


@dataclass(frozen=True)
class Plan:
    """The parts of the key for one scene, set of fired injects and pending actions."""

    team_vars: tuple[str, ...]
    role_vars: tuple[str, ...]
    visited: frozenset[str]
    has: frozenset[str]
    counts: dict[str, int | None]  # action -> counted up to (None: exactly)
    reach: int  # the components play can still be in (SceneGraph)
    clock_cap: int | None  # None: the clock is kept exactly


class Relevance:
    """The abstraction of a state to what its future depends on (`key`)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.graph = SceneGraph(scenario)
        self.home: dict[str, int] = {}  # action -> components of the scenes offering it
        for action_id in scenario.actions:
            scene = scenario.action_scene[action_id]
            if scene is not None:
                self.home[action_id] = self.graph.mask([scene])
            else:
                self.home[action_id] = self.graph.mask(
                    s for s in scenario.scenes if action_id in scenario.globals_in(s)
                )
        # Readers tied to where their action is offered: its condition and outcomes, and the
        # replies of a request (answered later, wherever play is, while pending).
        self.offered_needs: list[tuple[int, Needs]] = []
        self.pending_needs: dict[str, Needs] = {}
        for action_id, action in scenario.actions.items():
            own = [scenario.conditions[action_id]] if action_id in scenario.conditions else []
            outcomes = [c for c in scenario.outcome_conditions[action_id] if c is not None]
            replies = [c for c in scenario.reply_conditions[action_id] if c is not None]
            self.offered_needs.append((self.home[action_id], Needs.of(own + outcomes + replies)))
            later = (outcomes if action.approval else []) + replies
            for step in scenario.decision_conditions.get(action_id, ()):
                later += [c for c in step if c is not None]  # an authority decides later
            if later:
                self.pending_needs[action_id] = Needs.of(later)
        self.ending_needs = Needs.of(
            [c for c in scenario.ending_conditions.values() if c is not None]
        )
        self.inject_needs: dict[str, Needs] = {}
        for inject_id, inject in scenario.injects.items():
            condition = scenario.conditions.get(inject_id)
            needs = Needs.of([condition] if condition is not None else [])
            if inject.at is not None:
                needs.clock.constants.add(inject.at - 0.5)  # clock >= at: bound `at`
            self.inject_needs[inject_id] = needs
        self.team_order = [n for n, v in scenario.variables.items() if v.scope == "team"]
        self.role_order = [n for n, v in scenario.variables.items() if v.scope == "role"]
        self.once = {a for a, x in scenario.actions.items() if x.once}
        self.role_scoped = {a: role_sensitive(scenario, a) for a in scenario.actions}
        self.answers: dict[str, AnswerClasses] = {
            a: answer_classes(scenario, a) for a, x in scenario.actions.items() if x.input
        }
        self._scene_needs: dict[int, Needs] = {}
        self._plans: dict[Any, Plan] = {}

    def _static(self, reach: int) -> Needs:
        found = self._scene_needs.get(reach)
        if found is None:
            found = Needs()
            found.add(self.ending_needs)
            for home, needs in self.offered_needs:
                if home & reach:
                    found.add(needs)
            self._scene_needs[reach] = found
        return found

    def plan(
        self,
        scene: str,
        fired: frozenset[str],
        pending: tuple[str, ...],
        tracks: frozenset[str] = frozenset(),
    ) -> Plan:
        """`tracks`: the scenes of roles on tracks, from which play goes on as well."""
        cache_key = (scene, fired, pending, tracks)
        found = self._plans.get(cache_key)
        if found is not None:
            return found
        reach = self.graph.reach(scene)
        for other in tracks:
            reach |= self.graph.reach(other)
        needs = Needs()
        needs.add(self._static(reach))
        for inject_id, inject_needs in self.inject_needs.items():
            if inject_id not in fired:
                needs.add(inject_needs)
        for action_id in pending:
            if action_id in self.pending_needs:
                needs.add(self.pending_needs[action_id])
        variables = self.scenario.variables
        found = Plan(
            team_vars=tuple(n for n in self.team_order if n in needs.vars),
            role_vars=tuple(n for n in self.role_order if n in needs.vars),
            visited=frozenset(needs.visited),
            has=frozenset(needs.has),
            counts={a: u.bound() for a, u in needs.counts.items()},
            reach=reach,
            clock_cap=needs.clock.bound(),
        )
        assert all(variables[n].scope == "role" for n in found.role_vars)
        self._plans[cache_key] = found
        return found

    def key(self, state: State) -> Any:
        if state.ending is not None:
            return ("ended", state.ending)
        assert state.scene is not None
        fired = frozenset(state.fired)
        clock = state.clock
        pending = state.pending
        tracks = frozenset(state.tracks.values()) if state.tracks else frozenset()
        plan = self.plan(state.scene, fired, tuple(sorted({p.action for p in pending})), tracks)
        cap = plan.clock_cap
        if cap is not None and clock > cap:
            clock = cap
        counts, home, reach = plan.counts, self.home, plan.reach
        taken = []
        # Iterate the taken actions (few) rather than the relevant ones (every global action).
        for action_id, times in state.taken.items():
            if action_id in counts:
                bound = counts[action_id]
                taken.append((action_id, times if bound is None else min(times, bound)))
            elif action_id in self.once and home[action_id] & reach:
                taken.append((action_id, 1))
        vars_ = state.vars
        approvals = frozenset(p.action for p in pending if p.kind == "approval")
        requests = sorted(
            (p for p in pending if p.kind != "approval"),  # requests and decisions
            key=lambda p: p.due if p.due is not None else 0,  # stable: filed order kept
        )
        return (
            state.scene,
            clock,
            tuple(vars_[n] for n in plan.team_vars),
            tuple(tuple(d[n] for n in plan.role_vars) for d in state.role_vars.values())
            if plan.role_vars
            else (),
            plan.visited.intersection(state.visited),
            plan.has.intersection(state.unlocked),
            frozenset(taken),
            fired,
            approvals,
            tuple(
                (
                    p.action,
                    p.step,
                    p.role if self.role_scoped[p.action] else None,
                    None if p.due is None else p.due - state.clock,
                    self.signature(p.action, p.answer),
                )
                for p in requests
            ),
            tuple(
                (p.action, p.role, self.signature(p.action, p.answer))
                for p in pending
                if p.kind == "approval" and (self.role_scoped[p.action] or p.answer is not None)
            ),
            # Delayed injects to come, by time left: which and when is all that matters
            # (two due at the same minute fire in file order, whatever order they came in).
            frozenset((i, due - state.clock) for i, due in state.scheduled.items())
            if state.scheduled
            else frozenset(),
            # Who is on which track: where each role acts, and what `at()` reads.
            frozenset(state.tracks.items()) if state.tracks else frozenset(),
        )

    def signature(self, action_id: str, answer: Any) -> Any:
        """What of an answer its outcomes and replies can tell apart."""
        classes = self.answers.get(action_id)
        if classes is None:
            return None
        return classes.signature(self.scenario.actions[action_id].input, answer)


def role_sensitive(scenario: Scenario, action_id: str) -> bool:
    """Whether the acting role can change what the action does: its condition or outcomes
    read a role-scoped variable, or its effects write one (approvals write as the approver,
    whom the action fixes)."""
    role_vars = {n for n, v in scenario.variables.items() if v.scope == "role"}
    if not role_vars:
        return False
    action = scenario.actions[action_id]
    condition = scenario.conditions.get(action_id)
    if condition is not None and condition.reads & role_vars:
        return True
    if any(c is not None and c.reads & role_vars for c in scenario.outcome_conditions[action_id]):
        return True
    blocks = [action.effects, *(o.effects for o in action.outcomes)]
    for effects in blocks:
        if effects is not None:
            written = set(effects.set) | set(effects.add) | set(effects.include)
            if (written | set(effects.exclude)) & role_vars:
                return True
    return False

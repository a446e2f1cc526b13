"""Bounded exhaustive search of a scenario's reachable states, plus seeded random play.

The search treats the team as one player holding every role: who holds a role does not
change what can happen. States are hashed on what determines the future (`Relevance.key`),
so the same situation reached by different orders of play is explored once.

Both parts are bounded by moves (an option checked or an event played), not only by states:
a scene offering 300 actions costs 600 moves per state, and the 10,000-state search of such
a 16 KB file took 97 s. A wall-clock budget backs both up (`limits.py`).
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import limits
from ..scenario import Scenario
from ..session import Event, IllegalAction, Session, State
from .relevance import Relevance, distinct_samples, reads_role_vars

__all__ = ["ExploreReport", "explore_scenario"]

Path = tuple[tuple[str, str | None, str | None, Any], ...]


@dataclass
class ExploreReport:
    scenario: Scenario
    states_explored: int = 0
    exhaustive: bool = False
    paths_sampled: int = 0
    max_depth: int = 0
    seconds: float = 0.0
    moves: int = 0  # options checked and events played, search and playthroughs together
    stopped: str | None = None  # the budget that ended the exploration early, if one did
    reached_scenes: set[str] = field(default_factory=set)
    taken_actions: set[str] = field(default_factory=set)
    enabled_actions: set[str] = field(default_factory=set)
    offered_actions: set[str] = field(default_factory=set)
    unlocked_documents: set[str] = field(default_factory=set)
    fired_injects: set[str] = field(default_factory=set)
    reached_endings: dict[str, int] = field(default_factory=dict)
    dead_ends: list[dict[str, Any]] = field(default_factory=list)
    ending_paths: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def unreachable(self) -> dict[str, list[str]]:
        sc = self.scenario
        return {
            "scenes": [s for s in sc.scenes if s not in self.reached_scenes],
            "actions": [a for a in sc.actions if a not in self.taken_actions],
            "documents": [d for d in sc.documents if d not in self.unlocked_documents],
            "injects": [i for i in sc.injects if i not in self.fired_injects],
            "endings": [e for e in sc.endings if e not in self.reached_endings],
        }

    def never_enabled(self) -> list[str]:
        """Actions offered in reached scenes whose condition never held."""
        return [
            a
            for a in self.scenario.actions
            if a in self.offered_actions and a not in self.enabled_actions
        ]

    def to_dict(self) -> dict[str, Any]:
        sc = self.scenario
        return {
            "scenario": sc.id,
            "version": sc.version,
            "scenes": len(sc.scenes),
            "actions": len(sc.actions),
            "decision_points": sc.decision_points(),
            "documents": len(sc.documents),
            "injects": len(sc.injects),
            "roles": len(sc.roles),
            "endings": list(sc.endings),
            "reachable_endings": [e for e in sc.endings if e in self.reached_endings],
            # How often each ending closed the random playthroughs: a feel for the balance.
            "ending_counts": {e: self.reached_endings.get(e, 0) for e in sc.endings},
            "ending_paths": self.ending_paths,
            "dead_ends": self.dead_ends,
            "unreachable": self.unreachable(),
            "never_enabled": self.never_enabled(),
            "states_explored": self.states_explored,
            "exhaustive": self.exhaustive,
            "paths_sampled": self.paths_sampled,
            "max_depth": self.max_depth,
            "moves": self.moves,
            "stopped": self.stopped,
            "seconds": round(self.seconds, 3),
        }


class _Explorer:
    def __init__(self, scenario: Scenario, report: ExploreReport, repeat_bound: int = 3) -> None:
        self.scenario = scenario
        self.repeat_bound = repeat_bound
        self.session = Session(scenario)
        self.report = report
        self.roles = list(scenario.roles)
        self.role_sensitive = {a: reads_role_vars(scenario, a) for a in scenario.actions}
        self.manual = [
            i
            for i, inject in scenario.injects.items()
            if inject.manual or (inject.at is None and inject.when is None)
        ]
        self.relevance = Relevance(scenario)
        self.samples = {a: distinct_samples(scenario, a) for a in scenario.actions}

    def key(self, state: State) -> Any:
        return self.relevance.key(state)

    def branches(self, state: State) -> Iterator[Event]:
        """Every distinct next event: player moves with sample answers, then facilitator injects."""
        sc = self.scenario
        session = self.session
        report = self.report
        for action_id in session.current_actions(state):
            report.offered_actions.add(action_id)
            action = sc.actions[action_id]
            allowed = action.roles or self.roles
            if not self.role_sensitive[action_id]:
                allowed = allowed[:1]  # any allowed role would see the same thing
            for role in allowed:
                report.moves += 1
                option = session.check(role, action_id, state)
                if not option.enabled:
                    continue
                report.enabled_actions.add(action_id)
                if not action.once and state.taken.get(action_id, 0) >= self.repeat_bound:
                    continue  # repeating forever only moves the clock: bound the search
                for answer in self.samples[action_id]:
                    yield Event("act", role=role, ref=action_id, input=answer)
                if not self.role_sensitive[action_id]:
                    break
        for pending in state.pending:
            if pending.kind == "approval":
                yield Event("approve", role=pending.to, ref=pending.action)
                yield Event("refuse", role=pending.to, ref=pending.action, reason="explorer")
        if session.can_wait(state):
            yield Event("wait")

    def facilitator(self, state: State) -> Iterator[Event]:
        if state.ended:
            return
        for inject in self.manual:
            if inject not in state.fired:
                yield Event("inject", ref=inject)

    def step(self, state: State, event: Event) -> State | None:
        self.report.moves += 1
        child = state.copy(history=False)
        try:
            self.session.transition(child, event, state.seq + 1, record=False)
        except IllegalAction:
            return None
        child.seq = state.seq + 1
        return child

    def observe(self, state: State, path: Callable[[], Path], *, count: bool = True) -> None:
        report = self.report
        report.reached_scenes.update(state.visited)
        report.taken_actions.update(state.taken)
        report.unlocked_documents.update(state.unlocked)
        report.fired_injects.update(state.fired)
        if state.ending is not None:
            if state.ending not in report.reached_endings:
                report.reached_endings[state.ending] = 0
                report.ending_paths[state.ending] = _describe(path())
            if count:
                report.reached_endings[state.ending] += 1

    def dead_end(self, state: State, path: Path) -> None:
        if len(self.report.dead_ends) < 20:
            self.report.dead_ends.append(
                {"scene": state.scene, "clock": state.clock, "path": _describe(path)}
            )


def _walk_expert_path(scenario: Scenario, explorer: _Explorer) -> None:
    from ..validator import play_expert_path  # the validator builds on the explorer

    session, problems = play_expert_path(scenario)
    if problems and not session.events:
        return
    state = Session(scenario).state
    path: list[tuple[str, str | None, str | None, Any]] = []
    for event in session.events:
        child = explorer.step(state, event)
        if child is None:
            return
        path.append((event.type, event.role, event.ref, event.input))
        state = child
        explorer.observe(state, lambda p=tuple(path): p, count=False)  # type: ignore[misc]


def _describe(path: Path) -> list[dict[str, Any]]:
    return [
        {
            k: v
            for k, v in (("type", t), ("role", r), ("ref", ref), ("input", answer))
            if v is not None
        }
        for t, r, ref, answer in path
    ]


class _Budget:
    """Moves and seconds left; `spent()` says which ran out (and remembers it).

    Seconds are this thread's processor time: other work on the machine (four test runs on
    two cores, or the server's other threads) must not change what validation finds.
    """

    def __init__(
        self, report: ExploreReport, name: str, moves: int, started: float, seconds: float
    ) -> None:
        self.report = report
        self.name = name
        self.limit = report.moves + moves
        self.moves = moves
        self.deadline = started + seconds
        self.seconds = seconds

    def spent(self) -> bool:
        if self.report.moves >= self.limit:
            self.stop(f"{self.name} budget of {self.moves:,} moves")
        elif time.thread_time() >= self.deadline:
            self.stop(f"time budget of {self.seconds:g} s")
        else:
            return False
        return True

    def stop(self, why: str) -> None:
        report = self.report
        if report.stopped is None:
            report.stopped = why
        elif why not in report.stopped:
            report.stopped += f" and its {why}"


def explore_scenario(
    scenario: Scenario,
    *,
    max_states: int = 10_000,
    max_depth: int = 200,
    playthroughs: int = 300,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    max_moves: int = limits.EXPLORE_SEARCH_MOVES,
    play_moves: int = limits.EXPLORE_PLAY_MOVES,
    max_seconds: float = limits.EXPLORE_MAX_SECONDS,
) -> ExploreReport:
    """Explore breadth-first up to `max_states`, then sample random playthroughs.

    The search stops after `max_moves` options checked and events played, the playthroughs
    after `play_moves` more, and both once `max_seconds` have passed; `report.stopped` then
    names the budget, and the report is not exhaustive.
    """
    started = time.perf_counter()
    cpu = time.thread_time()
    report = ExploreReport(scenario)
    explorer = _Explorer(scenario, report)
    initial = Session(scenario).state
    search = _Budget(report, "search", max_moves, cpu, max_seconds)
    report.exhaustive = _search(explorer, initial, search, max_states, max_depth, progress)
    # The expert path is one more playthrough: the best ending is often the rarest by chance.
    _walk_expert_path(scenario, explorer)
    play = _Budget(report, "playthrough", play_moves, cpu, max_seconds)
    rng = random.Random(seed)
    _play(explorer, initial, play, rng, playthroughs, max_depth, progress)
    report.seconds = time.perf_counter() - started
    return report


def _search(
    explorer: _Explorer,
    initial: State,
    budget: _Budget,
    max_states: int,
    max_depth: int,
    progress: Callable[[int], None] | None,
) -> bool:
    """Breadth-first search of the distinct states; whether it saw all of them."""
    report = explorer.report
    parents: dict[Any, tuple[Any, tuple[str, str | None, str | None, Any]] | None] = {}
    root_key = explorer.key(initial)
    parents[root_key] = None

    def path_to(key: Any) -> Path:
        moves = []
        while parents.get(key) is not None:
            parent, move = parents[key]  # type: ignore[misc]
            moves.append(move)
            key = parent
        return tuple(reversed(moves))

    queue: deque[tuple[State, Any, int]] = deque([(initial, root_key, 0)])
    explorer.observe(initial, lambda: ())
    complete = True
    while queue:
        if budget.spent():
            complete = False
            break
        state, key, depth = queue.popleft()
        report.states_explored += 1
        if progress is not None and report.states_explored % 1000 == 0:
            progress(report.states_explored)
        report.max_depth = max(report.max_depth, depth)
        if state.ended:
            continue
        moved = False
        # Facilitator injects are left to the random playthroughs: branching on "fire it now"
        # at every state would multiply the space without adding player choices.
        for event in explorer.branches(state):
            child = explorer.step(state, event)
            if child is None:
                continue
            moved = True
            child_key = explorer.key(child)
            move = (event.type, event.role, event.ref, event.input)
            # Observe before merging: the key forgets history that can no longer matter,
            # but what was reached on the way still counts as reached.
            explorer.observe(child, lambda k=key, m=move: (*path_to(k), m), count=False)  # type: ignore[misc]
            if child_key in parents:
                continue
            if len(parents) >= max_states or depth + 1 > max_depth:
                complete = False
                continue
            parents[child_key] = (key, move)
            queue.append((child, child_key, depth + 1))
        if not moved:
            explorer.dead_end(state, path_to(key))
    return complete


def _play(
    explorer: _Explorer,
    initial: State,
    budget: _Budget,
    rng: random.Random,
    playthroughs: int,
    max_depth: int,
    progress: Callable[[int], None] | None,
) -> None:
    """Random playthroughs from the start, with a manual inject fired now and then."""
    report = explorer.report
    for index in range(playthroughs):
        if budget.spent():
            break
        state = initial
        path: list[tuple[str, str | None, str | None, Any]] = []
        for depth in range(max_depth):
            if state.ended or budget.spent():
                break
            options = list(explorer.branches(state))
            if not options:
                explorer.dead_end(state, tuple(path))
                break
            # The facilitator fires a manual inject now and then, as in a real exercise.
            if rng.random() < 0.05:
                options += list(explorer.facilitator(state))
            event = rng.choice(options)
            child = explorer.step(state, event)
            if child is None:
                break
            path.append((event.type, event.role, event.ref, event.input))
            state = child
            explorer.observe(state, lambda p=tuple(path): p, count=state.ended)  # type: ignore[misc]
            report.max_depth = max(report.max_depth, depth + 1)
        report.paths_sampled += 1
        if progress is not None and index % 50 == 0:
            progress(report.states_explored + index)

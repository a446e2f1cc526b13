"""The search of every reachable state of a scenario, breadth-first and deterministic.

The team is one player holding every role: who holds a role does not change what can
happen. Every move is tried in a fixed order — each offered action by the first role allowed
to take it (by every allowed role where the role matters, `relevance.role_sensitive`) with
one answer of each class its outcomes and replies tell apart (`answers.py`), each pending
approval approved and refused, waiting for the next answer, and each manual inject the
facilitator may fire — and states are merged on `Relevance.key`, which keeps exactly what
the future depends on. So when the queue empties, every scene, action, document, inject and
ending that any play can reach has been reached, and every action offered whose condition
can hold has been seen enabled: the report says `every_state`.

Only budgets stop it early — distinct states, moves (an option checked or an event played),
and, as a last resort, processor time — and the report then names the budget and what was
left (`not_covered`). Nothing is random here; seeded playthroughs are `sample.py`.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from .. import limits
from ..scenario import Scenario
from ..session import Event, IllegalAction, Session, State
from .bounds import Bounds
from .cover import cover, dead_end_free
from .relevance import Relevance
from .report import ExploreReport, Move, Sample, describe

__all__ = ["explore_scenario"]

Path = tuple[Move, ...]
MAX_DEAD_ENDS = 20


class Explorer:
    """The moves from a state and their results, recording what each state shows."""

    def __init__(self, scenario: Scenario, report: ExploreReport) -> None:
        self.scenario = scenario
        self.session = Session(scenario)
        self.report = report
        self.roles = list(scenario.roles)
        self.relevance = Relevance(scenario)
        self.role_scoped = self.relevance.role_scoped
        self.answers = {
            a: (self.relevance.answers[a].answers if a in self.relevance.answers else (None,))
            for a in scenario.actions
        }
        self.manual = [
            i
            for i, inject in scenario.injects.items()
            if inject.manual or (inject.at is None and inject.when is None)
        ]

    def key(self, state: State) -> Any:
        return self.relevance.key(state)

    def team_moves(self, state: State) -> Iterator[Event]:
        """Every distinct move of the team, in a fixed order."""
        sc = self.scenario
        session = self.session
        report = self.report
        # Each scene the team is in (one, without tracks), with the roles there.
        for scene, here in session.locations(state):
            for action_id in session.current_actions(state, scene):
                report.offered_actions.add(action_id)
                action = sc.actions[action_id]
                allowed = action.roles or self.roles
                if state.tracks:
                    allowed = [r for r in allowed if r in here]
                if not self.role_scoped[action_id]:
                    allowed = allowed[:1]  # any allowed role would see the same thing
                for role in allowed:
                    report.moves += 1
                    if not session.check(role, action_id, state).enabled:
                        continue
                    report.enabled_actions.add(action_id)
                    for answer in self.answers[action_id]:
                        yield Event("act", role=role, ref=action_id, input=answer)
        for pending in state.pending:
            if pending.kind == "approval":
                yield Event("approve", role=pending.to, ref=pending.action)
                yield Event("refuse", role=pending.to, ref=pending.action, reason="explorer")
        if session.can_wait(state):
            yield Event("wait")

    def facilitator_moves(self, state: State) -> Iterator[Event]:
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

    def observe(self, state: State, path: Callable[[], Path]) -> None:
        report = self.report
        report.reached_scenes.update(state.visited)
        report.taken_actions.update(state.taken)
        report.unlocked_documents.update(state.unlocked)
        report.fired_injects.update(state.fired)
        if state.ending is not None and state.ending not in report.reached_endings:
            report.reached_endings.add(state.ending)
            report.ending_paths[state.ending] = describe(path())

    def dead_end(self, state: State, path: Path) -> None:
        if len(self.report.dead_ends) < MAX_DEAD_ENDS:
            self.report.dead_ends.append(
                {"scene": state.scene, "clock": state.clock, "path": describe(path)}
            )


class _Budget:
    """States, moves and processor seconds left; `spent()` names the first that ran out.

    Seconds are this thread's processor time, so that other work on the machine does not
    change what is found — but a report stopped by time is the one result that may differ
    from run to run, and says so.
    """

    def __init__(self, report: ExploreReport, states: int, moves: int, seconds: float) -> None:
        self.report = report
        self.states = states
        self.moves = moves
        self.seconds = seconds
        self.deadline = time.thread_time() + seconds

    def spent(self, distinct: int) -> bool:
        if distinct > self.states:
            why = f"state budget of {self.states:,} distinct states"
        elif self.report.moves >= self.moves:
            why = f"move budget of {self.moves:,} moves"
        elif time.thread_time() >= self.deadline:
            why = f"time budget of {self.seconds:g} s of processor time"
        else:
            return False
        self.report.stopped = why
        return True


def explore_scenario(
    scenario: Scenario,
    *,
    max_states: int = limits.EXPLORE_MAX_STATES,
    max_moves: int = limits.EXPLORE_SEARCH_MOVES,
    max_seconds: float = limits.EXPLORE_MAX_SECONDS,
    sample: int = 0,
    seed: int = 1,
    max_depth: int = 200,
    progress: Callable[[int], None] | None = None,
    playthroughs: int | None = None,
    play_moves: int = limits.EXPLORE_PLAY_MOVES,
    every_state: bool = False,
) -> ExploreReport:
    """Find what play can reach, completely unless a budget runs out first.

    First the expert path and the search for novel states (`cover.py`): if they reach
    every scene, action, document, inject and ending, and no scene can be a dead end, the
    report is complete (`exhaustive`: nothing left undecided). Otherwise — or with
    `every_state` — the search of every state decides.
    With `sample`, seeded random playthroughs of at most `max_depth` moves add the balance
    of endings (`playthroughs` is its former name).
    """
    started = time.perf_counter()
    report = ExploreReport(scenario)
    explorer = Explorer(scenario, report)
    budget = _Budget(report, max_states, max_moves, max_seconds)
    bounds = Bounds(scenario)
    report.bound(bounds)
    initial = Session(scenario).state
    explorer.observe(initial, lambda: ())
    expert = _walk_expert_path(scenario, explorer)
    safe = dead_end_free(scenario, bounds)
    no_dead_ends = safe >= set(scenario.scenes)

    def prove() -> None:
        """Play for what is not reached yet, with at most half the moves (what play does
        not find, the search of every state decides), then try the proof."""
        share = report.moves + max_moves // 2

        def spent() -> bool:
            return report.moves >= share or budget.spent(0)

        cover(explorer, initial, spent, report.decided, expert)
        if report.decided() and no_dead_ends:
            report.complete = True
            report.proof = "everything that may be reached was reached"

    if not every_state:
        prove()
    if not report.complete and report.stopped is None:
        _search(explorer, initial, budget, progress)
        report.complete = report.every_state
        report.proof = "every state explored" if report.every_state else None
        if every_state and not report.complete:
            # Asked to search every state and stopped by a budget: what it reached
            # still counts, and the proof may decide the rest as it does without asking.
            stopped, report.stopped = report.stopped, None
            budget.moves = report.moves + max_moves
            prove()
            report.stopped = None if report.complete else stopped
            report.every_state_stopped = stopped
    if not report.complete:
        report.not_covered["undecided"] = report.undecided()
        if not no_dead_ends and not report.every_state:
            report.not_covered["dead_ends_in"] = [
                s for s in scenario.scenes if s not in safe and s in report.reached_scenes
            ]
    count = sample if playthroughs is None else playthroughs
    if count:
        from .sample import play  # only for the balance of endings: never for a finding

        report.sample = Sample(seed=seed)
        play(scenario, report.sample, count, seed, max_depth, play_moves)
    report.seconds = time.perf_counter() - started
    return report


def _walk_expert_path(scenario: Scenario, explorer: Explorer) -> list[Event]:
    """The expert path is a path too: it often reaches the rarest ending."""
    from ..validator import play_expert_path  # the validator builds on the explorer

    session, _problems = play_expert_path(scenario)
    state = Session(scenario).state
    path: list[Move] = []
    for event in session.events:
        child = explorer.step(state, event)
        if child is None:
            break
        path.append((event.type, event.role, event.ref, event.input))
        state = child
        explorer.observe(state, lambda p=tuple(path): p)  # type: ignore[misc]
    return list(session.events)


def _search(
    explorer: Explorer,
    initial: State,
    budget: _Budget,
    progress: Callable[[int], None] | None,
) -> None:
    """Breadth-first search of the distinct states; sets `report.every_state`."""
    report = explorer.report
    parents: dict[Any, tuple[Any, Move] | None] = {}
    root_key = explorer.key(initial)
    parents[root_key] = None

    def path_to(key: Any) -> Path:
        moves = []
        while (link := parents[key]) is not None:
            key, move = link
            moves.append(move)
        return tuple(reversed(moves))

    queue: deque[tuple[State, Any, int]] = deque([(initial, root_key, 0)])
    explorer.observe(initial, lambda: ())
    while queue:
        if budget.spent(len(parents)):
            _left_out(explorer, queue)
            return
        state, key, depth = queue.popleft()
        report.states_explored += 1
        if progress is not None and report.states_explored % 1000 == 0:
            progress(report.states_explored)
        report.max_depth = max(report.max_depth, depth)
        if state.ended:
            continue
        moved = False
        for event in (*explorer.team_moves(state), *explorer.facilitator_moves(state)):
            child = explorer.step(state, event)
            if child is None:
                continue
            moved = moved or event.type != "inject"
            child_key = explorer.key(child)
            move = (event.type, event.role, event.ref, event.input)
            # Observe before merging: the key forgets history that can no longer matter,
            # but what was reached on the way still counts as reached.
            explorer.observe(child, lambda k=key, m=move: (*path_to(k), m))  # type: ignore[misc]
            if child_key in parents:
                continue
            parents[child_key] = (key, move)
            queue.append((child, child_key, depth + 1))
        if not moved:
            explorer.dead_end(state, path_to(key))
    incomplete = [
        a
        for a in explorer.scenario.actions
        if a in report.enabled_actions
        and a in explorer.relevance.answers
        and not explorer.relevance.answers[a].complete
    ]
    if incomplete:
        report.not_covered = {"answers_of": incomplete}
        return
    report.every_state = True


def _left_out(explorer: Explorer, queue: deque[tuple[State, Any, int]]) -> None:
    """What a stopped search did not cover: the states waiting and their scenes."""
    scenes = {state.scene for state, _key, _depth in queue if state.scene is not None}
    explorer.report.not_covered = {
        "states_waiting": len(queue),
        "scenes_waiting": [s for s in explorer.scenario.scenes if s in scenes],
    }

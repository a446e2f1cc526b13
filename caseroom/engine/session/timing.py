"""Case time passing while a team waits, minute by minute in effect (rules 2).

A wait moves the clock to the next answer due. On the way, every moment at which something
happens is a stop, in time order: an answer, an `at` inject, a delayed inject falling due,
and the first minute at which a conditional inject's condition holds (`clockwatch`). At each
stop the clock is set to that minute and the consequences settle there, so an inject fires at
the case time it became due, and what it changes counts for the rest of the wait.

Rules 1 (logs recorded before rules had versions) jumped to the answer and settled once:
timed injects fired at the end of the wait, and a condition true only during the wait
(`elapsed() > hours(3) and not has('doc-reply')`) was never seen. `Session` keeps rules 1
for those logs, so they replay to the same state.
"""

from __future__ import annotations

from ..clockwatch import earliest
from ..scenario import Scenario
from .consequences import settle
from .state import State

__all__ = ["advance"]


def _next_stop(sc: Scenario, state: State, target: int) -> int:
    """The first moment in (clock, target] at which something happens, else `target`."""
    now = state.clock
    stop = target
    for pending in state.pending:
        if pending.due is not None and now < pending.due < stop:
            stop = pending.due
    for at, inject_id in sc.timed_injects:  # sorted by time
        if at >= stop:
            break
        if at > now and inject_id not in state.fired:
            stop = at
            break
    for due in state.scheduled.values():
        if now < due < stop:
            stop = due
    for inject_id, watch in sc.clock_watches.items():
        if inject_id in state.fired or inject_id in state.scheduled:
            continue
        moment = earliest(sc.conditions[inject_id], watch, state, now, stop - 1)
        if moment is not None:
            stop = moment
    return stop


def advance(sc: Scenario, state: State, target: int) -> None:
    """Move the clock to `target`, settling at every stop on the way (see the module)."""
    # Each stop but the last answers, fires or schedules something, or meets a condition
    # that then fires: bounded by what can happen, with room to spare.
    for _ in range(4 * len(sc.injects) + 2 * len(state.pending) + 4):
        if state.ending is not None or state.clock >= target:
            return
        state.clock = _next_stop(sc, state, target)
        settle(sc, state)
    if state.ending is None and state.clock < target:
        state.clock = target
        settle(sc, state)

"""Seeded random playthroughs, for a feel of how often each ending closes a case.

Kept apart from the search on purpose: what a sample reaches depends on chance, so no
finding of `caseroom validate` comes from here; only `ExploreReport.sample` does.
"""

from __future__ import annotations

import random

from ..answers import sample_answers
from ..scenario import Scenario
from ..session import Event, IllegalAction, Session, State
from .report import Sample

__all__ = ["play"]


def play(
    scenario: Scenario, sample: Sample, playthroughs: int, seed: int, length: int, moves: int
) -> None:
    """Play `playthroughs` random games of at most `length` events, `moves` events in all;
    now and then the facilitator fires a manual inject, as in a real exercise."""
    rng = random.Random(seed)
    session = Session(scenario)
    initial = session.state
    manual = [
        i for i, x in scenario.injects.items() if x.manual or (x.at is None and x.when is None)
    ]
    left = moves
    for _ in range(playthroughs):
        if left <= 0:
            break
        state = initial
        for _depth in range(length):
            if state.ended or left <= 0:
                break
            options = _options(session, state)
            if not options:
                break
            if rng.random() < 0.05:
                options += [Event("inject", ref=i) for i in manual if i not in state.fired]
            event = rng.choice(options)
            left -= 1
            child = state.copy(history=False)
            try:
                session.transition(child, event, state.seq + 1, record=False)
            except IllegalAction:  # pragma: no cover - moves are legal by construction
                break
            child.seq = state.seq + 1
            state = child
        sample.playthroughs += 1
        if state.ending is not None:
            sample.ending_counts[state.ending] = sample.ending_counts.get(state.ending, 0) + 1
        else:
            sample.unfinished += 1


def _options(session: Session, state: State) -> list[Event]:
    events: list[Event] = []
    for move in session.moves(state):
        if move.type == "act":
            assert move.ref is not None
            for answer in sample_answers(session.scenario.actions[move.ref]):
                events.append(Event("act", role=move.role, ref=move.ref, input=answer))
        elif move.type == "refuse":
            events.append(Event("refuse", role=move.role, ref=move.ref, reason="sample"))
        else:
            events.append(Event(move.type, role=move.role, ref=move.ref))
    return events

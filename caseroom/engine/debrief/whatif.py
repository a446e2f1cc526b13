"""One team, what if: where the expert path leads from a point of the team's log.

`what_if` replays the log up to that point, then takes the expert's steps as far as the
rules allow, saying which it took, which it skipped and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..scenario import Scenario
from ..session import Event, IllegalAction, Session, State
from .expert import ExpertMove, expert_moves
from .records import EventLike, Record, apply_logged, as_event

__all__ = ["SkippedStep", "WhatIf", "WhatIfMove", "what_if"]

# The kind of trajectory step each expert verb leaves (waiting leaves none).
_VERB_KIND = {"do": "act", "approve": "approve", "refuse": "refuse"}


@dataclass(frozen=True, slots=True)
class WhatIfMove(Record):
    """An expert step the continuation took, and where it led."""

    expert_step: int
    type: str
    ref: str | None
    role: str | None
    at: int | None
    scene: str | None  # the scene after the move
    ending: str | None


@dataclass(frozen=True, slots=True)
class SkippedStep(Record):
    """An expert step the continuation did not take: `code` 'done' when the team had
    already done it, else why it was not possible (an IllegalAction code)."""

    expert_step: int
    verb: str
    ref: str | None
    code: str


@dataclass(frozen=True, slots=True)
class WhatIf(Record):
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
    # From the start of an old log, the expert's first step plays by the log's rules too.
    session = Session(scenario, rules=Session.rules_of(events[:1]))
    for raw in events[:index]:
        apply_logged(session, as_event(raw))
    return session


def _on_its_own(session: Session) -> None:
    """A linked team's log, continued as the expert would: the other team is not there to
    answer, so the script answers as in an unlinked exercise. Requests waiting for the other
    team get their scripted time from now on; its requests to this team are left unanswered
    (they were the other team's play, not this team's). Nothing changes for an unlinked log."""
    state = session.state
    if not state.remote and not any(p.kind == "incoming" for p in state.pending):
        return
    kept = []
    for pending in state.pending:
        if pending.kind == "incoming":
            continue
        action = session.scenario.actions.get(pending.action)
        if pending.kind == "request" and pending.due is None and action and action.request:
            pending = replace(pending, due=state.clock + action.request.delay)
        kept.append(pending)
    state.pending = kept
    state.remote = frozenset()


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
    _on_its_own(session)
    start = len(session.events)
    moves = expert_moves(scenario)
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

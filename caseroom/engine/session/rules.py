"""The rules of the eight event types, one class each: `check` validates an event against
the state without changing anything and returns what `run` needs; `run` applies it.

`HANDLERS` maps an event type to its rule; `Session.transition` checks, then runs, then
lets the consequences settle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..answers import AnswerError, normalise_answer
from ..model import Reaction
from .consequences import (
    apply_effects,
    approved,
    complete,
    enter,
    finish,
    fire,
    jump,
    next_due,
    record,
    release,
)
from .events import Event, FeedItem, IllegalAction, Pending, Step
from .linked import LINKED_HANDLERS
from .state import State
from .timing import advance
from .tracks import of as track_of

if TYPE_CHECKING:  # the session calls the rules; the rules only read the session
    from .session import Session

__all__ = ["HANDLERS", "Rule"]


class Rule(Protocol):
    """One event type's rule; a class of two static methods serves as one."""

    @staticmethod
    def check(session: Session, state: State, event: Event, /) -> Any:
        """Raise IllegalAction if the event is not allowed now; else return what `run` needs."""

    @staticmethod
    def run(session: Session, state: State, event: Event, prepared: Any, /) -> None:
        """Apply the checked event to the state in place."""


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
        complete(session.scenario, state, event.ref, event.role, event.actor, answer)


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
        reaction = action.approval.approve
        key = f"action.{pending.action}.approval.approve"
        # The whole team learns the decision, as it does for a refusal.
        state.feed.append(
            FeedItem(state.clock, "approved", pending.action, None, None, event.role, event.actor)
        )
        record(state, "approve", pending.action, event.role, event.actor, reaction, key)
        if reaction.effects is not None:
            apply_effects(session.scenario, state, reaction.effects, event.role)
        approved(session.scenario, state, pending)  # the next step of a chain, or done


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
        release(state, pending.action)
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
        record(
            state,
            "refuse",
            pending.action,
            event.role,
            event.actor,
            reaction,
            key,
            reason=event.reason,
        )
        track = track_of(state, pending.role)  # a refusal's goto moves the asker's track
        if reaction.effects is not None:
            apply_effects(session.scenario, state, reaction.effects, event.role)
        jump(session.scenario, state, reaction.goto, reaction.end, track)


class _Wait:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        due = next_due(state)
        if due is None:
            raise IllegalAction("nothing_pending", "there is nothing to wait for")
        return due

    @staticmethod
    def run(session: Session, state: State, event: Event, due: int) -> None:
        if session.rules >= 2:
            advance(session.scenario, state, due)  # stopping wherever something happens
        else:
            state.clock = max(state.clock, due)  # rules 1: straight to the answer


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
        fire(session.scenario, state, event.ref)


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
        finish(state, event.ref)


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
        state.tracks.clear()  # the facilitator moves the whole team: every track rejoins
        enter(session.scenario, state, event.ref)


HANDLERS: dict[str, Rule] = {
    "act": _Act,
    "approve": _Approve,
    "refuse": _Refuse,
    "wait": _Wait,
    "inject": _Inject,
    "grade": _Grade,
    "end": _End,
    "jump": _Jump,
    **LINKED_HANDLERS,
}

"""Linked teams: two teams play the two sides of one case, and a request one team sends to
a role the other team plays is answered there by a person instead of by the script.

Each team keeps its own log, and each log records what crossed over, so it replays alone:

* `link` (facilitator): `input` lists the roles the linked team plays. From then on a
  request to one of them is sent without a scripted reply (`consequences.complete`). A
  later `link` with fewer roles (`[]`: the teams are unlinked, or the other team's case
  ended) hands the requests still waiting for a person there to the script, whose reply
  comes the request's delay from then (feed `handed`), and withdraws the other team's
  requests this team had not answered yet (feed `withdrawn`).
* `incoming` (the answering team): a request arrives; `role` is the asking role, `ref` the
  action, `input` the asker's answer. The request's `to` role now has it to answer.
* `answer` (the answering team): its person chooses one of the request's `replies`
  (`input`: the reply's index) or refuses with a `reason`.
* `reply` (the asking team): that answer delivered. It arrives `delay` of the asking
  team's case time after it was given (each team keeps its own case clock; the time the
  other side took to decide does not move it), with the chosen reply's message, effects and
  assessment, or the refusal's reason; the action can then be asked again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .events import Event, FeedItem, IllegalAction, Pending, Step
from .state import State

if TYPE_CHECKING:
    from .session import Session

__all__ = ["LINKED_HANDLERS", "incoming_for"]


def incoming_for(state: State, role: str) -> list[Pending]:
    """The linked team's requests this role has to answer, oldest first."""
    return [p for p in state.pending if p.kind == "incoming" and p.to == role]


def _request_to(session: Session, ref: str | None) -> str:
    action = session.scenario.actions.get(ref or "")
    if action is None or action.request is None:
        raise IllegalAction("no_request", f"'{ref}' is not a request")
    return action.request.to


def _check_choice(session: Session, event: Event) -> None:
    """An answer is one of the request's replies, or a refusal with a reason."""
    action = session.scenario.actions[event.ref or ""]
    assert action.request is not None
    if event.input is None:
        if not (event.reason or "").strip():
            raise IllegalAction("no_reason", "a refusal needs a reason")
        return
    if (
        not isinstance(event.input, int)
        or isinstance(event.input, bool)
        or not 0 <= event.input < len(action.request.replies)
    ):
        raise IllegalAction("bad_input", f"{event.ref}: there is no reply {event.input!r}")


class _Link:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        roles = event.input
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise IllegalAction("bad_input", "a link lists the roles the other team plays")
        unknown = [r for r in roles if r not in session.scenario.roles]
        if unknown:
            raise IllegalAction("unknown_role", f"there is no role '{unknown[0]}'")
        return frozenset(roles)

    @staticmethod
    def run(session: Session, state: State, event: Event, roles: frozenset[str]) -> None:
        before, state.remote = state.remote, roles
        kept: list[Pending] = []
        for pending in state.pending:
            if pending.kind == "incoming" and pending.role in before - roles:
                # Nobody on the other side waits for this answer any more.
                state.feed.append(_item(state, "withdrawn", pending, (pending.to,)))
                continue
            if pending.kind == "request" and pending.due is None and pending.to not in roles:
                # Nobody will answer in person: the script does, as for an unlinked team.
                request = session.scenario.actions[pending.action].request
                assert request is not None
                pending = replace(pending, due=state.clock + request.delay)
                state.feed.append(_item(state, "handed", pending, (pending.role, pending.to)))
            kept.append(pending)
        state.pending[:] = kept  # in place and in order: answers due at one minute keep turns


def _item(state: State, kind: str, pending: Pending, roles: tuple[str, ...]) -> FeedItem:
    return FeedItem(state.clock, kind, pending.action, None, roles, pending.role, pending.actor)


class _Incoming:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        to = _request_to(session, event.ref)
        if event.role not in session.scenario.roles:
            raise IllegalAction("unknown_role", f"there is no role '{event.role}'")
        if state.ended:
            raise IllegalAction("ended", "the case has ended")
        return to

    @staticmethod
    def run(session: Session, state: State, event: Event, to: str) -> None:
        assert event.ref is not None and event.role is not None
        state.pending.append(
            Pending("incoming", event.ref, event.role, event.actor, to, event.input, state.clock)
        )
        state.feed.append(
            FeedItem(
                state.clock,
                "incoming",
                event.ref,
                f"action.{event.ref}.text",
                (to,),
                event.role,
                event.actor,
            )
        )
        state.steps.append(
            Step(
                state.seq,
                "incoming",
                event.ref,
                state.clock,
                state.scene,
                event.role,
                event.actor,
                answer=event.input,
            )
        )


class _Answer:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        for pending in state.pending:
            if pending.kind == "incoming" and pending.action == event.ref:
                if pending.to != event.role:
                    raise IllegalAction(
                        "wrong_role", f"{event.ref}: only {pending.to} can answer this"
                    )
                _check_choice(session, event)
                return pending
        raise IllegalAction("no_request", f"{event.ref}: no request is waiting for an answer")

    @staticmethod
    def run(session: Session, state: State, event: Event, pending: Pending) -> None:
        assert event.ref is not None
        state.pending.remove(pending)
        refused = event.input is None
        state.feed.append(
            FeedItem(
                state.clock,
                "answered",
                event.ref,
                None if refused else f"action.{event.ref}.request.replies.{event.input}.message",
                (pending.to,),
                event.role,
                event.actor,
                event.reason,
            )
        )
        state.steps.append(
            Step(
                state.seq,
                "answer",
                event.ref,
                state.clock,
                state.scene,
                event.role,
                event.actor,
                answer=event.input,
                reason=event.reason,
            )
        )


class _Reply:
    @staticmethod
    def check(session: Session, state: State, event: Event) -> Any:
        to = _request_to(session, event.ref)
        for pending in state.pending:
            if (
                pending.kind == "request"
                and pending.action == event.ref
                and pending.due is None
                and pending.to == to
            ):
                _check_choice(session, event)
                return pending
        raise IllegalAction("no_request", f"{event.ref}: no request is waiting for this reply")

    @staticmethod
    def run(session: Session, state: State, event: Event, pending: Pending) -> None:
        assert event.ref is not None
        action = session.scenario.actions[event.ref]
        assert action.request is not None
        answered = replace(
            pending,
            due=state.clock + action.request.delay,
            choice=event.input,
            reason=None if event.input is not None else (event.reason or "").strip(),
        )
        # In place, so that it keeps its turn among answers due at the same minute; it
        # arrives when due as a scripted reply does (`consequences.settle`), so waiting
        # skips to it and whatever falls due on the way happens first.
        state.pending[state.pending.index(pending)] = answered


LINKED_HANDLERS: dict[str, Any] = {
    "link": _Link,
    "incoming": _Incoming,
    "answer": _Answer,
    "reply": _Reply,
}

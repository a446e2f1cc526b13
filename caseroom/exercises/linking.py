"""Linked teams: what crosses from one team's log to the other's (the engine's `linked.py`).

Two teams of one exercise play the two sides of a case (e.g. the Serbian roles in one team,
the North Macedonian roles in the other). `actions.command` stores a team's event, then asks
`crossing` what the linked team's log must record in the same transaction:

* a request this team sent to a role the other team plays arrives there (`incoming`);
* this team's answer to such a request is delivered to the asking team (`reply`);
* when this team's case ends, nobody here can answer any more: the other team's requests
  go to the script from then on (`link` with no roles), those waiting included.

`actions.unlink_teams` records the same `link` with no roles in both logs.

Both are written through `actions.command` with keys derived from the event that caused
them, so a repeat is applied once, and both teams are nudged after the commit.
"""

from __future__ import annotations

from caseroom.engine import Event, Result, Session

from .models import Team

__all__ = ["crossing", "handed_to_script", "locked_together", "partner_key"]


def handed_to_script(key: str | None = None) -> Event:
    """The other side answers no request in person any more: a `link` with no roles
    (`engine.session.linked`)."""
    return Event("link", input=[], key=key)


def locked_together(team: Team) -> list[int]:
    """The ids of the rows a command on `team` locks, in one order for every command.

    A command on a linked team may write to the other team's log too; locking both rows
    first, always in id order, lets two people of the two teams act at the same moment
    without each holding one row and waiting for the other (a deadlock on PostgreSQL).
    """
    if team.linked_team_id is None:
        return [team.pk]
    return sorted({team.pk, team.linked_team_id})


def partner_key(team: Team, seq: int, n: int = 0) -> str:
    """The idempotency key of what event `seq` of `team` sends across (n: which of them)."""
    return f"linked:{team.pk}:{seq}:{n}"


def crossing(session: Session, result: Result) -> list[Event]:
    """What the linked team's log records because of `result` (just applied to `session`)."""
    event = result.event
    if event.type == "answer":
        return [
            Event(
                "reply",
                role=event.role,
                actor=event.actor,
                ref=event.ref,
                input=event.input,
                reason=event.reason,
            )
        ]
    if any(item.kind == "ending" for item in result.feed):
        return [handed_to_script()]
    remote = session.state.remote
    if not remote:
        return []
    sent: list[Event] = []
    for item in result.feed:
        if item.kind != "request" or not item.roles or item.roles[-1] not in remote:
            continue
        answer = next(
            (
                p.answer
                for p in session.state.pending
                if p.kind == "request" and p.action == item.ref and p.due is None
            ),
            None,
        )
        sent.append(Event("incoming", role=item.role, actor=item.actor, ref=item.ref, input=answer))
    return sent

"""The play page's requests from the linked team (`linking.py`): what the receiving role
reads (who asks, what, with which answer) and the replies it may send back."""

from __future__ import annotations

from dataclasses import dataclass, field

from caseroom.engine import Pending, Scenario, Session
from caseroom.engine.session.linked import incoming_for
from caseroom.lib.forms import new_key

from .answers import answer_text
from .feed import person_label

__all__ = ["IncomingView", "incoming_views"]


@dataclass(frozen=True)
class IncomingView:
    """A request of the linked team waiting for this person's answer."""

    pending: Pending
    role: str  # the role that answers (held by this person)
    who: str  # the asking person and role
    answer: str  # what the asker sent with the request, as text
    replies: tuple[str, ...]  # the request's declared replies: their text keys' fields
    key: str = field(default_factory=new_key)
    refuse_key: str = field(default_factory=new_key)


def incoming_views(session: Session, scenario: Scenario, roles: list[str]) -> list[IncomingView]:
    views = []
    for role in roles:
        for pending in incoming_for(session.state, role):
            request = scenario.actions[pending.action].request
            assert request is not None
            views.append(
                IncomingView(
                    pending,
                    role,
                    person_label(scenario, pending.actor, pending.role),
                    answer_text(scenario, pending.action, pending.answer),
                    tuple(f"request.replies.{i}.message" for i in range(len(request.replies))),
                )
            )
    return views

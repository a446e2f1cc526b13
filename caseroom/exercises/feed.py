"""A participant's feed: what their roles have seen, newest first, with who did it.

Each item is read as it was when it arrived (text that reads the state shows that moment's
values); a scene the whole team was moved into names the person who moved it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseroom.engine import FeedItem, Scenario, Session, State
from caseroom.engine.textmoments import text_moments
from caseroom.engine.textstate import render_text
from caseroom.scenarios.texts import scenario_text

__all__ = ["FEED_KINDS", "FeedView", "feed_views", "person_label", "reason_of", "role_title"]


@dataclass(frozen=True)
class FeedView:
    item: FeedItem
    label: str
    title: str
    body: str
    who: str
    highlight: bool
    actor: str = ""  # the person who did it, when a person did: their own page stays quiet
    reason: str = ""  # a refusal's reason, in the reader's language when the script wrote it


def reason_of(sc: Scenario, item: FeedItem) -> str:
    """A refusal's reason: as the person who refused wrote it, or for an authority nobody
    plays the scripted answer's reason, translated (the engine puts its key on the item; the
    log keeps the source text)."""
    if item.kind == "refusal" and item.key:
        return scenario_text(sc, item.key) or item.reason or ""
    return item.reason or ""


def role_title(scenario: Scenario, role: str | None) -> str:
    return scenario_text(scenario, f"role.{role}.title") if role else ""


def person_label(scenario: Scenario, actor: str | None, role: str | None) -> str:
    title = role_title(scenario, role)
    if actor and title:
        return f"{actor} ({title})"
    return actor or title


def feed_views(session: Session, sc: Scenario, roles: Iterable[str]) -> list[FeedView]:
    """What the roles of one browser have seen, newest first, each item read as it was."""
    seen: set[int] = set()
    items: list[FeedItem] = []
    for role in roles:
        for item in session.feed_for(role):
            if id(item) not in seen:
                seen.add(id(item))
                items.append(item)
    # feed_for keeps the log's order; a stable sort by case time merges the roles' feeds.
    order = {id(item): i for i, item in enumerate(session.state.feed)}
    items.sort(key=lambda item: order.get(id(item), 0))
    movers = _movers(session)
    # Messages, feedback and replies read the state of the moment they arrived.
    moments = text_moments(session).feed
    return [
        _feed_view(sc, item, movers.get(id(item)), moments.get(order.get(id(item), -1)))
        for item in reversed(items)
    ]


_MOVES = ("act", "approve", "refuse", "reply", "inject", "jump")


def _movers(session: Session) -> dict[int, tuple[str | None, str | None]]:
    """Who moved the team into each scene after the first: (actor, role) by feed item.

    A step is recorded in the scene it was taken in and before the move, at the move's
    case time: the last such step left the previous scene. Replies and injects have no
    actor; the facilitator's jumps name the facilitator.
    """
    state = session.state
    found: dict[int, tuple[str | None, str | None]] = {}
    previous: str | None = None
    for item in state.feed:
        if item.kind != "scene":
            continue
        if previous is not None:
            step = next(
                (
                    s
                    for s in reversed(state.steps)
                    if s.kind in _MOVES and s.at == item.at and s.scene == previous
                ),
                None,
            )
            if step is not None and step.actor:
                found[id(item)] = (step.actor, step.role)
        previous = item.ref
    return found


def _action_title(sc: Scenario, item: FeedItem) -> str:
    return scenario_text(sc, f"action.{item.ref}.text")


def _request_channel(sc: Scenario, item: FeedItem) -> str:
    action = sc.actions.get(item.ref or "")
    return action.request.channel if action and action.request else ""


@dataclass(frozen=True)
class _FeedKind:
    """How one kind of feed item is shown: its label, its title, whether its body shows
    (False: the body becomes the title, or is not shown), whether it stands out."""

    label: Callable[[], str]
    title: Callable[[Scenario, FeedItem], str] | None  # None: the item's text is the title
    body: bool = True
    highlight: bool = False


FEED_KINDS: dict[str, _FeedKind] = {
    "scene": _FeedKind(lambda: _("Scene"), None, body=False),
    "document": _FeedKind(lambda: _("New document"), None, body=False),
    "inject": _FeedKind(
        lambda: _("News"), lambda sc, i: scenario_text(sc, f"inject.{i.ref}.title"), highlight=True
    ),
    "feedback": _FeedKind(lambda: _("Feedback"), _action_title, highlight=True),
    "approval": _FeedKind(lambda: _("Approval requested"), _action_title),
    "request": _FeedKind(lambda: _("Request sent"), _request_channel),
    "reply": _FeedKind(lambda: _("Reply received"), _action_title, highlight=True),
    # Linked teams: the other team's request arrives; this team's answer goes back.
    "incoming": _FeedKind(lambda: _("Request received"), _request_channel, highlight=True),
    "answered": _FeedKind(lambda: _("Answer sent"), _action_title),
    # The other team no longer answers (unlinked, or its case ended): the script does.
    "handed": _FeedKind(lambda: _("Answered by the case instead"), _action_title, body=False),
    "withdrawn": _FeedKind(lambda: _("Request withdrawn"), _action_title, body=False),
    "approved": _FeedKind(lambda: _("Approved"), _action_title, body=False),
    "refusal": _FeedKind(lambda: _("Refused"), _action_title, body=False),
    "ending": _FeedKind(
        lambda: _("The case ends"), lambda sc, i: scenario_text(sc, f"ending.{i.ref}.title")
    ),
}


def _feed_view(
    sc: Scenario,
    item: FeedItem,
    mover: tuple[str | None, str | None] | None = None,
    state: State | None = None,
) -> FeedView:
    text = render_text(sc, scenario_text(sc, item.key), state, get_language())
    kind = FEED_KINDS.get(item.kind)
    reason = reason_of(sc, item)
    if kind is None:  # a kind this page does not know: its text, unlabelled
        who = person_label(sc, item.actor, item.role)
        return FeedView(item, "", "", text, who, False, reason=reason)
    title = text if kind.title is None else kind.title(sc, item)
    body = text if kind.body else ""
    by, actor = person_label(sc, item.actor, item.role), item.actor or ""
    if mover is not None:  # a scene the whole team was moved into: by whom
        by = _("moved here by %(who)s") % {"who": person_label(sc, *mover)}
        actor = mover[0] or ""
    return FeedView(item, kind.label(), title, body, by, kind.highlight, actor, reason)

"""The state each text of a team's play is read at.

A scene's text, a briefing and an ending's narrative describe the present: they read the
state now. A message, a piece of feedback, a reply and a document arrived at a moment and
say what was true then ("at 14:30 the workers were moved"): they read the state right after
the event that brought them, and never change afterwards. The state is a pure function of
the scenario and the log, so replaying the log gives those states exactly, for a page, the
debrief's replay or an old log alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from .session import Event, Session, State
from .strings import catalogue
from .textstate import uses_state

__all__ = ["TextMoments", "text_moments"]


@dataclass(frozen=True)
class TextMoments:
    """States by what they are for; only texts with a placeholder have one."""

    feed: Mapping[int, State] = field(default_factory=dict)  # index in state.feed
    steps: Mapping[int, State] = field(default_factory=dict)  # index in state.steps
    documents: Mapping[str, State] = field(default_factory=dict)  # when it was unlocked


def _reads(texts: Mapping[str, str], key: str | None) -> bool:
    return key is not None and "{{" in texts.get(key, "")


class _Replay:
    """One session's replay so far: the states kept, and how far it has read."""

    def __init__(self, session: Session) -> None:
        self.texts = catalogue(session.scenario)
        self.session = Session(session.scenario)
        self.feed: dict[int, State] = {}
        self.steps: dict[int, State] = {}
        self.documents: dict[str, State] = {}
        self.seen_feed = self.seen_steps = 0
        self.capture()

    def capture(self) -> None:
        state, texts = self.session.state, self.texts
        snapshot: State | None = None

        def keep() -> State:
            nonlocal snapshot
            if snapshot is None:
                snapshot = state.copy(history=False)
            return snapshot

        for index in range(self.seen_feed, len(state.feed)):
            if _reads(texts, state.feed[index].key):
                self.feed[index] = keep()
        for index in range(self.seen_steps, len(state.steps)):
            step = state.steps[index]
            if _reads(texts, step.feedback) or _reads(texts, step.debrief):
                self.steps[index] = keep()
        for document in state.unlocked:
            if document not in self.documents and _reads(texts, f"document.{document}.body"):
                self.documents[document] = keep()
        self.seen_feed, self.seen_steps = len(state.feed), len(state.steps)

    def follow(self, events: list[Event]) -> TextMoments:
        for event in events[len(self.session.events) :]:
            self.session.apply(event)
            self.capture()
        return TextMoments(dict(self.feed), dict(self.steps), dict(self.documents))


# A team's session is kept between requests (exercises.sessions) and its feed is rendered on
# every nudge: each session's replay goes on from where it stopped instead of from the start.
_replays: WeakKeyDictionary[Session, _Replay] = WeakKeyDictionary()


def text_moments(session: Session) -> TextMoments:
    """Replay the session's log and keep the state where a text with a placeholder arrived
    (incrementally: only events not yet replayed for this session). Nothing is replayed for a
    scenario without placeholders."""
    if not uses_state(session.scenario):
        return TextMoments()
    replay = _replays.get(session)
    if replay is None:
        replay = _replays[session] = _Replay(session)
    return replay.follow(session.events)

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

from .scenario import Scenario
from .session import Session, State
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


def text_moments(session: Session) -> TextMoments:
    """Replay the session's log once and keep the state where a text with a placeholder
    arrived. Nothing is replayed for a scenario without placeholders."""
    scenario: Scenario = session.scenario
    if not uses_state(scenario):
        return TextMoments()
    texts = catalogue(scenario)
    feed: dict[int, State] = {}
    steps: dict[int, State] = {}
    documents: dict[str, State] = {}
    replay = Session(scenario)
    seen_feed = seen_steps = 0

    def capture(state: State) -> None:
        nonlocal seen_feed, seen_steps
        snapshot: State | None = None

        def keep() -> State:
            nonlocal snapshot
            if snapshot is None:
                snapshot = state.copy(history=False)
            return snapshot

        for index in range(seen_feed, len(state.feed)):
            if _reads(texts, state.feed[index].key):
                feed[index] = keep()
        for index in range(seen_steps, len(state.steps)):
            step = state.steps[index]
            if _reads(texts, step.feedback) or _reads(texts, step.debrief):
                steps[index] = keep()
        for document in state.unlocked:
            if document not in documents and _reads(texts, f"document.{document}.body"):
                documents[document] = keep()
        seen_feed, seen_steps = len(state.feed), len(state.steps)

    capture(replay.state)
    for event in session.events:
        replay.apply(event)
        capture(replay.state)
    return TextMoments(feed, steps, documents)

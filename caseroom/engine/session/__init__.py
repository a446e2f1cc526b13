"""A team's play of a scenario, event-sourced (the `Session`, in `session`).

The records of the log (`events`) and the derived `state` are kept apart from the `rules`
of each event type and the `consequences` they set off.
"""

# sample_answers lived here before answers.py; tests still import it from here.
from ..answers import sample_answers as sample_answers
from .events import Event, FeedItem, IllegalAction, Move, Option, Pending, ReplayError, Result, Step
from .session import GRADE_VALUE, RULES, Session
from .state import State

__all__ = [
    "GRADE_VALUE",
    "Event",
    "FeedItem",
    "IllegalAction",
    "Move",
    "Option",
    "Pending",
    "RULES",
    "ReplayError",
    "Result",
    "Session",
    "State",
    "Step",
]

"""A team's play of a scenario, event-sourced.

The state is a pure function of the scenario and the ordered event log: `Session.replay`
rebuilds it exactly, and a session serialises to JSON as its events. Every command is
checked in full before anything changes, so an illegal one leaves the state untouched.

The records (`events`) and the `state` are kept apart from the `rules` of each event type
and the `consequences` they set off; `session` holds the `Session` that ties them together.

>>> session = Session(scenario)                                   # doctest: +SKIP
>>> session.act("police-rs", "check-databases", actor="ana")     # doctest: +SKIP
"""

from ..answers import sample_answers as sample_answers  # its home until answers.py
from .events import Event, FeedItem, IllegalAction, Move, Option, Pending, ReplayError, Result, Step
from .session import GRADE_VALUE, Session
from .state import State

__all__ = [
    "GRADE_VALUE",
    "Event",
    "FeedItem",
    "IllegalAction",
    "Move",
    "Option",
    "Pending",
    "ReplayError",
    "Result",
    "Session",
    "State",
    "Step",
]

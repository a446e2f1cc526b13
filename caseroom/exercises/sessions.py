"""Each team's engine session, rebuilt from the event log and kept while it is current.

A cached session is used only if it has exactly as many events as the team row says
(read under the row lock), so several server processes can serve one team: a process
that is behind replays the log.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from caseroom.engine import Event, Session
from caseroom.scenarios.registry import load

from .models import Team, TeamEvent

__all__ = ["forget", "session_for"]

_MAX = 2000
_sessions: OrderedDict[int, Session] = OrderedDict()
_lock = Lock()


def session_for(team: Team) -> Session:
    """The team's session at `team.event_count` events."""
    with _lock:
        cached = _sessions.get(team.pk)
        if cached is not None and len(cached.events) == team.event_count:
            _sessions.move_to_end(team.pk)
            return cached
    scenario = load(team.exercise.scenario)
    payloads = TeamEvent.objects.filter(team=team).order_by("seq").values_list("payload", flat=True)
    session = Session(scenario, [Event.from_dict(p) for p in payloads])
    with _lock:
        _sessions[team.pk] = session
        while len(_sessions) > _MAX:
            _sessions.popitem(last=False)
    return session


def forget(team_id: int) -> None:
    with _lock:
        _sessions.pop(team_id, None)

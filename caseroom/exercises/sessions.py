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
# Keyed by the team's id and creation time: ids can repeat where rows are rolled back.
_sessions: OrderedDict[tuple[int, float], Session] = OrderedDict()
_lock = Lock()


def session_for(team: Team) -> Session:
    """The team's session at `team.event_count` events."""
    key = (team.pk, team.created_at.timestamp())
    with _lock:
        cached = _sessions.get(key)
        if cached is not None and len(cached.events) == team.event_count:
            _sessions.move_to_end(key)
            return cached
    scenario = load(team.exercise.scenario)
    payloads = TeamEvent.objects.filter(team=team).order_by("seq").values_list("payload", flat=True)
    session = Session(scenario, [Event.from_dict(p) for p in payloads])
    with _lock:
        _sessions[key] = session
        while len(_sessions) > _MAX:
            _sessions.popitem(last=False)
    return session


def forget(team_id: int) -> None:
    with _lock:
        for key in [k for k in _sessions if k[0] == team_id]:
            del _sessions[key]

"""Each team's engine session, rebuilt from the event log and kept while it is current.

A cached session is used only if it has exactly as many events as the team row says
(read under the row lock), so several server processes can serve one team: a process
that is behind replays the events it missed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from threading import Lock

from caseroom.engine import (
    Event,
    ReplayError,
    Session,
    TeamDigest,
    expert_choices,
    summarise,
)
from caseroom.scenarios.registry import load

from .models import Exercise, Team, TeamEvent

__all__ = [
    "DamagedLog",
    "digest_of",
    "digests_for",
    "forget",
    "session_for",
    "sessions_for",
    "teams_of",
]

_MAX = 2000


class DamagedLog(Exception):
    """The team's log is not what its row says (a gap, or a count that lags the log): only a
    damaged copy of the database does that. The team is refused until `manage.py checkdata`
    and a restore, instead of answering 500 on every action."""

    def __init__(self, team: Team, what: str) -> None:
        super().__init__(f"team {team.pk}: {what}")
        self.team = team


# Keyed by the team's id and creation time: ids can repeat where rows are rolled back.
_sessions: OrderedDict[tuple[int, float], Session] = OrderedDict()
_catching_up: dict[tuple[int, float], Lock] = {}
_lock = Lock()


def session_for(team: Team) -> Session:
    """The team's session at `team.event_count` events.

    A cached session that is behind (another process served the team's last commands)
    replays only the events it has not seen: with several server processes that is the
    common case, and a whole log grows with the exercise.
    """
    key = (team.pk, team.created_at.timestamp())
    with _lock:
        cached = _sessions.get(key)
        if cached is not None and len(cached.events) == team.event_count:
            _sessions.move_to_end(key)
            return cached
        catching_up = _catching_up.setdefault(key, Lock())
    if cached is not None and len(cached.events) < team.event_count:
        with catching_up:  # one thread replays; the others find it done
            seen = len(cached.events)
            if seen < team.event_count:
                try:
                    cached.extend(_events(team, since=seen, until=team.event_count))
                except ReplayError:
                    forget(team.pk)
                    cached = None
            if cached is not None and len(cached.events) == team.event_count:
                return cached
    scenario = load(team.exercise.scenario)
    session = Session(scenario, _events(team, since=0, until=team.event_count))
    _remember(key, session)
    return session


def _remember(key: tuple[int, float], session: Session) -> None:
    """Cache `session`, unless the cached one is newer (this one was read before a commit)."""
    with _lock:
        cached = _sessions.get(key)
        if cached is not None and len(cached.events) > len(session.events):
            return
        _sessions[key] = session
        while len(_sessions) > _MAX:
            old, _ = _sessions.popitem(last=False)
            _catching_up.pop(old, None)


def sessions_for(teams: Sequence[Team]) -> dict[int, Session]:
    """Several teams' sessions by team id: the current cached ones, and every other team's
    whole log in one query (a page comparing teams asked once per team before)."""
    found: dict[int, Session] = {}
    with _lock:
        for team in teams:
            cached = _sessions.get((team.pk, team.created_at.timestamp()))
            if cached is not None and len(cached.events) == team.event_count:
                found[team.pk] = cached
    missing = [team for team in teams if team.pk not in found]
    if not missing:
        return found
    logs: dict[int, list[Event]] = {team.pk: [] for team in missing}
    until = {team.pk: team.event_count for team in missing}
    rows = (
        TeamEvent.objects.filter(team__in=missing)
        .order_by("team_id", "seq")
        .values_list("team_id", "seq", "payload")
    )
    for team_id, seq, payload in rows.iterator(chunk_size=2000):
        if seq < until[team_id]:  # a command committed since the rows were read: not yet
            logs[team_id].append(Event.from_dict(payload))
    for team in missing:
        if len(logs[team.pk]) != team.event_count:
            raise DamagedLog(
                team, f"{team.event_count} events expected, {len(logs[team.pk])} found"
            )
        session = Session(load(team.exercise.scenario), logs[team.pk])
        found[team.pk] = session
        _remember((team.pk, team.created_at.timestamp()), session)
    return found


def _events(team: Team, *, since: int, until: int) -> list[Event]:
    payloads = list(
        TeamEvent.objects.filter(team=team, seq__gte=since, seq__lt=until)
        .order_by("seq")
        .values_list("payload", flat=True)
    )
    if len(payloads) != until - since:
        raise DamagedLog(team, f"events {since} to {until - 1} expected, {len(payloads)} found")
    return [Event.from_dict(p) for p in payloads]


def forget(team_id: int) -> None:
    with _lock:
        for key in [k for k in _sessions if k[0] == team_id]:
            del _sessions[key]
            _catching_up.pop(key, None)


def teams_of(exercise: Exercise) -> list[Team]:
    """The exercise's teams by name, each pointing at this exercise object: with its
    scenario already loaded, reading their sessions or digests needs no join per team."""
    teams = list(exercise.teams.order_by("name", "pk"))
    for team in teams:
        team.exercise = exercise
    return teams


def digest_of(session: Session) -> TeamDigest:
    """The digest of a session's current state (what Team.digest stores)."""
    return summarise(session, expert_choices(session.scenario).on_path)


def _stored(team: Team) -> TeamDigest | None:
    if not team.digest:
        return None
    try:
        found = TeamDigest.from_dict(team.digest)
    except ValueError:
        return None  # another version or a broken row: rebuild it
    return found if found.events == team.event_count else None


def digests_for(teams: Sequence[Team]) -> list[TeamDigest]:
    """Every team's digest, in order: the stored one when current, else rebuilt from the
    log (all stale teams' events in one query) and stored for next time."""
    found = [_stored(team) for team in teams]
    stale = [team for team, digest in zip(teams, found, strict=True) if digest is None]
    rebuilt: dict[int, TeamDigest] = {}
    if stale:
        logs: dict[int, list[Event]] = {team.pk: [] for team in stale}
        rows = (
            TeamEvent.objects.filter(team__in=stale)
            .order_by("team_id", "seq")
            .values_list("team_id", "payload")
        )
        for team_id, payload in rows.iterator(chunk_size=2000):
            logs[team_id].append(Event.from_dict(payload))
        for team in stale:
            session = Session(load(team.exercise.scenario), logs[team.pk])
            rebuilt[team.pk] = digest = digest_of(session)
            # Only where the log has not grown meanwhile: a live command may be writing.
            Team.objects.filter(pk=team.pk, event_count=digest.events).update(
                digest=digest.to_dict()
            )
    return [digest or rebuilt[team.pk] for team, digest in zip(teams, found, strict=True)]

"""What every debrief module shares: the base of the result records (one `to_dict()` for
the views, exports and tests), and reading a logged event with the replay's own checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeAlias, cast

from ..session import Event, IllegalAction, ReplayError, Result, Session

__all__ = ["EventLike", "Record", "apply_logged", "as_event"]

EventLike: TypeAlias = Event | Mapping[str, Any]


def _plain(value: Any) -> Any:
    """JSON-ready form of a result value: sets sorted, tuples as lists, records as dicts."""
    if isinstance(value, Record | Event):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class Record:
    """Base of the result dataclasses: one `to_dict()` for the views, exports and tests."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(cast(Any, self))}


def as_event(raw: EventLike) -> Event:
    return raw if isinstance(raw, Event) else Event.from_dict(raw)


def apply_logged(session: Session, event: Event) -> Result:
    """Apply a logged event with the same checks as `Session.replay`."""
    try:
        result = session.apply(event)
    except IllegalAction as error:
        raise ReplayError(
            f"event {len(session.events)} ({event.type} {event.ref}): {error.message}"
        ) from None
    if event.at is not None and not result.repeated and result.event.at != event.at:
        raise ReplayError(
            f"event {len(session.events) - 1} was recorded at case time {event.at}, "
            f"replay reaches it at {result.event.at}"
        )
    return result

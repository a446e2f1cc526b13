"""The date a document shows: as its author wrote it, or the case date it reached the team.

A record the team asks for (a witness statement, a bank's answer) is dated when it is made.
With a fixed date, a team faster than the author planned reads it dated in its future, and a
slower one reads a record dated days before it asked for it. `date: arrival` dates it by the
case clock at the moment it was unlocked, so every team reads a date that fits its own play.
"""

from __future__ import annotations

from .scenario import Scenario
from .textstate import case_moment

__all__ = ["ARRIVAL", "document_date"]

ARRIVAL = "arrival"


def document_date(scenario: Scenario, doc_id: str, unlocked_at: int | None) -> str | None:
    """The date shown with the document: its written `date`, or for `date: arrival` the case
    date (ISO) at `unlocked_at` (case minutes; None: visible from the start, the first day)."""
    written = scenario.documents[doc_id].date
    if written != ARRIVAL:
        return written
    return case_moment(scenario, unlocked_at or 0).date().isoformat()

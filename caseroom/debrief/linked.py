"""Both sides of a linked pair of teams in one timeline (exercises/linking.py).

Each team keeps its own case clock, so the two timelines are merged in the order things
happened in the room (the order the events were written): a request, the other team's
answer and the reply arriving read in the order people lived them. Each side's step keeps
its own case time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseroom.exercises.models import Team, TeamEvent

from .reports import StepRow, TeamReport, team_report

__all__ = ["LinkedRow", "LinkedTimeline", "linked_timeline"]


@dataclass(frozen=True)
class LinkedRow:
    """One moment of the merged timeline: a step of one side (the other cell is empty)."""

    wall: dt.datetime | None
    left: StepRow | None
    right: StepRow | None


@dataclass(frozen=True)
class LinkedTimeline:
    left: Team  # the team whose debrief this is
    right: Team  # the team linked to it
    rows: list[LinkedRow]


def _written(team: Team, steps: list[StepRow]) -> list[int]:
    """Each step's place in the order the two logs were written: the id of the event that
    caused it. Ids count across both teams (one table), and the room's clock stamps only
    seconds, within which a request and its answer often fall."""
    ids = dict(TeamEvent.objects.filter(team=team).values_list("seq", "pk"))
    return [ids.get(row.step.event, 0) if row.step.event is not None else 0 for row in steps]


def linked_timeline(team: Team, own: TeamReport) -> LinkedTimeline | None:
    """The merged timeline of `team` (its report `own`) and its linked team, if any."""
    partner_id = team.linked_team_id or team.played_with_id  # unlinked since: still shown
    if partner_id is None:
        return None
    partner = Team.objects.select_related("exercise__scenario").get(pk=partner_id)
    theirs = team_report(partner)
    merged = [
        (written, side, n, row)
        for side, (who, steps) in enumerate(((team, own.steps), (partner, theirs.steps)))
        for n, (written, row) in enumerate(zip(_written(who, steps), steps, strict=True))
    ]
    merged.sort(key=lambda entry: (entry[0], entry[1], entry[2]))
    rows = [
        LinkedRow(row.wall, row if side == 0 else None, row if side == 1 else None)
        for _moment, side, _n, row in merged
    ]
    return LinkedTimeline(team, partner, rows)

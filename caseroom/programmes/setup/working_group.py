"""The technical working group's pages: members, meetings, and the open action items across them.

An open action item whose due date has passed is *overdue* (`today` is an argument, so a test
sets the day instead of travelling in time). Queries are fixed whatever the number of meetings:
the overview takes 3, a meeting page 5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.safestring import SafeString, mark_safe

from caseroom.lib.markdown import render_markdown
from caseroom.programmes.models import ActionItem, Meeting, Programme, WorkingGroupMember

__all__ = [
    "ActionLine",
    "MeetingLine",
    "MeetingPage",
    "Overview",
    "meeting_page",
    "open_actions",
    "overview",
]

OPEN = ActionItem.Status.OPEN


@dataclass(frozen=True)
class ActionLine:
    item_id: int
    meeting_id: int
    meeting: str
    text: str
    owner: str
    due_on: dt.date | None
    status: str
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class MeetingLine:
    meeting_id: int
    held_on: dt.date
    place: str
    present: int
    decisions: int
    open_actions: int


@dataclass(frozen=True)
class Overview:
    members: tuple[WorkingGroupMember, ...]
    meetings: tuple[MeetingLine, ...]
    open_actions: tuple[ActionLine, ...]
    overdue: int


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    agenda_html: SafeString
    minutes_html: SafeString
    present: tuple[str, ...]
    absent: tuple[str, ...]
    modules: tuple[str, ...]
    decisions: tuple[tuple[int, str], ...]
    actions: tuple[ActionLine, ...]


def _line(item: ActionItem, today: dt.date) -> ActionLine:
    return ActionLine(
        item_id=item.pk,
        meeting_id=item.meeting_id,
        meeting=str(item.meeting),
        text=item.text,
        owner=str(item.owner) if item.owner else "",
        due_on=item.due_on,
        status=item.status,
        status_label=str(item.get_status_display()),
        overdue=item.status == OPEN and item.due_on is not None and item.due_on < today,
    )


def open_actions(programme: Programme, *, today: dt.date) -> tuple[ActionLine, ...]:
    """Open action items of every meeting, those due first; an undated one last (1 query)."""
    items = (
        ActionItem.objects.filter(meeting__programme=programme, status=OPEN)
        .select_related("meeting", "owner")
        .order_by("due_on", "meeting__held_on", "pk")
    )
    # The database puts NULLs first (SQLite) or last (PostgreSQL): say it once here.
    ordered = sorted(items, key=lambda item: (item.due_on is None, item.due_on or today))
    return tuple(_line(item, today) for item in ordered)


def overview(programme: Programme, *, today: dt.date) -> Overview:
    members = tuple(WorkingGroupMember.objects.filter(programme=programme))
    meetings = (
        Meeting.objects.filter(programme=programme)
        .annotate(
            n_present=Count("present", distinct=True),
            n_decisions=Count("decisions", distinct=True),
            n_open=Count("action_items", filter=Q(action_items__status=OPEN), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )
    actions = open_actions(programme, today=today)
    return Overview(
        members=members,
        meetings=tuple(
            MeetingLine(
                meeting_id=m.pk,
                held_on=m.held_on,
                place=m.place,
                present=m.n_present,
                decisions=m.n_decisions,
                open_actions=m.n_open,
            )
            for m in meetings
        ),
        open_actions=actions,
        overdue=sum(line.overdue for line in actions),
    )


def meeting_page(meeting: Meeting, *, today: dt.date) -> MeetingPage:
    members = list(WorkingGroupMember.objects.filter(programme_id=meeting.programme_id))
    present_ids = set(meeting.present.values_list("pk", flat=True))
    items = meeting.action_items.select_related("meeting", "owner").order_by("due_on", "pk")
    return MeetingPage(
        meeting=meeting,
        # nh3 has already removed anything that could run in a browser.
        agenda_html=mark_safe(render_markdown(meeting.agenda)),  # noqa: S308
        minutes_html=mark_safe(render_markdown(meeting.minutes)),  # noqa: S308
        present=tuple(str(m) for m in members if m.pk in present_ids),
        absent=tuple(str(m) for m in members if m.pk not in present_ids),
        modules=tuple(str(module) for module in meeting.modules.order_by("number")),
        decisions=tuple(meeting.decisions.order_by("pk").values_list("pk", "text")),
        actions=tuple(_line(item, today) for item in items),
    )

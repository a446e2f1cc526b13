"""Every write of the needs findings and of the technical working group: one transaction each.

None of these touches people trained, so no AuditEntry: the meeting's own record (date,
minutes, decisions) is the history the working group keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from caseroom.programmes.models import (
    ActionItem,
    Decision,
    Finding,
    Meeting,
    Module,
    Programme,
    WorkingGroupMember,
)

__all__ = [
    "add_action_item",
    "add_decision",
    "delete_finding",
    "delete_meeting",
    "remove_decision",
    "remove_member",
    "save_finding",
    "save_meeting",
    "save_member",
    "set_action_status",
]


def save_finding(
    programme: Programme,
    finding: Finding | None,
    *,
    topic: str,
    text: str,
    modules: Iterable[Module],
) -> Finding:
    with transaction.atomic():
        if finding is None:
            finding = Finding.objects.create(programme=programme, topic=topic, text=text)
        else:
            finding.topic, finding.text = topic, text
            finding.save(update_fields=["topic", "text"])
        finding.modules.set(modules)
    return finding


def delete_finding(finding: Finding) -> None:
    with transaction.atomic():
        finding.delete()


def save_member(
    programme: Programme,
    member: WorkingGroupMember | None,
    *,
    name: str,
    institution: str,
    function: str,
) -> WorkingGroupMember:
    with transaction.atomic():
        if member is None:
            return WorkingGroupMember.objects.create(
                programme=programme, name=name, institution=institution, function=function
            )
        member.name, member.institution, member.function = name, institution, function
        member.save(update_fields=["name", "institution", "function"])
        return member


def remove_member(member: WorkingGroupMember) -> None:
    """Removes a member; meetings forget their presence, action items keep no owner."""
    with transaction.atomic():
        member.delete()


def save_meeting(
    programme: Programme,
    meeting: Meeting | None,
    *,
    held_on: dt.date,
    place: str,
    agenda: str,
    minutes: str,
    present: Iterable[WorkingGroupMember],
    modules: Iterable[Module],
) -> Meeting:
    fields = {"held_on": held_on, "place": place, "agenda": agenda, "minutes": minutes}
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting.objects.create(programme=programme, **fields)
        else:
            for name, value in fields.items():
                setattr(meeting, name, value)
            meeting.save(update_fields=list(fields))
        meeting.present.set(present)
        meeting.modules.set(modules)
    return meeting


def delete_meeting(meeting: Meeting) -> None:
    with transaction.atomic():
        meeting.delete()


def add_decision(meeting: Meeting, text: str) -> Decision:
    with transaction.atomic():
        return Decision.objects.create(meeting=meeting, text=text)


def remove_decision(decision: Decision) -> None:
    with transaction.atomic():
        decision.delete()


def add_action_item(
    meeting: Meeting, *, text: str, owner: WorkingGroupMember | None, due_on: dt.date | None
) -> ActionItem:
    with transaction.atomic():
        return ActionItem.objects.create(meeting=meeting, text=text, owner=owner, due_on=due_on)


def set_action_status(item: ActionItem, status: str) -> bool:
    """Marks an action item open, done or dropped; False when it already was."""
    new = ActionItem.Status(status)
    if item.status == new:
        return False
    with transaction.atomic():
        item.status = new
        item.save(update_fields=["status"])
    return True

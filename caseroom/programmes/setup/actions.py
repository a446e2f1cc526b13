"""Every write of the programme itself, its staff and its logframe: one transaction each.

A refused write raises `Refused` with a stable code and the words to show (translated), as
`exercises.actions.Refused` does; a bare ValueError still means a bug. The rule "a programme
keeps at least one manager" is checked here, with the programme row locked, so two managers
demoting each other at the same moment cannot leave it with none.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caseroom.programmes.models import (
    AuditEntry,
    Indicator,
    Membership,
    Outcome,
    Output,
    Programme,
)

__all__ = [
    "PROGRAMME_FIELDS",
    "Refused",
    "add_staff",
    "change_role",
    "create_programme",
    "delete_indicator",
    "delete_outcome",
    "delete_output",
    "remove_staff",
    "save_indicator",
    "save_outcome",
    "save_output",
    "update_programme",
]

Role = Membership.Role

PROGRAMME_FIELDS = (
    "title",
    "funder",
    "implementer",
    "starts_on",
    "ends_on",
    "countries",
    "summary",
    "min_cell",
)
INDICATOR_FIELDS = (
    "output",
    "code",
    "title",
    "unit",
    "baseline",
    "target",
    "measure",
    "threshold",
    "manual_value",
    "disaggregation",
    "module",
)


class Refused(Exception):
    """A write the rules do not allow: a stable `code` and the message to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- the programme


def create_programme(user: User, **fields: Any) -> Programme:
    """A new programme; its creator becomes its first manager."""
    with transaction.atomic():
        programme = Programme.objects.create(
            **{name: fields[name] for name in PROGRAMME_FIELDS if name in fields}
        )
        Membership.objects.create(user=user, programme=programme, role=Role.MANAGER)
    return programme


def _audit(programme_id: int, kind: AuditEntry.Kind, detail: str, by: User | None) -> None:
    AuditEntry.objects.create(programme_id=programme_id, kind=kind, detail=detail[:300], user=by)


def update_programme(programme: Programme, *, by: User | None = None, **fields: Any) -> list[str]:
    """Writes the fields that changed; returns their names (audited: who changed what)."""
    changed = [
        name
        for name in PROGRAMME_FIELDS
        if name in fields and getattr(programme, name) != fields[name]
    ]
    if changed:
        with transaction.atomic():
            details = [f"{name}: {getattr(programme, name)} → {fields[name]}" for name in changed]
            for name in changed:
                setattr(programme, name, fields[name])
            programme.save(update_fields=changed)
            _audit(programme.pk, AuditEntry.Kind.SETTINGS, "; ".join(details), by)
    return changed


# ---------------------------------------------------------------- staff


def add_staff(
    programme: Programme, username: str, role: str, *, by: User | None = None
) -> Membership:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Refused("unknown_user", _("No active user has this user name."))
    try:
        with transaction.atomic():
            member = Membership.objects.create(user=user, programme=programme, role=Role(role))
            _audit(programme.pk, AuditEntry.Kind.STAFF, f"{username}: {role}", by)
            return member
    except IntegrityError:
        raise Refused(
            "already_staff",
            _("%(user)s already has a role in this programme: change it in the list.")
            % {"user": username},
        ) from None


def _other_managers(programme_id: int, membership: Membership) -> int:
    """Managers besides `membership`, counted with the programme row locked."""
    Programme.objects.select_for_update().filter(pk=programme_id).first()
    return (
        Membership.objects.filter(programme_id=programme_id, role=Role.MANAGER)
        .exclude(pk=membership.pk)
        .count()
    )


def _last_manager() -> Refused:
    return Refused(
        "last_manager",
        _(
            "A programme keeps at least one manager: make someone else a manager first, "
            "then change this role."
        ),
    )


def change_role(membership: Membership, role: str, *, by: User | None = None) -> bool:
    """Gives the member another role; False when it was already theirs."""
    new = Role(role)
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.role == new:
            return False
        if current.role == Role.MANAGER and not _other_managers(current.programme_id, current):
            raise _last_manager()
        detail = f"{current.user.get_username()}: {current.role} → {new}"
        current.role = new
        current.save(update_fields=["role"])
        _audit(current.programme_id, AuditEntry.Kind.STAFF, detail, by)
    membership.role = new
    return True


def remove_staff(membership: Membership, *, by: User | None = None) -> None:
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if current is None:
            return  # removed already (a second click): nothing left to do
        if current.role == Role.MANAGER and not _other_managers(current.programme_id, current):
            raise _last_manager()
        detail = f"{current.user.get_username()}: {current.role} → removed"
        current.delete()
        _audit(current.programme_id, AuditEntry.Kind.STAFF, detail, by)


# ---------------------------------------------------------------- logframe


def _code_taken() -> Refused:
    return Refused("code_taken", _("This code is already used in the logframe."))


def save_outcome(programme: Programme, outcome: Outcome | None, code: str, title: str) -> Outcome:
    try:
        with transaction.atomic():
            if outcome is None:
                return Outcome.objects.create(programme=programme, code=code, title=title)
            outcome.code, outcome.title = code, title
            outcome.save(update_fields=["code", "title"])
            return outcome
    except IntegrityError:
        raise _code_taken() from None


def save_output(outcome: Outcome, output: Output | None, code: str, title: str) -> Output:
    try:
        with transaction.atomic():
            if output is None:
                return Output.objects.create(outcome=outcome, code=code, title=title)
            output.outcome, output.code, output.title = outcome, code, title
            output.save(update_fields=["outcome", "code", "title"])
            return output
    except IntegrityError:
        raise _code_taken() from None


def save_indicator(indicator: Indicator | None, **fields: Any) -> Indicator:
    """Creates (indicator None) or updates an indicator from a form's cleaned data."""
    values = {name: fields[name] for name in INDICATOR_FIELDS if name in fields}
    # Only the measures that read them keep a threshold or a hand-entered value.
    if values.get("measure") != Indicator.Measure.GAIN_ABOVE:
        values["threshold"] = None
    if values.get("measure") != Indicator.Measure.MANUAL:
        values["manual_value"] = None
    values.setdefault("baseline", Decimal(0))
    try:
        with transaction.atomic():
            if indicator is None:
                return Indicator.objects.create(**values)
            for name, value in values.items():
                setattr(indicator, name, value)
            indicator.save(update_fields=list(values))
            return indicator
    except IntegrityError:
        raise _code_taken() from None


def _delete(rows: Iterable[Outcome | Output | Indicator]) -> None:
    with transaction.atomic():
        for row in rows:
            row.delete()


def delete_outcome(outcome: Outcome) -> None:
    """Removes the outcome with its outputs and their indicators (the form asked first)."""
    _delete([outcome])


def delete_output(output: Output) -> None:
    _delete([output])


def delete_indicator(indicator: Indicator) -> None:
    _delete([indicator])

"""Two rows of the registry found to be one person become one: everything moves to the kept row.

What moves: enrolments (with their attendance days and certificate), exercise seats and team
places (where both were placed in one exercise, the kept row's place stays), agenda items
they taught, the sensitive record, "not the same person" decisions, and rows of any
relation to Person added later by other parts of the programme (moved by a plain update:
`KNOWN` lists the relations with a rule of their own, and a test fails when a new relation
appears, so that whoever adds one decides whether it needs a rule here).

Conflicts: both enrolled in one session → the enrolment with more days present stays (the
kept row's on a tie) and the other is deleted with its days; if only the deleted one had a
certificate, the certificate moves to the enrolment that stays, so a printed certificate
still verifies. Both with a sensitive record → the kept row's stays. The dropped row is then
deleted. One transaction; the audit row holds record numbers and counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext as _

from caseroom.programmes.models import (
    AgendaItem,
    AuditEntry,
    Certificate,
    Enrolment,
    NotTheSamePerson,
    Person,
    Seat,
    SensitiveRecord,
)
from caseroom.programmes.models.delivery import TeamPlace

from .actions import Refused, audit

__all__ = ["KNOWN", "Merged", "merge"]

# Relations to Person moved with a rule of their own below (related model, field name).
KNOWN = frozenset(
    {
        ("programmes.enrolment", "person"),
        ("programmes.seat", "person"),
        ("programmes.agendaitem", "trainer"),
        ("programmes.sensitiverecord", "person"),
        ("programmes.notthesameperson", "first"),
        ("programmes.notthesameperson", "second"),
        ("programmes.teamplace", "person"),
    }
)


@dataclass(frozen=True)
class Merged:
    kept: int
    dropped: int
    enrolments_moved: int
    conflicts: int  # sessions both were enrolled in
    other_rows: int  # rows of other relations moved


def relations() -> list[ForeignObjectRel]:
    """Every relation from another model to Person."""
    return [
        rel for rel in Person._meta.related_objects if rel.field.many_to_one or rel.field.one_to_one
    ]


def merge(keep: Person, drop: Person, user: object) -> Merged:
    if keep.pk == drop.pk or keep.programme_id != drop.programme_id:
        raise Refused(_("Choose two people of the same programme."), code="same_row")
    with transaction.atomic():
        # Both rows locked, in a fixed order, so two managers merging crossing pairs wait.
        rows = list(
            Person.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]).order_by("pk")
        )
        if len(rows) != 2:
            raise Refused(_("One of the two people no longer exists."), code="gone")
        moved, conflicts = _enrolments(keep, drop)
        Seat.objects.filter(person=drop).update(person=keep)
        # One team per exercise and person: where both were placed, the kept row's place stays.
        TeamPlace.objects.filter(
            person=drop, exercise__in=TeamPlace.objects.filter(person=keep).values("exercise")
        ).delete()
        TeamPlace.objects.filter(person=drop).update(person=keep)
        AgendaItem.objects.filter(trainer=drop).update(trainer=keep)
        if SensitiveRecord.objects.filter(person=keep).exists():
            SensitiveRecord.objects.filter(person=drop).delete()
        else:
            SensitiveRecord.objects.filter(person=drop).update(person=keep)
        _decisions(keep, drop)
        other = _other_relations(keep, drop)
        Person.objects.filter(pk=drop.pk).delete()
        audit(
            keep.programme,
            AuditEntry.Kind.MERGE,
            f"Merged person #{drop.pk} into #{keep.pk}: {moved} enrolment(s) moved, "
            f"{conflicts} session(s) in both kept once",
            user,
        )
    return Merged(keep.pk, drop.pk, moved, conflicts, other)


def _enrolments(keep: Person, drop: Person) -> tuple[int, int]:
    kept = {e.session_id: e for e in Enrolment.objects.filter(person=keep)}
    moved = conflicts = 0
    for theirs in Enrolment.objects.filter(person=drop):
        ours = kept.get(theirs.session_id)
        if ours is None:
            theirs.person = keep
            theirs.save(update_fields=["person"])
            moved += 1
            continue
        conflicts += 1
        winner, loser = (
            (theirs, ours) if theirs.days_present > ours.days_present else (ours, theirs)
        )
        certificate = Certificate.objects.filter(enrolment=loser).first()
        has_own = Certificate.objects.filter(enrolment=winner).exists()
        if certificate is not None and not has_own:
            certificate.enrolment = winner
            certificate.save(update_fields=["enrolment"])
        loser.delete()
        if winner is theirs:
            winner.person = keep
            winner.save(update_fields=["person"])
            moved += 1
    return moved, conflicts


def _decisions(keep: Person, drop: Person) -> None:
    """ "Not the same person" decisions about the dropped row now speak of the kept one."""
    pairs = NotTheSamePerson.objects.filter(first=drop) | NotTheSamePerson.objects.filter(
        second=drop
    )
    for decision in list(pairs):
        other = decision.second_id if decision.first_id == drop.pk else decision.first_id
        decision.delete()
        if other == keep.pk:
            continue  # "keep ≠ drop" was overruled by this merge
        low, high = sorted((keep.pk, other))
        NotTheSamePerson.objects.get_or_create(
            first_id=low, second_id=high, defaults={"decided_by_id": decision.decided_by_id}
        )


def _other_relations(keep: Person, drop: Person) -> int:
    moved = 0
    for rel in relations():
        name = (rel.related_model._meta.label_lower, rel.field.name)
        if name in KNOWN:
            continue
        try:
            with transaction.atomic():  # a savepoint: the merge can say what failed
                moved += rel.related_model._default_manager.filter(**{rel.field.name: drop}).update(
                    **{rel.field.name: keep}
                )
        except IntegrityError:
            raise Refused(
                _("Both records have %(what)s that cannot be combined; merge them by hand.")
                % {"what": rel.related_model._meta.verbose_name_plural},
                code="conflict",
            ) from None
    return moved

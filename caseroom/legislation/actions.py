"""Every write of the legislation assessment: matrices, criteria, assessments (each changed
field kept as an `AssessmentChange` in the same transaction) and recommendations made into
the coordination's corrective measures. A refused write raises cooperation's
`Refused(message, code=...)` with the words to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.actions import Refused
from caseroom.cooperation.models import Coordination, Measure

from .models import COUNTRIES, Assessment, AssessmentChange, Criterion, Matrix, Rating

__all__ = [
    "ASSESSED_FIELDS",
    "Conflict",
    "Refused",
    "add_criterion",
    "assess",
    "create_matrix",
    "make_measure",
    "measure_key",
]

# The fields of an assessment a person states; each change to one is kept (before → after).
ASSESSED_FIELDS = ("provision_ref", "provision_summary", "rating", "evidence", "recommendation")
COUNTRY_CODES = frozenset(code for code, _label in COUNTRIES)


def create_matrix(coordination: Coordination, title: str, *, demo: bool = False) -> Matrix:
    """The coordination's matrix of this title (made once: the same title returns it)."""
    with transaction.atomic():
        matrix, _created = Matrix.objects.get_or_create(
            coordination=coordination, title=title[:200], defaults={"demo": demo}
        )
        return matrix


def add_criterion(
    matrix: Matrix, *, code: str, question: str, source: str, article: str, position: int = 0
) -> Criterion:
    """A criterion of the matrix; the same code again updates its wording and citation."""
    if source not in Criterion.Source.values:
        raise Refused(_("Choose one of the listed sources."), code="unknown_source")
    with transaction.atomic():
        criterion, _created = Criterion.objects.update_or_create(
            matrix=matrix,
            code=code[:20],
            defaults={
                "question": question[:300],
                "source": source,
                "article": article[:60],
                "position": position,
            },
        )
        return criterion


class Conflict(Refused):
    """Someone else changed a field since the form was opened, and this save changes it too,
    to something else: neither value is taken silently. `changes` are the others' changes."""

    def __init__(self, message: str, changes: list[AssessmentChange]) -> None:
        super().__init__(message, code="changed")
        self.changes = changes


def last_change(criterion: Criterion, country: str) -> int:
    """What a form remembers as `seen`: the newest change of the cell when it was opened."""
    found = (
        AssessmentChange.objects.filter(
            assessment__criterion=criterion, assessment__country=country
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return found or 0


def _merge(cell: Assessment, values: Mapping[str, str], seen: int) -> dict[str, str]:
    """A three-way merge with the changes made since `seen`: a field another person changed
    and this form did not (it still holds the value from before their change) keeps their
    value; a field both changed to different values is a conflict."""
    since = list(
        AssessmentChange.objects.filter(assessment=cell, pk__gt=seen)
        .select_related("by")
        .order_by("pk")
    )
    if not since:
        return dict(values)
    before: dict[str, str] = {}
    for change in since:
        before.setdefault(change.field, change.before)
    merged = dict(values)
    clashes = []
    for name, base in before.items():
        if name not in merged:
            continue
        current = str(getattr(cell, name))
        if merged[name] == base:
            merged[name] = current  # untouched here: keep the other person's value
        elif merged[name] != current:
            clashes.append(name)
    if clashes:
        others = [change for change in since if change.field in clashes]
        who = ", ".join(
            sorted({change.by.get_username() if change.by else "?" for change in others})
        )
        raise Conflict(
            _(
                "%(who)s changed this cell since you opened it (%(fields)s). Your text is kept "
                "below; check their change and save again to replace it."
            )
            % {"who": who, "fields": ", ".join(clashes)},
            others,
        )
    return merged


def assess(
    criterion: Criterion,
    country: str,
    values: Mapping[str, str],
    *,
    by: User | None,
    today: dt.date | None = None,
    seen: int | None = None,
) -> tuple[Assessment, list[AssessmentChange]]:
    """Sets the cell's assessed fields (those in `values`); the assessor and date become `by` and
    `today` when anything changed. One `AssessmentChange` per field whose value changed, in the
    same transaction; the same values again change nothing and record nothing (a repeated
    submit is harmless). With `seen` (the cell's last change when the form was opened, see
    `last_change`), changes made since by someone else are merged, never overwritten unseen
    (`Conflict` when both changed one field). Returns the assessment and the changes recorded."""
    unknown = set(values) - set(ASSESSED_FIELDS)
    if unknown:
        raise TypeError(f"not an assessed field: {sorted(unknown)}")
    if country not in COUNTRY_CODES:
        raise Refused(_("Choose one of the listed countries."), code="unknown_country")
    if "rating" in values and values["rating"] not in Rating.values:
        raise Refused(_("Choose one of the listed assessments."), code="unknown_rating")
    today = today or timezone.localdate()
    with transaction.atomic():
        cell = (
            Assessment.objects.select_for_update()
            .filter(criterion=criterion, country=country)
            .first()
        )
        if cell is None:
            cell = Assessment(criterion=criterion, country=country, assessed_on=today)
        elif seen is not None:
            values = _merge(cell, values, seen)
        changes = [
            AssessmentChange(field=name, before=str(getattr(cell, name)), after=value, by=by)
            for name, value in values.items()
            if str(getattr(cell, name)) != value
        ]
        if not changes and cell.pk is not None:
            return cell, []
        for change in changes:
            setattr(cell, change.field, change.after)
        cell.assessor = by
        cell.assessed_on = today
        cell.save()
        for change in changes:  # one by one: each row gets its `at` and pk on every database
            change.assessment = cell
            change.save()
        return cell, changes


def measure_key(assessment: Assessment) -> str:
    """The idempotency key of the measure made of this assessment's recommendation."""
    return f"legislation-assessment-{assessment.pk}"


def make_measure(
    assessment: Assessment,
    *,
    institution: str,
    responsible: str,
    due_on: dt.date,
    by: User | None,
) -> Measure:
    """The recommendation as a corrective measure of the matrix's coordination: one per
    assessment (asked again, the one recorded is returned, whoever asks and however often)."""
    with transaction.atomic():
        cell = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("criterion__matrix__coordination", "measure")
            .get(pk=assessment.pk)
        )
        if cell.measure is not None:
            return cell.measure
        if not cell.recommendation.strip():
            raise Refused(_("Write the recommendation first."), code="no_recommendation")
        criterion = cell.criterion
        measure = cooperation.record_measure(
            criterion.matrix.coordination,
            what=cell.recommendation,
            institution=institution,
            responsible=responsible,
            due_on=due_on,
            country=cell.country,
            origin_label=f"Legislation: {criterion.code} {cell.get_country_display()}",
            key=measure_key(cell),
            by=by,
        )
        cell.measure = measure
        cell.save(update_fields=["measure"])
        assessment.measure = measure
        return measure

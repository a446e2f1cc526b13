"""What the legislation pages show, as frozen dataclasses: the heatmap (countries × criteria)
and one cell with its history. Two queries for the heatmap whatever its size (criteria; the
assessments with their measures' status)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import COUNTRIES, Assessment, AssessmentChange, Criterion, Matrix, Rating

# Heatmap colour step of each rating (legislation.css); the text is always written too.
STEP = {
    Rating.IN_LINE: "in-line",
    Rating.PARTLY: "partly",
    Rating.NOT: "not",
    Rating.NO_PROVISION: "no-provision",
    Rating.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Cell:
    criterion_id: int
    country: str
    rating: str  # a Rating value; "unknown" where nothing is assessed yet
    label: str
    step: str
    assessed: bool
    measure_status: str  # the measure's status label, "" without a measure


@dataclass(frozen=True)
class Row:
    country: str
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Heatmap:
    criteria: tuple[Criterion, ...]
    rows: tuple[Row, ...]
    counts: tuple[tuple[str, str, int], ...]  # (step, label, cells) for the legend


def heatmap(matrix: Matrix) -> Heatmap:
    criteria = tuple(Criterion.objects.filter(matrix=matrix))
    found = {
        (a.criterion_id, a.country): a
        for a in Assessment.objects.filter(criterion__matrix=matrix)
        .select_related("measure")
        .only("criterion_id", "country", "rating", "measure__status")
    }
    rows = []
    tally = dict.fromkeys(Rating, 0)
    for code, name in COUNTRIES:
        cells = []
        for criterion in criteria:
            assessment = found.get((criterion.pk, code))
            rating = Rating(assessment.rating) if assessment else Rating.UNKNOWN
            tally[rating] += 1
            measure = assessment.measure if assessment else None
            cells.append(
                Cell(
                    criterion_id=criterion.pk,
                    country=code,
                    rating=rating.value,
                    label=str(rating.label),
                    step=STEP[rating],
                    assessed=assessment is not None,
                    measure_status=measure.get_status_display() if measure else "",
                )
            )
        rows.append(Row(code, str(name), tuple(cells)))
    counts = tuple((STEP[r], str(r.label), tally[r]) for r in Rating)
    return Heatmap(criteria, tuple(rows), counts)


@dataclass(frozen=True)
class Change:
    field: str  # the field's label in the reader's language
    before: str
    after: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class CellPage:
    criterion: Criterion
    country: str
    name: str
    assessment: Assessment | None  # None: not assessed yet (a GET creates nothing)
    rating_label: str
    step: str
    changes: tuple[Change, ...]


def cell_page(criterion: Criterion, country: str) -> CellPage:
    assessment = (
        Assessment.objects.select_related("assessor", "measure")
        .filter(criterion=criterion, country=country)
        .first()
    )
    changes: tuple[Change, ...] = ()
    if assessment is not None:
        changes = tuple(_change(c) for c in assessment.changes.select_related("by"))
    rating = Rating(assessment.rating) if assessment else Rating.UNKNOWN
    return CellPage(
        criterion=criterion,
        country=country,
        name=str(dict(COUNTRIES)[country]),
        assessment=assessment,
        rating_label=str(rating.label),
        step=STEP[rating],
        changes=changes,
    )


def _change(change: AssessmentChange) -> Change:
    def shown(value: str) -> str:
        if change.field == "rating" and value in Rating.values:
            return str(Rating(value).label)
        return value

    field = str(getattr(Assessment._meta.get_field(change.field), "verbose_name", change.field))
    by = change.by.get_username() if change.by else ""
    return Change(field, shown(change.before), shown(change.after), by, change.at)

"""The matrix as an XLSX workbook (lib.tables: formulas neutralised): one line per criterion ×
country as assessed, and every change kept. Four queries whatever the size."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.lib.tables import write_xlsx_book

from .models import COUNTRIES, Assessment, AssessmentChange, Criterion, Matrix, Rating


def matrix_xlsx(matrix: Matrix) -> bytes:
    names = {code: str(name) for code, name in COUNTRIES}
    criteria = list(Criterion.objects.filter(matrix=matrix))
    found = {
        (a.criterion_id, a.country): a
        for a in Assessment.objects.filter(criterion__matrix=matrix).select_related(
            "assessor", "measure"
        )
    }
    assessed = []
    for criterion in criteria:
        for code, _name in COUNTRIES:
            a = found.get((criterion.pk, code))
            rating = Rating(a.rating) if a else Rating.UNKNOWN
            assessed.append(
                [
                    criterion.code,
                    criterion.question,
                    criterion.get_source_display(),
                    criterion.article,
                    names[code],
                    a.provision_ref if a else "",
                    a.provision_summary if a else "",
                    str(rating.label),
                    a.evidence if a else "",
                    a.recommendation if a else "",
                    a.assessor.get_username() if a and a.assessor else "",
                    a.assessed_on if a else None,
                    a.measure.get_status_display() if a and a.measure else "",
                ]
            )
    changes = [
        [
            c.assessment.criterion.code,
            names.get(c.assessment.country, c.assessment.country),
            c.field,
            c.before,
            c.after,
            c.by.get_username() if c.by else "",
            timezone.localtime(c.at).replace(tzinfo=None),
        ]
        for c in AssessmentChange.objects.filter(assessment__criterion__matrix=matrix)
        .select_related("assessment__criterion", "by")
        .order_by("at", "pk")
    ]
    title = matrix.title + (" " + _("(demo data)") if matrix.demo else "")
    matrix_header = [
        _("Criterion"), _("Question"), _("Source"), _("Article"), _("Country"),
        _("National provision"), _("Summary of the provision"), _("Assessment"), _("Evidence"),
        _("Recommendation"), _("Assessor"), _("Assessed on"), _("Measure"),
    ]  # fmt: skip
    changes_header = [
        _("Criterion"), _("Country"), _("Field"), _("Before"), _("After"), _("By"), _("When"),
    ]  # fmt: skip
    return write_xlsx_book(
        [
            (_("Matrix"), matrix_header, assessed),
            (_("Changes"), changes_header, changes),
            (_("About"), [_("Assessment")], [[title]]),
        ]
    )

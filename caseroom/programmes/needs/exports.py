"""The needs assessment as tables: the aggregated results (anyone who reads them) and the raw
responses (managers only; the views check that).

The aggregated table is one long sheet a spreadsheet filters easily: a line per topic and
group (everyone, then each group of each breakdown), then a line per choice of each
question, with exactly what the page shows (a suppressed number is an empty cell with a
note). Both go through caseroom.lib.tables (formulas neutralised): choice labels and topics
are an uploader's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caseroom.lib.tables import write_csv, write_xlsx
from caseroom.surveys import exports as surveys
from caseroom.surveys.models import Response

from ..models import NeedsAssessment
from .results import NeedsResults, Rating

__all__ = ["HEADER", "aggregated_csv", "aggregated_xlsx", "raw_csv", "raw_xlsx"]

HEADER = (
    "part",
    "topic_or_question",
    "priority",
    "breakdown",
    "group",
    "respondents",
    "mean_competence",
    "share_low",
    "note",
)


def _rating(rating: Rating) -> dict[str, Any]:
    if not rating.shown:
        return {"note": _("hidden: too few respondents")}
    return {
        "mean_competence": round(rating.mean or 0.0, 2),
        "share_low": round(rating.low_share or 0.0, 3),
    }


def rows(results: NeedsResults) -> Iterator[dict[str, Any]]:
    priority = {t.topic: t.rank for t in results.topics}
    for topic in results.topics:
        yield {
            "part": "topic",
            "topic_or_question": topic.topic,
            "priority": topic.rank,
            "breakdown": _("everyone"),
            "respondents": results.responses,
            **_rating(topic.overall),
        }
    for breakdown in results.breakdowns:
        for row in breakdown.rows:
            for group, rating in zip(breakdown.groups, row.ratings, strict=True):
                yield {
                    "part": "topic",
                    "topic_or_question": row.topic,
                    "priority": priority[row.topic],
                    "breakdown": breakdown.title,
                    "group": group.label,
                    "respondents": group.respondents,
                    **_rating(rating),
                }
    for question in results.questions:
        for choice in question.choices:
            yield {
                "part": "question",
                "topic_or_question": question.label,
                "breakdown": question.name,
                "group": choice.label,
                "respondents": choice.count,
                "note": "" if choice.count is not None else _("hidden: too few respondents"),
            }


def aggregated_csv(results: NeedsResults) -> str:
    return write_csv(rows(results), HEADER)


def aggregated_xlsx(results: NeedsResults) -> bytes:
    return write_xlsx(rows(results), HEADER, _("Needs assessment"))


def _responses(assessment: NeedsAssessment) -> QuerySet[Response]:
    if assessment.round_id is None:
        return Response.objects.none()
    return Response.objects.filter(round_id=assessment.round_id)


def raw_csv(assessment: NeedsAssessment) -> str:
    """Every response, one column per question; no respondent column (the round is
    anonymous)."""
    return surveys.responses_csv(assessment.version, _responses(assessment))


def raw_xlsx(assessment: NeedsAssessment) -> bytes:
    return surveys.responses_xlsx(
        assessment.version, _responses(assessment), sheet_title=_("Responses")
    )

"""The needs assessment's own page: which form, which grouping questions, the round's state.

`assessment_of(programme)` is the one query that loads an assessment with its version and
round (the version's source file deferred: up to 2 MB nobody reads here). `status(...)`
returns the frozen `Status` the page lays out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from caseroom.surveys.models import Response
from caseroom.surveys.registry import form_of

from ..models import NeedsAssessment, Programme

__all__ = ["Status", "assessment_of", "status"]


def assessment_of(programme: Programme) -> NeedsAssessment | None:
    """The programme's needs assessment with its version and round, or None (1 query)."""
    found = (
        NeedsAssessment.objects.select_related("version", "round")
        .defer("version__source")
        .filter(programme=programme)
        .first()
    )
    if found is not None:
        found.programme = programme  # already loaded by the access check: no second query
    return found


@dataclass(frozen=True)
class Status:
    title: str
    form_title: str
    version: int
    source_name: str
    questions: int
    topics: tuple[str, ...]  # the form's `topic` values, in order
    state: str  # "draft" (not opened), "open", "closed", "not_yet"
    code: str
    answer_url: str  # absolute: it is printed and put in the QR code
    responses: int
    grouping: tuple[tuple[str, str], ...]  # (role, question name) picked


def status(request: HttpRequest, assessment: NeedsAssessment) -> Status:
    """What the page says about the assessment (1 query for the count once opened)."""
    form = form_of(assessment.version)
    round_ = assessment.round
    topics = tuple(dict.fromkeys(q.topic for q in form.questions if q.topic))
    answer_url = ""
    if round_ is not None:
        answer_url = request.build_absolute_uri(reverse("surveys:answer", args=[round_.code]))
    return Status(
        title=assessment.title,
        form_title=form.title,
        version=assessment.version.number,
        source_name=assessment.version.source_name,
        questions=sum(1 for q in form.questions if q.answerable),
        topics=topics,
        state="draft" if round_ is None else round_.state(),
        code=round_.code if round_ is not None else "",
        answer_url=answer_url,
        responses=Response.objects.submitted().filter(round=round_).count() if round_ else 0,
        grouping=assessment.breakdowns,
    )

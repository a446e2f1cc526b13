"""Responses as a table (CSV or XLSX) for programme managers' spreadsheets.

Everything goes through caseroom.lib.tables, which neutralises cells a spreadsheet would run
as formulas: respondents type free text (`=HYPERLINK(...)` in an "other agency" answer).
One column per question, named as in the form; a multiple choice is its names joined by
spaces, as XLSForm tools write it. The respondent column only where the caller asks for it:
the using app knows whether its round is anonymous.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from caseroom.lib.tables import write_csv, write_xlsx

from .models import QuestionnaireVersion, Response
from .registry import form_of

__all__ = ["header", "responses_csv", "responses_xlsx", "rows"]

_CHUNK = 2000


def header(version: QuestionnaireVersion, *, include_respondent: bool = False) -> list[str]:
    form = form_of(version)
    first = ["response", "round", "submitted_at", "language"]
    if include_respondent:
        first.append("respondent")
    if form.scored:
        first += ["score", "max_score"]
    return first + [q.name for q in form.questions if q.answerable]


def rows(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    *,
    include_respondent: bool = False,
) -> Iterator[dict[str, Any]]:
    """One mapping per response (the header's names as keys), streamed from the database."""
    names = [q.name for q in form_of(version).questions if q.answerable]
    fields = ["pk", "round__code", "submitted_at", "language", "respondent", "score", "max_score"]
    fields.append("answers")
    query = responses.order_by("submitted_at", "pk").values_list(*fields)
    for pk, code, submitted, language, respondent, points, most, answers in query.iterator(
        chunk_size=_CHUNK
    ):
        row: dict[str, Any] = {
            "response": pk,
            "round": code,
            # Local time without a zone: spreadsheets have none.
            "submitted_at": timezone.localtime(submitted).replace(tzinfo=None),
            "language": language,
            "score": points,
            "max_score": most,
        }
        if include_respondent:
            row["respondent"] = respondent
        for name in names:
            value = answers.get(name)
            row[name] = " ".join(value) if isinstance(value, list) else value
        yield row


def responses_csv(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    *,
    include_respondent: bool = False,
) -> str:
    columns = header(version, include_respondent=include_respondent)
    return write_csv(rows(version, responses, include_respondent=include_respondent), columns)


def responses_xlsx(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    *,
    include_respondent: bool = False,
    sheet_title: str = "Responses",
) -> bytes:
    columns = header(version, include_respondent=include_respondent)
    table = rows(version, responses, include_respondent=include_respondent)
    return write_xlsx(table, columns, sheet_title)

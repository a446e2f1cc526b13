"""Responses as a table (CSV or XLSX) for programme managers' spreadsheets.

Everything goes through caseroom.lib.tables, which neutralises cells a spreadsheet would run
as formulas: respondents type free text (`=HYPERLINK(...)` in an "other agency" answer).
One column per question, named as in the form; a multiple choice is its names joined by
spaces, as XLSForm tools write it. The respondent column only where the caller asks for it:
the using app knows whether its round is anonymous; country and agency (from a personal link
or an import) where it asks for them. Drafts are never exported. Calculations are columns
like questions: they are part of the response, as in a KoboToolbox export.
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
PLACE_COLUMNS = ("link_country", "link_agency")


def header(
    version: QuestionnaireVersion, *, include_respondent: bool = False, include_place: bool = False
) -> list[str]:
    form = form_of(version)
    first = ["response", "round", "submitted_at", "language"]
    if include_respondent:
        first.append("respondent")
    if include_place:
        # Where a personal link placed the answer; named apart from the form's own questions
        # (a self-assessment asks "country" and "agency" itself).
        first += list(PLACE_COLUMNS)
    if form.scored:
        first += ["score", "max_score"]
    return first + [q.name for q in form.questions if q.stored]


def rows(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    *,
    include_respondent: bool = False,
    include_place: bool = False,
) -> Iterator[dict[str, Any]]:
    """One mapping per response (the header's names as keys), streamed from the database."""
    names = [q.name for q in form_of(version).questions if q.stored]
    fields = ["pk", "round__code", "submitted_at", "language", "respondent", "score", "max_score"]
    fields += ["country", "agency", "answers"]
    sent = responses.filter(submitted_at__isnull=False)
    query = sent.order_by("submitted_at", "pk").values_list(*fields)
    for (
        pk,
        code,
        submitted,
        language,
        respondent,
        points,
        most,
        country,
        agency,
        answers,
    ) in query.iterator(chunk_size=_CHUNK):
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
        if include_place:
            row[PLACE_COLUMNS[0]], row[PLACE_COLUMNS[1]] = country, agency
        for name in names:
            value = answers.get(name)
            row[name] = " ".join(value) if isinstance(value, list) else value
        yield row


def responses_csv(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    *,
    include_respondent: bool = False,
    include_place: bool = False,
) -> str:
    options = {"include_respondent": include_respondent, "include_place": include_place}
    return write_csv(rows(version, responses, **options), header(version, **options))


def responses_xlsx(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    *,
    include_respondent: bool = False,
    include_place: bool = False,
    sheet_title: str = "Responses",
) -> bytes:
    options = {"include_respondent": include_respondent, "include_place": include_place}
    return write_xlsx(rows(version, responses, **options), header(version, **options), sheet_title)

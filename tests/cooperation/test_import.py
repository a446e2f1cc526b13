"""Answers collected in KoboToolbox or ODK Central, imported into a round by its coordinator:
all rows or none, the report row by row, the same file twice stored once.

The exports are made on the fly from the shipped form, in the tools' own shapes: Kobo's
"XML values and headers" (group paths with "/", a multiple choice as one column and as a
column per choice, `_uuid` and `_submission_time`) as .xlsx, ODK Central's (group paths
with "-", `KEY`, `SubmissionDate`) as .csv.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from caseroom.cooperation.models import Round
from caseroom.cooperation.tally import scoring_for
from caseroom.demo.cooperation import synthetic_answers
from caseroom.surveys.models import Response
from caseroom.surveys.registry import form_of
from tests.cooperation.conftest import LEVELS

KOBO_TAIL = ["_id", "_uuid", "_submission_time", "_validation_status", "_status", "_index"]


def kobo_header(round_: Round, separator: str = "/", per_choice: bool = True) -> list[str]:
    """The columns a tool writes for the round's form: each question by its group path."""
    form = form_of(round_.survey.version)
    header = ["start", "end"]
    for question in form.questions:
        if not question.answerable:
            continue
        path = separator.join((*question.groups, question.name))
        header.append(path)
        if per_choice and question.type == "select_multiple":
            header += [f"{path}/{c.name}" for c in form.choices_of(question)]
    return header + KOBO_TAIL


def kobo_rows(
    round_: Round, header: Sequence[str], people: Sequence[tuple[str, str]], *, seed: int = 7
) -> list[list[Any]]:
    """One row per (country, agency): synthetic answers laid out under `header`."""
    form = form_of(round_.survey.version)
    paths = {}
    for question in form.questions:
        for separator in ("/", "-"):
            paths[separator.join((*question.groups, question.name))] = question.name
    rng = random.Random(seed)
    rows = []
    for number, (country, agency) in enumerate(people, start=1):
        answers = synthetic_answers(rng, country, agency, LEVELS)
        cells: list[Any] = []
        for column in header:
            head, _sep, last = column.rpartition("/")
            if column in paths:
                value = answers.get(paths[column], "")
                cells.append(" ".join(value) if isinstance(value, list) else str(value))
            elif head in paths:  # one column per choice: 1 or 0, empty when not asked
                picked = answers.get(paths[head])
                cells.append("" if picked is None else str(int(last in picked)))
            elif column in ("_uuid", "KEY"):
                cells.append(f"uuid:8f1c0b6e-0000-4000-8000-{number:012d}")
            elif column in ("_submission_time", "SubmissionDate"):
                cells.append(f"2027-03-{1 + number % 28:02d}T08:12:44")
            elif column == "_id":
                cells.append(1000 + number)
            else:
                cells.append("")
        rows.append(cells)
    return rows


def xlsx_of(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_of(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def post(client: Client, round_: Round, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("cooperation:import_answers", args=[round_.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


SIX = [("RS", "police")] * 5 + [("ME", "prosecution")]


def test_a_kobo_export_is_imported_and_counts_on_the_gap_page(
    round_: Round, coordinator_client: Client
) -> None:
    page = coordinator_client.get(reverse("cooperation:import_answers", args=[round_.pk]))
    assert page.status_code == 200 and b"Check and import" in page.content
    header = kobo_header(round_)
    assert "mla/mla_content/facts" in header and "informal/inf_used" in header
    answered = post(
        coordinator_client, round_, "export.xlsx", xlsx_of(header, kobo_rows(round_, header, SIX))
    )
    assert answered.redirect_chain[-1][0] == reverse("cooperation:round", args=[round_.pk])
    assert "6 responses imported." in answered.content.decode()
    stored = Response.objects.filter(round_id=round_.survey_id)
    assert stored.count() == 6 and all(r.submitted_at is not None for r in stored)
    assert {r.key for r in stored} == {
        f"import:uuid:8f1c0b6e-0000-4000-8000-{n:012d}" for n in range(1, 7)
    }
    result = answered.context["result"]
    assert result.responses == 6
    serbia = next(line for line in result.lines if line.key == "RS")
    # §2.1 is asked of everyone: Serbia's five; Montenegro's one is hidden.
    at = [s.ref for s in result.sections].index("coop-guidelines#2.1")
    assert serbia.cells[at].respondents == 5
    montenegro = next(line for line in result.lines if line.key == "ME")
    assert montenegro.cells[at].hidden


def test_the_same_file_imported_again_stores_nothing_twice(
    round_: Round, coordinator_client: Client
) -> None:
    header = kobo_header(round_)
    data = xlsx_of(header, kobo_rows(round_, header, SIX))
    post(coordinator_client, round_, "export.xlsx", data)
    again = post(coordinator_client, round_, "export.xlsx", data)
    text = again.content.decode()
    assert "0 responses imported. 6 were imported before and are not stored twice." in text
    assert Response.objects.filter(round_id=round_.survey_id).count() == 6
    # A later export holds the first rows and new ones: only the new ones are stored.
    more = kobo_rows(round_, header, [*SIX, ("HR", "police")])
    third = post(coordinator_client, round_, "export-later.xlsx", xlsx_of(header, more))
    assert "1 response imported. 6 were imported before" in third.content.decode()
    assert Response.objects.filter(round_id=round_.survey_id).count() == 7


def test_a_file_with_wrong_columns_is_refused_column_by_column_and_nothing_is_stored(
    round_: Round, coordinator_client: Client
) -> None:
    header = kobo_header(round_)
    rows = kobo_rows(round_, header, SIX)
    wrong = [
        "mla/mla_basics"
        if c == "mla/mla_basis"
        else "mla/mla_content/fax"
        if c == "mla/mla_content/facts"
        else c
        for c in header
        if c != "_uuid"
    ]
    rows = [[v for c, v in zip(header, row, strict=True) if c != "_uuid"] for row in rows]
    page = post(coordinator_client, round_, "export.xlsx", xlsx_of(wrong, rows))
    assert page.status_code == 400
    report = page.context["report"]
    where = {(p.row, p.column) for p in report.problems}
    assert {(1, "mla/mla_basics"), (1, "mla/mla_content/fax"), (1, "_uuid")} <= where
    body = page.content.decode()
    assert "Nothing was imported" in body and 'id="import-problems"' in body
    assert "the form has no question &#x27;mla/mla_basics&#x27;" in body
    assert "&#x27;fax&#x27; is not a choice of &#x27;mla_content&#x27;" in body
    assert not Response.objects.exists()


def test_one_bad_row_is_named_with_its_row_and_column_and_nothing_is_stored(
    round_: Round, coordinator_client: Client
) -> None:
    header = kobo_header(round_)
    rows = kobo_rows(round_, header, SIX)
    rows[2][header.index("country")] = "XX"  # the file's row 4 (the header is row 1)
    rows[4][header.index("_submission_time")] = "next Tuesday"
    page = post(coordinator_client, round_, "export.xlsx", xlsx_of(header, rows))
    assert page.status_code == 400
    problems = page.context["report"].problems
    assert [(p.row, p.column) for p in problems] == [(4, "country"), (6, "_submission_time")]
    assert "2 problems: fix them in the file and import it again." in page.content.decode()
    assert not Response.objects.exists(), "all or nothing: the five good rows are not stored"


def test_an_odk_central_csv_is_imported(round_: Round, coordinator_client: Client) -> None:
    header = [
        "SubmissionDate",
        *[c for c in kobo_header(round_, "-", per_choice=False) if c not in ("start", "end")],
        "KEY",
        "SubmitterName",
        "ReviewState",
    ]
    assert "mla-mla_made" in header
    rows = kobo_rows(round_, header, SIX, seed=3)
    page = post(coordinator_client, round_, "odk.csv", csv_of(header, rows))
    assert "6 responses imported." in page.content.decode()
    assert Response.objects.filter(round_id=round_.survey_id).count() == 6


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("export.pdf", b"%PDF-1.4", "Upload the export as an .xlsx workbook or a .csv file."),
        ("export.xlsx", b"not a workbook", "the file is not an .xlsx workbook"),
        ("export.csv", b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_no_export_says_why(
    round_: Round, coordinator_client: Client, name: str, data: bytes, said: str
) -> None:
    page = post(coordinator_client, round_, name, data)
    assert page.status_code == 400
    assert said in page.content.decode()
    assert not Response.objects.exists()


def test_answers_are_imported_into_a_closed_round(
    round_: Round, coordinator_client: Client
) -> None:
    coordinator_client.post(reverse("cooperation:close_round", args=[round_.pk]))
    header = kobo_header(round_)
    page = post(
        coordinator_client, round_, "export.xlsx", xlsx_of(header, kobo_rows(round_, header, SIX))
    )
    assert "6 responses imported." in page.content.decode()


def test_the_import_page_names_the_countries_and_agencies_of_the_form(
    round_: Round, coordinator_client: Client
) -> None:
    page = coordinator_client.get(reverse("cooperation:import_answers", args=[round_.pk]))
    scoring = scoring_for(round_.survey.version, "en")
    body = page.content.decode()
    assert all(f"<code>{code}</code>" in body for code, _label in scoring.countries)


def test_an_observer_or_a_focal_point_cannot_import(
    round_: Round, focal_client: Client, observer_client: Client
) -> None:
    header = kobo_header(round_)
    data = xlsx_of(header, kobo_rows(round_, header, SIX))
    for client in (focal_client, observer_client):
        assert post(client, round_, "export.xlsx", data).status_code == 403
    assert not Response.objects.exists()

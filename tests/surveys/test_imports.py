"""Answers exported from KoboToolbox or ODK Central, imported into a round: all rows or none."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook
from pytest_django import DjangoAssertNumQueries

from caseroom.surveys.importfile import MAX_IMPORT_BYTES
from caseroom.surveys.imports import import_responses
from caseroom.surveys.models import Response, Round

pytestmark = pytest.mark.django_db

# The columns of a KoboToolbox export of tests/xlsform/forms/cooperation.md ("XML values and
# headers", group separator "/"): metadata, group paths, a multiple choice both as one
# column and as a column per choice, calculations, then Kobo's own columns.
KOBO = [
    "start", "end", "profile/country", "profile/agency", "profile/office", "profile/years",
    "mla/mla_sent", "mla/mla_count", "mla/mla_answered", "mla/mla_rate", "mla/mla_speed",
    "jit/jit_obstacles", "jit/jit_obstacles/language", "jit/jit_obstacles/time",
    "jit/jit_obstacles/legal", "jit/jit_obstacles/contact", "jit/jit_difficulty",
    "sections_answered", "place", "_id", "_uuid", "_submission_time", "_validation_status",
    "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index",
]  # fmt: skip


def kobo_row(uuid: str, **answers: Any) -> list[Any]:
    values: dict[str, Any] = {
        "start": "2027-03-01T09:00:00.000+01:00",
        "profile/country": "rs",
        "profile/agency": "police",
        "profile/office": "rs_central",
        "profile/years": "4",
        "mla/mla_sent": "yes",
        "mla/mla_count": "5",
        "mla/mla_answered": "2",
        "mla/mla_rate": "999",  # whatever the file says: worked out again
        "mla/mla_speed": "2",
        "jit/jit_obstacles": "language time",
        "jit/jit_obstacles/language": "1",
        "jit/jit_obstacles/time": "1",
        "jit/jit_obstacles/legal": "0",
        "jit/jit_obstacles/contact": "0",
        "jit/jit_difficulty": "The request was translated twice.",
        "_uuid": uuid,
        "_submission_time": "2027-03-01T08:12:44",
        "_status": "submitted_via_web",
    }
    values.update({k.replace("__", "/"): v for k, v in answers.items()})
    return [values.get(column, "") for column in KOBO]


def csv_of(header: list[str], rows: list[list[Any]], delimiter: str = ";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(c) for c in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def xlsx_of(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


THREE = [
    kobo_row("8f1c0b6e-0000-4000-8000-000000000001"),
    kobo_row(
        "8f1c0b6e-0000-4000-8000-000000000002",
        profile__country="me",
        profile__office="me_central",
        mla__mla_sent="no",
        mla__mla_count="",
        mla__mla_answered="",
        mla__mla_speed="",
    ),
    kobo_row(
        "8f1c0b6e-0000-4000-8000-000000000003",
        profile__agency="ngo",
        jit__jit_obstacles="",
        jit__jit_obstacles__language="0",
        jit__jit_obstacles__time="0",
        jit__jit_difficulty="",
    ),
]


def test_a_kobo_csv_export_is_imported_with_its_times_places_and_calculations(
    coop_round: Round,
) -> None:
    report = import_responses(
        coop_round,
        csv_of(KOBO, THREE),
        "export.csv",
        country_column="profile/country",
        agency_column="profile/agency",
    )
    assert report.ok, report.problems
    assert (report.rows, report.created, report.already) == (3, 3, 0)
    first, second, third = Response.objects.order_by("key")
    assert first.answers["mla_rate"] == 40  # 2 of 5, worked out again, not 999
    assert first.answers["jit_obstacles"] == ["language", "time"]
    assert first.submitted_at is not None
    assert first.submitted_at.isoformat() == "2027-03-01T08:12:44+00:00"
    assert (second.country, second.agency) == ("me", "police")
    assert "mla_count" not in second.answers
    assert third.agency == "ngo" and "jit_obstacles" not in third.answers
    assert first.key == "import:8f1c0b6e-0000-4000-8000-000000000001"


def test_the_same_file_imported_again_stores_nothing_twice(coop_round: Round) -> None:
    data = csv_of(KOBO, THREE)
    import_responses(coop_round, data, "export.csv")
    again = import_responses(coop_round, data, "export.csv")
    assert (again.created, again.already) == (0, 3)
    assert Response.objects.count() == 3


def test_one_bad_row_writes_nothing_and_the_report_names_row_and_column(
    coop_round: Round,
) -> None:
    bad = [
        *THREE,
        kobo_row("8f1c0b6e-0000-4000-8000-000000000004", profile__office="me_central"),
        kobo_row("8f1c0b6e-0000-4000-8000-000000000005", mla__mla_sent="no"),
    ]
    report = import_responses(coop_round, csv_of(KOBO, bad), "export.csv")
    assert not report.ok and report.created == 0
    assert not Response.objects.exists()
    found = {(p.row, p.column) for p in report.problems}
    assert (5, "profile/office") in found  # an office of another country
    assert (6, "mla/mla_count") in found  # answered, though no request was sent
    assert "does not apply" in next(p.message for p in report.problems if p.row == 6)


def test_a_column_the_form_does_not_have_is_refused(coop_round: Round) -> None:
    header = [*KOBO, "profile/salary"]
    report = import_responses(coop_round, csv_of(header, [r + ["900"] for r in THREE]), "x.csv")
    assert [(p.row, p.column) for p in report.problems] == [(1, "profile/salary")]
    assert "the form has no question 'profile/salary'" in report.problems[0].message
    assert not Response.objects.exists()


def test_without_uuids_nothing_is_imported(coop_round: Round) -> None:
    header = [c for c in KOBO if c != "_uuid"]
    rows = [[v for c, v in zip(KOBO, row, strict=True) if c != "_uuid"] for row in THREE]
    report = import_responses(coop_round, csv_of(header, rows), "x.csv")
    assert report.problems[0].column == "_uuid"
    assert "from storing it twice" in report.problems[0].message


def test_an_xlsx_export_with_a_column_per_choice_and_numbers_as_numbers(
    coop_round: Round,
) -> None:
    header = [c for c in KOBO if c != "jit/jit_obstacles"]
    rows = []
    for row in THREE:
        values = dict(zip(KOBO, row, strict=True))
        values["profile/years"] = 4  # numbers, as Kobo's XLSX export writes them
        values["mla/mla_count"] = 5.0 if values["mla/mla_count"] else None
        rows.append([values[c] for c in header])
    report = import_responses(coop_round, xlsx_of(header, rows), "export.xlsx")
    assert report.ok, report.problems
    first = Response.objects.order_by("key").first()
    assert first is not None
    assert first.answers["jit_obstacles"] == ["language", "time"]
    assert first.answers["years"] == 4 and first.answers["mla_count"] == 5


def test_an_odk_central_csv_export_is_read_too(coop_round: Round) -> None:
    central = {
        "SubmissionDate": "2027-03-02T10:00:00.000Z",
        "profile-country": "mk",
        "profile-agency": "prosecution",
        "profile-office": "mk_central",
        "mla-mla_sent": "no",
        "meta-instanceID": "uuid:5d3e0000-0000-4000-8000-000000000009",
        "KEY": "uuid:5d3e0000-0000-4000-8000-000000000009",
        "ReviewState": "",
    }
    data = csv_of(list(central), [list(central.values())], delimiter=",")
    report = import_responses(coop_round, data, "central.csv")
    assert report.ok, report.problems
    response = Response.objects.get()
    assert response.answers["country"] == "mk"
    assert response.key == "import:uuid:5d3e0000-0000-4000-8000-000000000009"


def test_a_file_too_large_or_a_zip_bomb_is_refused_before_reading(coop_round: Round) -> None:
    report = import_responses(coop_round, b"x" * (MAX_IMPORT_BYTES + 1), "big.csv")
    assert "too large" in report.problems[0].message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * 50_000_000 + b"</a>")
    report = import_responses(coop_round, buffer.getvalue(), "bomb.xlsx")
    assert "compressed" in report.problems[0].message
    assert not Response.objects.exists()


def test_a_file_that_is_not_a_table_is_refused(coop_round: Round) -> None:
    report = import_responses(coop_round, b"\xff\xfe\x00garbage", "x.csv")
    assert "neither an .xlsx workbook nor a UTF-8 CSV" in report.problems[0].message
    report = import_responses(coop_round, b"not a zip", "x.xlsx")
    assert "not an .xlsx workbook" in report.problems[0].message


# 70 responses of 13 fields fit SQLite's 999 parameters of one insert; more take one per 76.
@pytest.mark.parametrize("count", [10, 70])
def test_an_import_takes_the_same_queries_for_ten_rows_or_seventy(
    coop_round: Round, count: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    rows = []
    for index in range(count):
        row = list(THREE[index % 3])
        row[KOBO.index("_uuid")] = f"uuid-{index:05d}"
        rows.append(row)
    data = csv_of(KOBO, rows)
    # The uuids already stored; savepoint, one insert, release.
    with django_assert_num_queries(4):
        report = import_responses(coop_round, data, "export.csv")
    assert report.created == count

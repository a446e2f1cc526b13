"""Importing a registration list: checked whole, previewed, written all at once or not at all."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caseroom.programmes.models import AuditEntry, Enrolment, Person, Programme, Session
from caseroom.programmes.models.people import PendingImport
from caseroom.programmes.people import importer, sheets

from .support_people import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

GOOD = """Ime;Prezime;Institucija;Država;Pol;E-mail
Ivana;Петровска;Border Police;MK;Ž;ivana@example.org
Marko;Marković;Crime Police;Srbija;M;
Arta;Hoxha;Kosovo Police;Kosova;F;arta@example.org
"""

BROKEN = """Given name,Family name,Agency,Country,Sex,E-mail
Ana,,Police,RS,F,
Ben,Berisha,Police,Narnia,F,
Cana,Çela,Police,AL,Q,cana@
Dana,Dimova,Police,MK,F,dana@example.org
Dana,Dimova,Police,MK,F,
"""


def _upload(client: Client, programme: Programme, data: bytes, name: str, **extra: object) -> str:
    response = client.post(
        reverse("programmes:people_import", args=[programme.pk]),
        {"file": SimpleUploadedFile(name, data), **extra},
    )
    assert response.status_code == 200
    return response.content.decode()


def _confirm(client: Client, programme: Programme) -> None:
    pending = PendingImport.objects.get()
    page = client.post(reverse("programmes:people_import", args=[programme.pk]))  # the form again
    assert page.status_code == 200
    from caseroom.programmes.people.actions import check_pending

    _checked, plan = check_pending(pending)
    response = client.post(
        reverse("programmes:people_import_confirm", args=[programme.pk]),
        {"upload": pending.pk, "digest": plan.digest},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_broken_file_writes_nothing_and_names_each_bad_row(
    manager_client: Client, programme: Programme
) -> None:
    page = _upload(manager_client, programme, csv_bytes(BROKEN), "list.csv")
    assert "Nothing was imported" in page
    checked = importer.check(sheets.read_table(csv_bytes(BROKEN), "list.csv"))
    assert [(p.row, p.column, p.message) for p in checked.problems] == [
        (2, "B (Family name)", "the family name is missing"),
        (3, "D (Country)", 'unknown country "Narnia"'),
        (4, "E (Sex)", 'the sex must be F, M, X or left blank, not "Q"'),
        (4, "F (E-mail)", "not a valid e-mail address"),
        (6, "", "the same person as row 5"),
    ]
    for row, _column, message in [(2, 0, "family name"), (3, 0, "Narnia"), (6, 0, "row 5")]:
        assert f"<td>{row}</td>" in page and message in page
    assert not Person.objects.exists() and not PendingImport.objects.exists()
    assert not AuditEntry.objects.exists()


def test_columns_are_recognised_in_the_regions_languages_and_the_report_says_which(
    manager_client: Client, programme: Programme
) -> None:
    data = xlsx(
        [
            ["Spisak učesnika, Skopje"],
            [],
            ["Име", "Презиме", "Институција", "Држава", "Пол", "Телефон", "Забелешка"],
            ["Ивана", "Петровска", "Гранична полиција", "MK", "Ж", "+389 70 123 456", "x"],
        ]
    )
    checked = importer.check(sheets.read_table(data, "list.xlsx"))
    assert checked.ok and checked.header_row == 3
    assert [(c.letter, c.field) for c in checked.columns] == [
        ("A", "given_name"), ("B", "family_name"), ("C", "agency"), ("D", "country"),
        ("E", "sex"), ("F", "phone"), ("G", ""),
    ]  # fmt: skip
    row = checked.rows[0]
    assert (row.row, row.sex, row.country, row.match_key) == (4, "F", "MK", "petrovska ivana")
    page = _upload(manager_client, programme, data, "list.xlsx")
    assert "Забелешка" in page and "not read" in page


def test_a_good_file_is_previewed_then_written_in_one_go_with_an_audit_row_of_counts(
    manager_client: Client, programme: Programme, person: Person, session: Session
) -> None:
    # `person` is Ivana Petrovska of the Border Police, MK, already registered.
    page = _upload(manager_client, programme, csv_bytes(GOOD), "list.csv", session=str(session.pk))
    assert "2 new, 1 already registered" in page and "3 to enrol" in page
    assert Person.objects.count() == 1  # the preview wrote nothing
    _confirm(manager_client, programme)
    assert Person.objects.count() == 3
    assert Enrolment.objects.filter(session=session).count() == 3
    marko = Person.objects.get(family_name="Marković")
    assert (marko.country, marko.match_key) == ("RS", "markovic marko")
    audit = AuditEntry.objects.get()
    assert audit.kind == "import" and "2 new, 1 already registered, 3 enrolment(s)" in audit.detail
    assert "Marko" not in audit.detail and "Ivana" not in audit.detail
    assert not PendingImport.objects.exists()


def test_a_row_with_the_same_e_mail_is_linked_not_duplicated(
    manager_client: Client, programme: Programme, person: Person
) -> None:
    person.email = "IVANA@example.org"
    person.agency = "Ministry of Interior"  # another agency: only the e-mail links them
    person.save()
    _upload(manager_client, programme, csv_bytes(GOOD), "list.csv")
    _confirm(manager_client, programme)
    assert Person.objects.filter(match_key="petrovska ivana").count() == 1


def test_a_confirmation_after_the_registry_changed_shows_the_preview_again_and_writes_nothing(
    manager_client: Client, programme: Programme
) -> None:
    _upload(manager_client, programme, csv_bytes(GOOD), "list.csv")
    pending = PendingImport.objects.get()
    from caseroom.programmes.people.actions import check_pending

    digest = check_pending(pending)[1].digest
    Person.objects.create(
        programme=programme, given_name="Marko", family_name="Markovic", agency="Crime police",
        country="RS", match_key="markovic marko",
    )  # fmt: skip
    response = manager_client.post(
        reverse("programmes:people_import_confirm", args=[programme.pk]),
        {"upload": pending.pk, "digest": digest},
    )
    assert response.status_code == 200 and "registry changed" in response.content.decode()
    assert Person.objects.count() == 1 and not AuditEntry.objects.exists()


def test_a_formula_in_a_name_is_stored_as_text_and_exported_neutralised(
    manager_client: Client, programme: Programme
) -> None:
    text = 'Given name,Family name,Agency,Country\n"=HYPERLINK(""http://x.example"",""click"")",Test,Police,RS\n'
    _upload(manager_client, programme, csv_bytes(text), "list.csv")
    _confirm(manager_client, programme)
    person = Person.objects.get()
    assert person.given_name == '=HYPERLINK("http://x.example","click")'
    response = manager_client.post(
        reverse("programmes:person_export", args=[person.pk]), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [row for row in sheet.iter_rows(values_only=True) if row[1] == "given_name"]
    assert values == [("person", "given_name", '\'=HYPERLINK("http://x.example","click")')]
    exported = manager_client.post(reverse("programmes:person_export", args=[person.pk]))
    assert json.loads(exported.content)["person"]["given_name"].startswith("=HYPERLINK")


def test_a_whole_name_column_is_refused_with_what_to_do() -> None:
    checked = importer.check(
        sheets.read_table(b"Ime i prezime,Institucija\nAna Test,MUP\n", "a.csv")
    )
    assert not checked.ok and "split it into a given name" in checked.problems[0].message


def test_the_country_comes_from_the_target_session_when_the_list_has_none() -> None:
    table = sheets.read_table(b"First name;Last name;Agency\nAna;Test;MUP\n", "a.csv")
    assert importer.check(table).problems[0].message == "There is no country column: add one."
    assert importer.check(table, default_country="MK").rows[0].country == "MK"


def test_an_old_excel_file_and_a_damaged_workbook_are_refused_with_words() -> None:
    with pytest.raises(sheets.SheetRefused, match=r"\.xls"):
        sheets.read_table(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "list.xls")
    with pytest.raises(sheets.SheetRefused, match="not a valid Excel"):
        sheets.read_table(b"PK\x03\x04 not really", "list.xlsx")


def test_a_zip_bomb_is_refused_from_its_headers_before_openpyxl_opens_it() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(sheets.SheetRefused, match="zip bomb"):
        sheets.read_table(buffer.getvalue(), "bomb.xlsx")


def test_more_rows_than_the_bound_are_refused_without_reading_further() -> None:
    limits = sheets.Limits(rows=3)
    data = "Given name,Family name\n" + "A,B\n" * 5
    with pytest.raises(sheets.SheetRefused, match="more than 3 rows"):
        sheets.read_table(data.encode(), "a.csv", limits)


def test_an_upload_over_five_megabytes_is_refused_and_nothing_kept(
    manager_client: Client, programme: Programme
) -> None:
    big = b"Given name,Family name\n" + b"A,B\n" * (sheets.LIMITS.upload_bytes // 4 + 10)
    page = _upload(manager_client, programme, big, "big.csv")
    assert "larger than 5 MB" in page and not PendingImport.objects.exists()


def test_a_csv_in_windows_1250_is_read_and_the_report_says_so() -> None:
    table = sheets.read_table("Ime;Prezime\nŽeljko;Đurić\n".encode("cp1250"), "a.csv")
    assert table.rows[1] == (2, ("Željko", "Đurić")) and "Windows-1250" in table.note


def test_long_cells_are_reported_not_truncated_silently() -> None:
    data = f"Given name,Family name,Agency,Country\n{'A' * 150},B,Police,RS\n".encode()
    checked = importer.check(sheets.read_table(data, "a.csv"))
    assert [(p.row, p.message) for p in checked.problems] == [(2, "longer than 100 characters")]

"""Setting a coordination up: the form uploaded (problems at sheet, row and column, nothing
stored), the ready-made one, members, rounds opened and closed, personal links as a CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseroom.cooperation import actions, refs
from caseroom.cooperation.models import Coordination, Membership, Round
from caseroom.surveys.models import Invitation, Questionnaire, QuestionnaireVersion
from tests.cooperation.conftest import KNOWN_REFS, add_answers, basic
from tests.xlsform.conftest import xlsx_of

READY = actions.READY_FORM.read_text(encoding="utf-8")


def upload(client: Client, coordination: Coordination, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("cooperation:upload", args=[coordination.pk]),
        {"file": SimpleUploadedFile(name, data), "title": ""},
    )


def test_an_unknown_guideline_section_is_refused_at_upload_with_its_row(
    coordination: Coordination, coordinator_client: Client
) -> None:
    text = READY.replace("coop-guidelines#4.6", "coop-guidelines#9.9")
    before = Questionnaire.objects.count()
    page = upload(coordinator_client, coordination, "self.md", text.encode())
    assert page.status_code == 400
    body = page.content.decode()
    assert "the library has no guideline section “coop-guidelines#9.9”" in body
    row = next(n for n, line in enumerate(text.splitlines()) if "jit_evaluated" in line)
    assert "guideline_section" in body and 'id="problems"' in body
    assert Questionnaire.objects.count() == before, "nothing stored"
    assert row


def test_a_bad_score_rule_is_refused_with_its_row_and_column(
    coordination: Coordination, coordinator_client: Client
) -> None:
    text = READY.replace("| yes=2 partly=1 no=0 |", "| yes=2 partly=one no=0 |", 1)
    page = upload(coordinator_client, coordination, "self.xlsx", xlsx_of(text))
    assert page.status_code == 400
    problems = page.context["problems"]
    assert [(p.sheet, p.column) for p in problems] == [("survey", "score")]
    # mla_basis is the 6th row of the survey sheet (header, intro, country, agency, group, gate).
    assert problems[0].row == 7
    assert "is not choice=points" in problems[0].message
    assert not QuestionnaireVersion.objects.exists()


def test_a_broken_xlsform_shows_the_readers_problems(
    coordination: Coordination, coordinator_client: Client
) -> None:
    text = READY.replace("${mla_made} = 'yes'", "${mla_made = 'yes'", 1)
    page = upload(coordinator_client, coordination, "self.md", text.encode())
    assert page.status_code == 400
    assert any(p.column == "relevant" for p in page.context["problems"])


def test_an_xlsx_of_the_ready_form_is_stored_as_the_next_version(
    coordination: Coordination, coordinator_client: Client, version: QuestionnaireVersion
) -> None:
    page = upload(coordinator_client, coordination, "self.xlsx", xlsx_of(READY))
    assert page.status_code == 302
    coordination.refresh_from_db()
    newest = actions.latest_version(coordination)
    assert newest is not None and newest.number == 2
    assert newest.questionnaire_id == version.questionnaire_id == coordination.questionnaire_id


def test_the_shipped_form_cites_the_librarys_demo_guidelines(
    coordination: Coordination, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseroom.library.demo import load_demo_library

    monkeypatch.undo()  # the real library's check, not the fixture's stand-in
    load_demo_library()
    assert refs.library_available()
    version = actions.use_ready_form(coordination)
    links = refs.links(sorted(KNOWN_REFS), "sr-latn")
    assert links["coop-guidelines#4.3"].label.startswith("Smernice §4.3")
    assert links["coop-guidelines#4.3"].url
    assert version.number == 1


def test_a_round_opens_on_the_latest_version_and_closes(
    coordination: Coordination, version: QuestionnaireVersion, coordinator_client: Client
) -> None:
    page = coordinator_client.post(
        reverse("cooperation:new_round", args=[coordination.pk]),
        {"title": "2027 annual", "opens_on": "2027-03-01", "closes_on": "2027-04-30"},
    )
    made = Round.objects.get(title="2027 annual")
    assert page.status_code == 302 and page["Location"] == reverse(
        "cooperation:round", args=[made.pk]
    )
    assert made.survey.version == version and made.survey.anonymous
    assert made.survey.closes_at is not None
    # Closes after the last day: at the next midnight, local time.
    local = timezone.localtime(made.survey.closes_at)
    assert (local.date(), local.time()) == (dt.date(2027, 5, 1), dt.time(0, 0))
    again = coordinator_client.post(
        reverse("cooperation:new_round", args=[coordination.pk]), {"title": "2027 annual"}
    )
    assert (
        again.status_code == 400 and "already has a round of that title" in again.content.decode()
    )
    coordinator_client.post(reverse("cooperation:close_round", args=[made.pk]))
    made.survey.refresh_from_db()
    assert made.survey.state() == "closed"


def test_a_round_cannot_close_before_it_opens(
    coordination: Coordination, version: QuestionnaireVersion, coordinator_client: Client
) -> None:
    page = coordinator_client.post(
        reverse("cooperation:new_round", args=[coordination.pk]),
        {"title": "x", "opens_on": "2027-03-01", "closes_on": "2027-02-01"},
    )
    assert page.status_code == 400 and not Round.objects.exists()


def test_personal_links_come_as_a_csv_and_count_as_invited(
    round_: Round, coordinator_client: Client
) -> None:
    lines = "\n".join(f"RS-{n}, RS, police" for n in range(6)) + "\nME-1, ME, judiciary"
    page = coordinator_client.post(
        reverse("cooperation:invitations", args=[round_.pk]), {"lines": lines}
    )
    assert page.status_code == 200 and page["Content-Type"].startswith("text/csv")
    rows = page.content.decode().splitlines()
    assert rows[0] == "label,country,agency,link" and len(rows) == 8
    assert "/answer/i/" in rows[1]
    assert Invitation.objects.filter(round=round_.survey).count() == 7
    add_answers(round_, [basic("RS")] * 5)
    table = (
        coordinator_client.get(reverse("cooperation:round", args=[round_.pk]))
        .context["result"]
        .invited
    )
    assert table.total == 7


def test_bad_invitation_lines_are_named_and_nothing_is_made(
    round_: Round, coordinator_client: Client
) -> None:
    page = coordinator_client.post(
        reverse("cooperation:invitations", args=[round_.pk]),
        {"lines": "RS-1, RS, police\nXX-1, XX, police\nRS-2, RS"},
        follow=True,
    )
    text = page.content.decode()
    assert "line 2: “XX” is not a country of the form" in text
    assert "line 3: write label, country, agency" in text
    assert not Invitation.objects.exists()


def test_a_focal_point_needs_a_country(
    coordination: Coordination, coordinator_client: Client
) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("nina", password="pw-nina-12345")
    url = reverse("cooperation:members", args=[coordination.pk])
    refused = coordinator_client.post(url, {"username": "nina", "role": "focal_point"})
    assert refused.status_code == 400
    coordinator_client.post(url, {"username": "nina", "role": "focal_point", "country": "MK"})
    assert Membership.objects.get(user__username="nina").country == "MK"

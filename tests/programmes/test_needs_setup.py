"""The needs-assessment questionnaire page: upload, grouping questions, opening and closing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from caseroom.programmes.models import NeedsAssessment, Programme
from caseroom.programmes.needs import actions
from caseroom.surveys.models import Questionnaire, QuestionnaireVersion, Round
from tests.xlsform.conftest import xlsx_of

from .support_needs import URLCONF, ready

pytestmark = pytest.mark.urls(URLCONF)

BROKEN = """
| survey |
|        | type              | name     | label    | topic |
|        | select_one level  | c_law    | The law  | Law   |
|        | select_one nolist | c_trends | Trends   | Trends |
|        | integer           | c_law    | Again    |       |
| choices |
|         | list_name | name | label |
|         | level     | 1    | One   |
|         | level     | 2    |       |
"""

SMALL = """
| survey |
|        | type                | name     | label       | topic |
|        | select_one audience | audience | Your work   |       |
|        | select_one region   | region   | Your region |       |
|        | select_multiple m   | methods  | Methods     |       |
|        | text                | wishes   | Wishes      |       |
|        | select_one level    | c_law    | The law     | Law   |
| choices |
|         | list_name | name   | label  |
|         | audience  | police | Police |
|         | audience  | other  | Other  |
|         | region    | north  | North  |
|         | region    | south  | South  |
|         | m         | a      | A      |
|         | m         | b      | B      |
|         | level     | 1      | One    |
|         | level     | 2      | Two    |
|         | level     | 3      | Three  |
"""


def _upload(client: Client, programme: Programme, name: str, data: bytes, title: str = "") -> str:
    url = reverse("programmes:needs_upload", args=[programme.pk])
    response = client.post(url, {"title": title, "file": SimpleUploadedFile(name, data)})
    assert response.status_code in (200, 302)
    return response.content.decode()


def test_a_broken_xlsform_is_shown_with_each_problem_at_its_row_and_nothing_is_written(
    programme: Programme, manager_client: Client
) -> None:
    page = _upload(manager_client, programme, "needs.xlsx", xlsx_of(BROKEN))

    assert "nothing was stored" in page
    # Each problem with its sheet, row and column, next to the upload.
    assert "<td>survey</td><td>3</td><td>type</td>" in page  # no list "nolist"
    assert "<td>survey</td><td>4</td><td>name</td>" in page  # c_law again
    assert "<td>choices</td><td>3</td><td>label</td>" in page  # a choice without a label
    assert not NeedsAssessment.objects.exists()
    assert not QuestionnaireVersion.objects.exists()
    assert not Questionnaire.objects.exists()


def test_a_file_that_is_no_form_at_all_is_refused_next_to_the_field(
    programme: Programme, manager_client: Client
) -> None:
    page = _upload(manager_client, programme, "notes.txt", b"just some notes")
    assert "The form cannot be used" in page
    assert not NeedsAssessment.objects.exists()


def test_an_upload_without_a_file_asks_for_it(programme: Programme, manager_client: Client) -> None:
    url = reverse("programmes:needs_upload", args=[programme.pk])
    response = manager_client.post(url, {"title": "x"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_an_uploaded_form_becomes_the_assessment_and_picks_questions_named_as_usual(
    programme: Programme, manager_client: Client
) -> None:
    _upload(manager_client, programme, "needs.md", SMALL.encode(), title="Baseline 2026")

    found = NeedsAssessment.objects.get(programme=programme)
    assert found.title == "Baseline 2026"
    assert found.round is None, "nobody can answer before the manager opens it"
    assert (found.audience_question, found.agency_question, found.country_question) == (
        "audience",
        "",
        "",
    )


def test_the_ready_made_form_starts_an_assessment_grouped_by_audience_agency_and_country(
    programme: Programme, manager_client: Client
) -> None:
    response = manager_client.post(reverse("programmes:needs_use_ready", args=[programme.pk]))
    assert response.status_code == 302

    found = NeedsAssessment.objects.get(programme=programme)
    assert found.breakdowns == (
        ("audience", "audience"),
        ("agency", "agency"),
        ("country", "country"),
    )
    page = manager_client.get(reverse("programmes:needs_assessment", args=[programme.pk]))
    assert "Early identification at the border" in page.content.decode()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"audience_question": "nosuch"}, "The form has no question named “nosuch”."),
        ({"country_question": "wishes"}, "“wishes” is not a select question"),
        ({"agency_question": "methods"}, "“methods” takes several answers"),
        (
            {"audience_question": "region", "country_question": "region"},
            "This question is already picked above.",
        ),
        ({"audience_question": "x" * 65}, "at most 64 characters"),
    ],
)
def test_grouping_questions_must_be_distinct_single_choice_questions_of_the_form(
    programme: Programme, manager_client: Client, posted: dict[str, str], message: str
) -> None:
    _upload(manager_client, programme, "needs.md", SMALL.encode())
    url = reverse("programmes:needs_questions", args=[programme.pk])

    response = manager_client.post(url, posted)

    assert response.status_code == 200
    assert message in response.content.decode()
    found = NeedsAssessment.objects.get(programme=programme)
    assert (found.audience_question, found.country_question) == ("audience", "")


def test_grouping_questions_are_saved_when_they_fit(
    programme: Programme, manager_client: Client
) -> None:
    _upload(manager_client, programme, "needs.md", SMALL.encode())
    url = reverse("programmes:needs_questions", args=[programme.pk])

    response = manager_client.post(
        url, {"audience_question": "audience", "country_question": "region"}
    )

    assert response.status_code == 302
    found = NeedsAssessment.objects.get(programme=programme)
    assert found.breakdowns == (("audience", "audience"), ("country", "region"))


def test_opening_gives_a_code_a_link_and_a_qr_code_and_the_form_can_no_longer_change(
    programme: Programme, manager_client: Client, trainer_client: Client
) -> None:
    manager_client.post(reverse("programmes:needs_use_ready", args=[programme.pk]))
    manager_client.post(reverse("programmes:needs_open", args=[programme.pk]))

    found = NeedsAssessment.objects.select_related("round").get(programme=programme)
    assert found.round is not None and found.round.anonymous
    # A trainer hands the code out too.
    page = trainer_client.get(reverse("programmes:needs_assessment", args=[programme.pk]))
    text = page.content.decode()
    assert found.round.code in text
    assert f"http://testserver/answer/{found.round.code}/" in text
    qr = trainer_client.get(reverse("programmes:needs_qr", args=[programme.pk]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml")
    # The public answering page knows the code.
    assert Client().get(f"/answer/{found.round.code}/").status_code == 200

    again = _upload(manager_client, programme, "needs.md", SMALL.encode())
    assert "can no longer be replaced" in again
    assert NeedsAssessment.objects.get(pk=found.pk).version_id == found.version_id


def test_opening_twice_keeps_one_round_and_closing_stops_the_answers(
    programme: Programme, manager_client: Client
) -> None:
    found = ready(programme)
    code = found.round.code if found.round else ""
    manager_client.post(reverse("programmes:needs_open", args=[programme.pk]))
    assert Round.objects.count() == 1

    manager_client.post(reverse("programmes:needs_close", args=[programme.pk]))

    round_ = Round.objects.get()
    assert round_.code == code and round_.state() == "closed"
    page = manager_client.get(reverse("programmes:needs_assessment", args=[programme.pk]))
    assert "It takes no more answers." in page.content.decode()


def test_replacing_the_form_before_opening_makes_the_next_version_and_drops_missing_picks(
    programme: Programme,
) -> None:
    first = actions.use_ready_form(programme)
    assert first.agency_question == "agency"

    second = actions.upload_form(programme, SMALL.encode(), "small.md", "")

    assert second.pk == first.pk
    assert second.version.questionnaire_id == first.version.questionnaire_id
    assert second.version.number == first.version.number + 1
    assert (second.audience_question, second.agency_question, second.country_question) == (
        "audience",
        "",
        "",
    )


def test_an_observer_reads_the_page_but_cannot_upload_open_or_pick(
    programme: Programme, observer_client: Client
) -> None:
    page = observer_client.get(reverse("programmes:needs_assessment", args=[programme.pk]))
    assert page.status_code == 200
    assert "Use the ready-made form" not in page.content.decode()
    for name in ("needs_upload", "needs_use_ready", "needs_questions", "needs_open", "needs_close"):
        response = observer_client.post(reverse(f"programmes:{name}", args=[programme.pk]))
        assert response.status_code == 403, name
    assert not NeedsAssessment.objects.exists()


def test_a_stranger_learns_nothing_of_the_assessment(
    programme: Programme, stranger_client: Client, plain_staff_client: Client
) -> None:
    ready(programme)
    for client in (stranger_client, plain_staff_client):
        for name in ("needs_assessment", "needs_qr", "needs_results"):
            url = reverse(f"programmes:{name}", args=[programme.pk])
            assert client.get(url).status_code == 404, name


def test_the_part_for_the_needs_page_links_the_questionnaire_and_its_results(
    programme: Programme,
) -> None:
    html = render_to_string("programmes/needs/_link.html", {"programme": programme})
    assert reverse("programmes:needs_assessment", args=[programme.pk]) in html
    assert reverse("programmes:needs_results", args=[programme.pk]) in html


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    programme: Programme, manager_client: Client
) -> None:
    page = _upload(manager_client, programme, "big.xlsx", b"x" * (2 * 1024 * 1024 + 1))
    assert "The file is too large: at most 2 MB." in page
    assert not QuestionnaireVersion.objects.exists()

"""The needs assessment's results: priorities, groups with small ones hidden, links, exports.

The round used by most tests (min_cell 5), every rating of a group at one level:
- 20 front-line officers of the MK Border Police rate 2 (financial investigation: 1);
- 12 RS prosecutors rate 4;
- 3 RS reception-centre staff (migration management) rate 3.
So financial investigation has the lowest mean, (20·1 + 12·4 + 3·3) / 35 = 2.2, and the other
topics (20·2 + 12·4 + 3·3) / 35 = 2.77; 20 of 35 rate themselves low everywhere.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import Finding, Module, NeedsAssessment, Programme
from caseroom.programmes.needs import actions
from caseroom.programmes.needs.results import NeedsResults, build_results
from caseroom.programmes.needs.status import assessment_of
from caseroom.surveys import actions as surveys

from .support_needs import URLCONF, add_responses, answers, ready

pytestmark = pytest.mark.urls(URLCONF)


@pytest.fixture
def assessment(programme: Programme) -> NeedsAssessment:
    found = ready(programme)
    add_responses(found, 20, level=2, c_financial="1")
    add_responses(found, 12, audience="specialised", agency="prosecution", country="RS", level=4)
    add_responses(found, 3, audience="migration", agency="asylum_reception", country="RS", level=3)
    return found


def _built(programme: Programme) -> NeedsResults:
    found = assessment_of(programme)
    assert found is not None
    return build_results(found)


def test_the_ready_forms_answers_are_valid_answers(programme: Programme) -> None:
    found = ready(programme)
    assert found.round is not None
    surveys.submit(found.round, answers(), language="en")  # raises if they were not


def test_topics_come_lowest_competence_first_with_the_share_rating_low(
    programme: Programme, assessment: NeedsAssessment
) -> None:
    results = _built(programme)

    first, second = results.topics[0], results.topics[1]
    assert (first.topic, first.rank) == ("Financial investigation", 1)
    assert first.overall.mean == pytest.approx(77 / 35)
    assert first.overall.low_share == pytest.approx(20 / 35)
    assert second.overall.mean == pytest.approx(97 / 35)
    assert len(results.topics) == 14
    assert results.responses == 35


def test_a_small_group_and_the_group_that_would_reveal_it_are_hidden(
    programme: Programme, assessment: NeedsAssessment
) -> None:
    results = _built(programme)

    audience = results.breakdowns[0]
    assert audience.role == "audience"
    assert [(g.key, g.respondents) for g in audience.groups] == [
        ("frontline", 20),
        ("specialised", None),  # shown, 35 − 20 − 12 would give the 3 away
        ("migration", None),
    ]
    for row in audience.rows:
        frontline, specialised, migration = row.ratings
        assert frontline.shown and not specialised.shown and not migration.shown
    by_country = results.breakdowns[2]
    assert [(g.key, g.respondents) for g in by_country.groups] == [("MK", 20), ("RS", 15)]
    assert all(rating.shown for row in by_country.rows for rating in row.ratings)
    assert by_country.rows[0].ratings[1].mean == pytest.approx((12 * 4 + 3 * 3) / 15)


def test_a_group_too_small_for_one_topic_takes_another_group_with_it_on_that_line(
    programme: Programme,
) -> None:
    found = ready(programme)
    add_responses(found, 20, level=2)
    add_responses(found, 6, audience="specialised", agency="prosecution", level=4)
    # 8 migration-management staff, only 4 of whom rated the law.
    add_responses(found, 4, audience="migration", agency="asylum_reception", level=3)
    add_responses(found, 4, audience="migration", agency="asylum_reception", c_law=None)

    audience = _built(programme).breakdowns[0]
    law = next(row for row in audience.rows if row.topic == "Applicable law and conventions")
    shown = [rating.shown for rating in law.ratings]
    # Migration (4 ratings) is hidden; so is the next smallest (specialised, 6): otherwise
    # the overall mean minus the front line's would be theirs.
    assert shown == [True, False, False]
    other = next(row for row in audience.rows if row.topic != law.topic)
    assert [rating.shown for rating in other.ratings] == [True, True, True]


def test_fewer_respondents_than_the_smallest_count_shown_show_nothing(
    programme: Programme, observer_client: Client
) -> None:
    add_responses(ready(programme), 4)
    page = observer_client.get(reverse("programmes:needs_results", args=[programme.pk]))
    text = page.content.decode()
    assert "Fewer than 5 responses: nothing can be shown yet." in text
    assert "Financial investigation" not in text


def test_question_summaries_hide_small_answer_counts_and_their_complements(
    programme: Programme, assessment: NeedsAssessment
) -> None:
    questions = {q.name: q for q in _built(programme).questions}

    agency = {c.label: c.count for c in questions["agency"].choices}
    assert agency["Border police"] == 20
    assert agency["Public prosecution"] is None and agency["Asylum or reception centre"] is None
    assert agency["Traffic police"] == 0
    methods = {c.label: c.count for c in questions["methods"].choices}
    assert methods["Case-based simulation exercises"] == 35
    assert methods["Online self-study"] == 0
    assert questions["wishes"].choices == ()


def test_a_multiple_choice_hides_a_choice_that_few_did_not_choose(
    programme: Programme,
) -> None:
    found = ready(programme)
    add_responses(found, 30)
    add_responses(found, 3, methods=["cases"])  # only 3 did not choose simulation

    methods = next(q for q in _built(programme).questions if q.name == "methods")
    counts = {c.label: c.count for c in methods.choices}
    assert counts["Case-based simulation exercises"] is None
    assert counts["Discussion of real cases from the region"] == 33


def test_each_topic_links_the_findings_written_for_it_and_the_modules_answering_them(
    programme: Programme,
    assessment: NeedsAssessment,
    module: Module,
    other_programme: Programme,
    observer_client: Client,
) -> None:
    finding = Finding.objects.create(
        programme=programme, topic=" financial INVESTIGATION", text="Few parallel cases."
    )
    finding.modules.add(module)
    Finding.objects.create(programme=other_programme, topic="Child victims", text="Elsewhere.")

    results = _built(programme)

    financial = results.topics[0]
    assert [link.pk for link in financial.findings] == [finding.pk]
    assert [link.label for link in financial.modules] == [str(module)]
    assert all(not t.findings for t in results.topics if t.topic == "Child victims")
    page = observer_client.get(reverse("programmes:needs_results", args=[programme.pk]))
    text = page.content.decode()
    assert f"/needs/#finding-{finding.pk}" in text
    assert reverse("programmes:module", args=[module.pk]) in text


def test_the_page_shows_hidden_where_a_group_is_too_small(
    programme: Programme, assessment: NeedsAssessment, observer_client: Client
) -> None:
    page = observer_client.get(reverse("programmes:needs_results", args=[programme.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "respondents: hidden" in text
    assert "20 respondents" in text
    assert "2.2" in text  # financial investigation's mean


def test_the_aggregated_tables_download_as_csv_and_xlsx_with_what_the_page_shows(
    programme: Programme, assessment: NeedsAssessment, observer_client: Client
) -> None:
    response = observer_client.get(reverse("programmes:needs_results_csv", args=[programme.pk]))
    assert response.status_code == 200
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    everyone = [line for line in lines if line["breakdown"] == "everyone"]
    assert everyone[0]["topic_or_question"] == "Financial investigation"
    assert everyone[0]["mean_competence"] == "2.2"
    hidden = [
        line for line in lines if line["group"] == "Specialised units, prosecution or social policy"
    ]
    assert hidden and all(line["mean_competence"] == "" and line["note"] for line in hidden)
    assert all(line["respondents"] == "" for line in hidden)

    xlsx = observer_client.get(reverse("programmes:needs_results_xlsx", args=[programme.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][:3] == ["part", "topic_or_question", "priority"]
    assert sheet.max_row == len(lines) + 1


def test_raw_responses_are_for_managers_only(
    programme: Programme,
    assessment: NeedsAssessment,
    manager_client: Client,
    observer_client: Client,
    trainer_client: Client,
) -> None:
    for name in ("needs_responses_csv", "needs_responses_xlsx"):
        url = reverse(f"programmes:{name}", args=[programme.pk])
        assert observer_client.get(url).status_code == 403
        assert trainer_client.get(url).status_code == 403
    response = manager_client.get(reverse("programmes:needs_responses_csv", args=[programme.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 35
    assert "respondent" not in rows[0], "the round is anonymous"
    page = observer_client.get(reverse("programmes:needs_results", args=[programme.pk]))
    assert "Raw responses" not in page.content.decode()


def test_uploaded_labels_cannot_become_spreadsheet_formulas(
    programme: Programme, manager_client: Client
) -> None:
    form = (actions.READY_FORM.read_text()).replace(
        "| Front-line police (border, uniformed, crime or traffic police) |",
        '| =HYPERLINK("http://x","front") |',
    )
    actions.upload_form(programme, form.encode(), "needs.md", "")
    found = actions.open_round(NeedsAssessment.objects.get(programme=programme))
    add_responses(found, 10)

    response = manager_client.get(reverse("programmes:needs_results_csv", args=[programme.pk]))

    assert "'=HYPERLINK" in response.content.decode()


def test_downloads_before_the_round_is_opened_go_back_to_the_questionnaire(
    programme: Programme, manager_client: Client
) -> None:
    actions.use_ready_form(programme)
    for name in ("needs_results_csv", "needs_responses_csv"):
        response = manager_client.get(reverse(f"programmes:{name}", args=[programme.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("programmes:needs_assessment", args=[programme.pk])


@pytest.mark.parametrize("size", [50, 500])
def test_the_results_page_takes_the_same_queries_for_50_and_500_responses(
    programme: Programme,
    observer_client: Client,
    module: Module,
    django_assert_num_queries: DjangoAssertNumQueries,
    size: int,
) -> None:
    found = ready(programme)
    countries = ["MK", "RS", "AL"]
    for i in range(10):
        add_responses(
            found, size // 10, country=countries[i % 3], level=1 + i % 5, agency="crime_police"
        )
    finding = Finding.objects.create(programme=programme, topic="Child victims", text="x")
    finding.modules.add(module)
    url = reverse("programmes:needs_results", args=[programme.pk])
    observer_client.get(url)  # the form's JSON parsed once per process (surveys' cache)

    # Session, user, role, programme, assessment with version and round, the summary, the
    # summary by group, the findings and their modules.
    with django_assert_num_queries(9):
        page = observer_client.get(url)

    assert page.status_code == 200
    assert f"{size} anonymous responses" in page.content.decode()

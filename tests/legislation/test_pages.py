"""The heatmap (text in every cell, no script, a fixed number of queries whatever its size),
the drill-down with its history, the edit form keeping each change, the measure made once
through the page and shown back on the cell, and the XLSX export."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from caseroom.cooperation.models import Measure
from caseroom.legislation import actions
from caseroom.legislation.models import COUNTRIES, AssessmentChange, Criterion, Matrix, Rating
from tests.legislation.conftest import Source


def _fill(matrix: Matrix, criteria: int, by: User) -> None:
    for number in range(criteria):
        criterion = actions.add_criterion(
            matrix, code=f"C-{number:02}", question=f"Question {number}?",
            source=Source.UNTOC, article="Art. 19", position=number,
        )  # fmt: skip
        for code, _name in COUNTRIES:
            cell, _ = actions.assess(
                criterion, code, {"rating": Rating.PARTLY, "recommendation": "Amend"}, by=by
            )
            if number == 0:
                actions.make_measure(
                    cell, institution="MoJ", responsible="Head", due_on=dt.date(2028, 1, 1), by=by
                )


def _heatmap_queries(
    matrix: Matrix, client: Client, queries: DjangoAssertNumQueries, expected: int
) -> bytes:
    url = reverse("legislation:heatmap", args=[matrix.pk])
    with queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content


def test_the_heatmap_costs_the_same_queries_at_two_sizes(
    matrix: Matrix,
    coordinator: User,
    coordinator_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _fill(matrix, 2, coordinator)
    coordinator_client.get(reverse("legislation:heatmap", args=[matrix.pk]))  # session warm
    # session, user, matrix, seat, criteria, assessments with measures
    small = _heatmap_queries(matrix, coordinator_client, django_assert_num_queries, 6)
    assert small.count(b"Partly in line") == 2 * len(COUNTRIES) + 1  # + the legend
    _fill(matrix, 12, coordinator)
    large = _heatmap_queries(matrix, coordinator_client, django_assert_num_queries, 6)
    assert large.count(b"Partly in line") == 12 * len(COUNTRIES) + 1
    assert large.count(b"Measure:") == len(COUNTRIES)
    assert b"<script" not in large.split(b"<main")[1]


def test_a_cell_never_assessed_reads_not_assessed_and_a_get_creates_nothing(
    criterion: Criterion, observer_client: Client
) -> None:
    page = observer_client.get(reverse("legislation:cell", args=[criterion.pk, "BA"]))
    assert page.status_code == 200 and b"Not assessed" in page.content
    assert not criterion.assessments.exists()


def test_the_edit_form_keeps_each_changed_field_and_the_cell_shows_the_history(
    criterion: Criterion, coordinator: User, coordinator_client: Client
) -> None:
    url = reverse("legislation:edit", args=[criterion.pk, "MK"])
    form = {
        "provision_ref": "Law on International Cooperation Art. 23",
        "provision_summary": "Allows JITs",
        "rating": "partly",
        "evidence": "",
        "recommendation": "Name the competent authority",
    }
    assert coordinator_client.post(url, form).status_code == 302
    assert coordinator_client.post(url, form).status_code == 302  # the same again: no change
    assert coordinator_client.post(url, {**form, "rating": "in_line"}).status_code == 302
    kept = list(AssessmentChange.objects.order_by("pk").values_list("field", "before", "after"))
    assert kept == [
        ("provision_ref", "", "Law on International Cooperation Art. 23"),
        ("provision_summary", "", "Allows JITs"),
        ("rating", "unknown", "partly"),
        ("recommendation", "", "Name the competent authority"),
        ("rating", "partly", "in_line"),
    ]
    assert {c.by for c in AssessmentChange.objects.all()} == {coordinator}
    cell = coordinator_client.get(reverse("legislation:cell", args=[criterion.pk, "MK"]))
    assert b"Partly in line" in cell.content and b"In line" in cell.content
    assert b"cora" in cell.content


def test_the_edit_form_refuses_an_unknown_rating_and_oversized_text(
    criterion: Criterion, coordinator_client: Client
) -> None:
    url = reverse("legislation:edit", args=[criterion.pk, "MK"])
    for bad in ({"rating": "excellent"}, {"rating": "not", "provision_ref": "x" * 201}):
        response = coordinator_client.post(url, bad)
        assert response.status_code == 200 and b"errorlist" in response.content
    assert not AssessmentChange.objects.exists()


def test_a_reader_cannot_change_an_assessment(
    criterion: Criterion, coordinator: User, observer_client: Client
) -> None:
    actions.assess(criterion, "RS", {"rating": Rating.NOT, "recommendation": "x"}, by=coordinator)
    url = reverse("legislation:edit", args=[criterion.pk, "RS"])
    assert observer_client.post(url, {"rating": "in_line"}).status_code == 403
    measure = reverse("legislation:make_measure", args=[criterion.pk, "RS"])
    assert observer_client.post(measure, {}).status_code == 403
    assert AssessmentChange.objects.count() == 2 and not Measure.objects.exists()


def test_the_measure_is_made_once_through_the_page_and_shown_on_the_cell(
    criterion: Criterion, coordinator: User, coordinator_client: Client
) -> None:
    actions.assess(
        criterion, "AL", {"rating": Rating.NOT, "recommendation": "Adopt rules"}, by=coordinator
    )
    url = reverse("legislation:make_measure", args=[criterion.pk, "AL"])
    data = {"institution": "Ministry of Justice", "responsible": "Head", "due_on": "2028-06-30"}
    for _ in range(2):
        assert coordinator_client.post(url, data).status_code == 302
    measure = Measure.objects.get()
    assert measure.origin_label == "Legislation: JIT-01 Albania"
    page = coordinator_client.get(reverse("legislation:cell", args=[criterion.pk, "AL"]))
    assert b"Planned" in page.content
    assert b"Make this recommendation a measure" not in page.content


def test_the_xlsx_holds_the_matrix_and_every_change(
    matrix: Matrix, criterion: Criterion, coordinator: User, observer_client: Client
) -> None:
    actions.assess(criterion, "RS", {"rating": Rating.NOT, "evidence": "=cmd"}, by=coordinator)
    actions.assess(criterion, "RS", {"rating": Rating.PARTLY}, by=coordinator)
    response = observer_client.get(reverse("legislation:export_xlsx", args=[matrix.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Matrix"].values)
    assert len(rows) == 1 + len(COUNTRIES)
    serbia = next(row for row in rows if row[4] == "Serbia")
    assert serbia[7] == "Partly in line" and serbia[8] == "'=cmd"
    assert len(list(book["Changes"].values)) == 1 + 3


def test_a_coordinator_starts_a_matrix_and_adds_a_cited_criterion(
    matrix: Matrix, coordinator_client: Client, observer_client: Client
) -> None:
    listing = coordinator_client.get(reverse("legislation:list"))
    new = reverse("legislation:new", args=[matrix.coordination_id])
    assert new.encode() in listing.content
    assert new.encode() not in observer_client.get(reverse("legislation:list")).content
    made = coordinator_client.post(new, {"title": "JIT legislation 2028"})
    second = Matrix.objects.get(title="JIT legislation 2028")
    assert made["Location"] == reverse("legislation:heatmap", args=[second.pk])
    url = reverse("legislation:new_criterion", args=[second.pk])
    data = {
        "code": "JIT-01", "question": "May a JIT be set up?", "source": "ets_182",
        "article": "Art. 20", "position": "1",
    }  # fmt: skip
    assert coordinator_client.post(url, data).status_code == 302
    assert coordinator_client.post(url, {**data, "question": "Reworded?"}).status_code == 302
    [criterion] = Criterion.objects.filter(matrix=second)
    assert (criterion.question, criterion.get_source_display()) == (
        "Reworded?",
        "Second Additional Protocol to the CoE MLA Convention (ETS 182)",
    )
    bad = coordinator_client.post(url, {**data, "code": "<b>", "source": "wikipedia"})
    assert bad.status_code == 200 and bad.content.count(b"errorlist") >= 2


def test_the_report_opens_as_docx_and_pdf_with_the_findings_and_the_demo_note(
    matrix: Matrix, criterion: Criterion, coordinator: User, observer_client: Client
) -> None:
    import docx

    matrix.demo = True
    matrix.save()
    actions.assess(
        criterion, "BA",
        {"rating": Rating.NO_PROVISION, "recommendation": "Adopt a JIT provision"}, by=coordinator,
    )  # fmt: skip
    answer = observer_client.get(reverse("legislation:report_docx", args=[matrix.pk]))
    assert answer.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    assert "Demo data" in text and "Adopt a JIT provision" in text
    assert "JIT-01 (Council Framework Decision 2002/465/JHA on JITs, Art. 1(1))" in text
    pdf = observer_client.get(reverse("legislation:report_pdf", args=[matrix.pk]))
    assert (pdf.status_code, pdf.content[:4]) == (200, b"%PDF") or (
        pdf.status_code == 503 and b"WeasyPrint" in pdf.content
    )

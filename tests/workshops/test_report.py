"""The workshop report: participants by country and agency with small cells hidden, each
theme's gaps and good practices, the recommendations; as PDF and DOCX."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseroom.demo.workshops import load_demo_workshop
from caseroom.workshops import actions, report
from caseroom.workshops.models import Recommendation, Workshop

pytestmark = pytest.mark.django_db


def test_small_cells_of_participants_are_hidden_and_the_total_is_shown(
    workshop: Workshop,
) -> None:
    for i in range(4):
        actions.join(workshop, name=f"P{i}", country="Serbia", agency="Police")
    actions.join(workshop, name="Lone", country="Croatia", agency="Prosecution")
    built = report.build(workshop)
    header, rows = built.people_table
    assert header[0] == "Country" and header[-1] == "Total"
    assert rows[-1][-1] == "5"
    croatia = next(row for row in rows if row[0] == "Croatia")
    assert "1" not in croatia, "one person from Croatia is not shown as a count"


def test_the_report_opens_as_docx_with_the_themes_and_recommendations(
    facilitator: User, facilitator_client: Client
) -> None:
    docx = pytest.importorskip("docx")
    workshop = load_demo_workshop(facilitator)
    answer = facilitator_client.get(reverse("workshops:report_docx", args=[workshop.pk]))
    assert answer.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    assert "Cross-border co-operation" in text
    assert "Setting up a JIT takes months" not in text, "a merged duplicate is not repeated"
    assert "JIT set-up takes months" in text
    cells = {
        cell.text
        for table in docx.Document(io.BytesIO(answer.content)).tables
        for row in table.rows
        for cell in row.cells
    }
    assert "Adopt a regional JIT model agreement and contact list" in cells


def test_the_report_opens_as_pdf(facilitator: User, facilitator_client: Client) -> None:
    workshop = load_demo_workshop(facilitator)
    answer = facilitator_client.get(reverse("workshops:report_pdf", args=[workshop.pk]))
    assert answer.status_code in (200, 503)
    if answer.status_code == 200:
        assert answer.content.startswith(b"%PDF")
    html = report.render_html(report.build(workshop))
    assert "Adopt a regional JIT model agreement" in html


def test_the_report_reads_the_recommendations_in_one_query(facilitator: User) -> None:
    workshop = load_demo_workshop(facilitator)
    with CaptureQueriesContext(connection) as queries:
        built = report.build(workshop)
    assert len(built.recommendations) == 5
    table = Recommendation._meta.db_table
    reads = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) == 1, reads

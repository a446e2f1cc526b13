"""The after-action report and the xAPI statements, from the debrief page and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document  # type: ignore[import-untyped]  # python-docx ships no types
from typer.testing import CliRunner

from caseroom.cli.main import app
from caseroom.debrief import aar
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(exercise: Exercise, team: Team) -> Exercise:
    actions.join(exercise, name="Ana", country="RS", roles=["police-rs"], team=team)
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    return exercise


def test_the_debrief_page_links_every_report(played: Exercise, facilitator_client: Client) -> None:
    page = facilitator_client.get(reverse("debrief_exercise", args=[played.pk]))
    text = page.content.decode()
    for fmt in ("html", "pdf", "docx"):
        assert reverse("debrief_report", args=[played.pk, fmt]) in text
    assert reverse("debrief_xapi", args=[played.pk]) in text
    assert "Send to the Learning Record Store" not in text  # no LRS_URL here


def test_the_html_report_opens_in_the_browser(played: Exercise, facilitator_client: Client) -> None:
    response = facilitator_client.get(reverse("debrief_report", args=[played.pk, "html"]))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "Treated a victim as an offender" in response.content.decode()


def test_pdf_and_docx_reports_download(
    played: Exercise, facilitator_client: Client, tmp_path: Path
) -> None:
    pdf = facilitator_client.get(reverse("debrief_report", args=[played.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith('.pdf"')
    docx = facilitator_client.get(reverse("debrief_report", args=[played.pk, "docx"]))
    (tmp_path / "r.docx").write_bytes(docx.content)
    assert "Test exercise" in "\n".join(p.text for p in Document(tmp_path / "r.docx").paragraphs)


def test_a_missing_pdf_library_is_a_message_not_an_error(
    played: Exercise, facilitator_client: Client, monkeypatch: Any
) -> None:
    def unavailable(report: aar.AfterActionReport) -> bytes:
        raise aar.ReportUnavailable("PDF needs WeasyPrint and the Pango library")

    monkeypatch.setattr(aar, "render_pdf", unavailable)
    response = facilitator_client.get(
        reverse("debrief_report", args=[played.pk, "pdf"]), follow=True
    )
    assert response.status_code == 200
    assert "PDF needs WeasyPrint and the Pango library" in response.content.decode()


def test_xapi_statements_download_as_json(played: Exercise, facilitator_client: Client) -> None:
    response = facilitator_client.get(reverse("debrief_xapi", args=[played.pk]))
    statements = json.loads(response.content)
    verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in statements}
    assert {"initialized", "answered"} <= verbs


def test_sending_without_an_lrs_says_what_to_configure(
    played: Exercise, facilitator_client: Client, settings: Any
) -> None:
    settings.LRS_URL = ""
    response = facilitator_client.post(reverse("debrief_xapi_send", args=[played.pk]), follow=True)
    assert "No Learning Record Store is configured (LRS_URL)." in response.content.decode()


def test_reports_are_for_the_exercises_facilitators_only(
    played: Exercise, trainer_client: Client
) -> None:
    for url in (
        reverse("debrief_report", args=[played.pk, "html"]),
        reverse("debrief_xapi", args=[played.pk]),
    ):
        assert trainer_client.get(url).status_code == 404
    assert trainer_client.post(reverse("debrief_xapi_send", args=[played.pk])).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "xapi"])
def test_the_cli_writes_each_report(played: Exercise, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(app, ["report", str(played.pk), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    expected = {"pdf": b"%PDF", "docx": b"PK", "html": b"<!doctype html", "xapi": b"["}[fmt]
    assert data[: len(expected)].lower() == expected.lower()


def test_the_cli_refuses_send_without_an_lrs(played: Exercise, settings: Any) -> None:
    settings.LRS_URL = ""
    result = CliRunner().invoke(app, ["report", str(played.pk), "--format", "xapi", "--send"])
    assert result.exit_code == 2 and "set LRS_URL" in result.output

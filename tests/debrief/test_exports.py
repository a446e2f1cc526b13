"""Raw data export: every step of every team, as CSV and XLSX, from the page and the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook
from typer.testing import CliRunner

from caseroom.cli.main import app
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team
from caseroom.lib.tables import DANGEROUS

pytestmark = pytest.mark.django_db


def play(team: Team) -> None:
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    actions.command(team, Event("act", role="police-rs", ref="check-db", actor="Ana"))


def test_every_step_of_every_team_is_a_csv_row(
    exercise: Exercise, team: Team, other_team: Team, facilitator_client: Client
) -> None:
    play(team)
    actions.command(other_team, Event("act", role="police-rs", ref="treat-as-victim", actor="Rita"))
    response = facilitator_client.get(f"/facilitate/{exercise.pk}/debrief/steps.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('steps.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    acts = [
        (r["team"], r["action"], r["grade"], r["on_expert_path"])
        for r in rows
        if r["kind"] == "act"
    ]
    assert acts == [
        ("Team 1", "arrest-all", "harmful", "no"),
        ("Team 1", "check-db", "acceptable", "yes"),
        ("Team 2", "treat-as-victim", "exemplary", "yes"),
    ]
    harmful = next(r for r in rows if r["action"] == "arrest-all")
    assert (harmful["misconception"], harmful["points_protection"], harmful["actor"]) == (
        "mc-victim-offender",
        "-2",
        "Ana",
    )
    assert harmful["expert_choice"] == "treat-as-victim"


def test_the_xlsx_has_the_same_rows(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    play(team)
    response = facilitator_client.get(f"/facilitate/{exercise.pk}/debrief/steps.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header, data = values[0], values[1:]
    assert "points_legal" in header and len(data) == 2
    assert data[0][header.index("action")] == "arrest-all"


def test_only_facilitators_can_export(exercise: Exercise, trainer: User) -> None:
    client = Client()
    assert client.get(f"/facilitate/{exercise.pk}/debrief/steps.csv").status_code == 302
    client.force_login(trainer)
    assert client.get(f"/facilitate/{exercise.pk}/debrief/steps.csv").status_code == 404


def test_the_cli_exports_an_exercise(exercise: Exercise, team: Team, tmp_path: Path) -> None:
    play(team)
    runner = CliRunner()
    out = tmp_path / "steps.xlsx"
    result = runner.invoke(app, ["report", str(exercise.pk), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active is not None
    csv_result = runner.invoke(app, ["report", str(exercise.pk), "--format", "csv"])
    assert "arrest-all" in csv_result.stdout
    assert runner.invoke(app, ["report", "999999"]).exit_code == 1
    unknown = runner.invoke(app, ["report", str(exercise.pk), "--format", "odt"])
    assert unknown.exit_code == 2 and "use one of pdf, docx, html" in unknown.output
    binary = runner.invoke(app, ["report", str(exercise.pk), "--format", "pdf"])
    assert binary.exit_code == 2 and "needs --out FILE" in binary.output


def hostile_play(team: Team, hostile: str) -> str:
    """A team, a participant and a free-text answer, each named like a spreadsheet formula;
    returns the answer as the export should show it (the engine trims a leading tab or CR
    from answers, which leaves nothing to neutralise)."""
    team.name = hostile
    team.save(update_fields=["name"])
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor=hostile))
    grounds = Event("act", role="prosecutor-rs", ref="grounds", actor="Petar", input=hostile)
    actions.command(team, grounds)
    return hostile.strip() if hostile[0].isspace() else f"'{hostile}"


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_names_and_answers_that_start_a_formula_are_inert_in_the_csv(
    prefix: str, exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    hostile = f'{prefix}HYPERLINK("http://x","click")'
    answer = hostile_play(team, hostile)
    content = facilitator_client.get(
        f"/facilitate/{exercise.pk}/debrief/steps.csv"
    ).content.decode()
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    arrest = next(r for r in rows if r["action"] == "arrest-all")
    grounds = next(r for r in rows if r["action"] == "grounds")
    assert (arrest["team"], arrest["actor"]) == (f"'{hostile}", f"'{hostile}")
    assert grounds["answer"] == answer
    assert arrest["points_protection"] == "-2"  # a negative number is not quoted


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_names_and_answers_that_start_a_formula_are_strings_in_the_xlsx(
    prefix: str, exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    hostile = f'{prefix}HYPERLINK("http://x","click")'
    answer = hostile_play(team, hostile)
    response = facilitator_client.get(f"/facilitate/{exercise.pk}/debrief/steps.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    arrest = next(r for r in rows if r["action"].value == "arrest-all")
    grounds = next(r for r in rows if r["action"].value == "grounds")
    for cell, shown in [(arrest["team"], f"'{hostile}"), (arrest["actor"], f"'{hostile}")]:
        assert (cell.data_type, cell.value) == ("s", shown)
    assert (grounds["answer"].data_type, grounds["answer"].value) == ("s", answer)
    assert (arrest["points_protection"].data_type, arrest["points_protection"].value) == ("n", -2)

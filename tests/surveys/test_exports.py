"""Responses as CSV and XLSX: formulas typed by respondents stay inert text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from caseroom.surveys import actions, exports
from caseroom.surveys.models import QuestionnaireVersion, Round
from tests.surveys.conftest import GOOD

pytestmark = pytest.mark.django_db

HOSTILE = {**GOOD, "agency": "other", "other": "=cmd|' /C calc'!A0"}


def test_a_csv_export_neutralises_formulas_typed_as_answers(
    version: QuestionnaireVersion, round_: Round
) -> None:
    actions.submit(round_, HOSTILE, respondent="@SUM(1)")
    text = exports.responses_csv(version, round_.responses.all(), include_respondent=True)
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["other"] == "'=cmd|' /C calc'!A0"
    assert row["respondent"] == "'@SUM(1)"
    assert row["signs"] == "debt control"
    assert (row["score"], row["max_score"]) == ("3", "3")
    assert row["round"] == round_.code


def test_an_xlsx_export_holds_text_cells_never_formulas(
    version: QuestionnaireVersion, round_: Round
) -> None:
    actions.submit(round_, HOSTILE)
    data = exports.responses_xlsx(version, round_.responses.all())
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert "respondent" not in header  # anonymous unless the caller asks
    values = dict(zip(header, sheet[2], strict=True))
    assert values["other"].value == "'=cmd|' /C calc'!A0"
    assert values["other"].data_type == "s"
    assert values["age"].value == 34

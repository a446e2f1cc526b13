"""The raw answers of a round (CSV, XLSX): with each response's country and agency, and a
focal point's download holding their own country's responses only, however they came in
(the round's form, a personal link, an import)."""

from __future__ import annotations

import csv
import io
import random

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caseroom.cooperation import actions
from caseroom.cooperation.models import Round
from caseroom.demo.cooperation import synthetic_answers
from caseroom.surveys import actions as surveys
from caseroom.surveys.models import Response
from tests.cooperation.conftest import LEVELS, add_answers, basic


@pytest.fixture
def answered(round_: Round) -> None:
    """Serbia: 2 on the form, 1 by a personal link, 1 imported; Croatia: 3, 1 and 1."""
    add_answers(round_, [basic("RS")] * 2 + [basic("HR", agency="prosecution")] * 3)
    made = actions.invite(round_, [("RS-1", "RS", "police"), ("HR-1", "HR", "judiciary")])
    for (invitation, token), seed in zip(made, (1, 2), strict=True):
        answers = synthetic_answers(
            random.Random(seed), invitation.country, invitation.agency, LEVELS
        )
        surveys.submit(round_.survey, answers, respondent_token=token)
    # As surveys.imports stores a row of a file whose country column was named.
    for number, country in enumerate(("RS", "HR")):
        Response.objects.create(
            round_id=round_.survey_id,
            answers=basic(country),
            key=f"import:{number}",
            country=country,
            agency="police",
        )
    # A draft counts nowhere, its country's focal point's download included.
    surveys.save_draft(
        round_.survey,
        {"mla_made": "no"},
        respondent_token=actions.invite(round_, [("RS-2", "RS", "police")])[0][1],
    )


def _csv(client: Client, round_: Round) -> list[list[str]]:
    page = client.get(reverse("cooperation:answers_csv", args=[round_.pk]))
    assert page.status_code == 200
    return list(csv.reader(io.StringIO(page.content.decode())))


def _xlsx(client: Client, round_: Round) -> list[tuple[object, ...]]:
    page = client.get(reverse("cooperation:answers_xlsx", args=[round_.pk]))
    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(page.content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_raw_answers_carry_the_country_and_agency(
    round_: Round, answered: None, coordinator_client: Client
) -> None:
    header, *rows = _csv(coordinator_client, round_)
    assert header[:6] == [
        "response",
        "round",
        "submitted_at",
        "language",
        "link_country",
        "link_agency",
    ]
    assert len(header) == len(set(header)), "the form's own country and agency stay apart"
    assert len(rows) == 9, "every sent response, no draft"
    at = header.index("country")  # the form's question
    assert sorted(row[at] for row in rows) == ["HR"] * 5 + ["RS"] * 4
    assert {row[header.index("agency")] for row in rows} == {"police", "prosecution", "judiciary"}


@pytest.mark.parametrize("download", [_csv, _xlsx])
def test_a_focal_points_download_holds_only_their_country(
    round_: Round, answered: None, focal_client: Client, download: object
) -> None:
    assert callable(download)
    header, *rows = download(focal_client, round_)
    at = list(header).index("country")
    assert len(rows) == 4
    assert {row[at] for row in rows} == {"RS"}
    question = len(header) - 1 - list(reversed(header)).index("country")
    assert {row[question] for row in rows} == {"RS"}, "the answer agrees with the place"


def test_an_observer_gets_no_raw_answers(
    round_: Round, answered: None, observer_client: Client
) -> None:
    for name in ("answers_csv", "answers_xlsx"):
        assert (
            observer_client.get(reverse(f"cooperation:{name}", args=[round_.pk])).status_code == 403
        )

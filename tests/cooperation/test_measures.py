"""Corrective measures: recorded from a gap cell (once, whatever the double clicks), a badge on
the cell, overdue at a glance, followed to the end, and the next round tells whether the gap
closed. Other parts record measures with only an origin label."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseroom.cooperation import actions
from caseroom.cooperation.models import Coordination, Measure, Round
from tests.cooperation.conftest import add_answers, basic

GAP = "coop-guidelines#4.3"  # jit_model, jit_funding


def gap_post(round_: Round, **extra: str) -> dict[str, str]:
    return {
        "round": str(round_.pk),
        "country": "RS",
        "section": GAP,
        "key": "k-1",
        "what": "Brief prosecutors on the JIT model agreement",
        "institution": "Prosecutor's office",
        "responsible": "Head of international cooperation",
        "due_on": "2027-06-30",
        "status": "planned",
        **extra,
    }


def test_a_measure_is_recorded_once_from_its_gap_cell_and_shows_on_the_heatmap(
    round_: Round, coordinator_client: Client
) -> None:
    add_answers(round_, [basic("RS", jit_model="no", jit_funding="partly")] * 5)
    page = coordinator_client.get(reverse("cooperation:round", args=[round_.pk])).content.decode()
    link = f"?round={round_.pk}&amp;country=RS&amp;section=coop-guidelines%234.3"
    assert link in page, "the gap cell offers to record a measure"
    url = reverse("cooperation:new_measure", args=[round_.coordination_id])
    form = coordinator_client.get(url, {"round": str(round_.pk), "country": "RS", "section": GAP})
    assert form.status_code == 200
    past = {"due_on": "2026-01-31"}  # already overdue
    first = coordinator_client.post(url, gap_post(round_, **past))
    second = coordinator_client.post(url, gap_post(round_, **past))  # same key: a double click
    assert first.status_code == second.status_code == 302
    measure = Measure.objects.get()
    assert (measure.round, measure.country, measure.section) == (round_, "RS", GAP)
    later = coordinator_client.get(reverse("cooperation:round", args=[round_.pk]))
    row = later.content.decode().split('id="line-RS"')[1].split("</tr>")[0]
    assert "1 measure" in row and "1 overdue" in row and 'class="badge overdue"' in row


def test_a_gap_that_is_not_a_cell_of_the_round_is_refused(
    round_: Round, coordinator_client: Client
) -> None:
    url = reverse("cooperation:new_measure", args=[round_.coordination_id])
    page = coordinator_client.post(url, gap_post(round_, section="coop-guidelines#9.9"))
    assert page.status_code == 400 and not Measure.objects.exists()
    assert "not a cell of that round" in page.content.decode()


def test_bad_input_comes_back_next_to_its_field(round_: Round, coordinator_client: Client) -> None:
    url = reverse("cooperation:new_measure", args=[round_.coordination_id])
    page = coordinator_client.post(url, gap_post(round_, due_on="1899-01-01", what="x" * 2001))
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"due_on", "what"}


def test_a_focal_point_records_measures_for_their_own_country_only(
    round_: Round, focal_client: Client
) -> None:
    url = reverse("cooperation:new_measure", args=[round_.coordination_id])
    focal_client.post(url, gap_post(round_, country="HR"))
    assert Measure.objects.get().country == "RS"


def test_overdue_measures_are_listed_and_filtered(
    coordination: Coordination, round_: Round, coordinator_client: Client
) -> None:
    today = timezone.localdate()
    for what, due, status in [
        ("Late and planned", today - dt.timedelta(days=1), "planned"),
        ("Late but done", today - dt.timedelta(days=30), "done"),
        ("Not due yet", today, "in_progress"),
    ]:
        actions.record_measure(
            coordination, round_=round_, country="BA", section=GAP, what=what,
            institution="i", responsible="r", due_on=due, status=status,
        )  # fmt: skip
    url = reverse("cooperation:measures", args=[coordination.pk])
    listing = coordinator_client.get(url).content.decode()
    overdue = coordinator_client.get(url, {"overdue": "on"}).content.decode()
    done = coordinator_client.get(url, {"status": "done"}).content.decode()
    assert "1 overdue" in listing and "Not due yet" in listing
    assert "Late and planned" in overdue and "Late but done" not in overdue
    assert "Not due yet" not in overdue
    assert "Late but done" in done and "Late and planned" not in done


def test_a_measure_is_followed_to_the_end(
    coordination: Coordination, round_: Round, coordinator_client: Client
) -> None:
    measure = actions.record_measure(
        coordination, round_=round_, country="RS", section=GAP, what="w", institution="i",
        responsible="r", due_on=dt.date(2027, 6, 30),
    )  # fmt: skip
    page = coordinator_client.post(
        reverse("cooperation:edit_measure", args=[measure.pk]),
        {"what": "w", "institution": "i", "responsible": "r", "due_on": "2027-06-30",
         "status": "done", "evidence": "Agreement model translated", "evidence_ref": GAP},
    )  # fmt: skip
    assert page.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.evidence_ref) == ("done", GAP)
    shown = coordinator_client.get(reverse("cooperation:measure", args=[measure.pk]))
    assert "Agreement model translated" in shown.content.decode()


def test_the_next_round_says_whether_each_gap_closed(
    coordination: Coordination, round_: Round, coordinator_client: Client
) -> None:
    add_answers(
        round_,
        [basic("RS", jit_model="no", jit_funding="no")] * 5
        + [basic("BA", jit_model="no", jit_funding="no")] * 5,
    )
    for country in ("RS", "BA", "ME"):
        actions.record_measure(
            coordination, round_=round_, country=country, section=GAP, what=f"Measure {country}",
            institution="i", responsible="r", due_on=dt.date(2027, 9, 30), status="done",
        )  # fmt: skip
    actions.close_round(round_)
    second = actions.open_round(coordination, "2028 annual", previous=round_)
    add_answers(
        second,
        [basic("RS", jit_model="yes", jit_funding="partly")] * 5  # 75 % ≥ 70 %
        + [basic("BA", jit_model="partly", jit_funding="partly")] * 5,  # 50 %
    )
    result = coordinator_client.get(reverse("cooperation:round", args=[second.pk])).context[
        "result"
    ]
    closed = {f.measure.country: (f.before, f.now, f.closed) for f in result.follow_ups}
    assert closed == {"RS": (0, 75, True), "BA": (0, 50, False), "ME": (None, None, None)}


@pytest.mark.parametrize("label", ["Legislation assessment 2027, recommendation 4"])
def test_other_parts_record_measures_with_an_origin_label(
    coordination: Coordination, coordinator: User, label: str
) -> None:
    measure = actions.record_measure(
        coordination, origin_label=label, country="MK", what="Amend the JIT provisions",
        institution="Ministry of Justice", responsible="Legal department",
        due_on=dt.date(2028, 1, 31), by=coordinator, key="legislation-4",
    )  # fmt: skip
    again = actions.record_measure(
        coordination, origin_label=label, what="again", institution="i", responsible="r",
        due_on=dt.date(2028, 1, 31), key="legislation-4",
    )  # fmt: skip
    assert again == measure and measure.round is None and measure.section == ""
    with pytest.raises(actions.Refused):
        actions.record_measure(
            coordination, what="w", institution="i", responsible="r", due_on=dt.date(2028, 1, 1)
        )

"""Logframe indicators computed from the records, broken down with small cells suppressed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import Programme
from caseroom.programmes.results.breakdowns import Breakdown, labels_for
from caseroom.programmes.results.counts import Scope, with_cascade
from caseroom.programmes.results.indicators import IndicatorValue, indicator_value

from .support_results import enrol, known_programme, logframe, people, session_of

pytestmark = pytest.mark.django_db


def _value(programme: Programme, indicator: object, start: dt.date | None = None) -> IndicatorValue:
    scope = Scope(programme.pk, start or programme.starts_on, programme.ends_on)
    return indicator_value(
        indicator,  # type: ignore[arg-type]
        scope,
        labels=labels_for(programme),
        min_cell=programme.min_cell,
    )


def _grid(table: Breakdown) -> dict[tuple[str, str], int | None]:
    return {
        (row, column): cell.value
        for row, line in zip(table.rows, table.cells, strict=True)
        for column, cell in zip(table.columns, line, strict=True)
    }


def test_each_measure_counts_what_its_name_says_in_the_programmes_period(
    programme: Programme,
) -> None:
    known = known_programme(programme)
    indicators = logframe(programme, module=known.tot)
    values = {name: _value(programme, ind) for name, ind in indicators.items()}
    assert values["people"].value == 20  # the 2025 session and the one-day woman do not count
    assert values["people"].percent_of_target == Decimal("50.0")
    assert values["sessions"].value == 3
    assert values["days"].value == 7
    assert values["tot_people"].value == 2  # only the ToT module's sessions
    assert values["trainers"].value == 2
    assert values["reach"].value == 12  # S2's participants, trained by graduate A
    assert values["manual"].value == Decimal("12.5")
    assert values["manual"].percent_of_target == Decimal("50.0")


def test_a_gain_indicator_says_there_are_no_test_results_yet(programme: Programme) -> None:
    known_programme(programme)
    gain = _value(programme, logframe(programme)["gain"])
    assert gain.value is None
    assert gain.percent_of_target is None
    assert gain.note == "No test results yet."


def test_the_date_range_selects_sessions_by_their_first_day(programme: Programme) -> None:
    known_programme(programme)
    people_trained = logframe(programme)["people"]
    # From April only S2 (May) is in: its 12 participants.
    assert _value(programme, people_trained, dt.date(2026, 4, 1)).value == 12


def test_two_dimensions_are_crossed_and_nothing_is_hidden_when_every_cell_is_large_or_empty(
    programme: Programme,
) -> None:
    known_programme(programme)
    (table,) = _value(programme, logframe(programme)["people"]).breakdowns
    assert table.rows == ("Female", "Male")
    assert table.columns == ("Serbia", "North Macedonia")  # the programme's own order
    assert _grid(table) == {
        ("Female", "Serbia"): 7,
        ("Female", "North Macedonia"): 6,
        ("Male", "Serbia"): 7,
        ("Male", "North Macedonia"): 0,
    }
    assert table.total.value == 20
    assert table.hidden == 0


def test_a_small_cell_is_hidden_with_a_complement_so_subtraction_cannot_recover_it(
    programme: Programme,
) -> None:
    known_programme(programme)
    # By agency: Police 12, Border Police 6, Prosecution 2 (reach counts only Police here,
    # so use people trained with an agency breakdown).
    indicator = logframe(programme)["people"]
    indicator.disaggregation = ["agency"]
    indicator.save()
    (table,) = _value(programme, indicator).breakdowns
    cells = {row: line[0].value for row, line in zip(table.rows, table.cells, strict=True)}
    assert cells == {"Border Police": None, "Police": 12, "Prosecution": None}
    assert table.total.value == 20
    # A hidden cell carries no trace: its link would tell the number.
    hidden = [line[0] for line in table.cells if line[0].value is None]
    assert all(cell.trace == "" for cell in hidden)


def test_sessions_break_down_only_by_where_and_which_module_and_say_so(
    programme: Programme,
) -> None:
    known_programme(programme)
    sessions = _value(programme, logframe(programme)["sessions"])
    (table,) = sessions.breakdowns
    assert table.row_heading == "Module"
    assert not table.of_people
    counts = {row: line[0].value for row, line in zip(table.rows, table.cells, strict=True)}
    # Session counts are not about people: a 1 is shown.
    assert counts == {"Module 1: Fundamentals": 2, "Module 2: Training of trainers": 1}
    assert "Sex" in sessions.note


def test_every_shown_cell_traces_to_its_own_filters(programme: Programme) -> None:
    known_programme(programme)
    (table,) = _value(programme, logframe(programme)["people"]).breakdowns
    female_serbia = table.cells[0][0]
    assert "measure=people_trained" in female_serbia.trace
    assert "sex=F" in female_serbia.trace and "country=RS" in female_serbia.trace
    assert "start=2026-01-01" in female_serbia.trace and "end=2027-12-31" in female_serbia.trace


def _grow(programme: Programme, times: int) -> None:
    module = programme.modules.get(number=1)
    for n in range(times):
        session = session_of(module, f"Extra {n}", dt.date(2026, 6, 1 + n), 2, "Ohrid", "MK")
        enrol(session, people(programme, 6, sex="M", country="MK", agency=f"Unit {n}"), days=2)


@pytest.mark.parametrize("extra", [1, 8])
def test_an_indicator_costs_one_query_per_table_and_one_for_a_value_no_table_gives(
    programme: Programme, django_assert_num_queries: DjangoAssertNumQueries, extra: int
) -> None:
    known_programme(programme)
    _grow(programme, extra)
    indicators = logframe(programme)
    indicators["people"].disaggregation = ["sex", "country", "agency"]
    indicators["people"].save()
    labels = labels_for(programme)
    scope = Scope(programme.pk, programme.starts_on, programme.ends_on)
    with django_assert_num_queries(2):  # sex × country (its total is the value), agency
        value = indicator_value(indicators["people"], scope, labels=labels, min_cell=5)
    assert value.value == 20 + 6 * extra
    with django_assert_num_queries(4 + 1):  # the cascade, then by agency
        indicator_value(indicators["reach"], scope, labels=labels, min_cell=5)
    looked_up = with_cascade(scope)
    with django_assert_num_queries(1):  # the cascade already looked up (as the report does)
        indicator_value(indicators["reach"], looked_up, labels=labels, min_cell=5)
    with django_assert_num_queries(1):  # no breakdown asked for: the value's own query
        indicator_value(indicators["trainers"], scope, labels=labels, min_cell=5)
    with django_assert_num_queries(2):  # those who reached it, and those tested twice
        indicator_value(indicators["gain"], scope, labels=labels, min_cell=5)
    by_module = indicators["people"]
    by_module.disaggregation = ["module", "sex"]  # a person may count in two modules
    with django_assert_num_queries(2):  # module × sex, and the distinct total
        assert indicator_value(by_module, scope, labels=labels, min_cell=5).value == 20 + 6 * extra


def test_a_gain_indicator_is_the_share_of_people_tested_twice_who_reached_the_threshold(
    programme: Programme,
) -> None:
    from caseroom.programmes.models import Enrolment

    from .support_learning import open_all, plan, take

    known = known_programme(programme)
    plan(known.fundamentals)
    open_all(known.s2)
    # Out of 10: 4 → 7 is g = 0.5 (reaches 0.3); 5 → 6 is 0.2 (does not); 10 → 10 had no
    # room to gain (left out); a pre-test alone is left out.
    enrolments = list(Enrolment.objects.filter(session=known.s2, role="participant")[:6])
    for enrolment, (pre, post) in zip(
        enrolments, [(4, 7), (4, 7), (4, 7), (5, 6), (10, 10), (3, None)], strict=True
    ):
        take(enrolment, "pre", pre)
        if post is not None:
            take(enrolment, "post", post)
    gain = _value(programme, logframe(programme)["gain"])
    assert gain.value == Decimal("75.0")  # 3 of the 4 with room to gain
    assert "3 of 4 people" in gain.note

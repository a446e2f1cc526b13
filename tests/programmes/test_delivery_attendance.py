"""Attendance per day: the grid sets Attendance rows exactly as ticked and keeps
Enrolment.days_present in step, which counting.completed relies on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.counting import completed
from caseroom.programmes.delivery.attendance import set_attendance
from caseroom.programmes.models import Attendance, Enrolment, Session

from . import support_delivery as make

pytestmark = pytest.mark.django_db


def _url(session: Session) -> str:
    return reverse("programmes:session_attendance", args=[session.pk])


def _ticks(*pairs: tuple[Enrolment, int]) -> dict[str, list[str]]:
    return {"present": [f"{e.pk}-{day}" for e, day in pairs]}


def _days(enrolment: Enrolment) -> list[int]:
    return list(enrolment.attendance.order_by("day").values_list("day", flat=True))


def test_saving_the_grid_sets_the_days_and_recomputes_days_present(
    trainer_client: Client, session: Session
) -> None:
    ana, bo = make.enrol(session, make.people(session.module.programme, 2), days=0)
    response = trainer_client.post(_url(session), _ticks((ana, 1), (ana, 2), (bo, 2)))
    assert response.status_code == 302
    ana.refresh_from_db()
    bo.refresh_from_db()
    assert (_days(ana), ana.days_present) == ([1, 2], 2)
    assert (_days(bo), bo.days_present) == ([2], 1)
    # Under the 80 % rule of two days only Ana completed.
    assert list(completed(Enrolment.objects.all())) == [ana]


def test_an_unticked_box_removes_the_day_and_lowers_days_present(
    trainer_client: Client, session: Session
) -> None:
    (ana,) = make.enrol(session, make.people(session.module.programme, 1), days=0)
    trainer_client.post(_url(session), _ticks((ana, 1), (ana, 2)))
    trainer_client.post(_url(session), _ticks((ana, 2)))
    ana.refresh_from_db()
    assert (_days(ana), ana.days_present) == ([2], 1)
    trainer_client.post(_url(session), {})
    ana.refresh_from_db()
    assert (_days(ana), ana.days_present) == ([], 0)


def test_a_repeat_of_the_same_post_changes_nothing_and_writes_nothing(session: Session) -> None:
    ana, bo = make.enrol(session, make.people(session.module.programme, 2), days=0)
    grid = {ana.pk: frozenset({1, 2}), bo.pk: frozenset({1})}
    assert set_attendance(session, grid) == 2
    rows = set(Attendance.objects.values_list("pk", "enrolment_id", "day"))
    with CaptureQueriesContext(connection) as queries:
        assert set_attendance(session, grid) == 0
    assert set(Attendance.objects.values_list("pk", "enrolment_id", "day")) == rows
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_a_day_outside_the_session_is_refused_by_the_form_and_nothing_is_written(
    trainer_client: Client, session: Session
) -> None:
    (ana,) = make.enrol(session, make.people(session.module.programme, 1), days=0)
    response = trainer_client.post(_url(session), _ticks((ana, 1), (ana, 3)))
    assert response.status_code == 200
    assert "Day 3 is outside this session&#x27;s 2 days." in response.content.decode()
    assert not Attendance.objects.exists()
    for bad in ("0", "x"):
        response = trainer_client.post(_url(session), {"present": [f"{ana.pk}-{bad}"]})
        assert response.status_code == 200 and not Attendance.objects.exists()


def test_a_box_of_someone_not_enrolled_in_this_session_is_refused(
    trainer_client: Client, session: Session
) -> None:
    (ana,) = make.enrol(session, make.people(session.module.programme, 1), days=0)
    other = make.session(session.module, "Other")
    (stranger,) = make.enrol(other, make.people(session.module.programme, 1, "Q"), days=0)
    response = trainer_client.post(_url(session), _ticks((ana, 1), (stranger, 1)))
    assert response.status_code == 200
    assert "no longer enrolled" in response.content.decode()
    assert not Attendance.objects.exists()


def test_htmx_gets_the_grid_part_with_errors_inside_at_200(
    trainer_client: Client, session: Session
) -> None:
    (ana,) = make.enrol(session, make.people(session.module.programme, 1), days=0)
    bad = trainer_client.post(_url(session), _ticks((ana, 9)), HTTP_HX_REQUEST="true")
    body = bad.content.decode()
    assert bad.status_code == 200
    assert body.startswith('<div id="attendance-grid">') and "outside" in body
    good = trainer_client.post(_url(session), _ticks((ana, 1)), HTTP_HX_REQUEST="true")
    assert good.status_code == 200 and 'id="attendance-grid"' in good.content.decode()
    assert f'value="{ana.pk}-1" id="p-{ana.pk}-1" checked' in good.content.decode()


def test_fewer_days_on_a_session_drop_the_attendance_of_the_days_removed(
    trainer_client: Client, session: Session
) -> None:
    (ana,) = make.enrol(session, make.people(session.module.programme, 1), days=0)
    set_attendance(session, {ana.pk: frozenset({1, 2})})
    response = trainer_client.post(
        reverse("programmes:session_edit", args=[session.pk]),
        {
            "title": session.title,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-03",
            "days": 1,
            "place": session.place,
            "country": "MK",
        },
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (_days(ana), ana.days_present) == ([1], 1)


@pytest.mark.parametrize("size", [10, 60])
def test_the_grid_costs_the_same_queries_for_10_and_60_people(
    trainer_client: Client,
    session: Session,
    size: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    enrolments = make.enrol(session, make.people(session.module.programme, size), days=0)
    # Half of them present on day 1 before; the post moves everyone to day 2.
    set_attendance(session, {e.pk: frozenset({1}) for e in enrolments[::2]})
    # GET: the browser session, the user, the session, the role, enrolments with people,
    # the attendance rows.
    with django_assert_num_queries(6):
        assert trainer_client.get(_url(session)).status_code == 200
    post = _ticks(*[(e, 2) for e in enrolments])
    # POST: browser session, user, session, role, who is on the grid; in a savepoint the
    # rows before, one delete per day that lost ticks, one insert, one recount; then the
    # grid for the answer (enrolments, attendance).
    with django_assert_num_queries(13):
        assert trainer_client.post(_url(session), post, HTTP_HX_REQUEST="true").status_code == 200
    assert Attendance.objects.filter(day=2).count() == size
    assert set(Enrolment.objects.values_list("days_present", flat=True)) == {1}

"""Modules: planned against delivered, created and edited by the manager, their topics and
the needs they answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.delivery.overview import module_lines
from caseroom.programmes.models import Finding, Meeting, Module, Programme, Topic

from . import support_delivery as make

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 1)


def _module_data(**extra: object) -> dict[str, object]:
    return {
        "number": 2,
        "title": "Specialised units",
        "audience": "Prosecutors",
        "objectives": "- identify *victims*\n<script>alert(1)</script>",
        "planned_sessions": 6,
        "planned_people": 120,
        "days_per_session": 3,
        "attendance_rule": 80,
        **extra,
    }


def test_the_list_sets_what_was_delivered_against_the_plan(module: Module) -> None:
    held = make.session(module, "Held", starts=dt.date(2026, 3, 2), days=2)
    make.session(module, "Future", starts=dt.date(2026, 9, 1), days=2)
    programme = module.programme
    both = make.people(programme, 2)
    make.enrol(held, both)  # completed
    make.enrol(held, make.people(programme, 1, "Half"), days=1)  # 1 of 2 days: not trained
    (line,) = module_lines(programme, TODAY)
    assert (line.sessions_held, line.people_trained, line.days_held) == (1, 2, 2)
    assert (line.planned_sessions, line.planned_people, line.planned_days) == (8, 267, 16)


def test_a_person_trained_in_two_sessions_of_a_module_counts_once(module: Module) -> None:
    ana = make.people(module.programme, 1)
    make.enrol(make.session(module, "One", starts=dt.date(2026, 3, 2)), ana)
    make.enrol(make.session(module, "Two", starts=dt.date(2026, 4, 2)), ana)
    (line,) = module_lines(module.programme, TODAY)
    assert (line.sessions_held, line.people_trained) == (2, 1)


@pytest.mark.parametrize("modules", [2, 6])
def test_the_modules_page_costs_the_same_for_2_and_6_modules(
    observer_client: Client,
    programme: Programme,
    modules: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(modules):
        module = Module.objects.create(programme=programme, number=n + 1, title=f"M{n}")
        make.enrol(make.session(module, f"S{n}"), make.people(programme, 3, f"M{n}-"))
    # Browser session, user, role, programme, modules with their sums, people trained.
    with django_assert_num_queries(6):
        page = observer_client.get(reverse("programmes:modules", args=[programme.pk]))
    assert page.status_code == 200 and page.content.decode().count("3 / 0") == modules


def test_the_manager_creates_a_module_and_its_objectives_render_as_safe_markdown(
    manager_client: Client, programme: Programme
) -> None:
    response = manager_client.post(
        reverse("programmes:module_new", args=[programme.pk]), _module_data()
    )
    module = Module.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:module_topics", args=[module.pk])
    page = manager_client.get(reverse("programmes:module", args=[module.pk])).content.decode()
    assert "<em>victims</em>" in page and "<script>alert" not in page


def test_a_number_another_module_has_comes_back_with_the_message_next_to_it(
    manager_client: Client, module: Module
) -> None:
    response = manager_client.post(
        reverse("programmes:module_new", args=[module.programme_id]), _module_data(number=1)
    )
    assert response.status_code == 200
    assert "Another module of this programme has this number." in response.content.decode()
    assert Module.objects.count() == 1


@pytest.mark.parametrize(
    "field,value", [("attendance_rule", 0), ("attendance_rule", 101), ("title", "x" * 201)]
)
def test_out_of_bounds_module_input_is_refused_by_the_form(
    manager_client: Client, module: Module, field: str, value: object
) -> None:
    url = reverse("programmes:module_edit", args=[module.pk])
    response = manager_client.post(url, _module_data(**{field: value}))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    module.refresh_from_db()
    assert module.title == "Fundamentals"


def test_a_trainer_member_may_not_create_or_edit_modules(
    trainer_client: Client, module: Module
) -> None:
    new = reverse("programmes:module_new", args=[module.programme_id])
    assert trainer_client.post(new, _module_data()).status_code == 403
    edit = reverse("programmes:module_edit", args=[module.pk])
    assert trainer_client.post(edit, _module_data()).status_code == 403


def test_topics_are_replaced_in_order_and_rows_marked_for_removal_go(
    manager_client: Client, module: Module
) -> None:
    Topic.objects.create(module=module, order=1, title="Old topic")
    data = {
        "topics-TOTAL_FORMS": 3,
        "topics-INITIAL_FORMS": 1,
        "topics-0-order": 1,
        "topics-0-title": "Old topic",
        "topics-0-minutes": 60,
        "topics-0-DELETE": "on",
        "topics-1-order": 2,
        "topics-1-title": "Indicators of trafficking",
        "topics-1-minutes": 90,
        "topics-1-trainer": "Prosecutor",
        "topics-2-order": 1,
        "topics-2-title": "Applicable law",
        "topics-2-minutes": 45,
    }
    response = manager_client.post(reverse("programmes:module_topics", args=[module.pk]), data)
    assert response.status_code == 302
    assert list(module.topics.values_list("title", "minutes")) == [
        ("Applicable law", 45),
        ("Indicators of trafficking", 90),
    ]


def test_too_many_topics_are_refused(manager_client: Client, module: Module) -> None:
    data: dict[str, object] = {"topics-TOTAL_FORMS": 41, "topics-INITIAL_FORMS": 0}
    for n in range(41):
        data |= {f"topics-{n}-order": n, f"topics-{n}-title": f"T{n}", f"topics-{n}-minutes": 30}
    response = manager_client.post(reverse("programmes:module_topics", args=[module.pk]), data)
    assert response.status_code == 200 and not module.topics.exists()


def test_the_manager_links_the_needs_a_module_answers_and_only_this_programmes(
    manager_client: Client, module: Module, other_programme: Programme
) -> None:
    mine = Finding.objects.create(programme=module.programme, topic="Evidence", text="Weak.")
    theirs = Finding.objects.create(programme=other_programme, topic="Other", text="No.")
    url = reverse("programmes:module_findings", args=[module.pk])
    refused = manager_client.post(url, {"findings": [theirs.pk]})
    assert refused.status_code == 200 and not module.findings.exists()
    assert manager_client.post(url, {"findings": [mine.pk]}).status_code == 302
    assert list(module.findings.all()) == [mine]
    page = manager_client.get(reverse("programmes:module", args=[module.pk])).content.decode()
    assert "Evidence" in page


def test_the_module_page_shows_the_meetings_that_shaped_it(
    observer_client: Client, module: Module
) -> None:
    meeting = Meeting.objects.create(
        programme=module.programme, held_on=dt.date(2026, 2, 10), place="Skopje"
    )
    meeting.modules.add(module)
    page = observer_client.get(reverse("programmes:module", args=[module.pk]))
    assert page.status_code == 200 and "Skopje" in page.content.decode()

"""How modules are designed: the needs findings and the technical working group."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import (
    ActionItem,
    Finding,
    Meeting,
    Module,
    Programme,
    WorkingGroupMember,
)
from caseroom.programmes.setup.findings import needs_answered_by, needs_by_module
from caseroom.programmes.setup.working_group import meeting_page, open_actions, overview
from tests.programmes import support_setup as s

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


# ---------------------------------------------------------------- needs findings


def test_a_manager_writes_a_finding_and_links_the_modules_that_answer_it(
    programme: Programme, manager_client: Client, module: Module
) -> None:
    response = manager_client.post(
        reverse("programmes:finding_add", args=[programme.pk]),
        {
            "topic": "Early identification",
            "text": "Officers **miss** indicators.",
            "modules": [module.pk],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert list(finding.modules.all()) == [module]
    assert needs_answered_by(module)[0].topic == "Early identification"
    page = manager_client.get(reverse("programmes:needs", args=[programme.pk]))
    assert b"<strong>miss</strong>" in page.content
    assert reverse("programmes:needs_assessment", args=[programme.pk]).encode() in page.content


def test_a_findings_markdown_cannot_run_script(
    programme: Programme, observer_client: Client
) -> None:
    Finding.objects.create(
        programme=programme,
        topic="Referral",
        text='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    page = observer_client.get(reverse("programmes:needs", args=[programme.pk]))
    assert page.status_code == 200
    # Shown as text, never as markup.
    assert b"<script>alert" not in page.content and b"<img" not in page.content
    assert b'href="javascript' not in page.content


def test_a_finding_cannot_name_a_module_of_another_programme(
    programme: Programme, other_programme: Programme, manager_client: Client
) -> None:
    foreign = s.module(other_programme, 1)
    response = manager_client.post(
        reverse("programmes:finding_add", args=[programme.pk]),
        {"topic": "t", "text": "x", "modules": [foreign.pk]},
    )
    assert response.status_code == 200
    assert "modules" in response.context["form"].errors
    assert not Finding.objects.exists()


def test_a_finding_is_edited_and_removed_by_a_manager_only(
    programme: Programme, manager_client: Client, observer_client: Client, module: Module
) -> None:
    finding = Finding.objects.create(programme=programme, topic="Old", text="x")
    url = reverse("programmes:finding", args=[finding.pk])
    assert observer_client.get(url).status_code == 403
    manager_client.post(url, {"topic": "New", "text": "y", "modules": [module.pk]})
    finding.refresh_from_db()
    assert (finding.topic, list(finding.modules.all())) == ("New", [module])
    delete = reverse("programmes:finding_delete", args=[finding.pk])
    assert observer_client.post(delete).status_code == 403
    manager_client.post(delete)
    assert not Finding.objects.exists()


def test_the_needs_of_every_module_are_read_in_one_query(
    programme: Programme, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    modules = [s.module(programme, n) for n in (1, 2, 3)]
    for topic, answered_by in [("Law", modules[:2]), ("Victims", modules[1:]), ("None", [])]:
        Finding.objects.create(programme=programme, topic=topic, text="x").modules.set(answered_by)
    with django_assert_num_queries(1):
        found = needs_by_module(programme)
    assert {pk: [n.topic for n in needs] for pk, needs in found.items()} == {
        modules[0].pk: ["Law"],
        modules[1].pk: ["Law", "Victims"],
        modules[2].pk: ["Victims"],
    }


# ---------------------------------------------------------------- working group


@pytest.fixture
def group(programme: Programme, module: Module) -> dict[str, object]:
    """Three members, two meetings, four action items (one overdue, one done, one undated)."""
    ana, boris, vesna = (
        WorkingGroupMember.objects.create(programme=programme, name=n, institution=i)
        for n, i in [("Ana", "Ministry of Interior"), ("Boris", "Prosecution"), ("Vesna", "Labour")]
    )
    first = Meeting.objects.create(
        programme=programme, held_on=dt.date(2026, 2, 10), place="Skopje"
    )
    first.present.set([ana, boris])
    first.modules.set([module])
    second = Meeting.objects.create(programme=programme, held_on=dt.date(2026, 5, 5))
    late = ActionItem.objects.create(
        meeting=first, text="Draft agenda", owner=ana, due_on=dt.date(2026, 3, 1)
    )
    ActionItem.objects.create(
        meeting=first, text="Book venue", due_on=dt.date(2026, 2, 1), status="done"
    )
    soon = ActionItem.objects.create(
        meeting=second, text="Invite NGOs", owner=boris, due_on=dt.date(2026, 7, 1)
    )
    undated = ActionItem.objects.create(meeting=second, text="Translate manual")
    return {
        "first": first,
        "second": second,
        "late": late,
        "soon": soon,
        "undated": undated,
        "vesna": vesna,
    }


def test_open_action_items_of_every_meeting_are_listed_and_the_overdue_flagged(
    programme: Programme, group: dict[str, object]
) -> None:
    items = open_actions(programme, today=TODAY)
    assert [(i.text, i.overdue) for i in items] == [
        ("Draft agenda", True),
        ("Invite NGOs", False),
        ("Translate manual", False),
    ]
    assert overview(programme, today=TODAY).overdue == 1


def test_the_overview_counts_each_meeting(programme: Programme, group: dict[str, object]) -> None:
    meetings = overview(programme, today=TODAY).meetings
    assert [(m.held_on, m.present, m.open_actions) for m in meetings] == [
        (dt.date(2026, 5, 5), 0, 2),
        (dt.date(2026, 2, 10), 2, 1),
    ]


def test_a_meeting_page_says_who_was_there_and_which_modules_it_shaped(
    group: dict[str, object], observer_client: Client
) -> None:
    first = group["first"]
    assert isinstance(first, Meeting)
    page = meeting_page(first, today=TODAY)
    assert page.present == ("Ana (Ministry of Interior)", "Boris (Prosecution)")
    assert page.absent == ("Vesna (Labour)",)
    assert page.modules == ("Module 1: Fundamentals",)
    response = observer_client.get(reverse("programmes:meeting", args=[first.pk]))
    assert response.status_code == 200
    assert b"overdue" in response.content


def test_a_manager_records_a_meeting_with_decisions_and_action_items(
    programme: Programme, manager_client: Client, module: Module
) -> None:
    ana = WorkingGroupMember.objects.create(programme=programme, name="Ana", institution="MoI")
    response = manager_client.post(
        reverse("programmes:meeting_add", args=[programme.pk]),
        {
            "held_on": "2026-04-20",
            "place": "Tirana",
            "agenda": "1. Module 2 agenda",
            "minutes": "Agreed to add *child trafficking*.",
            "present": [ana.pk],
            "modules": [module.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("programmes:meeting", args=[meeting.pk])
    manager_client.post(
        reverse("programmes:decision_add", args=[meeting.pk]), {"text": "Add a day"}
    )
    manager_client.post(
        reverse("programmes:action_item_add", args=[meeting.pk]),
        {"text": "Revise agenda", "owner": ana.pk, "due_on": "2026-05-01"},
    )
    assert list(meeting.decisions.values_list("text", flat=True)) == ["Add a day"]
    item = meeting.action_items.get()
    manager_client.post(
        reverse("programmes:action_item_status", args=[meeting.pk]),
        {"item": item.pk, "status": "done", "back_to_overview": "on"},
    )
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    page = manager_client.get(reverse("programmes:meeting", args=[meeting.pk]))
    assert b"<em>child trafficking</em>" in page.content


def test_bad_working_group_input_comes_back_beside_the_field(
    programme: Programme, manager_client: Client, group: dict[str, object]
) -> None:
    first = group["first"]
    assert isinstance(first, Meeting)
    response = manager_client.post(
        reverse("programmes:action_item_add", args=[first.pk]), {"text": "", "due_on": "soon"}
    )
    assert response.status_code == 200
    assert set(response.context["action_form"].errors) == {"text", "due_on"}
    response = manager_client.post(
        reverse("programmes:meeting_add", args=[programme.pk]), {"held_on": "2026-13-40"}
    )
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    response = manager_client.post(
        reverse("programmes:wg_member_add", args=[programme.pk]), {"name": "x" * 151}
    )
    assert response.status_code == 200
    assert set(response.context["member_form"].errors) == {"name", "institution"}


def test_an_item_of_another_meeting_cannot_be_changed_through_this_one(
    group: dict[str, object], manager_client: Client
) -> None:
    first, soon = group["first"], group["soon"]
    assert isinstance(first, Meeting) and isinstance(soon, ActionItem)
    manager_client.post(
        reverse("programmes:action_item_status", args=[first.pk]),
        {"item": soon.pk, "status": "dropped"},
    )
    soon.refresh_from_db()
    assert soon.status == ActionItem.Status.OPEN


def test_an_observer_reads_the_working_group_but_writes_nothing(
    programme: Programme, group: dict[str, object], observer_client: Client
) -> None:
    page = observer_client.get(reverse("programmes:working_group", args=[programme.pk]))
    assert page.status_code == 200
    assert b"Draft agenda" in page.content and b"Record a meeting" not in page.content
    late = group["late"]
    assert isinstance(late, ActionItem)
    response = observer_client.post(
        reverse("programmes:action_item_status", args=[late.meeting_id]),
        {"item": late.pk, "status": "done"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("meetings", [2, 6])
def test_the_working_group_page_takes_the_same_queries_for_two_or_six_meetings(
    programme: Programme,
    manager_client: Client,
    meetings: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    members = [
        WorkingGroupMember.objects.create(programme=programme, name=f"M{n}", institution="I")
        for n in range(3)
    ]
    for n in range(meetings):
        meeting = Meeting.objects.create(programme=programme, held_on=dt.date(2026, 1, n + 1))
        meeting.present.set(members)
        ActionItem.objects.create(meeting=meeting, text="t", owner=members[0], due_on=TODAY)
    url = reverse("programmes:working_group", args=[programme.pk])
    manager_client.get(url)
    # session, user, role, programme; members, meetings with their counts, open items.
    with django_assert_num_queries(7):
        response = manager_client.get(url)
    assert len(response.context["group"].meetings) == meetings

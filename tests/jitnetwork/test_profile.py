"""Experts keep their own profiles current; a yearly reminder asks those who have not."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from caseroom.jitnetwork import reminders
from caseroom.jitnetwork.models import Area, Expert

from .conftest import make_expert, verified


def test_an_expert_updates_their_own_profile_and_it_counts_as_reviewed(mira: Expert) -> None:
    Expert.objects.filter(pk=mira.pk).update(reviewed_at=timezone.now() - dt.timedelta(days=400))
    client = verified(mira.user)
    page = client.get(reverse("jitnetwork:profile"))
    assert page.status_code == 200 and b"mira@example.org" in page.content
    saved = client.post(
        reverse("jitnetwork:profile"),
        {
            "institution": "Basic Public Prosecutor's Office Skopje",
            "function": "Deputy public prosecutor",
            "languages": "English, Macedonian, Albanian",
            "areas": [Area.JIT_SETUP, Area.CYBER],
            "jits_count": 4,
            "jit_years": "2019, 2022, 2025",
            "email": "mira.new@example.org",
            "phone": "",
        },
    )
    assert saved.status_code == 302
    mira.refresh_from_db()
    assert (mira.function, mira.email, mira.phone) == (
        "Deputy public prosecutor",
        "mira.new@example.org",
        "",
    )
    assert sorted(mira.areas.values_list("area", flat=True)) == ["cyber", "jit_setup"]
    assert timezone.now() - mira.reviewed_at < dt.timedelta(minutes=1)


def test_someone_without_a_profile_is_told_so(nikola: User) -> None:
    page = verified(nikola).get(reverse("jitnetwork:profile"))
    assert page.status_code == 200 and b"no profile" in page.content
    assert verified(nikola).post(reverse("jitnetwork:profile"), {}).status_code == 200


def test_the_yearly_reminder_goes_once_to_those_not_reviewed_for_a_year(mira: Expert) -> None:
    fresh = make_expert("goran", country="AL")
    left = make_expert("vesna", country="RS")
    year_ago = timezone.now() - dt.timedelta(days=366)
    Expert.objects.filter(pk__in=[mira.pk, left.pk]).update(reviewed_at=year_ago)
    Expert.objects.filter(pk=left.pk).update(state=Expert.State.LEFT, email="", phone="")

    call_command("jitreminders", "--base-url", "https://caseroom.example", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["mira@example.org"]]
    assert "https://caseroom.example/network/profile/" in mail.outbox[0].body
    assert fresh.email not in str([m.to for m in mail.outbox])

    assert reminders.send(timezone.now(), "x") == 0, "once a year"
    # A year on, Mira (still not reviewed) and Goran (reviewed today) are both due.
    assert reminders.send(timezone.now() + dt.timedelta(days=366), "x") == 2

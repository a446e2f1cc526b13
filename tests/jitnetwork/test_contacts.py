"""Contact details: to confirmed members only, every view written to the audit log in the
same request; the log is append-only and exported for the network coordinator; leaving
deletes the contact details from every page and export at once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from caseroom.jitnetwork import actions
from caseroom.jitnetwork.models import AppendOnly, ContactView, Expert

from .conftest import make_expert, verified


def test_a_member_sees_contact_details_and_the_view_is_audited(mira: Expert) -> None:
    colleague = make_expert("goran", country="AL")
    client = verified(mira.user)

    profile = client.get(reverse("jitnetwork:expert", args=[colleague.pk]))
    assert profile.status_code == 200
    assert b"goran@example.org" not in profile.content, "the profile page shows no contact"
    assert not ContactView.objects.exists(), "reading the profile is not a contact view"

    shown = client.post(reverse("jitnetwork:contact", args=[colleague.pk]))
    assert shown.status_code == 200
    assert b"goran@example.org" in shown.content
    assert list(ContactView.objects.values_list("viewer_id", "expert_id")) == [
        (mira.user.pk, colleague.pk)
    ]
    client.post(reverse("jitnetwork:contact", args=[colleague.pk]))
    assert ContactView.objects.count() == 2, "every view is a row"


@pytest.mark.parametrize("who", ["pavle", "nada", "nikola", "stefan"])
def test_only_confirmed_members_see_contact_details(
    who: str, mira: Expert, pavle: Expert, nada: User, nikola: User, stefan: User
) -> None:
    user = {"pavle": pavle.user, "nada": nada, "nikola": nikola, "stefan": stefan}[who]
    client = verified(user)
    answer = client.post(reverse("jitnetwork:contact", args=[mira.pk]))
    assert answer.status_code == 403
    assert b"mira@example.org" not in answer.content
    assert not ContactView.objects.exists()


def test_the_audit_log_cannot_be_changed_or_deleted(mira: Expert) -> None:
    row = actions.record_contact_view(viewer=mira.user, expert=mira)
    row.viewer_id = 999
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    assert ContactView.objects.get().viewer_id == mira.user.pk


def test_the_network_coordinator_reads_and_exports_the_audit(mira: Expert, nikola: User) -> None:
    actions.record_contact_view(viewer=nikola, expert=mira)
    client = verified(nikola)
    page = client.get(reverse("jitnetwork:audit"))
    assert page.status_code == 200
    assert str(mira.pk).encode() in page.content
    export = client.get(reverse("jitnetwork:audit_csv"))
    assert export.status_code == 200
    lines = export.content.decode().splitlines()
    assert lines[0] == "viewer_id,expert_id,at"
    assert lines[1].startswith(f"{nikola.pk},{mira.pk},")
    workbook = client.get(reverse("jitnetwork:audit_xlsx"))
    assert workbook["Content-Disposition"] == 'attachment; filename="jit-contact-views.xlsx"'
    rows = list(
        load_workbook(io.BytesIO(workbook.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0] == ("viewer_id", "expert_id", "at")
    assert rows[1][:2] == (nikola.pk, mira.pk)


def test_leaving_deletes_contact_details_from_every_page_and_export(
    mira: Expert, nikola: User
) -> None:
    viewer = make_expert("goran", country="AL")
    verified(viewer.user).post(reverse("jitnetwork:contact", args=[mira.pk]))

    left = verified(mira.user).post(reverse("jitnetwork:leave"))
    assert left.status_code == 302
    mira.refresh_from_db()
    assert (mira.state, mira.email, mira.phone) == (Expert.State.LEFT, "", "")
    assert mira.left_at is not None

    other = verified(viewer.user)
    pages = [
        other.get(reverse("jitnetwork:search")),
        other.get(reverse("jitnetwork:expert", args=[mira.pk])),
        other.post(reverse("jitnetwork:contact", args=[mira.pk])),
        verified(nikola).get(reverse("jitnetwork:audit")),
        verified(nikola).get(reverse("jitnetwork:audit_csv")),
        verified(nikola).get(reverse("jitnetwork:home")),
    ]
    workbook = verified(nikola).get(reverse("jitnetwork:audit_xlsx"))
    cells = {
        str(value)
        for row in load_workbook(io.BytesIO(workbook.content))
        .worksheets[0]
        .iter_rows(values_only=True)
        for value in row
    }
    assert not {"mira@example.org", "+389 2 000 000", "Mira"} & cells
    for answer in pages:
        assert b"mira@example.org" not in answer.content
        assert b"+389 2 000 000" not in answer.content
        assert b"Mira" not in answer.content
    assert pages[1].status_code == 404 and pages[2].status_code == 404
    # The audit keeps the ids and the time of the earlier view, nothing else.
    assert list(ContactView.objects.values_list("viewer_id", "expert_id")) == [
        (viewer.user.pk, mira.pk)
    ]


def test_the_database_refuses_contact_details_on_someone_who_left(mira: Expert) -> None:
    mira.state = Expert.State.LEFT
    with pytest.raises(IntegrityError), transaction.atomic():
        mira.save()


def test_no_page_changes_or_deletes_the_audit_log(mira: Expert, nikola: User) -> None:
    actions.record_contact_view(viewer=nikola, expert=mira)
    client = verified(nikola)
    for name in ("jitnetwork:audit", "jitnetwork:audit_csv", "jitnetwork:audit_xlsx"):
        url = reverse(name)
        assert client.post(url, {"viewer_id": 1}).status_code == 405
        assert client.put(url).status_code == 405
        assert client.delete(url).status_code == 405
    assert list(ContactView.objects.values_list("viewer_id", "expert_id")) == [(nikola.pk, mira.pk)]

"""Two assessors edit one cell at once: a change made since the form was opened is merged into
the save, never overwritten unseen; where both changed the same field, the second is told
who changed what and saves again only by choice."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Coordination, Membership
from caseroom.legislation import actions
from caseroom.legislation.actions import Conflict
from caseroom.legislation.models import Assessment, Criterion, Rating
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

BEFORE = {
    "provision_ref": "CPC Art. 504",
    "provision_summary": "",
    "rating": Rating.PARTLY,
    "evidence": "",
    "recommendation": "",
}


@pytest.fixture
def second_assessor(coordination: Coordination) -> User:
    user = User.objects.create_user("vesna", password="pw-vesna-12345")
    cooperation.set_member(coordination, user, Membership.Role.COORDINATOR)
    return user


def test_a_field_the_other_assessor_did_not_touch_keeps_their_change(
    criterion: Criterion, coordinator: User, second_assessor: User
) -> None:
    actions.assess(criterion, "RS", BEFORE, by=coordinator)
    opened = actions.last_change(criterion, "RS")
    actions.assess(criterion, "RS", {**BEFORE, "rating": Rating.IN_LINE}, by=second_assessor)

    actions.assess(
        criterion, "RS", {**BEFORE, "evidence": "Court practice 2024"}, by=coordinator, seen=opened
    )

    cell = Assessment.objects.get()
    assert (cell.rating, cell.evidence) == (Rating.IN_LINE, "Court practice 2024")


def test_both_changing_one_field_is_a_conflict_naming_who(
    criterion: Criterion, coordinator: User, second_assessor: User
) -> None:
    actions.assess(criterion, "RS", BEFORE, by=coordinator)
    opened = actions.last_change(criterion, "RS")
    actions.assess(criterion, "RS", {**BEFORE, "rating": Rating.IN_LINE}, by=second_assessor)

    with pytest.raises(Conflict) as clash:
        actions.assess(
            criterion, "RS", {**BEFORE, "rating": Rating.NOT}, by=coordinator, seen=opened
        )

    assert "vesna" in clash.value.message
    assert [change.field for change in clash.value.changes] == ["rating"]
    assert Assessment.objects.get().rating == Rating.IN_LINE


def test_the_edit_page_shows_the_other_change_and_a_second_save_is_a_choice(
    criterion: Criterion, coordinator: User, second_assessor: User
) -> None:
    actions.assess(criterion, "RS", BEFORE, by=coordinator)
    client: Client = logged_in(coordinator)
    url = reverse("legislation:edit", args=[criterion.pk, "RS"])
    seen = client.get(url).context["form"].initial["seen"]
    actions.assess(criterion, "RS", {**BEFORE, "rating": Rating.IN_LINE}, by=second_assessor)
    mine = {**BEFORE, "rating": Rating.NOT, "seen": seen}

    page = client.post(url, mine)

    html = page.content.decode()
    assert page.status_code == 200 and "vesna changed this cell" in html
    assert Assessment.objects.get().rating == Rating.IN_LINE
    again = client.post(url, {**mine, "seen": page.context["form"].data["seen"]})
    assert again.status_code == 302
    assert Assessment.objects.get().rating == Rating.NOT

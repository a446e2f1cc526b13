"""A coordination's settings: the smallest group shown and the score that closes a gap, each
change recorded (who, when, before → after) and shown; lowering the smallest group needs a
confirmation, since it weakens the protection of every respondent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caseroom.cooperation import actions
from caseroom.cooperation.models import Coordination, Round, SettingChange
from tests.cooperation.conftest import add_answers, basic


def _save(client: Client, coordination: Coordination, **data: object):  # type: ignore[no-untyped-def]
    return client.post(reverse("cooperation:settings", args=[coordination.pk]), data, follow=True)


def test_a_change_is_saved_and_recorded_with_who_and_before_and_after(
    coordination: Coordination, coordinator: User, coordinator_client: Client
) -> None:
    page = coordinator_client.get(reverse("cooperation:settings", args=[coordination.pk]))
    assert page.status_code == 200
    assert "No change since the coordination was created." in page.content.decode()
    done = _save(coordinator_client, coordination, min_cell=8, target=75)
    assert "The settings are saved." in done.content.decode()
    coordination.refresh_from_db()
    assert (coordination.min_cell, coordination.target) == (8, 75)
    trail = {(c.setting, c.before, c.after, c.by) for c in SettingChange.objects.all()}
    assert trail == {("min_cell", 5, 8, coordinator), ("target", 70, 75, coordinator)}
    table = done.content.decode().split('id="setting-changes"')[1].split("</table>")[0]
    assert (
        "cora" in table and "smallest group shown" in table and "score that closes a gap" in table
    )


def test_the_same_values_change_nothing_and_record_nothing(
    coordination: Coordination, coordinator_client: Client
) -> None:
    done = _save(coordinator_client, coordination, min_cell=5, target=70)
    assert "Nothing changed." in done.content.decode()
    assert not SettingChange.objects.exists()


def test_lowering_the_smallest_group_asks_for_a_confirmation(
    coordination: Coordination, coordinator_client: Client
) -> None:
    refused = _save(coordinator_client, coordination, min_cell=3, target=70)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Lowering the smallest group from 5 to 3 weakens the protection of respondents" in text
    assert "groups of 3 to 4 become visible" in text
    coordination.refresh_from_db()
    assert coordination.min_cell == 5 and not SettingChange.objects.exists()
    done = _save(coordinator_client, coordination, min_cell=3, target=70, confirm_lower="on")
    text = done.content.decode()
    assert "Groups of 3 respondents and more are shown now, on every round." in text
    assert "lowered" in text.split('id="setting-changes"')[1]
    coordination.refresh_from_db()
    assert coordination.min_cell == 3
    assert SettingChange.objects.get().before == 5


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"min_cell": 1, "target": 70, "confirm_lower": "on"}, "min_cell"),
        ({"min_cell": 500, "target": 70}, "min_cell"),
        ({"min_cell": 5, "target": 0}, "target"),
        ({"min_cell": 5, "target": 101}, "target"),
        ({"min_cell": "five", "target": 70}, "min_cell"),
    ],
)
def test_values_out_of_bounds_are_refused_beside_their_field(
    coordination: Coordination, coordinator_client: Client, data: dict[str, object], field: str
) -> None:
    page = _save(coordinator_client, coordination, **data)
    assert page.status_code == 400 and field in page.context["form"].errors
    coordination.refresh_from_db()
    assert (coordination.min_cell, coordination.target) == (5, 70)


def test_the_database_and_the_action_keep_at_least_two(
    coordination: Coordination, coordinator: User
) -> None:
    with pytest.raises(actions.Refused, match="at least 2"):
        actions.change_settings(coordination, min_cell=1, target=70, by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Coordination.objects.filter(pk=coordination.pk).update(min_cell=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SettingChange.objects.create(coordination=coordination, setting="target", before=7, after=7)


def test_the_gap_page_follows_the_new_smallest_group(
    coordination: Coordination, round_: Round, coordinator: User, coordinator_client: Client
) -> None:
    add_answers(round_, [basic("RS", mla_basis="yes")] * 4)
    url = reverse("cooperation:round", args=[round_.pk])
    serbia = next(
        line for line in coordinator_client.get(url).context["result"].lines if line.key == "RS"
    )
    assert serbia.cells[0].hidden
    actions.change_settings(coordination, min_cell=4, target=70, by=coordinator)
    result = coordinator_client.get(url).context["result"]
    serbia = next(line for line in result.lines if line.key == "RS")
    assert result.min_cell == 4 and serbia.cells[0].percent == 100


def test_a_new_coordination_keeps_its_target_in_one_write(
    coordinator: User, coordinator_client: Client
) -> None:
    coordinator_client.post(
        reverse("cooperation:create"), {"title": "Danube", "min_cell": 6, "target": 80}
    )
    made = Coordination.objects.get(title="Danube")
    assert (made.min_cell, made.target) == (6, 80)
    assert not SettingChange.objects.filter(coordination=made).exists()


def test_only_coordinators_see_the_settings_link(
    coordination: Coordination, coordinator_client: Client, observer_client: Client
) -> None:
    url = reverse("cooperation:settings", args=[coordination.pk])
    overview = reverse("cooperation:coordination", args=[coordination.pk])
    assert url in coordinator_client.get(overview).content.decode()
    assert url not in observer_client.get(overview).content.decode()
    assert observer_client.get(url).status_code == 403

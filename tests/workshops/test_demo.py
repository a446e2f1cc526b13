"""The demo workshop: finished, fictional, from seven places, and made once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Measure
from caseroom.demo.cooperation import TITLE as COORDINATION
from caseroom.demo.workshops import load_demo_workshop
from caseroom.workshops.models import Card, Recommendation, Vote, Workshop

pytestmark = pytest.mark.django_db


def test_the_demo_workshop_is_finished_and_loaded_once(facilitator: User) -> None:
    cooperation.create_coordination(COORDINATION, by=facilitator)
    workshop = load_demo_workshop(facilitator)
    assert load_demo_workshop(facilitator) == workshop
    assert Workshop.objects.count() == 1
    assert "demo data" in workshop.title
    assert workshop.participants.count() == 30
    assert len(set(workshop.participants.values_list("country", flat=True))) == 7
    assert Card.objects.count() == 60
    assert Card.objects.filter(merged_into__isnull=False).count() == 5
    assert Card.objects.filter(merged_into__isnull=True, cluster__isnull=True).count() == 0
    assert Vote.objects.count() == 30 * 5 * 3
    assert not workshop.themes.filter(voting_open=True).exists()
    assert Recommendation.objects.count() == 5
    assert Measure.objects.filter(origin_label__startswith="Workshop: ").count() == 5


def test_without_the_demo_coordination_the_recommendations_are_not_tracked(
    facilitator: User,
) -> None:
    load_demo_workshop(facilitator)
    assert Recommendation.objects.count() == 5
    assert not Measure.objects.exists()

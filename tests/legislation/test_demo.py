"""The demo matrix: thirteen cited criteria, seven places assessed, flagged and shown as demo
data, a history and measures to show, and the same again changes nothing."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from caseroom.cooperation.models import Measure
from caseroom.demo.legislation import CRITERIA, load_demo_legislation
from caseroom.legislation.models import COUNTRIES, Assessment, AssessmentChange, Criterion
from tests.conftest import logged_in


def test_the_demo_assesses_seven_places_against_cited_criteria_once(db: None) -> None:
    cora = User.objects.create_user("cora", password="pw-cora-12345", is_staff=True)
    matrix = load_demo_legislation(cora)
    counts = (Assessment.objects.count(), AssessmentChange.objects.count(), Measure.objects.count())
    assert matrix.demo and Criterion.objects.filter(matrix=matrix).count() == len(CRITERIA) == 13
    assert counts[0] == 13 * len(COUNTRIES) == 13 * 7
    assert {c.source for c in Criterion.objects.all()} == set(Criterion.Source.values)
    assert all(c.article for c in Criterion.objects.all())
    missing = Assessment.objects.filter(rating="no_provision")
    assert (
        missing.exists()
        and counts[2] == missing.count() == missing.filter(measure__isnull=False).count()
    )
    assert AssessmentChange.objects.filter(field="rating", before="not", after="partly").exists()
    assert load_demo_legislation(cora) == matrix
    again = (Assessment.objects.count(), AssessmentChange.objects.count(), Measure.objects.count())
    assert again == counts

    page = logged_in(cora).get(reverse("legislation:heatmap", args=[matrix.pk]))
    assert page.status_code == 200 and b"Demo data" in page.content
    assert b"Kosovo*" in page.content

"""Ratings and their history: every changed field kept (who, when, before → after), the
same values again record nothing, the history cannot be overwritten; a recommendation
becomes one corrective measure of the coordination however often it is asked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from caseroom.cooperation.models import Measure
from caseroom.legislation import actions
from caseroom.legislation.actions import Refused
from caseroom.legislation.models import Assessment, AssessmentChange, Criterion, Rating

DAY = dt.date(2027, 3, 1)


def test_a_first_assessment_keeps_each_stated_field_as_a_change_from_empty(
    criterion: Criterion, coordinator: User
) -> None:
    cell, changes = actions.assess(
        criterion,
        "RS",
        {"provision_ref": "CPC Art. 1", "rating": Rating.PARTLY, "recommendation": "Amend Art. 1"},
        by=coordinator,
        today=DAY,
    )
    assert (cell.rating, cell.assessor, cell.assessed_on) == ("partly", coordinator, DAY)
    kept = {(c.field, c.before, c.after, c.by_id) for c in AssessmentChange.objects.all()}
    assert kept == {
        ("provision_ref", "", "CPC Art. 1", coordinator.pk),
        ("rating", "unknown", "partly", coordinator.pk),
        ("recommendation", "", "Amend Art. 1", coordinator.pk),
    }
    assert len(changes) == 3


def test_a_later_change_keeps_before_and_after_and_who_made_it(
    criterion: Criterion, coordinator: User, observer: User
) -> None:
    actions.assess(criterion, "AL", {"rating": Rating.NOT}, by=coordinator, today=DAY)
    cell, changes = actions.assess(
        criterion,
        "AL",
        {"rating": Rating.IN_LINE, "evidence": "Law 2027/12"},
        by=observer,
        today=DAY + dt.timedelta(days=5),
    )
    assert [(c.field, c.before, c.after, c.by) for c in changes] == [
        ("rating", "not", "in_line", observer),
        ("evidence", "", "Law 2027/12", observer),
    ]
    assert cell.assessor == observer and cell.assessed_on == DAY + dt.timedelta(days=5)
    history = list(cell.changes.values_list("field", "before", "after"))
    assert ("rating", "unknown", "not") in history and ("rating", "not", "in_line") in history


def test_the_same_values_again_record_nothing(criterion: Criterion, coordinator: User) -> None:
    actions.assess(criterion, "ME", {"rating": Rating.NOT}, by=coordinator, today=DAY)
    cell, changes = actions.assess(
        criterion, "ME", {"rating": Rating.NOT}, by=coordinator, today=DAY + dt.timedelta(days=1)
    )
    assert changes == [] and cell.assessed_on == DAY
    assert AssessmentChange.objects.count() == 1


def test_a_stored_change_cannot_be_overwritten(criterion: Criterion, coordinator: User) -> None:
    _cell, [change] = actions.assess(criterion, "HR", {"rating": Rating.NOT}, by=coordinator)
    change.after = "in_line"
    with pytest.raises(TypeError, match="append-only"):
        change.save()
    assert AssessmentChange.objects.get().after == "not"


def test_the_database_refuses_a_change_that_changes_nothing(
    criterion: Criterion, coordinator: User
) -> None:
    cell, _ = actions.assess(criterion, "HR", {"rating": Rating.NOT}, by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentChange.objects.create(assessment=cell, field="rating", before="x", after="x")


def test_unknown_countries_ratings_and_fields_are_refused(
    criterion: Criterion, coordinator: User
) -> None:
    with pytest.raises(Refused):
        actions.assess(criterion, "FR", {"rating": Rating.NOT}, by=coordinator)
    with pytest.raises(Refused):
        actions.assess(criterion, "RS", {"rating": "excellent"}, by=coordinator)
    with pytest.raises(TypeError):
        actions.assess(criterion, "RS", {"assessor": "someone"}, by=coordinator)
    assert not Assessment.objects.exists()


def test_a_recommendation_becomes_one_measure_however_often_asked(
    criterion: Criterion, coordinator: User
) -> None:
    cell, _ = actions.assess(
        criterion,
        "XK",
        {"rating": Rating.NO_PROVISION, "recommendation": "Adopt a JIT provision in the MLA law"},
        by=coordinator,
    )
    made = [
        actions.make_measure(
            cell,
            institution="Ministry of Justice",
            responsible="Legal department",
            due_on=dt.date(2028, 6, 30),
            by=coordinator,
        )
        for _ in range(3)
    ]
    assert made[0] == made[1] == made[2]
    measure = Measure.objects.get()
    assert measure.coordination == criterion.matrix.coordination
    assert measure.origin_label == "Legislation: JIT-01 Kosovo*"
    assert (measure.country, measure.what) == ("XK", "Adopt a JIT provision in the MLA law")
    assert measure.key == actions.measure_key(cell)
    assert Assessment.objects.get().measure == measure


def test_no_measure_without_a_recommendation(criterion: Criterion, coordinator: User) -> None:
    cell, _ = actions.assess(criterion, "RS", {"rating": Rating.NOT}, by=coordinator)
    with pytest.raises(Refused):
        actions.make_measure(cell, institution="x", responsible="y", due_on=DAY, by=coordinator)
    assert not Measure.objects.exists()

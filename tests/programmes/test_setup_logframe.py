"""The logframe: outcomes → outputs → indicators, codes unique, each measure with its own fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import Indicator, Module, Outcome, Output, Programme
from caseroom.programmes.setup.logframe import logframe

pytestmark = pytest.mark.django_db


@pytest.fixture
def output(programme: Programme) -> Output:
    outcome = Outcome.objects.create(programme=programme, code="1", title="Investigations")
    return Output.objects.create(outcome=outcome, code="1.1", title="Officers trained")


def _indicator(output: Output, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "output": output.pk,
        "code": "1.1.a",
        "title": "Officers trained",
        "unit": "people",
        "baseline": "0",
        "target": "267",
        "measure": "people_trained",
        "disaggregation": ["sex", "country"],
    }
    data.update(changes)
    return data


def _add(client: Client, programme: Programme, data: dict[str, object]) -> Any:
    return client.post(reverse("programmes:indicator_add", args=[programme.pk]), data)


def test_a_manager_builds_the_logframe_from_outcome_to_indicator(
    programme: Programme, manager_client: Client, module: Module
) -> None:
    manager_client.post(
        reverse("programmes:outcome_save", args=[programme.pk]), {"code": "1", "title": "Cases"}
    )
    outcome = Outcome.objects.get(programme=programme)
    manager_client.post(
        reverse("programmes:output_save", args=[programme.pk]),
        {"outcome": outcome.pk, "code": "1.1", "title": "Police trained"},
    )
    output = Output.objects.get(outcome=outcome)
    response = _add(manager_client, programme, _indicator(output, module=module.pk))
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.code, indicator.target, indicator.module) == ("1.1.a", Decimal(267), module)
    assert indicator.disaggregation == ["sex", "country"]
    (node,) = logframe(programme)
    assert node.outputs[0].indicators[0].disaggregation == ("Sex", "Country")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"measure": "gain_above"}, "threshold", "Give the gain"),
        ({"threshold": "0.3"}, "threshold", "only for the learning-gain measure"),
        ({"measure": "gain_above", "threshold": "1.5"}, "threshold", "less than or equal to 1"),
        ({"measure": "manual"}, "manual_value", "Give the value"),
        ({"manual_value": "12"}, "manual_value", "Only an indicator entered by hand"),
        ({"disaggregation": ["religion"]}, "disaggregation", "not one of the available choices"),
        ({"code": "1.1 a!"}, "code", "letters, digits, dots and dashes"),
        ({"target": "-3"}, "target", "greater than or equal to 0"),
    ],
)
def test_an_indicator_form_refuses_fields_its_measure_does_not_take(
    programme: Programme,
    manager_client: Client,
    output: Output,
    changes: dict[str, object],
    field: str,
    words: str,
) -> None:
    response = _add(manager_client, programme, _indicator(output, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert words in " ".join(form.errors[field])
    assert not Indicator.objects.exists()


def test_a_gain_indicator_keeps_its_threshold_and_a_manual_one_its_value(
    programme: Programme, manager_client: Client, output: Output
) -> None:
    _add(manager_client, programme, _indicator(output, measure="gain_above", threshold="0.3"))
    _add(
        manager_client,
        programme,
        _indicator(output, code="1.1.b", measure="manual", manual_value="4"),
    )
    gain, manual = Indicator.objects.order_by("code")
    assert (gain.threshold, gain.manual_value) == (Decimal("0.300"), None)
    assert (manual.threshold, manual.manual_value) == (None, Decimal("4.00"))


def test_codes_are_unique_across_the_programme_at_each_level(
    programme: Programme, manager_client: Client, output: Output
) -> None:
    other = Output.objects.create(outcome=output.outcome, code="1.2", title="Prosecutors")
    _add(manager_client, programme, _indicator(output))
    response = _add(manager_client, programme, _indicator(other))  # same code, other output
    assert "already used" in " ".join(response.context["form"].errors["code"])
    response = manager_client.post(
        reverse("programmes:output_save", args=[programme.pk]),
        {"outcome": output.outcome_id, "code": "1.2", "title": "Again"},
    )
    assert response.status_code == 200
    assert "already used" in " ".join(response.context["output_form"].errors["code"])
    assert Output.objects.count() == 2


def test_editing_keeps_the_own_code_and_can_move_an_indicator(
    programme: Programme, manager_client: Client, output: Output
) -> None:
    _add(manager_client, programme, _indicator(output))
    indicator = Indicator.objects.get()
    other = Output.objects.create(outcome=output.outcome, code="1.2", title="Prosecutors")
    url = reverse("programmes:indicator", args=[indicator.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, _indicator(other, title="Prosecutors trained"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.output, indicator.title) == (other, "Prosecutors trained")


def test_an_output_of_another_programme_cannot_be_chosen(
    programme: Programme, other_programme: Programme, manager_client: Client
) -> None:
    foreign = Output.objects.create(
        outcome=Outcome.objects.create(programme=other_programme, code="9", title="x"),
        code="9.1",
        title="y",
    )
    response = _add(manager_client, programme, _indicator(foreign))
    assert "output" in response.context["form"].errors
    response = manager_client.post(
        reverse("programmes:logframe_remove", args=[programme.pk]), {"output": foreign.pk}
    )
    assert response.status_code == 200
    assert Output.objects.filter(pk=foreign.pk).exists()


def test_removing_an_outcome_removes_what_hangs_under_it(
    programme: Programme, manager_client: Client, output: Output
) -> None:
    _add(manager_client, programme, _indicator(output))
    manager_client.post(
        reverse("programmes:logframe_remove", args=[programme.pk]), {"outcome": output.outcome_id}
    )
    assert not (Outcome.objects.exists() or Output.objects.exists() or Indicator.objects.exists())


def test_an_observer_reads_the_logframe_but_changes_nothing(
    programme: Programme, observer_client: Client, output: Output
) -> None:
    page = observer_client.get(reverse("programmes:logframe", args=[programme.pk]))
    assert page.status_code == 200
    assert b"Officers trained" in page.content
    assert b"Add an outcome" not in page.content
    response = observer_client.post(
        reverse("programmes:outcome_save", args=[programme.pk]), {"code": "2", "title": "x"}
    )
    assert response.status_code == 403
    assert Outcome.objects.count() == 1


@pytest.mark.parametrize("size", [1, 4])
def test_the_logframe_is_read_in_three_queries_whatever_its_size(
    programme: Programme, size: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(1, size + 1):
        outcome = Outcome.objects.create(programme=programme, code=str(i), title="o")
        for j in range(1, size + 1):
            output = Output.objects.create(outcome=outcome, code=f"{i}.{j}", title="p")
            for k in "abc"[:size]:
                Indicator.objects.create(
                    output=output, code=f"{i}.{j}.{k}", title="i", target=1, measure="sessions"
                )
    with django_assert_num_queries(3):
        tree = logframe(programme)
    assert sum(len(o.indicators) for node in tree for o in node.outputs) == size * size * min(
        size, 3
    )

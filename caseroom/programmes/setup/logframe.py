"""The logframe page's builder: outcomes → outputs → indicators, every text resolved, 3 queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from caseroom.programmes.models import Indicator, Outcome, Output, Programme

from .forms_logframe import DIMENSIONS

__all__ = ["IndicatorRow", "OutcomeNode", "OutputNode", "logframe"]


@dataclass(frozen=True)
class IndicatorRow:
    indicator_id: int
    code: str
    title: str
    unit: str
    baseline: Decimal
    target: Decimal
    measure: str  # in the reader's language
    threshold: Decimal | None
    manual_value: Decimal | None
    disaggregation: tuple[str, ...]
    module: str  # "" for every module


@dataclass(frozen=True)
class OutputNode:
    output_id: int
    code: str
    title: str
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class OutcomeNode:
    outcome_id: int
    code: str
    title: str
    outputs: tuple[OutputNode, ...]


def logframe(programme: Programme) -> tuple[OutcomeNode, ...]:
    indicators = Indicator.objects.select_related("module").order_by("code")
    outcomes = (
        Outcome.objects.filter(programme=programme)
        .order_by("code")
        .prefetch_related(
            Prefetch("outputs", queryset=Output.objects.order_by("code")),
            Prefetch("outputs__indicators", queryset=indicators),
        )
    )
    dims = {key: str(label) for key, label in DIMENSIONS}
    return tuple(
        OutcomeNode(
            outcome_id=outcome.pk,
            code=outcome.code,
            title=outcome.title,
            outputs=tuple(
                OutputNode(
                    output_id=output.pk,
                    code=output.code,
                    title=output.title,
                    indicators=tuple(
                        IndicatorRow(
                            indicator_id=row.pk,
                            code=row.code,
                            title=row.title,
                            unit=row.unit,
                            baseline=row.baseline,
                            target=row.target,
                            measure=str(row.get_measure_display()),
                            threshold=row.threshold,
                            manual_value=row.manual_value,
                            disaggregation=tuple(
                                dims.get(dim, dim) for dim in row.disaggregation or []
                            ),
                            module=str(row.module) if row.module else "",
                        )
                        for row in output.indicators.all()
                    ),
                )
                for output in outcome.outputs.all()
            ),
        )
        for outcome in outcomes
    )

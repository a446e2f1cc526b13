"""Corrective measures: the list with its filters (overdue at a glance), recording one from a
gap cell (or with a free origin), and following it (status, evidence).

A focal point records and follows their own country's measures only; the country of a new
measure is then theirs whatever is posted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib.forms import new_key

from . import access, actions, refs
from .access import Can, Scope
from .forms import MeasureFilter, MeasureForm
from .models import Coordination, Measure, Round
from .pages import country_choices, language, render_page
from .tally import scoring_for

__all__ = ["edit_measure", "measure", "measures", "new_measure"]


@dataclass(frozen=True)
class Origin:
    """Where a new measure comes from: a gap cell, or a free label."""

    round: Round | None
    country: str
    section: str
    label: str


def _origin(request: HttpRequest, coordination: Coordination, scope: Scope) -> Origin | None:
    """The gap cell named in the query or the post (?round=&country=&section=), checked
    against the round's form; None when it names none; Http404 for a round of another."""
    data = request.POST if request.method == "POST" else request.GET
    round_id = str(data.get("round", ""))[:12]
    country = str(data.get("country", ""))[:64]
    section = str(data.get("section", ""))[:200]
    if scope.country:
        country = scope.country
    if not round_id.isdigit():
        return Origin(None, country, "", str(data.get("origin_label", ""))[:200])
    found = (
        Round.objects.select_related("survey__version")
        .defer("survey__version__source")
        .filter(pk=int(round_id), coordination=coordination)
        .first()
    )
    if found is None:
        return None
    scoring = scoring_for(found.survey.version, language())
    if section not in scoring.sections or country not in dict(scoring.countries):
        return None
    return Origin(found, country, section, found.title)


@access.needs(Can.READ)
@require_GET
def measures(request: HttpRequest, coordination_id: int) -> HttpResponse:
    coordination = access.coordination_for(request, coordination_id, Can.READ)
    scope = access.scope_in(request.user, coordination.pk)
    assert scope is not None
    today = timezone.localdate()
    form = MeasureFilter(request.GET or None, countries=country_choices())
    found = access.measures_visible(coordination, scope).select_related("round")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            found = found.filter(status=data["status"])
        if data["country"]:
            found = found.filter(country=data["country"])
        if data["overdue"]:
            found = found.filter(status__in=Measure.OPEN_STATUSES, due_on__lt=today)
    rows = list(found.order_by("due_on", "pk")[:500])
    links = refs.links([m.section for m in rows if m.section], language())
    overdue = access.measures_visible(coordination, scope).filter(
        status__in=Measure.OPEN_STATUSES, due_on__lt=today
    )
    return render_page(
        request,
        "cooperation/measures.html",
        coordination,
        rows=[(m, links.get(m.section), m.overdue_on(today)) for m in rows],
        countries=dict(country_choices()),
        filter_form=form,
        overdue_count=overdue.count(),
    )


@access.needs(Can.MEASURE)
@require_http_methods(["GET", "POST"])
def new_measure(request: HttpRequest, coordination_id: int) -> HttpResponse:
    coordination = access.coordination_for(request, coordination_id, Can.MEASURE)
    scope = access.scope_in(request.user, coordination.pk)
    assert scope is not None
    origin = _origin(request, coordination, scope)
    form = MeasureForm(
        request.POST if request.method == "POST" else None,
        initial={"key": new_key(), "status": Measure.Status.PLANNED},
    )
    if origin is None:
        form.add_error(None, _("This gap is not a cell of that round: start from its heatmap."))
    elif request.method == "POST" and form.is_valid():
        if origin.round is None and not origin.label.strip():
            form.add_error(None, _("Say where the measure comes from."))
        else:
            try:
                made = actions.record_measure(
                    coordination,
                    round_=origin.round,
                    country=origin.country,
                    section=origin.section,
                    origin_label=origin.label,
                    by=request.user if request.user.is_authenticated else None,
                    **form.cleaned_data,
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The measure is recorded."))
                if made.round_id is not None:
                    return redirect("cooperation:round", round_id=made.round_id)
                return redirect("cooperation:measure", measure_id=made.pk)
    section = (
        refs.links([origin.section], language())[origin.section]
        if origin and origin.section
        else None
    )
    page = render_page(
        request,
        "cooperation/measure_new.html",
        coordination,
        form=form,
        origin=origin,
        section=section,
        countries=dict(country_choices()),
    )
    page.status_code = 400 if form.errors else 200
    return page


@access.needs(Can.READ)
@require_GET
def measure(request: HttpRequest, measure_id: int) -> HttpResponse:
    found = access.measure_for(request, measure_id, Can.READ)
    scope = access.scope_in(request.user, found.coordination_id)
    may_change = access.may(scope, Can.MEASURE) and (
        not scope or not scope.country or bool(found.country)
    )
    form = MeasureForm(initial={name: getattr(found, name) for name in actions.MEASURE_FIELDS})
    return _measure_page(request, found, form if may_change else None)


def _measure_page(request: HttpRequest, found: Measure, form: MeasureForm | None) -> HttpResponse:
    wanted = [r for r in (found.section, found.evidence_ref) if r and "#" in r]
    links = refs.links(wanted, language())
    page = render_page(
        request,
        "cooperation/measure.html",
        found.coordination,
        measure=found,
        section=links.get(found.section),
        evidence=links.get(found.evidence_ref),
        overdue=found.overdue_on(timezone.localdate()),
        countries=dict(country_choices()),
        form=form,
    )
    page.status_code = 400 if form is not None and form.errors else 200
    return page


@access.needs(Can.MEASURE)
@require_POST
def edit_measure(request: HttpRequest, measure_id: int) -> HttpResponse:
    found = access.measure_for(request, measure_id, Can.MEASURE)
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return _measure_page(request, found, form)
    changes = {name: form.cleaned_data[name] for name in actions.MEASURE_FIELDS}
    actions.update_measure(found, **changes)
    messages.success(request, _("The measure is updated."))
    return redirect("cooperation:measure", measure_id=found.pk)

"""The logframe pages: everyone on the programme reads it, its managers change it.

Outcomes and outputs are edited in place on the logframe page (small forms naming the row by
a hidden id scoped to the programme); an indicator has a page of its own, having more fields.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Indicator, Output, Programme
from caseroom.programmes.pages import render_page

from . import actions
from .forms_logframe import IndicatorForm, OutcomeForm, OutputForm, RemoveForm
from .logframe import logframe as build_logframe


def _page(
    request: HttpRequest,
    programme: Programme,
    *,
    outcome_form: OutcomeForm | None = None,
    output_form: OutputForm | None = None,
    remove_form: RemoveForm | None = None,
) -> HttpResponse:
    return render_page(
        request,
        "programmes/setup/logframe.html",
        programme,
        tree=build_logframe(programme),
        outcome_form=outcome_form or OutcomeForm(programme=programme),
        output_form=output_form or OutputForm(programme=programme),
        remove_form=remove_form,
    )


def _back(programme: Programme) -> HttpResponse:
    return redirect("programmes:logframe", programme_id=programme.pk)


@access.needs(Can.READ)
@require_GET
def logframe(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    return _page(request, programme)


@access.needs(Can.MANAGE)
@require_POST
def outcome_save(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = OutcomeForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            actions.save_outcome(
                programme,
                form.cleaned_data["outcome"],
                form.cleaned_data["code"],
                form.cleaned_data["title"],
            )
        except actions.Refused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("The outcome was saved."))
            return _back(programme)
    return _page(request, programme, outcome_form=form)


@access.needs(Can.MANAGE)
@require_POST
def output_save(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = OutputForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            actions.save_output(
                form.cleaned_data["outcome"],
                form.cleaned_data["output"],
                form.cleaned_data["code"],
                form.cleaned_data["title"],
            )
        except actions.Refused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("The output was saved."))
            return _back(programme)
    return _page(request, programme, output_form=form)


@access.needs(Can.MANAGE)
@require_POST
def logframe_remove(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = RemoveForm(request.POST, programme=programme)
    if not form.is_valid():
        return _page(request, programme, remove_form=form)
    if form.cleaned_data["outcome"]:
        actions.delete_outcome(form.cleaned_data["outcome"])
        messages.success(request, _("The outcome was removed with its outputs and indicators."))
    else:
        actions.delete_output(form.cleaned_data["output"])
        messages.success(request, _("The output was removed with its indicators."))
    return _back(programme)


def _indicator_page(
    request: HttpRequest, programme: Programme, form: IndicatorForm, indicator: Indicator | None
) -> HttpResponse:
    return render_page(
        request, "programmes/setup/indicator.html", programme, form=form, indicator=indicator
    )


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    # "Add an indicator" under an output links here with ?output=<id>.
    wanted = _int(request.GET.get("output"))
    output = (
        Output.objects.filter(outcome__programme=programme, pk=wanted).first() if wanted else None
    )
    form = IndicatorForm(request.POST or None, programme=programme, initial={"output": output})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_indicator(None, **form.cleaned_data)
        except actions.Refused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("The indicator was added."))
            return _back(programme)
    return _indicator_page(request, programme, form, None)


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for(request, indicator_id, Can.MANAGE)
    programme = indicator.output.outcome.programme
    # The form fills a copy: the action compares and writes the row as loaded.
    form = IndicatorForm(request.POST or None, programme=programme, instance=copy.copy(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_indicator(indicator, **form.cleaned_data)
        except actions.Refused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("The indicator was saved."))
            return _back(programme)
    return _indicator_page(request, programme, form, indicator)


@access.needs(Can.MANAGE)
@require_POST
def indicator_delete(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for(request, indicator_id, Can.MANAGE)
    programme = indicator.output.outcome.programme
    actions.delete_indicator(indicator)
    messages.success(request, _("The indicator was removed."))
    return _back(programme)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 12 else None

"""Recommendations drafted from a theme's top clusters: drafting one (it becomes a measure in
the coordination's tracking), changing it, withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions, page
from .access import Can


@access.needs(Can.FACILITATE)
@require_POST
def recommend(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    form = page.recommendation_form(request, theme, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.draft_recommendation(
                theme,
                text=data["text"],
                institution=data["institution"],
                country=data["country"],
                priority=data["priority"],
                timeframe=data["timeframe"],
                clusters=list(data["clusters"]),
                coordination=data["coordination"],
                due_on=data["due_on"],
                citation=data["citation"],
                key=data["key"],
                by=request.user if request.user.is_authenticated else None,
            )
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The recommendation is drafted and tracked as a measure."))
            return redirect("workshops:console", theme.pk)
    return page.render_console(request, theme, form)


@access.needs(Can.FACILITATE)
def edit(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = access.recommendation_for(request, recommendation_id)
    theme = recommendation.theme
    if request.method == "POST":
        form = page.recommendation_form(request, theme, request.POST, instance=recommendation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _changed, followed = actions.edit_recommendation(
                    recommendation,
                    text=data["text"],
                    institution=data["institution"],
                    country=data["country"],
                    priority=data["priority"],
                    timeframe=data["timeframe"],
                    clusters=list(data["clusters"]),
                    citation=data["citation"],
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("The recommendation and its measure are changed.")
                    if followed
                    else _(
                        "The recommendation is changed. Its measure is already under way and "
                        "keeps its wording: change it in the measures list if it should follow."
                    )
                    if recommendation.measure_id
                    else _("The recommendation is changed."),
                )
                return redirect("workshops:console", theme.pk)
    else:
        form = page.recommendation_form(request, theme, instance=recommendation)
    context = {"recommendation": recommendation, "theme": theme, "form": form}
    return render(request, "workshops/recommendation_edit.html", context)


@access.needs(Can.FACILITATE)
@require_POST
def withdraw(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = access.recommendation_for(request, recommendation_id)
    had_measure = recommendation.measure_id is not None
    dropped = actions.withdraw_recommendation(
        recommendation, by=request.user if request.user.is_authenticated else None
    )
    if dropped:
        messages.success(
            request, _("The recommendation is withdrawn; its measure is marked dropped.")
        )
    elif had_measure:
        messages.success(
            request,
            _(
                "The recommendation is withdrawn. Its measure is already under way or done "
                "and stays as it is in the measures list."
            ),
        )
    else:
        messages.success(request, _("The recommendation is withdrawn."))
    return redirect("workshops:console", recommendation.theme_id)

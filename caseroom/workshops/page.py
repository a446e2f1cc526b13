"""The console page of one theme, rendered by its own view and again, with a form's errors,
by the views that post to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from caseroom.cooperation.access import Can as CooperationCan
from caseroom.cooperation.access import coordinations_where
from caseroom.cooperation.models import Coordination
from caseroom.lib.forms import new_key

from .curation import board_context
from .forms import RecommendationForm
from .models import Cluster, Recommendation, Theme


def tracking_coordinations(request: HttpRequest) -> list[Coordination]:
    """Where the facilitator may record measures for every country (a workshop's measure
    names no questionnaire country, so a focal point would not see it), in one query."""
    return list(coordinations_where(request.user, CooperationCan.MEASURE))


def recommendation_form(
    request: HttpRequest,
    theme: Theme,
    data: QueryDict | None = None,
    instance: Recommendation | None = None,
) -> RecommendationForm:
    """A blank form, the same bound to posted `data`, or one filled from `instance` (editing:
    its measure stays where it is, so no coordination or due date is asked)."""
    allowed = [c.pk for c in tracking_coordinations(request)]
    kwargs: dict[str, Any] = {
        "clusters": Cluster.objects.filter(theme=theme),
        "coordinations": Coordination.objects.filter(pk__in=allowed),
        "editing": instance is not None,
    }
    if data is not None:
        return RecommendationForm(data, **kwargs)
    if instance is not None:
        initial: dict[str, object] = {
            "text": instance.text,
            "institution": instance.institution,
            "country": instance.country,
            "priority": instance.priority,
            "timeframe": instance.timeframe,
            "clusters": list(instance.clusters.all()),
            "citation": instance.citation,
        }
        return RecommendationForm(initial=initial, **kwargs)
    due = theme.workshop.ends_on + dt.timedelta(days=365)
    return RecommendationForm(initial={"key": new_key(), "due_on": due}, **kwargs)


def render_console(
    request: HttpRequest, theme: Theme, recommendation: RecommendationForm | None = None
) -> HttpResponse:
    context = {
        "theme": theme,
        "workshop": theme.workshop,
        **board_context(theme),
        "recommendation": recommendation or recommendation_form(request, theme),
        "recommendations": theme.recommendations.prefetch_related("clusters").select_related(
            "measure"
        ),
    }
    return render(request, "workshops/console.html", context)

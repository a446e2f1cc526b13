"""The facilitator links two teams to play the two sides of one case (linking.py).

Apart from console.py because it decides who answers a request, not the course of play.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.scenarios.registry import load

from . import access, actions
from .forms import LinkForm
from .models import Exercise, Team

__all__ = ["link", "links_of", "unlink"]


def links_of(teams: list[Team]) -> list[tuple[Team, Team]]:
    """Each linked pair once, as (first, second) by id, from teams already loaded."""
    by_id = {team.pk: team for team in teams}
    return [
        (team, by_id[team.linked_team_id])
        for team in teams
        if team.linked_team_id in by_id and team.pk < team.linked_team_id
    ]


@login_required
@require_POST
def link(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise: Exercise = access.exercise_for_facilitator(request, exercise_id)
    teams = list(exercise.teams.order_by("name"))
    form = LinkForm(request.POST, teams=teams, roles=list(load(exercise.scenario).roles))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        data = form.cleaned_data
        by_id = {team.pk: team for team in teams}
        first, second = by_id[int(data["first"])], by_id[int(data["second"])]
        try:
            actions.link_teams(first, second, list(data["plays"]))
        except actions.Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(first)s and %(second)s are linked: each answers the other's requests.")
                % {"first": first.name, "second": second.name},
            )
    return redirect(reverse("console", args=[exercise.pk]) + "#links")


@login_required
@require_POST
def unlink(request: HttpRequest, exercise_id: int, team_id: int) -> HttpResponse:
    exercise: Exercise = access.exercise_for_facilitator(request, exercise_id)
    team = get_object_or_404(exercise.teams, pk=team_id)
    partner = team.linked_team
    try:
        actions.unlink_teams(team)
    except actions.Refused as error:
        messages.error(request, str(error))
    else:
        assert partner is not None
        messages.success(
            request,
            _(
                "%(first)s and %(second)s go on alone: requests still waiting for the other "
                "team are answered by the case's own replies."
            )
            % {"first": team.name, "second": partner.name},
        )
    return redirect(reverse("console", args=[exercise.pk]) + "#links")

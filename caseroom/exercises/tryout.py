""" "Try it" on the trainers' Scenarios page: a one-team practice exercise of a version, with
the trainer in every role, opened at once.

Here rather than in scenarios: an exercise is a layer above scenario versions
(tests/test_layers.py). Who may is scenarios' rule (`scenarios.access`), since the button
is on its page; the trainer becomes the exercise's facilitator, so its console is theirs too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.scenarios import access as scenario_access
from caseroom.scenarios.access import Can
from caseroom.scenarios.forms import TryForm
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import RegistrationError, load

from . import access, actions
from .models import Exercise, Participant

app_name = "tryout"

# {key: exercise id} of the practice exercises this browser started: the same key again (a
# double click, a retry) opens the one it started instead of making a second.
SESSION_KEY = "caseroom_tryouts"
TITLE_LENGTH = Exercise._meta.get_field("title").max_length or 200


@transaction.atomic
def start_practice(version: ScenarioVersion, user: User) -> Participant:
    """A running exercise of `version` with one team, `user` facilitating it and playing
    every role of the scenario in that team (approvals by one person are allowed)."""
    roles = list(load(version).roles)
    title = _("Try-out: %(title)s %(version)s") % {
        "title": version.title,
        "version": version.version,
    }
    exercise = actions.create_exercise(
        user,
        title=title[:TITLE_LENGTH],
        scenario=version,
        date=timezone.localdate(),
        status=Exercise.Status.RUNNING,
        ask_agency=False,
        ask_country=False,
    )
    (team,) = actions.create_teams(exercise, 1)
    name = user.get_full_name() or user.get_username()
    return actions.join(exercise, name=name, roles=roles, team=team)


@scenario_access.needs(Can.MANAGE)
@require_POST
def try_version(request: HttpRequest, version_id: int) -> HttpResponse:
    version = scenario_access.version_for(request, version_id)
    user = request.user
    assert isinstance(user, User)  # scenario_access.needs let only a trainer through
    form = TryForm(request.POST)
    key = form.cleaned_data["key"] if form.is_valid() else ""
    started: dict[str, int] = dict(request.session.get(SESSION_KEY, {}))
    earlier = started.get(key) if key else None
    if earlier is not None and access.participant_id_from_session(request.session, earlier):
        return redirect("play", exercise_id=earlier)
    try:
        participant = start_practice(version, user)
    except RegistrationError:  # the stored copy was altered on disk: its page says so
        messages.error(request, _("This version cannot be loaded, so it cannot be tried."))
        return redirect("scenarios:version", version.pk)
    access.remember_participant(request, participant)
    if key:
        started[key] = participant.exercise_id
        request.session[SESSION_KEY] = started
    messages.success(
        request,
        _(
            "A practice exercise with one team: you hold every role. "
            "Its console is under My exercises."
        ),
    )
    return redirect("play", exercise_id=participant.exercise_id)


urlpatterns = [
    path("scenarios/<int:version_id>/try/", try_version, name="try"),
]

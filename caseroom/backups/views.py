"""The console's "Make a backup now": a backup written on this computer (the trainer's
laptop), never sent to the browser, since it holds every exercise's data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.exercises.access import exercise_for_facilitator
from caseroom.exercises.models import Exercise

from .archive import BackupError
from .backup import create_backup


@login_required
@require_POST
def make_backup(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for_facilitator(request, exercise_id)
    if exercise.status != Exercise.Status.ENDED:
        # The button shows only then: a backup is for keeping what an exercise produced.
        messages.error(request, _("A backup can be made here once the exercise has ended."))
    else:
        try:
            done = create_backup()
        except BackupError as error:
            messages.error(request, _("The backup failed: %(why)s") % {"why": error.message})
        else:
            messages.success(
                request,
                _("Backup saved on this computer: %(path)s (%(size)s).")
                % {"path": done.path, "size": filesizeformat(done.size)},
            )
    return redirect(reverse("console", args=[exercise.pk]) + "#backup")

"""The participants' pages on their phones, with no account: session code → name → tests.

Public (`access.public`): the session code gates everything, and a browser answers only as
the person it named (identity.py). Wrong codes and failed identifications are throttled per
address (lib/throttle.py); every failure to identify reads the same, so the page does not
tell a stranger which names are enrolled or already taken.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib import throttle
from caseroom.lib.forms import new_key
from caseroom.surveys import actions as surveys
from caseroom.surveys.forms import QuestionnaireForm
from caseroom.surveys.views import render_part

from .. import access
from ..delivery.codes import session_by_code
from ..models import Enrolment, Session, SessionRound, TestResult
from . import actions, identity
from .forms import SessionCodeForm, WhoForm
from .learner import learner_page

T = "programmes/learning/"

# A room mistyping now and then stays far below; 31^8 codes cannot be tried at this rate.
SESSION_CODE = throttle.Limit("caseroom.session-code", "30/10m")
# Names are easier to guess than codes: fewer failures allowed, as exercises' personal codes.
IDENTIFY = throttle.Limit("caseroom.learner-identify", "10/10m")


def _language() -> str:
    return translation.get_language() or ""


@access.public
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest) -> HttpResponse:
    """Enter the session code (the QR code in the room carries it as ?code=)."""
    data: Any = request.POST if request.method == "POST" else None
    form = SessionCodeForm(data or (request.GET if "code" in request.GET else None))
    if form.is_bound and form.is_valid():
        try:
            throttle.check(request, SESSION_CODE)
        except throttle.Throttled as error:
            return throttle.response(request, error)
        session = session_by_code(form.cleaned_data["code"])
        if session is None:
            throttle.count_failure(request, SESSION_CODE)
            form.add_error("code", _("No session has this code. Check it and try again."))
        else:
            identity.remember_code_entered(request, session)
            if identity.enrolment_in(request, session.pk) is not None:
                return redirect("programmes:take_home", session_id=session.pk)
            return redirect("programmes:take_who", session_id=session.pk)
    status = 400 if form.errors else 200
    return render(request, T + "take.html", {"form": form}, status=status)


def _entered_session(request: HttpRequest, session_id: int) -> Session | None:
    if not identity.code_entered(request, session_id):
        return None
    return Session.objects.select_related("module__programme").filter(pk=session_id).first()


@access.public
@require_http_methods(["GET", "POST"])
def take_who(request: HttpRequest, session_id: int) -> HttpResponse:
    """Name yourself (and give your personal code if you already did on another device)."""
    session = _entered_session(request, session_id)
    if session is None:
        return redirect("programmes:take")
    form = WhoForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            throttle.check(request, IDENTIFY)
        except throttle.Throttled as error:
            return throttle.response(request, error)
        data = form.cleaned_data
        claimed = actions.claim(
            session, data["given_name"], data["family_name"], data["personal_code"]
        )
        if claimed is None:
            throttle.count_failure(request, IDENTIFY)
            form.add_error(
                None,
                _(
                    "We could not sign you in with these details. Check how your name is "
                    "written on the participants' list; if you already signed in on another "
                    "device, enter the personal code you were shown there. Your trainer can help."
                ),
            )
        else:
            identity.remember_learner(request, claimed.enrolment, claimed.personal_code)
            return redirect("programmes:take_home", session_id=session.pk)
    status = 400 if form.errors else 200
    return render(request, T + "take_who.html", {"form": form, "session": session}, status=status)


def _learner(request: HttpRequest, session_id: int) -> Enrolment | HttpResponse:
    enrolment = identity.enrolment_in(request, session_id)
    if enrolment is not None:
        return enrolment
    if identity.code_entered(request, session_id):
        return redirect("programmes:take_who", session_id=session_id)
    return redirect("programmes:take")


@access.public
@require_GET
def take_home(request: HttpRequest, session_id: int) -> HttpResponse:
    found = _learner(request, session_id)
    if isinstance(found, HttpResponse):
        return found
    context = {
        "enrolment": found,
        "session": found.session,
        "page": learner_page(found),
        "personal_code": identity.personal_code_in(request, session_id),
    }
    return render(request, T + "take_home.html", context)


def _open_test(session_id: int, purpose: str) -> SessionRound | None:
    return (
        SessionRound.objects.select_related("round__version")
        .defer("round__version__source")
        .filter(session_id=session_id, purpose=purpose)
        .first()
    )


def _closed(request: HttpRequest, enrolment: Enrolment, found: SessionRound | None) -> HttpResponse:
    state = found.round.state() if found is not None else "none"
    context = {"session": enrolment.session, "state": state}
    return render(request, T + "take_closed.html", context)


@access.public
@require_http_methods(["GET", "POST"])
def take_test(request: HttpRequest, session_id: int, purpose: str) -> HttpResponse:
    """The pre- or post-test, answered once; the score is shown on the participant's page."""
    found = _learner(request, session_id)
    if isinstance(found, HttpResponse):
        return found
    enrolment = found
    if TestResult.objects.filter(enrolment=enrolment, purpose=purpose).exists():
        return redirect("programmes:take_home", session_id=session_id)
    session_round = _open_test(session_id, purpose)
    if session_round is None or session_round.round.state() != "open":
        return _closed(request, enrolment, session_round)
    version = session_round.round.version
    if request.method == "POST":  # submit checks the state again, as it is stored then
        form = QuestionnaireForm(request.POST, version=version, language=_language())
        if form.is_valid():
            try:
                actions.submit_test(
                    enrolment,
                    session_round,
                    form.answers,
                    language=_language(),
                    key=form.cleaned_data["key"],
                )
            except surveys.InvalidAnswers as refused:
                form.add_complaints(refused.complaints)
            except (surveys.RoundClosed, surveys.RoundNotOpen):
                return _closed(request, enrolment, session_round)
            except surveys.Refused as refused:
                form.add_error(None, refused.message)
            except actions.NotPossible as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("programmes:take_home", session_id=session_id)
    else:
        form = QuestionnaireForm(initial={"key": new_key()}, version=version, language=_language())
    context = {
        "session": enrolment.session,
        "purpose": purpose,
        "title": session_round.get_purpose_display(),
        "form": form,
        "action": reverse(f"programmes:take_{purpose}", kwargs={"session_id": session_id}),
        "part_url": reverse(f"programmes:take_{purpose}_part", kwargs={"session_id": session_id}),
    }
    return render(request, T + "take_test.html", context, status=400 if form.errors else 200)


@access.public
@require_POST
def take_test_part(request: HttpRequest, session_id: int, purpose: str) -> HttpResponse:
    """The questions again for what has been answered so far (relevance), no errors yet."""
    found = _learner(request, session_id)
    if isinstance(found, HttpResponse):
        return found
    session_round = _open_test(session_id, purpose)
    if session_round is None:
        return _closed(request, found, session_round)
    form = QuestionnaireForm(
        request.POST, version=session_round.round.version, language=_language(), show_errors=False
    )
    return render_part(request, form)

"""Staff pages of learning results: a module's questionnaires (MANAGE), a session's rounds
with the room's code and QR code (DELIVER), and the results of a session, a module and the
programme (READ; names with SEE_PEOPLE)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.surveys.registry import FormRejected
from caseroom.xlsform import Problem

from .. import access
from ..access import Can, module_for, programme_for, session_for
from ..models import FollowUpRound, Module, Purpose, Session
from ..pages import render_page
from . import actions, setup
from .forms import FollowUpForm, QuestionnaireChoiceForm, RoundForm, ThresholdForm
from .results import learning_results
from .shipped import register_shipped

T = "programmes/learning/"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------- a module's questionnaires


def _module_page(
    request: HttpRequest,
    module: Module,
    *,
    choice: QuestionnaireChoiceForm | None = None,
    threshold: ThresholdForm | None = None,
    follow_up: FollowUpForm | None = None,
    problems: list[Problem] | None = None,
) -> HttpResponse:
    page = setup.module_tests(module)
    return render_page(
        request,
        T + "module_tests.html",
        module.programme,
        module=module,
        page=page,
        choice_form=choice or QuestionnaireChoiceForm(),
        threshold_form=threshold or ThresholdForm(initial={"gain_threshold": page.threshold}),
        follow_up_form=follow_up or FollowUpForm(initial={"action": "open"}),
        problems=problems or [],
    )


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def module_tests(request: HttpRequest, module_id: int) -> HttpResponse:
    """Choose the pre-test, post-test, evaluation and follow-up questionnaires."""
    module = module_for(request, module_id, Can.MANAGE)
    form = QuestionnaireChoiceForm(_posted(request), request.FILES or None)
    if not form.is_valid():
        return _module_page(request, module, choice=form)
    purpose = form.cleaned_data["purpose"]
    try:
        upload = form.cleaned_data["upload"]
        if upload is not None:
            actions.choose_questionnaire(module, purpose, upload.read(), str(upload.name))
        else:
            actions.choose_version(module, purpose, register_shipped(form.cleaned_data["shipped"]))
    except FormRejected as rejected:
        form.add_error("upload", _("This form cannot be used: see each problem below."))
        return _module_page(request, module, choice=form, problems=rejected.problems)
    except actions.NotPossible as refused:
        form.add_error("upload" if form.cleaned_data["upload"] else "shipped", refused.message)
        return _module_page(request, module, choice=form)
    messages.success(request, _("%(purpose)s chosen.") % {"purpose": Purpose(purpose).label})
    return redirect("programmes:module_tests", module_id=module.pk)


@access.needs(Can.MANAGE)
@require_POST
def module_threshold(request: HttpRequest, module_id: int) -> HttpResponse:
    module = module_for(request, module_id, Can.MANAGE)
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        return _module_page(request, module, threshold=form)
    actions.set_threshold(module, form.cleaned_data["gain_threshold"])
    messages.success(request, _("Gain threshold saved."))
    return redirect("programmes:module_tests", module_id=module.pk)


@access.needs(Can.MANAGE)
@require_POST
def module_follow_up(request: HttpRequest, module_id: int) -> HttpResponse:
    """Open a follow-up round (answered anonymously with its code), or close one."""
    module = module_for(request, module_id, Can.MANAGE)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _module_page(request, module, follow_up=form)
    try:
        if form.cleaned_data["action"] == "open":
            actions.open_follow_up(module)
        else:
            actions.close_follow_up(module, form.cleaned_data["round"] or 0)
    except actions.NotPossible as refused:
        form.add_error(None, refused.message)
        return _module_page(request, module, follow_up=form)
    return redirect("programmes:module_tests", module_id=module.pk)


# ---------------------------------------------------------------- a session's rounds


def _session_page(
    request: HttpRequest, session: Session, form: RoundForm | None = None
) -> HttpResponse:
    take_url = request.build_absolute_uri(reverse("programmes:take")) + f"?code={session.code}"
    return render_page(
        request,
        T + "session_tests.html",
        session.module.programme,
        session=session,
        module=session.module,
        rounds=setup.session_rounds(session),
        form=form,
        take_url=take_url,
        # segno's own SVG of our URL and a code from a fixed alphabet: nothing from users.
        qr=mark_safe(segno.make(take_url, error="m").svg_inline(scale=6)),  # noqa: S308
    )


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_tests(request: HttpRequest, session_id: int) -> HttpResponse:
    """The room's code and QR code; open or close the pre-test, post-test and evaluation."""
    session = session_for(request, session_id, Can.DELIVER)
    if request.method != "POST":
        return _session_page(request, session)
    form = RoundForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, form)
    purpose, action = form.cleaned_data["purpose"], form.cleaned_data["action"]
    try:
        if action == "open":
            actions.open_session_round(session, purpose)
        else:
            actions.close_session_round(session, purpose)
    except actions.NotPossible as refused:
        form.add_error(None, refused.message)
        return _session_page(request, session, form)
    return redirect("programmes:session_tests", session_id=session.pk)


# ---------------------------------------------------------------- results


def _sees_people(request: HttpRequest, programme_id: int) -> bool:
    return access.may(access.role_in(request.user, programme_id), Can.SEE_PEOPLE)


@access.needs(Can.READ)
@require_GET
def session_results(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for(request, session_id, Can.READ)
    programme = session.module.programme
    results = learning_results(
        programme,
        Session.objects.filter(pk=session.pk),
        with_people=_sees_people(request, programme.pk),
    )
    context = {"results": results, "scope": session.title, "session": session}
    return render_page(request, T + "results.html", programme, **context)


@access.needs(Can.READ)
@require_GET
def module_results(request: HttpRequest, module_id: int) -> HttpResponse:
    module = module_for(request, module_id, Can.READ)
    programme = module.programme
    results = learning_results(
        programme,
        Session.objects.filter(module=module),
        follow_ups=FollowUpRound.objects.filter(module=module),
        with_people=_sees_people(request, programme.pk),
        list_people=False,
    )
    context = {"results": results, "scope": str(module), "module": module}
    return render_page(request, T + "results.html", programme, **context)


@access.needs(Can.READ)
@require_GET
def results(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for(request, programme_id, Can.READ)
    found = learning_results(
        programme,
        Session.objects.filter(module__programme=programme),
        follow_ups=FollowUpRound.objects.filter(module__programme=programme),
        with_people=_sees_people(request, programme.pk),
        list_people=False,
    )
    return render_page(request, T + "results.html", programme, results=found, scope="")

"""The public answering pages of anonymous rounds: enter a code, answer (saving a draft and
coming back with a resume code where the round allows it), thank you. Personal links are in
views_invitation.py.

Thin, as every view here: parse with a form, call an action, render. The questionnaire part
(`surveys/_questionnaire.html`) is re-rendered by HTMX on every change, so questions appear
and disappear with their relevance without any script of ours; without JavaScript the form
still works, relevance then applied when it is sent. Codes are throttled per address
(lib/throttle.py): only failures count. A draft's resume code is kept in the browser's
session (as exercises keep a personal code) so the page can show it again; only its hash is
stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib import throttle
from caseroom.lib.forms import new_key

from . import access, actions
from .access import public
from .forms import CodeForm, QuestionnaireForm, ResumeForm
from .models import Response, Round
from .tokens import new_resume_code

__all__ = [
    "RESUME",
    "SURVEY_CODE",
    "answer",
    "answer_part",
    "find",
    "render_part",
    "resume",
    "thanks",
]

# A room of 30 mistyping now and then stays far below; a guesser of 8-symbol codes (31^8)
# among a few hundred open rounds would need millions of years at this rate.
SURVEY_CODE = throttle.Limit("caseroom.survey-code", "30/10m")
ANSWERED_KEY = "caseroom_survey_responses"  # {round id: response id} of this browser
RESUME_KEY = "caseroom_survey_resume"  # {round id: resume code} of this browser's drafts
# Resume codes: the same reasoning as round codes, counted apart (a room resuming at once).
RESUME = throttle.Limit("caseroom.survey-resume", "30/10m")


def _unknown(request: HttpRequest, code: str) -> HttpResponse:
    """The code form again, saying the code is unknown, and one failure counted."""
    throttle.count_failure(request, SURVEY_CODE)
    form = CodeForm({"code": code})
    if form.is_valid():
        form.add_error("code", _("No questionnaire has this code. Check it and try again."))
    return render(request, "surveys/find.html", {"form": form}, status=404)


def _round(request: HttpRequest, code: str) -> Round | HttpResponse:
    try:
        throttle.check(request, SURVEY_CODE)
    except throttle.Throttled as error:
        return throttle.response(request, error)
    found = access.public_round(code)
    return found if found is not None else _unknown(request, code)


@public
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CodeForm(data or (request.GET if "code" in request.GET else None))
    if form.is_bound and form.is_valid():
        found = _round(request, form.cleaned_data["code"])
        if isinstance(found, HttpResponse):
            return found
        return redirect("surveys:answer", code=found.code)
    return render(request, "surveys/find.html", {"form": form}, status=400 if form.errors else 200)


def _language() -> str:
    return translation.get_language() or ""


def _urls(round_: Round) -> dict[str, str]:
    return {
        "action": reverse("surveys:answer", args=[round_.code]),
        "part_url": reverse("surveys:answer_part", args=[round_.code]),
    }


def _resume_code(request: HttpRequest, round_: Round) -> str:
    return str(request.session.get(RESUME_KEY, {}).get(str(round_.pk), ""))


def _keep_resume_code(request: HttpRequest, round_: Round, code: str) -> None:
    codes = dict(request.session.get(RESUME_KEY, {}))
    if code:
        codes[str(round_.pk)] = code
    else:
        codes.pop(str(round_.pk), None)
    request.session[RESUME_KEY] = codes


def _draft(request: HttpRequest, round_: Round) -> Response | None:
    """This browser's draft of the round, if it saved one that is not sent yet."""
    code = _resume_code(request, round_) if round_.drafts else ""
    found = access.draft_by_resume_code(round_, code) if code else None
    return found if found is not None and found.submitted_at is None else None


def _answer_page(
    request: HttpRequest, round_: Round, form: QuestionnaireForm, draft: Response | None
) -> HttpResponse:
    context: dict[str, Any] = {
        "round": round_,
        "form": form,
        "can_save": round_.drafts,
        "resume_code": _resume_code(request, round_) if draft is not None else "",
        "resume_url": reverse("surveys:resume", args=[round_.code]),
        **_urls(round_),
    }
    return render(request, "surveys/answer.html", context, status=400 if form.errors else 200)


@public
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    found = _round(request, code)
    if isinstance(found, HttpResponse):
        return found
    round_ = found
    if round_.code != code:
        return redirect("surveys:answer", code=round_.code)
    state = round_.state()
    if state != "open" and request.method != "POST":
        return render(request, "surveys/closed.html", {"round": round_, "state": state})
    draft = _draft(request, round_)
    if request.method != "POST":
        form = QuestionnaireForm(
            initial={"key": new_key()},
            version=round_.version,
            language=_language(),
            initial_answers=draft.answers if draft is not None else None,
        )
        return _answer_page(request, round_, form, draft)
    saving = round_.drafts and "save" in request.POST
    form = QuestionnaireForm(
        request.POST, version=round_.version, language=_language(), strict=True, partial=saving
    )
    if form.is_valid():
        try:
            if saving:
                return _save(request, round_, form)
            return _send(request, round_, form, draft)
        except actions.InvalidAnswers as refused:
            form.add_complaints(refused.complaints)
        except (actions.RoundClosed, actions.RoundNotOpen):
            state = round_.state()
            return render(request, "surveys/closed.html", {"round": round_, "state": state})
        except actions.Refused as refused:
            form.add_error(None, refused.message)
    return _answer_page(request, round_, form, draft)


def _save(request: HttpRequest, round_: Round, form: QuestionnaireForm) -> HttpResponse:
    code = _resume_code(request, round_) or new_resume_code()
    actions.save_draft(
        round_,
        form.answers,
        respondent_token=code,
        key=form.cleaned_data["key"],
        language=_language(),
    )
    _keep_resume_code(request, round_, code)
    messages.success(request, _("Your answers are saved. You can continue later."))
    return redirect("surveys:answer", code=round_.code)


def _send(
    request: HttpRequest, round_: Round, form: QuestionnaireForm, draft: Response | None
) -> HttpResponse:
    response = actions.submit(
        round_,
        form.answers,
        language=_language(),
        key=form.cleaned_data["key"],
        respondent_token=_resume_code(request, round_) if draft is not None else None,
    )
    answered = dict(request.session.get(ANSWERED_KEY, {}))
    answered[str(round_.pk)] = response.pk
    request.session[ANSWERED_KEY] = answered
    _keep_resume_code(request, round_, "")
    return redirect("surveys:thanks", code=round_.code)


@public
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest, code: str) -> HttpResponse:
    """Come back to a draft on any device: the round's code in the URL, the resume code typed."""
    found = _round(request, code)
    if isinstance(found, HttpResponse):
        return found
    round_ = found
    form = ResumeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            throttle.check(request, RESUME)
        except throttle.Throttled as error:
            return throttle.response(request, error)
        draft = access.draft_by_resume_code(round_, form.cleaned_data["code"])
        if draft is None or not round_.drafts:
            throttle.count_failure(request, RESUME)
            form.add_error("code", _("No saved answers have this code. Check it and try again."))
        elif draft.submitted_at is not None:
            form.add_error("code", _("The answers saved with this code have already been sent."))
        else:
            _keep_resume_code(request, round_, form.cleaned_data["code"])
            return redirect("surveys:answer", code=round_.code)
    status = 400 if form.errors else 200
    return render(request, "surveys/resume.html", {"round": round_, "form": form}, status=status)


def render_part(request: HttpRequest, form: QuestionnaireForm) -> HttpResponse:
    """The questions of a form as `_questionnaire.html` swaps them in (an app with its own
    answering page, e.g. a pre-test taken with a session code, answers its part with this)."""
    return render(request, "surveys/_items.html", {"form": form})


@public
@require_POST
def answer_part(request: HttpRequest, code: str) -> HttpResponse:
    """The questions again for what has been answered so far: relevance, no errors yet."""
    found = _round(request, code)
    if isinstance(found, HttpResponse):
        return found
    form = QuestionnaireForm(
        request.POST, version=found.version, language=_language(), show_errors=False
    )
    return render_part(request, form)


@public
@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    found = _round(request, code)
    if isinstance(found, HttpResponse):
        return found
    response_id = request.session.get(ANSWERED_KEY, {}).get(str(found.pk))
    response = (
        Response.objects.filter(pk=response_id, round=found).only("score", "max_score").first()
        if response_id
        else None
    )
    return render(request, "surveys/thanks.html", {"round": found, "response": response})

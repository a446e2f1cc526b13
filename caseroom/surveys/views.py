"""The public answering pages of anonymous rounds: enter a code, answer, thank you.

Thin, as every view here: parse with a form, call an action, render. The questionnaire part
(`surveys/_questionnaire.html`) is re-rendered by HTMX on every change, so questions appear
and disappear with their relevance without any script of ours; without JavaScript the form
still works, relevance then applied when it is sent. Codes are throttled per address
(lib/throttle.py): only failures count.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib import throttle
from caseroom.lib.forms import new_key

from . import access, actions
from .forms import CodeForm, QuestionnaireForm
from .models import Response, Round

__all__ = ["SURVEY_CODE", "answer", "answer_part", "find", "render_part", "thanks"]

# A room of 30 mistyping now and then stays far below; a guesser of 8-symbol codes (31^8)
# among a few hundred open rounds would need millions of years at this rate.
SURVEY_CODE = throttle.Limit("caseroom.survey-code", "30/10m")
ANSWERED_KEY = "caseroom_survey_responses"  # {round id: response id} of this browser


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
    if request.method == "POST":  # the state is checked by submit (a repeat still finds its own)
        form = QuestionnaireForm(request.POST, version=round_.version, language=_language())
        if form.is_valid():
            try:
                response = actions.submit(
                    round_, form.answers, language=_language(), key=form.cleaned_data["key"]
                )
            except actions.InvalidAnswers as refused:
                form.add_complaints(refused.complaints)
            except (actions.RoundClosed, actions.RoundNotOpen):
                state = round_.state()
                return render(request, "surveys/closed.html", {"round": round_, "state": state})
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                answered = dict(request.session.get(ANSWERED_KEY, {}))
                answered[str(round_.pk)] = response.pk
                request.session[ANSWERED_KEY] = answered
                return redirect("surveys:thanks", code=round_.code)
    else:
        form = QuestionnaireForm(
            initial={"key": new_key()}, version=round_.version, language=_language()
        )
    context = {"round": round_, "form": form, **_urls(round_)}
    return render(request, "surveys/answer.html", context, status=400 if form.errors else 200)


def render_part(request: HttpRequest, form: QuestionnaireForm) -> HttpResponse:
    """The questions of a form as `_questionnaire.html` swaps them in (an app with its own
    answering page, e.g. a pre-test taken with a session code, answers its part with this)."""
    return render(request, "surveys/_items.html", {"form": form})


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

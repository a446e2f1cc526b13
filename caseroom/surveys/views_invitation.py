"""The pages of a personal link (`/answer/i/<token>/`): the form bound to one invitation, its
draft saved and taken up again, sent once; afterwards the respondent sees their own answers
and nothing else.

The token is the key: looked up by its hash, exactly, and wrong tokens are throttled per
address. The invitation's country and agency answer the form's `country` and `agency`
questions where it has them (shown, not changeable), so a choice filter by country offers
the right choices and the answers agree with the invitation.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caseroom.lib import throttle
from caseroom.lib.forms import new_key

from . import access, actions
from .access import public
from .answered import answered_items
from .forms import QuestionnaireForm
from .models import Invitation
from .registry import form_of
from .views import render_part

__all__ = ["INVITATION", "invitation", "invitation_part"]

# A 192-bit token cannot be guessed; the throttle keeps someone from trying anyway.
INVITATION = throttle.Limit("caseroom.survey-invitation", "30/10m")
PLACE_QUESTIONS = ("country", "agency")  # answered by the invitation where the form asks them


def _invitation(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    try:
        throttle.check(request, INVITATION)
    except throttle.Throttled as error:
        return throttle.response(request, error)
    found = access.invitation_by_token(token)
    if found is None:
        throttle.count_failure(request, INVITATION)
        return render(request, "surveys/invitation_unknown.html", status=404)
    return found


def _fixed(invitation: Invitation) -> dict[str, str]:
    form = form_of(invitation.round.version)
    fixed = {}
    for name in PLACE_QUESTIONS:
        value = getattr(invitation, name)
        if value and form.has_question(name):
            question = form.question(name)
            if question.type == "select_one" and value in {
                c.name for c in form.choices_of(question)
            }:
                fixed[name] = value
    return fixed


def _language() -> str:
    return translation.get_language() or ""


def _page(
    request: HttpRequest, invitation: Invitation, form: QuestionnaireForm, token: str
) -> HttpResponse:
    draft = getattr(invitation, "response", None) if _has_response(invitation) else None
    context = {
        "round": invitation.round,
        "invitation": invitation,
        "form": form,
        "can_save": True,
        "saved_at": draft.saved_at if draft is not None else None,
        "action": reverse("surveys:invitation", args=[token]),
        "part_url": reverse("surveys:invitation_part", args=[token]),
    }
    return render(request, "surveys/invitation.html", context, status=400 if form.errors else 200)


def _has_response(invitation: Invitation) -> bool:
    try:
        invitation.response  # noqa: B018 - the reverse one-to-one raises when there is none
    except Invitation.response.RelatedObjectDoesNotExist:
        return False
    return True


@public
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = _invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    round_ = found.round
    response = found.response if _has_response(found) else None
    if response is not None and response.submitted_at is not None:
        items = answered_items(form_of(round_.version), response.answers, _language())
        context = {"round": round_, "response": response, "items": items}
        return render(request, "surveys/invitation_sent.html", context)
    state = round_.state()
    if state != "open":
        return render(request, "surveys/closed.html", {"round": round_, "state": state})
    fixed = _fixed(found)
    if request.method != "POST":
        form = QuestionnaireForm(
            initial={"key": new_key()},
            version=round_.version,
            language=_language(),
            initial_answers=response.answers if response is not None else None,
            fixed=fixed,
        )
        return _page(request, found, form, token)
    saving = "save" in request.POST
    form = QuestionnaireForm(
        request.POST,
        version=round_.version,
        language=_language(),
        strict=True,
        partial=saving,
        fixed=fixed,
    )
    if form.is_valid():
        write = actions.save_draft if saving else actions.submit
        try:
            write(
                round_,
                form.answers,
                respondent_token=token,
                key=form.cleaned_data["key"],
                language=_language(),
            )
        except actions.InvalidAnswers as refused:
            form.add_complaints(refused.complaints)
        except (actions.RoundClosed, actions.RoundNotOpen):
            return render(
                request, "surveys/closed.html", {"round": round_, "state": round_.state()}
            )
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            if saving:
                messages.success(
                    request, _("Your answers are saved. Open this link again to continue.")
                )
            return redirect("surveys:invitation", token=token)
    return _page(request, found, form, token)


@public
@require_POST
def invitation_part(request: HttpRequest, token: str) -> HttpResponse:
    """The questions again for what has been answered so far: relevance, no errors yet."""
    found = _invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    form = QuestionnaireForm(
        request.POST,
        version=found.round.version,
        language=_language(),
        show_errors=False,
        fixed=_fixed(found),
    )
    return render_part(request, form)

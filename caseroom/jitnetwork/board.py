"""The request board's pages: a member looks for a counterpart; others answer privately
(only the request's author and the answer's author read an answer)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.lib.forms import new_key

from . import access, actions
from .access import Can
from .forms import AnswerForm, RequestForm
from .models import Answer, Request

SHOWN = 100  # open requests on the board, newest first


@access.needs(Can.BOARD)
def board(request: HttpRequest) -> HttpResponse:
    access.check(request, Can.BOARD)
    form = RequestForm(request.POST or None, initial={"key": new_key()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        posted = actions.post_request(
            author=access.user_of(request),
            country=data["country"],
            area=data["area"],
            text=data["text"],
            key=data["key"],
        )
        messages.success(request, _("Your request is on the board."))
        return redirect("jitnetwork:request", posted.pk)
    requests = list(
        Request.objects.filter(closed=False)
        .select_related("author")
        .order_by("-created_at")[:SHOWN]
    )
    return render(request, "jitnetwork/board.html", {"form": form, "requests": requests})


@access.needs(Can.BOARD)
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    wanted = access.request_for(request, request_id)
    user = access.user_of(request)
    form = AnswerForm(request.POST or None, initial={"key": new_key()})
    if request.method == "POST" and wanted.closed:
        form.add_error(None, _("This request is closed: it takes no more answers."))
    elif request.method == "POST" and form.is_valid():
        actions.answer(
            wanted, author=user, text=form.cleaned_data["text"], key=form.cleaned_data["key"]
        )
        messages.success(request, _("Your answer is sent; only the author reads it."))
        return redirect("jitnetwork:request", wanted.pk)
    answers = Answer.objects.filter(request=wanted).select_related("author").order_by("created_at")
    if wanted.author_id != user.pk:
        answers = answers.filter(author=user)
    context = {
        "wanted": wanted,
        "answers": list(answers),
        "form": form,
        "own": wanted.author_id == user.pk,
    }
    return render(request, "jitnetwork/request.html", context)


@access.needs(Can.BOARD)
@require_POST
def close(request: HttpRequest, request_id: int) -> HttpResponse:
    wanted = access.request_for(request, request_id)
    if wanted.author_id != access.user_of(request).pk:
        raise PermissionDenied
    actions.close_request(wanted)
    messages.success(request, _("Your request is off the board."))
    return redirect("jitnetwork:board")

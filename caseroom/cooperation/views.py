"""A coordination's own pages: the list, a new one, its overview (form, rounds, members),
its settings (audited), uploading the self-assessment form, opening and closing rounds,
personal links.

Thin: parse with a form, check access, call an action, render. An uploaded form's problems
come back in a table at their sheet, row and column, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.surveys.invitations import links_csv
from caseroom.xlsform import Problem

from . import access, actions
from .access import Can
from .forms import CoordinationForm, InviteForm, MemberForm, RoundForm, SettingsForm, UploadForm
from .models import Coordination, Membership, Round, SettingChange
from .pages import country_choices, language, render_page
from .tally import scoring_for

__all__ = [
    "close_round",
    "coordination",
    "create",
    "invitations",
    "listing",
    "members",
    "new_round",
    "settings",
    "upload",
    "use_ready",
]


def _rounds(coordination: Coordination) -> QuerySet[Round]:
    return (
        Round.objects.filter(coordination=coordination)
        .select_related("survey", "previous")
        .annotate(answers=Count("survey__responses"))
        .order_by("-created_at", "-pk")
    )


def _overview(
    request: HttpRequest,
    coordination: Coordination,
    *,
    upload_form: UploadForm | None = None,
    round_form: RoundForm | None = None,
    member_form: MemberForm | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    version = actions.latest_version(coordination)
    scoring = scoring_for(version, language()) if version is not None else None
    rounds = list(_rounds(coordination))
    may_manage = access.may(access.scope_in(request.user, coordination.pk), Can.MANAGE)
    page = render_page(
        request,
        "cooperation/coordination.html",
        coordination,
        version=version,
        scoring=scoring,
        rounds=rounds,
        now=timezone.now(),
        members=(
            Membership.objects.filter(coordination=coordination).select_related("user")
            if may_manage
            else []
        ),
        upload_form=upload_form or UploadForm(),
        round_form=round_form or RoundForm(rounds=_rounds(coordination)),
        member_form=member_form or MemberForm(countries=country_choices()),
        invite_form=InviteForm(countries=(), agencies=()),
        problems=problems or [],
    )
    page.status_code = status
    return page


def _back(coordination: Coordination) -> HttpResponse:
    return redirect("cooperation:coordination", coordination_id=coordination.pk)


@access.signed_in
@require_GET
def listing(request: HttpRequest) -> HttpResponse:
    found = access.coordinations_visible_to(request.user).order_by("title")
    return render(request, "cooperation/list.html", {"coordinations": found})


@access.signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Staff start a coordination (and are its first coordinator)."""
    allowed = request.user.is_staff
    form = CoordinationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and allowed and form.is_valid():
        assert request.user.is_authenticated
        made = actions.create_coordination(
            form.cleaned_data["title"],
            by=request.user,
            min_cell=form.cleaned_data["min_cell"],
            target=form.cleaned_data["target"],
        )
        return _back(made)
    status = 400 if form.errors else 200
    return render(
        request, "cooperation/new.html", {"form": form, "allowed": allowed}, status=status
    )


@access.needs(Can.READ)
@require_GET
def coordination(request: HttpRequest, coordination_id: int) -> HttpResponse:
    return _overview(request, access.coordination_for(request, coordination_id, Can.READ))


CHANGES_SHOWN = 100  # the latest; settings change a few times a year


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, coordination_id: int) -> HttpResponse:
    """The smallest group shown and the score that closes a gap, with who changed them when."""
    found = access.coordination_for(request, coordination_id, Can.MANAGE)
    form = SettingsForm(request.POST if request.method == "POST" else None, coordination=found)
    if request.method == "POST" and form.is_valid():
        lowered = form.lowers
        by = request.user if request.user.is_authenticated else None
        changes = actions.change_settings(
            found, min_cell=form.cleaned_data["min_cell"], target=form.cleaned_data["target"], by=by
        )
        if not changes:
            messages.info(request, _("Nothing changed."))
        elif lowered:
            messages.warning(
                request,
                _("Saved. Groups of %(n)s respondents and more are shown now, on every round.")
                % {"n": found.min_cell},
            )
        else:
            messages.success(request, _("The settings are saved."))
        return redirect("cooperation:settings", coordination_id=found.pk)
    trail = (
        SettingChange.objects.filter(coordination=found)
        .select_related("by")
        .order_by("-at", "-pk")[:CHANGES_SHOWN]
    )
    page = render_page(request, "cooperation/settings.html", found, form=form, changes=list(trail))
    page.status_code = 400 if form.errors else 200
    return page


@access.needs(Can.MANAGE)
@require_POST
def upload(request: HttpRequest, coordination_id: int) -> HttpResponse:
    found = access.coordination_for(request, coordination_id, Can.MANAGE)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _overview(request, found, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        version = actions.upload_form(
            found, upload.read(), upload.name or "", form.cleaned_data["title"]
        )
    except actions.FormRejected as error:
        form.add_error("file", _("The form cannot be used: fix the problems listed below."))
        return _overview(request, found, upload_form=form, problems=error.problems, status=400)
    messages.success(request, _("The form is stored as version %(n)s.") % {"n": version.number})
    return _back(found)


@access.needs(Can.MANAGE)
@require_POST
def use_ready(request: HttpRequest, coordination_id: int) -> HttpResponse:
    found = access.coordination_for(request, coordination_id, Can.MANAGE)
    try:
        actions.use_ready_form(found)
    except actions.FormRejected as error:
        # The shipped form cites the library's demo guidelines: a library without them says so.
        return _overview(request, found, problems=error.problems, status=400)
    messages.success(request, _("The ready-made self-assessment is in place."))
    return _back(found)


@access.needs(Can.MANAGE)
@require_POST
def members(request: HttpRequest, coordination_id: int) -> HttpResponse:
    found = access.coordination_for(request, coordination_id, Can.MANAGE)
    form = MemberForm(request.POST, countries=country_choices())
    if not form.is_valid():
        return _overview(request, found, member_form=form, status=400)
    data = form.cleaned_data
    actions.set_member(found, data["username"], data["role"], data["country"])
    messages.success(request, _("%(user)s's role is saved.") % {"user": data["username"]})
    return _back(found)


def _start_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@access.needs(Can.MANAGE)
@require_POST
def new_round(request: HttpRequest, coordination_id: int) -> HttpResponse:
    found = access.coordination_for(request, coordination_id, Can.MANAGE)
    form = RoundForm(request.POST, rounds=_rounds(found))
    if not form.is_valid():
        return _overview(request, found, round_form=form, status=400)
    data = form.cleaned_data
    closes = data["closes_on"] + dt.timedelta(days=1) if data["closes_on"] else None
    try:
        made = actions.open_round(
            found,
            data["title"],
            opens_at=_start_of(data["opens_on"]),
            closes_at=_start_of(closes),
            previous=data["previous"],
        )
    except actions.Refused as refused:
        form.add_error(None, refused.message)
        return _overview(request, found, round_form=form, status=400)
    messages.success(request, _("The round is open: hand out its code or personal links."))
    return redirect("cooperation:round", round_id=made.pk)


@access.needs(Can.MANAGE)
@require_POST
def close_round(request: HttpRequest, round_id: int) -> HttpResponse:
    found = access.round_for(request, round_id, Can.MANAGE)
    actions.close_round(found)
    messages.success(request, _("The round is closed: it takes no more answers."))
    return redirect("cooperation:round", round_id=found.pk)


@access.needs(Can.MANAGE)
@require_POST
def invitations(request: HttpRequest, round_id: int) -> HttpResponse:
    """Personal links for the lines posted, as a CSV to hand out (the tokens exist only in
    this answer: they are stored hashed)."""
    found = access.round_for(request, round_id, Can.MANAGE)
    scoring = scoring_for(found.survey.version, language())
    form = InviteForm(request.POST, countries=scoring.countries, agencies=scoring.agencies)
    if not form.is_valid():
        for error in form.errors.get("lines", []):
            messages.error(request, str(error))
        return redirect("cooperation:round", round_id=found.pk)
    try:
        made = actions.invite(found, form.cleaned_data["lines"])
    except actions.Refused as refused:
        messages.error(request, refused.message)
        return redirect("cooperation:round", round_id=found.pk)
    body = links_csv(
        made, lambda token: request.build_absolute_uri(reverse("surveys:invitation", args=[token]))
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="links-{found.survey.code}.csv"'
    return response


def answer_url(request: HttpRequest, round_: Round) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[round_.survey.code]))

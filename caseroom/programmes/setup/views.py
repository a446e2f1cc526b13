"""The programme's own pages: the list, creating one, its dashboard, editing it, its staff.

Views parse with a form, check access through `access.programme_for`, call an action or a
builder and render; a refused or invalid post shows the page again with the message beside
the form that caused it (status 200), never a 500.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Membership, Programme
from caseroom.programmes.pages import render_page

from . import actions
from .dashboard import dashboard as build_dashboard
from .forms import AddStaffForm, ChangeRoleForm, ProgrammeForm, RemoveStaffForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # access.needs lets only signed-in users through
    return user


def may_create(user: User) -> bool:
    """Superusers and staff (trainers) may start a programme; they become its manager."""
    return user.is_superuser or user.is_staff


# ---------------------------------------------------------------- list and create

# `programmes:list` and `programmes:create` concern no programme yet: every signed-in user
# gets them (the list shows only their programmes; creating asks `may_create`).


@access.signed_in
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    programmes = list(access.programmes_visible_to(user).order_by("-starts_on", "title"))
    roles = dict(
        Membership.objects.filter(user=user, programme__in=programmes).values_list(
            "programme_id", "role"
        )
    )
    rows = [(p, Membership.Role(roles[p.pk]).label if p.pk in roles else "") for p in programmes]
    return render(
        request,
        "programmes/setup/list.html",
        {"rows": rows, "can_create": may_create(user)},
    )


@access.signed_in
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_create(user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = actions.create_programme(user, **form.cleaned_data)
        messages.success(request, _("The programme was created; you are its manager."))
        return redirect("programmes:dashboard", programme_id=programme.pk)
    return render(request, "programmes/setup/create.html", {"form": form})


# ---------------------------------------------------------------- one programme


@access.needs(Can.READ)
@require_GET
def dashboard(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    board = build_dashboard(programme, today=timezone.localdate())
    return render_page(request, "programmes/setup/dashboard.html", programme, board=board)


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    # The form fills a copy, so the action sees what changed and the page's title stays as
    # saved while the form shows an error.
    form = ProgrammeForm(request.POST or None, instance=copy.copy(programme))
    if request.method == "POST" and form.is_valid():
        actions.update_programme(programme, by=_user(request), **form.cleaned_data)
        messages.success(request, _("The programme was saved."))
        return redirect("programmes:dashboard", programme_id=programme.pk)
    return render_page(request, "programmes/setup/edit.html", programme, form=form)


# ---------------------------------------------------------------- staff


def _staff_page(
    request: HttpRequest,
    programme: Programme,
    *,
    add_form: AddStaffForm | None = None,
    row_error: tuple[int, str] | None = None,
) -> HttpResponse:
    members = Membership.objects.filter(programme=programme).select_related("user")
    return render_page(
        request,
        "programmes/setup/staff.html",
        programme,
        members=members.order_by("role", "user__username"),
        add_form=add_form or AddStaffForm(),
        roles=Membership.Role.choices,
        row_error=row_error,
    )


@access.needs(Can.MANAGE)
@require_GET
def staff(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    return _staff_page(request, programme)


@access.needs(Can.MANAGE)
@require_POST
def staff_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = AddStaffForm(request.POST)
    if form.is_valid():
        try:
            member = actions.add_staff(
                programme,
                form.cleaned_data["username"],
                form.cleaned_data["role"],
                by=_user(request),
            )
        except actions.Refused as refusal:
            form.add_error("username", str(refusal))
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s.")
                % {"user": member.user.username, "role": member.get_role_display()},
            )
            return redirect("programmes:staff", programme_id=programme.pk)
    return _staff_page(request, programme, add_form=form)


@access.needs(Can.MANAGE)
@require_POST
def staff_role(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = ChangeRoleForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(request, _("Choose a member of this programme and one of the roles."))
        return _staff_page(request, programme)
    member: Membership = form.cleaned_data["membership"]
    try:
        actions.change_role(member, form.cleaned_data["role"], by=_user(request))
    except actions.Refused as refusal:
        return _staff_page(request, programme, row_error=(member.pk, str(refusal)))
    messages.success(
        request,
        _("%(user)s is now %(role)s.")
        % {"user": member.user.username, "role": member.get_role_display()},
    )
    if member.user_id == request.user.pk:
        # A manager who gave up the role may no longer open the staff page.
        return redirect("programmes:dashboard", programme_id=programme.pk)
    return redirect("programmes:staff", programme_id=programme.pk)


@access.needs(Can.MANAGE)
@require_POST
def staff_remove(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = RemoveStaffForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(request, _("Choose a member of this programme."))
        return _staff_page(request, programme)
    member: Membership = form.cleaned_data["membership"]
    try:
        actions.remove_staff(member, by=_user(request))
    except actions.Refused as refusal:
        return _staff_page(request, programme, row_error=(member.pk, str(refusal)))
    messages.success(
        request, _("%(user)s no longer works on this programme.") % {"user": member.user.username}
    )
    if member.user_id == request.user.pk:
        return redirect("programmes:list")
    return redirect("programmes:staff", programme_id=programme.pk)

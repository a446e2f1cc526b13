"""The technical working group: members, meetings, decisions and action items.

Everyone on the programme reads it (the donor's delegation often sits in the group and an
observer account is how it follows the programme); its managers write. The members are the
group's officials, not people trained, so no disclosure rule applies to them.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import ActionItem, Meeting, Programme
from caseroom.programmes.pages import render_page

from . import actions_design
from .forms_design import (
    ActionItemForm,
    ActionStatusForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    RemoveDecisionForm,
    RemoveMemberForm,
)
from .working_group import meeting_page, overview


def _overview(
    request: HttpRequest, programme: Programme, member_form: MemberForm | None = None
) -> HttpResponse:
    return render_page(
        request,
        "programmes/setup/working_group.html",
        programme,
        group=overview(programme, today=timezone.localdate()),
        member_form=member_form or MemberForm(),
    )


def _meeting(
    request: HttpRequest,
    meeting: Meeting,
    *,
    decision_form: DecisionForm | None = None,
    action_form: ActionItemForm | None = None,
) -> HttpResponse:
    return render_page(
        request,
        "programmes/setup/meeting.html",
        meeting.programme,
        page=meeting_page(meeting, today=timezone.localdate()),
        decision_form=decision_form or DecisionForm(),
        action_form=action_form or ActionItemForm(meeting=meeting),
        statuses=ActionItem.Status.choices,
    )


def _to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("programmes:meeting", meeting_id=meeting.pk)


# ---------------------------------------------------------------- overview and members


@access.needs(Can.READ)
@require_GET
def working_group(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    return _overview(request, programme)


@access.needs(Can.MANAGE)
@require_POST
def member_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _overview(request, programme, form)
    actions_design.save_member(programme, None, **form.cleaned_data)
    messages.success(request, _("The member was added to the working group."))
    return redirect("programmes:working_group", programme_id=programme.pk)


@access.needs(Can.MANAGE)
@require_POST
def member_remove(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = RemoveMemberForm(request.POST, programme=programme)
    if form.is_valid():
        actions_design.remove_member(form.cleaned_data["member"])
        messages.success(request, _("The member was removed from the working group."))
    else:
        messages.error(request, _("Choose a member of this working group."))
    return redirect("programmes:working_group", programme_id=programme.pk)


# ---------------------------------------------------------------- meetings


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = MeetingForm(
        request.POST or None, programme=programme, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        meeting = actions_design.save_meeting(programme, None, **form.cleaned_data)
        messages.success(request, _("The meeting was recorded."))
        return _to_meeting(meeting)
    return render_page(
        request, "programmes/setup/meeting_form.html", programme, form=form, meeting=None
    )


@access.needs(Can.READ)
@require_GET
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting(request, access.meeting_for(request, meeting_id, Can.READ))


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.meeting_for(request, meeting_id, Can.MANAGE)
    form = MeetingForm(request.POST or None, programme=found.programme, instance=copy.copy(found))
    if request.method == "POST" and form.is_valid():
        actions_design.save_meeting(found.programme, found, **form.cleaned_data)
        messages.success(request, _("The meeting was saved."))
        return _to_meeting(found)
    return render_page(
        request, "programmes/setup/meeting_form.html", found.programme, form=form, meeting=found
    )


@access.needs(Can.MANAGE)
@require_POST
def meeting_delete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.meeting_for(request, meeting_id, Can.MANAGE)
    actions_design.delete_meeting(found)
    messages.success(request, _("The meeting was removed with its decisions and actions."))
    return redirect("programmes:working_group", programme_id=found.programme_id)


@access.needs(Can.MANAGE)
@require_POST
def decision_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.meeting_for(request, meeting_id, Can.MANAGE)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _meeting(request, found, decision_form=form)
    actions_design.add_decision(found, form.cleaned_data["text"])
    return _to_meeting(found)


@access.needs(Can.MANAGE)
@require_POST
def decision_remove(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.meeting_for(request, meeting_id, Can.MANAGE)
    form = RemoveDecisionForm(request.POST, meeting=found)
    if form.is_valid():
        actions_design.remove_decision(form.cleaned_data["decision"])
    else:
        messages.error(request, _("Choose a decision of this meeting."))
    return _to_meeting(found)


@access.needs(Can.MANAGE)
@require_POST
def action_item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.meeting_for(request, meeting_id, Can.MANAGE)
    form = ActionItemForm(request.POST, meeting=found)
    if not form.is_valid():
        return _meeting(request, found, action_form=form)
    actions_design.add_action_item(found, **form.cleaned_data)
    return _to_meeting(found)


@access.needs(Can.MANAGE)
@require_POST
def action_item_status(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.meeting_for(request, meeting_id, Can.MANAGE)
    form = ActionStatusForm(request.POST, meeting=found)
    if not form.is_valid():
        messages.error(request, _("Choose an action item of this meeting and a status."))
        return _to_meeting(found)
    item = form.cleaned_data["item"]
    if actions_design.set_action_status(item, form.cleaned_data["status"]):
        messages.success(
            request,
            _("“%(text)s” is now %(status)s.")
            % {
                "text": item.text[:60],
                "status": item.get_status_display().lower(),
            },
        )
    if form.cleaned_data["back_to_overview"]:
        return redirect("programmes:working_group", programme_id=found.programme_id)
    return _to_meeting(found)

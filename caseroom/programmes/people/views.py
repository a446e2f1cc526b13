"""The registry's pages: the list, a person, entry and editing, consent, export, erasure.

Managers change (Can.MANAGE); managers and trainers read names (Can.SEE_PEOPLE); observers
see no page here, only the aggregates (`views_lookalikes.communities`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Person
from caseroom.programmes.pages import render_page

from . import actions, builders, exports
from .forms import CONSENT_WORDING, ConsentForm, EraseForm, PersonForm, SearchForm

T = "programmes/people/"


def _person_url(person: Person) -> str:
    return reverse("programmes:person", args=[person.pk])


@access.needs(Can.SEE_PEOPLE)
def people(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.SEE_PEOPLE)
    form = SearchForm(request.GET)
    q, page = "", 1
    if form.is_valid():
        q, page = form.cleaned_data["q"], form.cleaned_data["page"] or 1
    return render_page(
        request,
        T + "list.html",
        programme,
        form=form,
        page=builders.people_page(programme, q, page),
    )


@access.needs(Can.SEE_PEOPLE)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access.person_for(request, person_id, Can.SEE_PEOPLE)
    return _person_page(request, found)


def _person_page(
    request: HttpRequest,
    found: Person,
    *,
    consent_form: ConsentForm | None = None,
    erase_form: EraseForm | None = None,
) -> HttpResponse:
    return render_page(
        request,
        T + "person.html",
        found.programme,
        page=builders.person_page(found),
        consent_form=consent_form or ConsentForm(),
        consent_wording=CONSENT_WORDING,
        erase_form=erase_form or EraseForm(person=found),
    )


@access.needs(Can.MANAGE)
def person_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = PersonForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        added = actions.save_person(programme, form.data_for_action())
        messages.success(request, _("Added %(name)s.") % {"name": added.full_name})
        return redirect(_person_url(added))
    return render_page(request, T + "edit.html", programme, form=form, person=None)


@access.needs(Can.MANAGE)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access.person_for(request, person_id, Can.MANAGE)
    form = PersonForm(request.POST or None, instance=found, programme=found.programme)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values onto `found`; the action saves them with the match key.
        actions.save_person(found.programme, form.data_for_action(), found)
        messages.success(request, _("Saved."))
        return redirect(_person_url(found))
    return render_page(request, T + "edit.html", found.programme, form=form, person=found)


@access.needs(Can.MANAGE)
@require_POST
def person_consent(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access.person_for(request, person_id, Can.MANAGE)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _person_page(request, found, consent_form=form)
    actions.record_consent(
        found, form.cleaned_data["community"], str(CONSENT_WORDING), request.user
    )
    messages.success(request, _("Recorded with consent. The value is not shown again."))
    return redirect(_person_url(found))


@access.needs(Can.MANAGE)
@require_POST
def person_withdraw(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access.person_for(request, person_id, Can.MANAGE)
    if actions.withdraw_consent(found):
        messages.success(request, _("Consent withdrawn: the record is deleted."))
    return redirect(_person_url(found))


@access.needs(Can.MANAGE)
@require_POST
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's data as JSON (default) or XLSX (format=xlsx), for their own request.
    A POST: the download leaves an audit row, and a GET never writes."""
    found = access.person_for(request, person_id, Can.MANAGE)
    as_xlsx = request.POST.get("format") == "xlsx"
    actions.log_export(found, request.user)
    if as_xlsx:
        body = exports.person_xlsx(found)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = exports.person_json(found), "application/json"
    response = HttpResponse(body, content_type=kind)
    name = f"person-{found.pk}.{'xlsx' if as_xlsx else 'json'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@access.needs(Can.MANAGE)
@require_POST
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access.person_for(request, person_id, Can.MANAGE)
    form = EraseForm(request.POST, person=found)
    if not form.is_valid():
        return _person_page(request, found, erase_form=form)
    programme = found.programme
    actions.erase_person(found, request.user)
    messages.success(request, _("The person and everything held about them are erased."))
    return HttpResponseRedirect(reverse("programmes:people", args=[programme.pk]))

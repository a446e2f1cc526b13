"""Import of a registration list: upload → row report or preview → confirmation.

The upload's size is capped while it arrives (`scenarios.forms.SizeCap`, installed before
the CSRF check reads the body, as the scenario upload does) when no middleware has read the
body already; the form refuses a file over 5 MB in any case. A file with any bad row is
answered with the list of problems and nothing is kept; a good file is kept as a
`PendingImport` and previewed; the confirmation writes it all in one transaction.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Programme
from caseroom.programmes.models.people import PendingImport
from caseroom.programmes.pages import render_page
from caseroom.scenarios.forms import SizeCap

from . import actions, importer, sheets
from .forms import ConfirmImportForm, ImportForm
from .plan import Plan

T = "programmes/people/"


@access.needs(Can.MANAGE)
@csrf_exempt  # checked below, once the size cap is installed (Django's documented pattern)
def people_import(request: HttpRequest, programme_id: int) -> HttpResponse:
    cap = SizeCap(request, sheets.LIMITS.upload_bytes)
    # When a middleware read the body first (lib/middleware.RejectNulCharacters reads every
    # multipart body outside /admin/), the 21 MB body limit bounded it and the form refuses
    # anything over 5 MB; Django then refuses new handlers with an AttributeError.
    with suppress(AttributeError):
        request.upload_handlers = [cap, *request.upload_handlers]
    checked: HttpResponse = csrf_protect(_import)(request, programme_id, cap)
    return checked


def _import(request: HttpRequest, programme_id: int, cap: SizeCap) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        programme=programme,
        too_large="file" in cap.dropped,
    )
    if not posted or not form.is_valid():
        return _page(request, programme, form=form)
    upload = form.cleaned_data["file"]
    session = form.cleaned_data["session"]
    try:
        table = sheets.read_table(upload.file, upload.name or "")
    except sheets.SheetRefused as refused:
        form.add_error("file", str(refused))
        return _page(request, programme, form=form)
    checked = importer.check(
        table, countries=programme.countries, default_country=session.country if session else ""
    )
    if not checked.ok:
        return _page(request, programme, form=form, checked=checked)
    assert isinstance(request.user, User)
    upload.file.seek(0)
    pending = actions.store_upload(
        programme, request.user, session, upload.name or "", upload.file.read()
    )
    return _preview(request, pending)


def _preview(request: HttpRequest, pending: PendingImport) -> HttpResponse:
    checked, plan = actions.check_pending(pending)
    confirm = ConfirmImportForm(initial={"upload": pending.pk, "digest": plan.digest})
    return _page(
        request,
        pending.programme,
        form=None,
        checked=checked,
        plan=plan,
        pending=pending,
        confirm=confirm,
    )


def _page(
    request: HttpRequest,
    programme: Programme,
    *,
    form: ImportForm | None,
    checked: importer.Checked | None = None,
    plan: Plan | None = None,
    pending: PendingImport | None = None,
    confirm: ConfirmImportForm | None = None,
) -> HttpResponse:
    return render_page(
        request,
        T + "import.html",
        programme,
        form=form,
        checked=checked,
        plan=plan,
        pending=pending,
        confirm=confirm,
        limits=sheets.LIMITS,
        fields=[str(label) for key, label in importer.FIELDS.items() if key != "full_name"],
    )


@access.needs(Can.MANAGE)
@require_POST
def people_import_confirm(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = ConfirmImportForm(request.POST)
    pending = None
    assert isinstance(request.user, User)  # @access.needs: signed in
    if form.is_valid():
        pending = (
            PendingImport.objects.select_related("programme", "session")
            .filter(pk=form.cleaned_data["upload"], programme=programme, user=request.user)
            .first()
        )
    if pending is None:
        messages.error(request, _("This upload was already imported or has expired."))
        return redirect(reverse("programmes:people_import", args=[programme.pk]))
    try:
        plan = actions.import_people(pending, request.user, form.cleaned_data["digest"])
    except actions.ImportChanged as changed:
        messages.warning(request, str(changed))
        if changed.code == "gone":
            return redirect(reverse("programmes:people_import", args=[programme.pk]))
        return _preview(request, pending)
    messages.success(
        request,
        _("Imported: %(new)d new, %(linked)d already registered, %(enrolled)d enrolled.")
        % {"new": plan.new, "linked": plan.linked, "enrolled": plan.enrolments},
    )
    return redirect(reverse("programmes:people", args=[programme.pk]))

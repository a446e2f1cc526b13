"""Pages of modules, sessions, enrolment and attendance, and the trainers' cascade.

Each view: parse with a form, load through `access.<thing>_for(request, pk, Can.X)`, call an
action or a builder, render with `pages.render_page`. Bad input comes back as the form with
its message next to the field (never a 500).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib.htmx import HtmxHttpRequest

from .. import access
from ..access import Can, module_for, programme_for, session_for
from ..models import Module, Person, Session
from ..pages import render_page
from . import actions, attendance, overview
from .cascade import cascade as build_cascade
from .exercises import exercise_lines
from .forms import (
    SEARCH_RESULTS,
    AgendaFormSet,
    AttendanceForm,
    EnrolForm,
    FindingsForm,
    ModuleForm,
    SearchForm,
    SessionForm,
    TopicFormSet,
    UnenrolForm,
)
from .forms_exercises import LinkExerciseForm

T = "programmes/delivery/"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------- modules


@access.needs(Can.READ)
@require_GET
def modules(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for(request, programme_id, Can.READ)
    lines = overview.module_lines(programme, timezone.localdate())
    return render_page(request, T + "modules.html", programme, lines=lines)


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def module_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for(request, programme_id, Can.MANAGE)
    number = (programme.modules.order_by("-number").values_list("number", flat=True).first()) or 0
    form = ModuleForm(
        _posted(request),
        programme=programme,
        initial={"number": number + 1, "attendance_rule": 80, "days_per_session": 1},
    )
    if form.is_valid():
        module = actions.create_module(programme, form.cleaned_data)
        messages.success(request, _("Module created: add its topics."))
        return redirect("programmes:module_topics", module_id=module.pk)
    return render_page(request, T + "module_form.html", programme, form=form, module=None)


@access.needs(Can.READ)
@require_GET
def module(request: HttpRequest, module_id: int) -> HttpResponse:
    found = module_for(request, module_id, Can.READ)
    return _module_page(request, found)


def _module_page(
    request: HttpRequest, found: Module, findings_form: FindingsForm | None = None
) -> HttpResponse:
    programme = found.programme
    if findings_form is None and access.may(access.role_in(request.user, programme.pk), Can.MANAGE):
        findings_form = FindingsForm(
            programme=programme, initial={"findings": list(found.findings.all())}
        )
    return render_page(
        request,
        T + "module.html",
        programme,
        module=found,
        page=overview.module_page(found, timezone.localdate()),
        findings_form=findings_form,
    )


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    found = module_for(request, module_id, Can.MANAGE)
    initial = {name: getattr(found, name) for name in actions.MODULE_FIELDS}
    form = ModuleForm(
        _posted(request), programme=found.programme, module_id=found.pk, initial=initial
    )
    if form.is_valid():
        actions.update_module(found, form.cleaned_data)
        messages.success(request, _("Module saved."))
        return redirect("programmes:module", module_id=found.pk)
    return render_page(request, T + "module_form.html", found.programme, form=form, module=found)


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def module_topics(request: HttpRequest, module_id: int) -> HttpResponse:
    found = module_for(request, module_id, Can.MANAGE)
    initial = [
        {"order": t.order, "title": t.title, "minutes": t.minutes, "trainer": t.trainer}
        for t in found.topics.all()
    ]
    formset = TopicFormSet(_posted(request), initial=initial, prefix="topics")
    if formset.is_bound and formset.is_valid():
        actions.replace_topics(found, _rows(formset))
        messages.success(request, _("Topics saved. New sessions copy them into their agenda."))
        return redirect("programmes:module", module_id=found.pk)
    return render_page(request, T + "topics.html", found.programme, module=found, formset=formset)


def _rows(formset: Any) -> list[dict[str, Any]]:
    """The kept rows of a valid formset (filled in, not marked for deletion)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@access.needs(Can.MANAGE)
@require_POST
def module_findings(request: HttpRequest, module_id: int) -> HttpResponse:
    found = module_for(request, module_id, Can.MANAGE)
    form = FindingsForm(request.POST, programme=found.programme)
    if not form.is_valid():
        return _module_page(request, found, findings_form=form)
    actions.set_findings(found, form.cleaned_data["findings"])
    messages.success(request, _("The needs this module answers were saved."))
    return redirect("programmes:module", module_id=found.pk)


# ---------------------------------------------------------------- sessions


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, module_id: int) -> HttpResponse:
    found = module_for(request, module_id, Can.DELIVER)
    countries = found.programme.countries
    initial = {"days": found.days_per_session, "country": countries[0] if countries else ""}
    form = SessionForm(_posted(request), programme=found.programme, initial=initial)
    if form.is_valid():
        made = actions.create_session(found, form.cleaned_data)
        messages.success(request, _("Session created with code %(code)s.") % {"code": made.code})
        return redirect("programmes:session", session_id=made.pk)
    return render_page(
        request, T + "session_form.html", found.programme, form=form, module=found, session=None
    )


@access.needs(Can.READ)
@require_GET
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.READ)
    return session_page(request, found)


def session_page(request: HttpRequest, found: Session, **forms: Any) -> HttpResponse:
    """The session's page, with any form that came back with errors in place of a new one."""
    programme = found.module.programme
    role = access.role_in(request.user, programme.pk)
    if access.may(role, Can.DELIVER):
        forms.setdefault("link_form", LinkExerciseForm(user=request.user))
    return render_page(
        request,
        T + "session.html",
        programme,
        session=found,
        module=found.module,
        page=overview.session_page(found, with_names=access.may(role, Can.SEE_PEOPLE)),
        exercises=exercise_lines(found),
        **forms,
    )


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    initial = {name: getattr(found, name) for name in actions.SESSION_FIELDS}
    form = SessionForm(_posted(request), programme=found.module.programme, initial=initial)
    if form.is_valid():
        actions.update_session(found, form.cleaned_data)
        messages.success(request, _("Session saved."))
        return redirect("programmes:session", session_id=found.pk)
    return render_page(
        request,
        T + "session_form.html",
        found.module.programme,
        form=form,
        module=found.module,
        session=found,
    )


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_agenda(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    initial = [
        {
            "day": i.day,
            "order": i.order,
            "title": i.title,
            "minutes": i.minutes,
            "trainer": i.trainer_id,
        }
        for i in found.agenda.order_by("day", "order", "pk")
    ]
    formset = AgendaFormSet(
        _posted(request), initial=initial, prefix="agenda", form_kwargs={"session": found}
    )
    if formset.is_bound and formset.is_valid():
        actions.replace_agenda(found, _rows(formset))
        messages.success(request, _("Agenda saved."))
        return redirect("programmes:session", session_id=found.pk)
    return render_page(
        request, T + "agenda.html", found.module.programme, session=found, formset=formset
    )


# ---------------------------------------------------------------- enrolment


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_enrol(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    programme = found.module.programme
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    form = EnrolForm(_posted(request), programme=programme)
    if form.is_valid():
        done = actions.enrol(found, form.cleaned_data["people"], form.cleaned_data["role"])
        messages.success(
            request,
            ngettext("%(n)d person enrolled.", "%(n)d people enrolled.", done.added)
            % {"n": done.added},
        )
        if done.unqualified:
            messages.warning(
                request,
                _(
                    "Not a graduate of an earlier training of trainers, enrolled as trainer "
                    "anyway: %(names)s."
                )
                % {"names": ", ".join(p.full_name for p in done.unqualified)},
            )
        return redirect("programmes:session", session_id=found.pk)
    found_people = Person.objects.filter(programme=programme).exclude(enrolments__session=found)
    if query:
        found_people = found_people.filter(
            Q(given_name__icontains=query)
            | Q(family_name__icontains=query)
            | Q(agency__icontains=query)
        )
    return render_page(
        request,
        T + "enrol.html",
        programme,
        session=found,
        search=search,
        form=form,
        people=list(found_people.order_by("family_name", "given_name", "pk")[:SEARCH_RESULTS]),
        limit=SEARCH_RESULTS,
    )


@access.needs(Can.DELIVER)
@require_POST
def session_unenrol(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    form = UnenrolForm(request.POST, session=found)
    if form.is_valid():
        actions.unenrol(form.cleaned_data["enrolment"])
        messages.success(request, _("Taken out of the session."))
    else:
        messages.error(request, _("That person is not enrolled in this session."))
    return redirect("programmes:session", session_id=found.pk)


# ---------------------------------------------------------------- attendance


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_attendance(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    # A post needs only who is on the grid; the grid itself is read for the answer.
    posted = request.method == "POST"
    on_grid = list(found.enrolments.values_list("pk", flat=True)) if posted else []
    form = AttendanceForm(_posted(request), session=found, enrolment_ids=on_grid)
    saved: int | None = None
    if form.is_valid():
        saved = attendance.set_attendance(found, form.cleaned_data["present"])
        if not request.htmx:
            messages.success(request, _("Attendance saved."))
            return redirect("programmes:session_attendance", session_id=found.pk)
    grid = attendance.attendance_grid(found)
    template = T + ("_attendance.html" if request.htmx else "attendance.html")
    return render_page(
        request,
        template,
        found.module.programme,
        session=found,
        grid=grid,
        form=form,
        saved=saved,
    )


# ---------------------------------------------------------------- the cascade


@access.needs(Can.READ)
@require_GET
def cascade(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for(request, programme_id, Can.READ)
    with_names = access.may(access.role_in(request.user, programme.pk), Can.SEE_PEOPLE)
    tree = build_cascade(programme, with_names=with_names)
    return render_page(request, T + "cascade.html", programme, tree=tree)

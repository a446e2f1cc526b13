"""The JIT expert network's pages: parse with a form, check access, call an action, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseroom.lib.downloads import CSV, XLSX, download
from caseroom.lib.tables import write_csv, write_xlsx

from . import access, actions, directory, secondfactor
from .access import Can
from .forms import ProfileForm, ProposeForm, SearchForm, TokenForm
from .models import Expert


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("jitnetwork:home")


@access.signed_in
def enrol(request: HttpRequest) -> HttpResponse:
    """Shows the pending device's QR code; a POST with its first code confirms it."""
    user = access.user_of(request)
    if secondfactor.has_confirmed_device(user):
        return redirect(reverse("jitnetwork:verify") + "?" + request.GET.urlencode())
    device = secondfactor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if secondfactor.confirm_enrolment(request, user, form.cleaned_data["token"]):
            messages.success(request, _("Your authenticator is set up."))
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("That code is not right. Try the newest one."))
    qr = secondfactor.qr_svg(device) if device is not None else ""
    context = {
        "device": device,
        # segno's SVG of django-otp's otpauth URI (a key it generated): nothing from users.
        "qr": mark_safe(qr),  # noqa: S308
        "manual_key": secondfactor.manual_key(device) if device is not None else "",
        "form": form,
        "next": _next(request),
    }
    return render(request, "jitnetwork/enrol.html", context)


@access.signed_in
@require_POST
def enrol_start(request: HttpRequest) -> HttpResponse:
    if secondfactor.start_enrolment(access.user_of(request)) is None:
        return redirect("jitnetwork:verify")
    return redirect(reverse("jitnetwork:enrol") + "?next=" + _next(request))


@access.signed_in
def verify(request: HttpRequest) -> HttpResponse:
    user = access.user_of(request)
    if not secondfactor.has_confirmed_device(user):
        return redirect(reverse("jitnetwork:enrol") + "?" + request.GET.urlencode())
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if secondfactor.verify(request, user, form.cleaned_data["token"]):
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("That code is not right. Try the newest one."))
    return render(request, "jitnetwork/verify.html", {"form": form, "next": _next(request)})


@access.verified_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = access.user_of(request)
    context = {
        "can": {c.value for c in access.capabilities_of(user)},
        "own": access.own_profile_or_none(request),
        "proposals": (
            list(Expert.objects.filter(state=Expert.State.PROPOSED).select_related("user"))
            if access.may(user, Can.CONFIRM)
            else []
        ),
    }
    return render(request, "jitnetwork/home.html", context)


@access.needs(Can.SEARCH)
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    access.check(request, Can.SEARCH)
    form = SearchForm(request.GET or None)
    entries = directory.search(form.cleaned_data) if form.is_valid() else directory.search({})
    return render(request, "jitnetwork/search.html", {"form": form, "entries": entries})


@access.needs(Can.SEARCH)
@require_GET
def expert(request: HttpRequest, expert_id: int) -> HttpResponse:
    found = access.expert_for(request, expert_id, Can.SEARCH)
    context = {
        "entry": directory.entry(found),
        "may_contact": access.may(request.user, Can.CONTACT),
    }
    return render(request, "jitnetwork/expert.html", context)


@access.needs(Can.CONTACT)
@require_POST
def contact(request: HttpRequest, expert_id: int) -> HttpResponse:
    """The contact details, to a confirmed member, after the view is written to the audit."""
    found = access.expert_for(request, expert_id, Can.CONTACT)
    actions.record_contact_view(viewer=access.user_of(request), expert=found)
    context = {"entry": directory.entry(found), "email": found.email, "phone": found.phone}
    return render(request, "jitnetwork/contact.html", context)


@access.needs(Can.PROPOSE)
def propose(request: HttpRequest) -> HttpResponse:
    access.check(request, Can.PROPOSE)
    country = access.coordinated_country(request.user)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.propose(
                user=data["username"],
                country=country,
                institution=data["institution"],
                function=data["function"],
                languages=data["languages"],
                areas=data["areas"],
                jits_count=data["jits_count"],
                jit_years=data["jit_years"],
                email=data["email"],
                phone=data["phone"],
                by=access.user_of(request),
            )
        except actions.Refused:
            form.add_error(
                "username", _("This person is already in the network for another country.")
            )
        else:
            messages.success(request, _("Proposed. The network coordinator will confirm."))
            return redirect("jitnetwork:home")
    return render(request, "jitnetwork/propose.html", {"form": form, "country": country})


@access.needs(Can.CONFIRM)
@require_POST
def confirm(request: HttpRequest, expert_id: int) -> HttpResponse:
    proposed = access.proposal_for(request, expert_id)
    actions.confirm(proposed, by=access.user_of(request))
    messages.success(request, _("Confirmed: %(name)s") % {"name": str(proposed)})
    return redirect("jitnetwork:home")


@access.verified_only
def profile(request: HttpRequest) -> HttpResponse:
    """The expert's own profile, kept current by them (saving confirms it is current)."""
    own = access.own_profile_or_none(request)
    if own is None:
        return render(request, "jitnetwork/profile.html", {"own": None})
    initial = {
        "institution": own.institution,
        "function": own.function,
        "languages": own.languages,
        "areas": list(own.areas.values_list("area", flat=True)),
        "jits_count": own.jits_count,
        "jit_years": own.jit_years,
        "email": own.email,
        "phone": own.phone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(own, **form.cleaned_data)
        messages.success(request, _("Thank you: your profile is current."))
        return redirect("jitnetwork:profile")
    return render(request, "jitnetwork/profile.html", {"own": own, "form": form})


@access.verified_only
def leave(request: HttpRequest) -> HttpResponse:
    """An expert leaves the network; their contact details are deleted at once."""
    if request.method != "POST":
        own = access.own_profile_or_none(request)
        return render(request, "jitnetwork/leave.html", {"own": own})
    own = access.own_profile(request)
    actions.leave(own)
    messages.success(request, _("You have left the network. Your contact details are deleted."))
    return redirect("jitnetwork:home")


@access.needs(Can.AUDIT)
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    access.check(request, Can.AUDIT)
    return render(request, "jitnetwork/audit.html", {"rows": directory.audit_rows()})


@access.needs(Can.AUDIT)
@require_GET
def audit_csv(request: HttpRequest) -> HttpResponse:
    access.check(request, Can.AUDIT)
    return download(write_csv(_audit_rows(), AUDIT_HEADER), CSV, "jit-contact-views.csv")


@access.needs(Can.AUDIT)
@require_GET
def audit_xlsx(request: HttpRequest) -> HttpResponse:
    access.check(request, Can.AUDIT)
    body = write_xlsx(_audit_rows(), AUDIT_HEADER, "Contact views")
    return download(body, XLSX, "jit-contact-views.xlsx")


# Ids and times only: what the log keeps after a member leaves (no name, no contact detail).
AUDIT_HEADER = ["viewer_id", "expert_id", "at"]


def _audit_rows() -> list[tuple[int, int, str]]:
    return [(r.viewer_id, r.expert_id, r.at.isoformat()) for r in directory.audit_rows(None)]

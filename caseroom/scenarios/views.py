"""The trainers' Scenarios pages: every scenario with its versions, an upload, and a
version's validation report and map. "Try it" posts to `exercises.tryout` (an exercise is a
layer above scenarios)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from caseroom.engine.graph import to_dot, to_mermaid
from caseroom.lib.forms import new_key

from . import access, pages, registry
from .access import Can
from .casemap import case_map
from .forms import SizeCap, TryForm, UploadForm
from .models import ScenarioVersion

# A graph download's format: its file extension and media type.
GRAPH_FORMATS = {"dot": "text/vnd.graphviz", "mmd": "text/plain"}


@access.needs(Can.MANAGE)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    versions = access.versions_visible_to(request.user).order_by("slug", "-registered_at")
    return render(request, "scenarios/index.html", {"scenarios": pages.catalogue(versions)})


@access.needs(Can.MANAGE)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload handlers can only be changed before anything reads request.POST, and the CSRF
    check reads it: so this view is exempt from the middleware's check and runs the same
    check itself once the size cap is in place (Django's documented pattern), and
    lib/middleware.RejectNulCharacters leaves this path's body alone."""
    cap = SizeCap(request, registry.MAX_UPLOAD_BYTES)
    request.upload_handlers = [cap, *request.upload_handlers]
    checked: HttpResponse = csrf_protect(_upload)(request, cap)
    return checked


def _upload(request: HttpRequest, cap: SizeCap) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large="archive" in cap.dropped,
    )
    found: list[pages.Problem] = []
    if posted and form.is_valid():
        user = request.user if isinstance(request.user, User) else None
        started = timezone.now()
        try:
            # The open file, not its bytes: an upload over 2.5 MB stays on disk.
            version = registry.register_zip(form.cleaned_data["archive"].file, user)
        except registry.RegistrationError as error:
            found = pages.problems(error.diagnostics)
        else:
            words = {"title": version.title, "v": version.version}
            if version.registered_at < started:
                note = _("This content is already registered: %(title)s, version %(v)s.")
                messages.info(request, note % words)
            else:
                messages.success(request, _("Registered %(title)s, version %(v)s.") % words)
            return redirect("scenarios:version", version.pk)
    context = {"form": form, "problems": found}
    # 400 for a refused upload (as for every refused scenario), so a script sees it too.
    status = 400 if posted else 200
    return render(request, "scenarios/upload.html", context, status=status)


@access.needs(Can.MANAGE)
@require_GET
def version(request: HttpRequest, version_id: int) -> HttpResponse:
    found = access.version_for(request, version_id)
    try:
        scenario = registry.load(found)
    except registry.RegistrationError as error:
        # The stored copy was altered on disk: say so instead of drawing a wrong map.
        damaged, drawing = pages.problems(error.diagnostics), None
    else:
        damaged, drawing = [], case_map(scenario, get_language())
    others = access.versions_visible_to(request.user).filter(slug=found.slug)
    context = {
        "version": found,
        "problems": pages.problems(found.warnings),
        "damaged": damaged,
        "map": drawing,
        "others": others.exclude(pk=found.pk).order_by("-registered_at"),
        "try_form": TryForm(initial={"key": new_key()}),
    }
    return render(request, "scenarios/version.html", context)


@access.needs(Can.MANAGE)
@require_GET
def graph(request: HttpRequest, version_id: int, fmt: str) -> HttpResponse:
    """The flow as Graphviz DOT or Mermaid, as `caseroom graph` writes it."""
    if fmt not in GRAPH_FORMATS:
        raise Http404
    found: ScenarioVersion = access.version_for(request, version_id)
    try:
        scenario = registry.load(found)
    except registry.RegistrationError:
        raise Http404 from None
    lang = get_language()
    text = to_dot(scenario, lang) if fmt == "dot" else to_mermaid(scenario, lang)
    response = HttpResponse(text, content_type=f"{GRAPH_FORMATS[fmt]}; charset=utf-8")
    # Ids are plain already; the version is the author's text, so keep only safe characters.
    name = re.sub(r"[^\w.-]", "_", f"{found.slug}-{found.version}.{fmt}", flags=re.ASCII)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

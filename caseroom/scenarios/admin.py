from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .forms import SizeCap, UploadForm
from .models import ScenarioVersion
from .registry import MAX_UPLOAD_BYTES, RegistrationError, register_zip


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "slug", "version", "registered_at"]
    readonly_fields = [
        "slug",
        "version",
        "title",
        "summary",
        "digest",
        "path",
        "stats",
        "warnings",
        "registered_at",
        "registered_by",
    ]
    change_list_template = "exercises/admin/scenario_changelist.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from validated uploads only, never typed in

    def get_urls(self) -> list[URLPattern]:
        # Upload handlers can only be changed before anything reads request.POST, and the CSRF
        # check reads it: so the view is exempt from the middleware's check and runs the same
        # check itself once the size cap is in place (Django's documented pattern).
        @csrf_exempt
        def upload(request: HttpRequest) -> HttpResponse:
            cap = SizeCap(request, MAX_UPLOAD_BYTES)
            request.upload_handlers = [cap, *request.upload_handlers]
            checked: HttpResponse = csrf_protect(self.upload_view)(request, cap)
            return checked

        view = path(
            "upload/", self.admin_site.admin_view(upload), name="scenarios_scenarioversion_upload"
        )
        return [view, *super().get_urls()]

    def upload_view(self, request: HttpRequest, cap: SizeCap) -> HttpResponse:
        """Register a zipped scenario folder; problems are listed as file:line:column lines."""
        if not self.has_view_permission(request) or not request.user.has_perm(
            "scenarios.add_scenarioversion"
        ):
            raise PermissionDenied
        posted = request.method == "POST"
        form = UploadForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            too_large="archive" in cap.dropped,
        )
        problems: list[str] = []
        status = 200
        if posted and form.is_valid():
            archive = form.cleaned_data["archive"]
            try:
                user = request.user if isinstance(request.user, User) else None
                # The open file, not its bytes: an upload over 2.5 MB stays on disk.
                version = register_zip(archive.file, user)
            except RegistrationError as error:
                problems = [str(d) for d in error.diagnostics]
                status = 400
            else:
                messages.success(
                    request,
                    _("Registered %(title)s, version %(v)s.")
                    % {
                        "title": version.title,
                        "v": version.version,
                    },
                )
                return redirect(
                    reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
                )
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Upload a scenario"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(
            request, "exercises/admin/scenario_upload.html", context, status=status
        )

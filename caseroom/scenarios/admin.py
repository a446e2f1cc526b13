from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ScenarioVersion


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
    # Its "Upload" link leads to the trainers' Scenarios page, where uploads are checked.
    change_list_template = "exercises/admin/scenario_changelist.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from validated uploads only (scenarios:upload)

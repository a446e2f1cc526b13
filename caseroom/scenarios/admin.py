from django.contrib import admin

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

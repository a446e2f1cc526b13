from django.contrib import admin

from .models import Exercise, Message, Participant, Team, TeamEvent


class TeamInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Team
    fields = ["name", "event_count"]
    readonly_fields = ["event_count"]
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "scenario", "date", "location", "status", "join_code"]
    list_filter = ["status", "scenario__slug"]
    filter_horizontal = ["facilitators"]
    inlines = [TeamInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "agency", "country", "exercise", "team", "roles"]
    list_filter = ["exercise", "country"]


@admin.register(TeamEvent)
class TeamEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log is append-only; history is never edited."""

    list_display = ["team", "seq", "created_at", "participant"]
    list_filter = ["team__exercise"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["team", "channel", "role", "created_at"]

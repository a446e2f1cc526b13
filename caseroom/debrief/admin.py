from django.contrib import admin

from .models import Annotation, ExerciseDebrief


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["team", "step", "kind", "misconception", "author", "updated_at"]
    list_filter = ["kind", "team__exercise"]


@admin.register(ExerciseDebrief)
class ExerciseDebriefAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["exercise", "released_at", "updated_at"]

from django.urls import path, re_path

from . import views

urlpatterns = [
    re_path(
        r"^facilitate/(?P<exercise_id>[0-9]+)/debrief/steps\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="debrief_export",
    ),
    path(
        "facilitate/<int:exercise_id>/debrief/",
        views.exercise_debrief,
        name="debrief_exercise",
    ),
    path(
        "facilitate/<int:exercise_id>/team/<int:team_id>/debrief/",
        views.team_debrief,
        name="debrief_team",
    ),
]

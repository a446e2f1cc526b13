from django.urls import path

from . import views

urlpatterns = [
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

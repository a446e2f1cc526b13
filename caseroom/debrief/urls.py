from django.urls import path, re_path

from . import views

urlpatterns = [
    re_path(
        r"^facilitate/(?P<exercise_id>[0-9]+)/debrief/steps\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="debrief_export",
    ),
    re_path(
        r"^facilitate/(?P<exercise_id>[0-9]+)/debrief/report\.(?P<fmt>pdf|docx|html)$",
        views.report,
        name="debrief_report",
    ),
    path(
        "facilitate/<int:exercise_id>/debrief/xapi.json",
        views.xapi_statements,
        name="debrief_xapi",
    ),
    path(
        "facilitate/<int:exercise_id>/debrief/xapi/send/",
        views.xapi_send,
        name="debrief_xapi_send",
    ),
    path("facilitate/<int:exercise_id>/debrief/", views.exercise_debrief, name="debrief_exercise"),
    path("facilitate/<int:exercise_id>/debrief/notes/", views.save_notes, name="debrief_notes"),
    path("facilitate/<int:exercise_id>/debrief/release/", views.release, name="debrief_release"),
    path(
        "facilitate/<int:exercise_id>/debrief/projector/",
        views.exercise_projector,
        name="debrief_projector",
    ),
    path(
        "facilitate/<int:exercise_id>/team/<int:team_id>/debrief/",
        views.team_debrief,
        name="debrief_team",
    ),
    path(
        "facilitate/<int:exercise_id>/team/<int:team_id>/debrief/annotate/",
        views.annotate,
        name="debrief_annotate",
    ),
    path(
        "facilitate/<int:exercise_id>/team/<int:team_id>/debrief/projector/",
        views.team_projector,
        name="debrief_team_projector",
    ),
    path(
        "facilitate/<int:exercise_id>/annotation/<int:pk>/delete/",
        views.delete_annotation,
        name="debrief_annotation_delete",
    ),
    path("analysis/", views.analysis_index, name="analysis_index"),
    path("analysis/<slug:slug>/", views.scenario_analysis, name="analysis_scenario"),
    path("x/<int:exercise_id>/debrief/", views.participant_debrief, name="debrief_participant"),
    path("join/<str:code>/debrief/", views.find_my_debrief, name="debrief_find"),
]

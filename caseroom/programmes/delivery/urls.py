"""Delivery's URLs: modules, sessions, enrolment, attendance, exercises, the cascade."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_exercises

P = "programmes/<int:programme_id>/"
M = "programmes/modules/<int:module_id>/"
S = "programmes/sessions/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P + "modules/", views.modules, name="modules"),
    path(P + "modules/new/", views.module_new, name="module_new"),
    path(P + "cascade/", views.cascade, name="cascade"),
    path(M, views.module, name="module"),
    path(M + "edit/", views.module_edit, name="module_edit"),
    path(M + "topics/", views.module_topics, name="module_topics"),
    path(M + "findings/", views.module_findings, name="module_findings"),
    path(M + "sessions/new/", views.session_new, name="session_new"),
    path(S, views.session, name="session"),
    path(S + "edit/", views.session_edit, name="session_edit"),
    path(S + "agenda/", views.session_agenda, name="session_agenda"),
    path(S + "enrol/", views.session_enrol, name="session_enrol"),
    path(S + "unenrol/", views.session_unenrol, name="session_unenrol"),
    path(S + "attendance/", views.session_attendance, name="session_attendance"),
    path(
        S + "exercises/link/", views_exercises.session_exercise_link, name="session_exercise_link"
    ),
    path(
        S + "exercises/unlink/",
        views_exercises.session_exercise_unlink,
        name="session_exercise_unlink",
    ),
    path(S + "exercises/run/", views_exercises.session_exercise_run, name="session_exercise_run"),
    path(S + "teams/", views_exercises.session_teams, name="session_teams"),
    path(S + "seats/", views_exercises.session_seats, name="session_seats"),
    path(S + "seats/match/", views_exercises.session_seat_match, name="session_seat_match"),
]

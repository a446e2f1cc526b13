from django.urls import path

from . import console as facilitate
from . import console_links, console_rules, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("join/<str:code>/", views.join, name="join"),
    path("x/<int:exercise_id>/play/", views.play, name="play"),
    path("x/<int:exercise_id>/play/part/<str:part>/", views.play_part, name="play_part"),
    path("x/<int:exercise_id>/play/changes/", views.play_changes, name="play_changes"),
    path("x/<int:exercise_id>/play/doc/<str:doc_id>/", views.document, name="document"),
    path(
        "x/<int:exercise_id>/play/doc/<str:doc_id>/image",
        views.document_image,
        name="document_image",
    ),
    path("x/<int:exercise_id>/play/act/", views.act, name="act"),
    path("x/<int:exercise_id>/play/approve/", views.approve, name="approve"),
    path("x/<int:exercise_id>/play/answer/", views.answer, name="answer"),
    path("x/<int:exercise_id>/play/refuse/", views.refuse, name="refuse"),
    path("x/<int:exercise_id>/play/wait/", views.wait, name="wait"),
    path("x/<int:exercise_id>/play/message/<str:channel>/", views.message, name="message"),
    # facilitators
    path("facilitate/", facilitate.exercises, name="facilitate"),
    path("facilitate/<int:exercise_id>/", facilitate.console, name="console"),
    path("facilitate/<int:exercise_id>/teams/", facilitate.teams_part, name="console_teams"),
    path(
        "facilitate/<int:exercise_id>/timebox/part/",
        facilitate.timebox_part,
        name="console_timebox_part",
    ),
    path("facilitate/<int:exercise_id>/status/", facilitate.status, name="console_status"),
    path(
        "facilitate/<int:exercise_id>/create-teams/",
        facilitate.create_teams,
        name="console_create_teams",
    ),
    path("facilitate/<int:exercise_id>/balance/", facilitate.balance, name="console_balance"),
    path("facilitate/<int:exercise_id>/roles/", facilitate.roles, name="console_roles"),
    path("facilitate/<int:exercise_id>/rules/", console_rules.rules, name="console_rules"),
    path("facilitate/<int:exercise_id>/link/", console_links.link, name="console_link"),
    path(
        "facilitate/<int:exercise_id>/unlink/<int:team_id>/",
        console_links.unlink,
        name="console_unlink",
    ),
    path(
        "facilitate/<int:exercise_id>/personal-code/",
        console_rules.personal_code,
        name="console_personal_code",
    ),
    path("facilitate/<int:exercise_id>/inject/", facilitate.inject, name="console_inject"),
    path("facilitate/<int:exercise_id>/message/", facilitate.message, name="console_message"),
    path("facilitate/<int:exercise_id>/grade/", facilitate.grade, name="console_grade"),
    path("facilitate/<int:exercise_id>/end/", facilitate.end_case, name="console_end"),
    path("facilitate/<int:exercise_id>/jump/", facilitate.jump, name="console_jump"),
    path("facilitate/<int:exercise_id>/timebox/", facilitate.time_box, name="console_timebox"),
    path(
        "facilitate/<int:exercise_id>/team/<int:team_id>/chat/",
        facilitate.team_chat,
        name="console_chat",
    ),
]

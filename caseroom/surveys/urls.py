"""The public answering pages (rounds by code, personal links); staff pages live in the apps
that use surveys."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_invitation

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("answer/", views.find, name="find"),
    # Before answer/<code>/: "i" is no round code (codes have 8 symbols).
    path("answer/i/<str:token>/", views_invitation.invitation, name="invitation"),
    path("answer/i/<str:token>/part/", views_invitation.invitation_part, name="invitation_part"),
    path("answer/<str:code>/", views.answer, name="answer"),
    path("answer/<str:code>/part/", views.answer_part, name="answer_part"),
    path("answer/<str:code>/resume/", views.resume, name="resume"),
    path("answer/<str:code>/thanks/", views.thanks, name="thanks"),
]

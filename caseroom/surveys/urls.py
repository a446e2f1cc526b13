"""The public answering pages (anonymous rounds); staff pages live in the apps that use surveys."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("answer/", views.find, name="find"),
    path("answer/<str:code>/", views.answer, name="answer"),
    path("answer/<str:code>/part/", views.answer_part, name="answer_part"),
    path("answer/<str:code>/thanks/", views.thanks, name="thanks"),
]

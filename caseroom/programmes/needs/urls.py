"""The needs assessment's questionnaire and its results (the written findings are setup's)."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_results

N = "programmes/<int:programme_id>/needs/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(N + "questionnaire/", views.assessment, name="needs_assessment"),
    path(N + "questionnaire/upload/", views.upload, name="needs_upload"),
    path(N + "questionnaire/ready/", views.use_ready, name="needs_use_ready"),
    path(N + "questionnaire/questions/", views.questions, name="needs_questions"),
    path(N + "questionnaire/open/", views.open_round, name="needs_open"),
    path(N + "questionnaire/close/", views.close, name="needs_close"),
    path(N + "questionnaire/qr.svg", views.qr, name="needs_qr"),
    path(N + "results/", views_results.needs_results, name="needs_results"),
    path(N + "results.csv", views_results.results_csv, name="needs_results_csv"),
    path(N + "results.xlsx", views_results.results_xlsx, name="needs_results_xlsx"),
    path(N + "responses.csv", views_results.responses_csv, name="needs_responses_csv"),
    path(N + "responses.xlsx", views_results.responses_xlsx, name="needs_responses_xlsx"),
]

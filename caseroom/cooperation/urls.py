"""The cooperation app's pages: every one declares who may open it (access.needs and the
others), and tests/cooperation/test_access_matrix.py requests each as every kind of visitor."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_answers, views_gaps, views_measures

app_name = "cooperation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cooperation/", views.listing, name="list"),
    path("cooperation/new/", views.create, name="create"),
    path("cooperation/<int:coordination_id>/", views.coordination, name="coordination"),
    path("cooperation/<int:coordination_id>/form/", views.upload, name="upload"),
    path("cooperation/<int:coordination_id>/form/ready/", views.use_ready, name="use_ready"),
    path("cooperation/<int:coordination_id>/members/", views.members, name="members"),
    path("cooperation/<int:coordination_id>/settings/", views.settings, name="settings"),
    path("cooperation/<int:coordination_id>/rounds/new/", views.new_round, name="new_round"),
    path("cooperation/<int:coordination_id>/measures/", views_measures.measures, name="measures"),
    path(
        "cooperation/<int:coordination_id>/measures/new/",
        views_measures.new_measure,
        name="new_measure",
    ),
    path("cooperation/measures/<int:measure_id>/", views_measures.measure, name="measure"),
    path(
        "cooperation/measures/<int:measure_id>/edit/",
        views_measures.edit_measure,
        name="edit_measure",
    ),
    path("cooperation/rounds/<int:round_id>/", views_gaps.gap_analysis, name="round"),
    path("cooperation/rounds/<int:round_id>/heatmap.png", views_gaps.heatmap, name="heatmap"),
    path("cooperation/rounds/<int:round_id>/close/", views.close_round, name="close_round"),
    path("cooperation/rounds/<int:round_id>/invitations/", views.invitations, name="invitations"),
    path("cooperation/rounds/<int:round_id>/links/", views_answers.links, name="links"),
    path(
        "cooperation/links/<int:invitation_id>/withdraw/",
        views_answers.withdraw_link,
        name="withdraw_link",
    ),
    path(
        "cooperation/rounds/<int:round_id>/import/",
        views_answers.import_answers,
        name="import_answers",
    ),
    path(
        "cooperation/rounds/<int:round_id>/answers.xlsx",
        views_gaps.answers_xlsx,
        name="answers_xlsx",
    ),
    path(
        "cooperation/rounds/<int:round_id>/answers.csv", views_gaps.answers_csv, name="answers_csv"
    ),
    path(
        "cooperation/rounds/<int:round_id>/report.docx", views_gaps.report_docx, name="report_docx"
    ),
    path("cooperation/rounds/<int:round_id>/report.pdf", views_gaps.report_pdf, name="report_pdf"),
]

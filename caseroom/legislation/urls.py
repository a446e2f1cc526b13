from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "legislation"
CELL = "legislation/criteria/<int:criterion_id>/<str:country>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("legislation/", views.matrices, name="list"),
    path("legislation/new/<int:coordination_id>/", views.new_matrix, name="new"),
    path("legislation/<int:matrix_id>/", views.heatmap, name="heatmap"),
    path("legislation/<int:matrix_id>/criteria/", views.new_criterion, name="new_criterion"),
    path("legislation/<int:matrix_id>/matrix.xlsx", views.export_xlsx, name="export_xlsx"),
    path("legislation/<int:matrix_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("legislation/<int:matrix_id>/report.docx", views.report_docx, name="report_docx"),
    path(CELL, views.cell, name="cell"),
    path(f"{CELL}edit/", views.edit, name="edit"),
    path(f"{CELL}measure/", views.make_measure, name="make_measure"),
]

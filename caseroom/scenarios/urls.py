from django.urls import path

from . import views

app_name = "scenarios"

urlpatterns = [
    path("scenarios/", views.index, name="index"),
    path("scenarios/upload/", views.upload, name="upload"),
    path("scenarios/<int:version_id>/", views.version, name="version"),
    path("scenarios/<int:version_id>/graph.<str:fmt>", views.graph, name="graph"),
]

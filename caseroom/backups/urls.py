from django.urls import path

from . import views

app_name = "backups"
urlpatterns = [
    path("facilitate/<int:exercise_id>/backup/", views.make_backup, name="make"),
]

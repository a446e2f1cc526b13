from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "caseroom.workshops"
    verbose_name = "Workshops"

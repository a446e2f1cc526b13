from django.apps import AppConfig


class DebriefConfig(AppConfig):
    name = "caseroom.debrief"
    verbose_name = "Debrief"

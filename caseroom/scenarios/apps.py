from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "caseroom.scenarios"
    verbose_name = "Scenarios"

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "caseroom.programmes"
    verbose_name = "Programmes"

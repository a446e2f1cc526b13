from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "caseroom.legislation"
    verbose_name = "Legislation"

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "caseroom.surveys"
    verbose_name = "Surveys"

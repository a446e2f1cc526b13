from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "caseroom.cooperation"
    verbose_name = "Cooperation"

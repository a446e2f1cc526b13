from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "caseroom.backups"
    verbose_name = "Backups"

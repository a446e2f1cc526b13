from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "caseroom.library"
    verbose_name = "Library"

from django.apps import AppConfig


class JitnetworkConfig(AppConfig):
    name = "caseroom.jitnetwork"
    verbose_name = "Jitnetwork"

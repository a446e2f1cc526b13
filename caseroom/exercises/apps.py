from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "caseroom.exercises"
    verbose_name = "Exercises"

"""Load the demo: shipped scenarios, a trainer and a facilitator, and a ready exercise.

Safe to run again: what exists is kept. Prints the log-ins and the join code.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios.registry import RegistrationError, register_folder

DEMO_PASSWORD = "caseroom-demo"
USERS = [
    ("trainer", "Demo trainer (administrator)", True),
    ("facilitator", "Demo facilitator", False),
]


class Command(BaseCommand):
    help = "Load demo scenarios, users and a ready exercise (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        folder = settings.PROJECT_DIR / "scenarios"
        versions = {}
        for path in sorted(p for p in folder.iterdir() if (p / "scenario.yaml").is_file()):
            try:
                version = register_folder(path)
            except RegistrationError as error:
                self.stderr.write(f"{path}: {error}")
                continue
            versions[version.slug] = version
        User = get_user_model()
        with transaction.atomic():
            users = {}
            for username, name, admin in USERS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"first_name": name, "is_staff": True, "is_superuser": admin},
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                users[username] = user
            scenario = versions.get("vardar-corridor") or next(iter(versions.values()))
            exercise = Exercise.objects.filter(title="Demo: joint simulation").first()
            if exercise is None:
                exercise = Exercise.objects.create(
                    title="Demo: joint simulation",
                    scenario=scenario,
                    date=timezone.localdate(),
                    location="Training centre",
                    status=Exercise.Status.RUNNING,
                )
                exercise.facilitators.add(users["facilitator"])
                actions.create_teams(exercise, 2)
        self.stdout.write("")
        self.stdout.write("Caseroom demo is ready:")
        self.stdout.write("  http://127.0.0.1:8000/")
        self.stdout.write(
            f"  trainer (admin):  trainer / {DEMO_PASSWORD}   http://127.0.0.1:8000/admin/"
        )
        self.stdout.write(
            f"  facilitator:      facilitator / {DEMO_PASSWORD}   http://127.0.0.1:8000/facilitate/"
        )
        self.stdout.write(f"  participants join with the code {exercise.join_code}")
        self.stdout.write("")

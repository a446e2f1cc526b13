"""Load the demo: shipped scenarios, a trainer and a facilitator, a ready exercise, and a
finished exercise with five teams and a released debrief (see exercises.demo_play).

Safe to run again: what exists is kept. Prints the log-ins, the join codes and the
finished exercise's debrief.
"""

from __future__ import annotations

import socket
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caseroom.exercises import actions, demo_play
from caseroom.exercises.demo_play import DemoPlayError
from caseroom.exercises.models import Exercise
from caseroom.scenarios.registry import RegistrationError, register_folder

DEMO_PASSWORD = "caseroom-demo"
USERS = [
    ("trainer", "Demo trainer (administrator)", True),
    ("facilitator", "Demo facilitator", False),
]


def site_url(host: str, port: int) -> str:
    """The address to print: on all interfaces (a training room's Wi-Fi), the laptop's own
    address on the local network, found without sending anything."""
    if host in ("0.0.0.0", "::", ""):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("10.255.255.255", 1))  # UDP: picks a route, sends nothing
                host = str(probe.getsockname()[0])
        except OSError:
            host = "127.0.0.1"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Load demo scenarios, users and a ready exercise (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Where the server listens.")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        base = site_url(options["host"], options["port"])
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
        finished = None
        if demo_play.SCENARIO_SLUG in versions:
            try:
                finished, _created = demo_play.ensure_finished_exercise(
                    versions[demo_play.SCENARIO_SLUG], users["facilitator"]
                )
            except DemoPlayError as error:
                # The rest of the demo is still worth serving: report and go on.
                self.stderr.write(f"The finished demo exercise could not be played: {error}")
        self.stdout.write("")
        self.stdout.write("Caseroom demo is ready:")
        self.stdout.write(f"  {base}/")
        self.stdout.write(f"  trainer (admin):  trainer / {DEMO_PASSWORD}   {base}/admin/")
        self.stdout.write(f"  facilitator:      facilitator / {DEMO_PASSWORD}   {base}/facilitate/")
        self.stdout.write(f"  participants join with the code {exercise.join_code}")
        if finished is not None:
            debrief = reverse("debrief_exercise", args=[finished.pk])
            self.stdout.write(f"  finished exercise, debrief:  {base}{debrief}")
            self.stdout.write(
                f"  its participants see their team's released debrief with the code "
                f"{finished.join_code}"
            )
        self.stdout.write("")

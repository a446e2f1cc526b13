"""Load the demo: shipped scenarios, a trainer, a facilitator and a programme manager, a ready
exercise, a finished exercise with five teams and a released debrief (see demo/play.py), and
a demo programme that the finished exercise counts towards (see demo/programme/), the
reference library with the demo guidelines, and a regional coordination with two closed
self-assessment rounds (see demo/cooperation.py).

Safe to run again: what exists is kept. Prints the log-ins, the join codes and the
finished exercise's debrief. The demo passwords are random, made once per installation and
kept in `var/demo-logins.json`; with `--host` beyond loopback it refuses to go on while a
staff account has a well-known password (see lib/logins.py).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caseroom.demo import play as demo_play
from caseroom.demo.cooperation import load_demo_cooperation
from caseroom.demo.jitnetwork import load_demo_network
from caseroom.demo.legislation import load_demo_legislation
from caseroom.demo.play import DemoPlayError
from caseroom.demo.programme import ensure_demo_programme
from caseroom.demo.workshops import load_demo_workshop
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.lib.hosts import ALL_INTERFACES, is_loopback, routed_address
from caseroom.lib.logins import WELL_KNOWN_PASSWORDS
from caseroom.scenarios.registry import RegistrationError, register_folder

# The password of the first demo installations: replaced wherever it is still in use.
OLD_DEMO_PASSWORD = "caseroom-demo"
USERS = [
    ("trainer", "Demo trainer (administrator)", True),
    ("facilitator", "Demo facilitator", False),
    ("manager", "Demo programme manager", False),
    ("coordinator", "Demo regional coordinator", False),
]
LOGINS_FILE = "demo-logins.json"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # read off a screen, typed on a phone


def site_url(host: str, port: int) -> str:
    """The address to print: on all interfaces (a training room's Wi-Fi), the laptop's own
    address on the local network, found without sending anything."""
    if host in ALL_INTERFACES:
        host = routed_address() or "127.0.0.1"
    return f"http://{host}:{port}"


def new_password() -> str:
    """Four groups of four: about 80 bits."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


def demo_passwords(folder: Path) -> dict[str, str]:
    """This installation's demo passwords: made once, then read (owner-only file)."""
    path = folder / LOGINS_FILE
    known: dict[str, str] = {}
    if path.exists():
        known = json.loads(path.read_text(encoding="utf-8"))
        if all(username in known for username, _name, _admin in USERS):
            return known
    # A demo user added by a newer version gets a password; the others keep theirs.
    made = {username: known.get(username) or new_password() for username, _name, _admin in USERS}
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(made, handle, indent=2)
    return made


def accounts_with_known_passwords() -> list[str]:
    """Active staff accounts a stranger could log in to with a guess from WELL_KNOWN."""
    found = []
    for user in User.objects.filter(is_active=True, is_staff=True).order_by("username"):
        if any(user.check_password(p) for p in [*WELL_KNOWN_PASSWORDS, user.username]):
            found.append(user.username)
    return found


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
        model = get_user_model()
        passwords = demo_passwords(settings.VAR_DIR)
        shown: dict[str, str] = {}
        with transaction.atomic():
            users = {}
            for username, name, admin in USERS:
                user, created = model.objects.get_or_create(
                    username=username,
                    defaults={"first_name": name, "is_staff": True, "is_superuser": admin},
                )
                if created or user.check_password(OLD_DEMO_PASSWORD):
                    user.set_password(passwords[username])
                    user.save(update_fields=["password"])
                if user.check_password(passwords[username]):
                    shown[username] = passwords[username]
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
        programme, _created = ensure_demo_programme(
            users["manager"], users["facilitator"], finished
        )
        coordination = load_demo_cooperation(users["coordinator"])  # and the library's demo
        matrix = load_demo_legislation(users["coordinator"])
        workshop = load_demo_workshop(users["coordinator"])  # its recommendations: measures
        load_demo_network(users["coordinator"])
        if not is_loopback(options["host"]):
            weak = accounts_with_known_passwords()
            if weak:
                raise CommandError(
                    f"Refusing to serve on {options['host']}: anyone on the network could log "
                    f"in as {', '.join(weak)} with a well-known password. Change it with "
                    f"`.venv/bin/python manage.py changepassword NAME`, then start again."
                )
        kept = "(changed since; not shown)"
        self.stdout.write("")
        self.stdout.write("Caseroom demo is ready:")
        self.stdout.write(f"  {base}/")
        trainer, facilitator = shown.get("trainer", kept), shown.get("facilitator", kept)
        self.stdout.write(f"  trainer (admin):  trainer / {trainer}   {base}/admin/")
        self.stdout.write(f"  facilitator:      facilitator / {facilitator}   {base}/facilitate/")
        dashboard = reverse("programmes:dashboard", args=[programme.pk])
        self.stdout.write(
            f"  programme manager: manager / {shown.get('manager', kept)}   {base}{dashboard}"
        )
        gaps = reverse("cooperation:coordination", args=[coordination.pk])
        self.stdout.write(
            f"  regional coordinator: coordinator / {shown.get('coordinator', kept)}   {base}{gaps}"
        )
        legislation = reverse("legislation:heatmap", args=[matrix.pk])
        self.stdout.write(f"  JIT legislation matrix (demo data):   {base}{legislation}")
        board = reverse("workshops:manage", args=[workshop.pk])
        self.stdout.write(f"  finished regional workshop (demo data):   {base}{board}")
        network = reverse("jitnetwork:home")
        self.stdout.write(
            f"  JIT expert network (two-factor sign-in: enrol an authenticator app on the "
            f"first visit):   {base}{network}"
        )
        self.stdout.write(f"  reference library (public):   {base}{reverse('library:index')}")
        self.stdout.write(
            f"  (demo passwords of this installation, kept in {settings.VAR_DIR / LOGINS_FILE})"
        )
        self.stdout.write(f"  participants join with the code {exercise.join_code}")
        if finished is not None:
            debrief = reverse("debrief_exercise", args=[finished.pk])
            self.stdout.write(f"  finished exercise, debrief:  {base}{debrief}")
            self.stdout.write(
                f"  its participants see their team's released debrief with the code "
                f"{finished.join_code}"
            )
        self.stdout.write("")

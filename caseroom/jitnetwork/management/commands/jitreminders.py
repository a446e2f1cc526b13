"""Sends the JIT network's yearly "is your profile current?" reminders (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils import timezone

from caseroom.jitnetwork import reminders


class Command(BaseCommand):
    help = "E-mail confirmed JIT network experts whose profile was last confirmed a year ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default="http://localhost:8000", help="where members open Caseroom"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["base_url"].rstrip("/") + reverse("jitnetwork:profile")
        sent = reminders.send(timezone.now(), url)
        self.stdout.write(f"{sent} reminder(s) sent")

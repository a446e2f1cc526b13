"""`manage.py backup [--out FILE]`: a consistent copy of all data while people play."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from caseroom.backups.archive import BackupError
from caseroom.backups.backup import create_backup


class Command(BaseCommand):
    help = (
        "Back up the database, the scenario store, the library's files, the secret key and "
        "the demo log-ins into "
        "one owner-only file (default var/backups/caseroom-YYYYMMDD-HHMMSS.zip). Safe while "
        "people play."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="The file to write (must not exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = create_backup(options["out"])
        except BackupError as error:
            raise CommandError(error.message) from None
        counts = done.manifest.counts
        self.stdout.write(
            f"Backup written to {done.path} ({filesizeformat(done.size)}) in "
            f"{done.seconds:.1f} s: {counts['exercises']} exercise(s), {counts['teams']} "
            f"team(s), {counts['team_events']} event(s), {counts['participants']} "
            f"participant(s), {counts['messages']} message(s); {done.manifest.describe_files()}."
        )
        if not done.manifest.secret_key:
            self.stdout.write(
                "The secret key comes from the environment (SECRET_KEY) and is not in the "
                "backup: keep it with the backup, or everyone must log in again after a restore."
            )

"""`manage.py restore FILE [--force]`: a backup back into the configured database and data
folder, checked in full before anything is touched, then migrated and checked for soundness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from caseroom.backups.archive import BackupError
from caseroom.backups.restore import VENDOR_NAMES, describe, restore, verify


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and data "
        "folder. Refuses a database that already holds exercises unless --force. On SQLite, "
        "stop the server first: the database file is replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup (.zip) to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds exercises (everything in it is lost).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check that the file is complete and intact; touch nothing.",
        )
        parser.add_argument(
            "--quick", action="store_true", help="Skip replaying every team's log at the end."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            try:
                manifest = verify(options["file"])
            except BackupError as error:
                raise CommandError(error.message) from None
            self.stdout.write(
                f"The backup is complete and intact: {len(manifest.members)} file(s), made at "
                f"{manifest.created_at} on {VENDOR_NAMES[manifest.vendor]}, "
                f"{describe(manifest.counts)}; {manifest.describe_files()}."
            )
            return
        if connections["default"].vendor == "sqlite":
            self.stdout.write(
                "SQLite: the server must not be running while a restore replaces its database."
            )
        try:
            report = restore(
                options["file"],
                force=options["force"],
                replay=not options["quick"],
                say=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Restored the backup made at {report.manifest.created_at}: {describe(report.counts)}; "
            f"{report.library_files:,} library file(s)."
        )
        if report.index is not None:
            self.stdout.write(
                f"Rebuilt the library's search index: {report.index.passages:,} passage(s) of "
                f"{report.index.documents:,} document(s) in {report.index.seconds:.1f} s."
            )
        if report.orphans:
            self.stdout.write(
                f"{report.orphans:,} file(s) in the library store belong to no document of the "
                "restored database; they were left in place (manage.py checkdata lists them)."
            )
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")
        for problem in report.problems:
            self.stdout.write(str(problem))
        if report.problems:
            raise CommandError(
                f"The restored data has {len(report.problems)} problem(s), listed above. "
                "Try an earlier backup, or keep this copy aside and ask for help."
            )
        if connections["default"].vendor == "sqlite":
            self.stdout.write("The restored database is sound. Start the server.")
        else:
            self.stdout.write(
                "The restored database is sound. Restart the server now: its processes still "
                "hold what they cached of the data before the restore."
            )

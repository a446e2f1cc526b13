"""`manage.py checkdata`: is this database sound? Exit status 1 and every problem if not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseroom.backups.integrity import check_database


class Command(BaseCommand):
    help = (
        "Check the database: SQLite's own integrity, each team's event count against its "
        "log, gaps in the log, and each stored summary against a replay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quick", action="store_true", help="Skip replaying every team's log.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = check_database(replay=not options["quick"])
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) found. Restore the latest backup "
                "(manage.py restore FILE) or keep this copy aside and ask for help."
            )
        self.stdout.write("The database is sound.")

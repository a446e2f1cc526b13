"""`manage.py checkdata`: is this database sound? Exit status 1 and every problem if not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseroom.backups.integrity import check_database, library_orphans
from caseroom.library import store

# Orphaned library files named one by one up to this many; the rest are counted.
ORPHANS_NAMED = 20


class Command(BaseCommand):
    help = (
        "Check the database: SQLite's own integrity, each team's event count against its "
        "log, gaps in the log, each stored summary against a replay, and the library's "
        "files (missing or altered; files no document names are listed, never deleted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Skip replaying every team's log and hashing every library file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = check_database(replay=not options["quick"])
        for problem in problems:
            self.stdout.write(str(problem))
        self._orphans()
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) found. Restore the latest backup "
                "(manage.py restore FILE) or keep this copy aside and ask for help."
            )
        self.stdout.write("The database is sound.")

    def _orphans(self) -> None:
        """Not a problem (nothing is lost), but space taken and worth knowing about."""
        orphans = library_orphans()
        if not orphans:
            return
        root = store.root()
        self.stdout.write(
            f"{len(orphans):,} file(s) in the library store {root} belong to no document "
            "version (left in place; delete them by hand if they are not needed):"
        )
        for path in orphans[:ORPHANS_NAMED]:
            self.stdout.write(f"  {path.relative_to(root).as_posix()}")
        if len(orphans) > ORPHANS_NAMED:
            self.stdout.write(f"  … and {len(orphans) - ORPHANS_NAMED:,} more")

"""`manage.py reindex_library`: rebuild the library's search index from its documents.

Needed after a restore that copied the tables but not SQLite's FTS5 table (it is not a
Django model), or after the indexing rules change; safe to run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from caseroom.library.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the library's full-text search index."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            passages = reindex_all()
        self.stdout.write(f"{passages} passages indexed.")

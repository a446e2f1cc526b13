"""The library in a backup: its uploaded files carried and put back, and the search index
rebuilt after a restore (integrity.py checks both).

Uploaded files live under LIBRARY_STORE named by their digest (caseroom/library/store.py);
a backup carries them relative to it, as it carries the scenario store, so the restored
installation may keep them elsewhere. The search index (Passage rows, SQLite's FTS5 table,
PostgreSQL's generated column) is derived from the documents: SQLite's backup API and
pg_dump both copy it, and a restore rebuilds it anyway (`rebuild_search_index`, what
`manage.py reindex_library` does), since a backup made under older indexing rules, or
copied some other way, would otherwise answer searches from a stale index.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, transaction

from caseroom.engine.yamlsource import walk_files
from caseroom.library import store
from caseroom.library.index import reindex_all
from caseroom.library.models import Document

from .archive import LIBRARY_PREFIX, BackupError
from .databases import fsync_directory
from .integrity import Problem

__all__ = [
    "IndexRebuild",
    "library_files",
    "library_target",
    "put_library_files",
    "rebuild_search_index",
]


@dataclass(frozen=True)
class IndexRebuild:
    documents: int
    passages: int
    seconds: float


def library_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file of the library store, named LIBRARY_PREFIX + its path relative
    to `root`. Hidden names are left out (an upload's temporary `.upload-…` file, a killed
    restore's staging folder), and so are symbolic links: the store never makes either."""
    if not root.is_dir():
        return
    for path in walk_files(root, hidden=False):
        if path.is_symlink() or not path.is_file():
            continue
        yield LIBRARY_PREFIX + path.relative_to(root).as_posix(), path


def library_target(name: str) -> Path:
    """Where the library member `name` goes in this installation's store. check_name has
    refused "..", "." and empty parts already; this also refuses a name that a linked
    folder inside the store would lead outside it."""
    try:
        return store.path_of(name[len(LIBRARY_PREFIX) :])
    except ValueError:
        raise BackupError(
            "member_name",
            f"The backup's member {name!r} would land outside the library store {store.root()}.",
        ) from None


def put_library_files(staged: Path, root: Path) -> int:
    """Move each staged file (checked against the manifest already) to its place in the
    store, in one rename each; returns how many. Names are digests, so a file already
    there is the same file, and replacing it costs a rename; files the backup does not
    have are left in place (`library_orphans` lists them)."""
    moved = 0
    folders: set[Path] = set()
    for path in walk_files(staged):
        target = library_target(LIBRARY_PREFIX + path.relative_to(staged).as_posix())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        folders.add(target.parent)
        moved += 1
    for folder in sorted(folders):
        fsync_directory(folder)
    if moved:
        fsync_directory(root)
    return moved


def rebuild_search_index() -> tuple[IndexRebuild | None, list[Problem]]:
    """The library's search index rebuilt from its documents in one transaction, or None
    and the problem that stopped it. SQLite's backup API and pg_dump copy the index with
    the tables; a restore rebuilds it all the same (the demo library in 0.01 s, 10,000
    documents in about 8 s on SQLite), so that a backup made under older indexing rules,
    or an index copied some other way, never answers searches stale."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            passages = reindex_all()
            documents = Document.objects.count()
    except DatabaseError as error:
        why = f"the search index could not be rebuilt ({error}): run manage.py reindex_library"
        return None, [Problem("library", why)]
    return IndexRebuild(documents, passages, time.perf_counter() - started), []

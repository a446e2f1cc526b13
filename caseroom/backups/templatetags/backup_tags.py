"""The latest backups in var/backups, for the console's backup section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django import template
from django.utils import timezone

from caseroom.backups.backup import backups_folder

register = template.Library()

SHOWN = 3


@dataclass(frozen=True)
class BackupFile:
    name: str
    size: int
    made: dt.datetime


@dataclass(frozen=True)
class Backups:
    folder: Path
    files: list[BackupFile]


@register.simple_tag
def recent_backups() -> Backups:
    """The newest finished backups (work files of a backup in progress are hidden)."""
    folder = backups_folder()
    found = []
    try:
        for entry in folder.iterdir():
            if entry.name.endswith(".zip") and not entry.name.startswith("."):
                stat = entry.stat()
                made = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
                found.append(BackupFile(entry.name, stat.st_size, timezone.localtime(made)))
    except OSError:  # no backups yet, or one deleted meanwhile
        pass
    found.sort(key=lambda file: file.made, reverse=True)
    return Backups(folder, found[:SHOWN])

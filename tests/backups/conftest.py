"""Fixtures of the backup and restore tests (the exercise and its people are the shared ones
of tests/conftest.py).

A data folder of the test's own (backups never land in var/); a fresh database to restore
into (a new SQLite file, or a scratch PostgreSQL database created and dropped here, never
the test database pytest-django uses).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests import leftovers
from tests.backups.support import Target


@pytest.fixture
def data_folder(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """VAR_DIR, SCENARIO_STORE and LIBRARY_STORE of this test, with a secret key file as
    settings.py makes one; SECRET_KEY is not in the environment (the laptop's case)."""
    var = tmp_path / "var"
    var.mkdir()
    settings.VAR_DIR = var
    settings.SCENARIO_STORE = var / "scenarios"
    settings.LIBRARY_STORE = var / "library"
    (var / "secret_key").write_text(django_settings.SECRET_KEY, encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return var


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Target]:
    """A fresh installation of the same vendor as the tests' database, with its own folder."""
    var = tmp_path / "restored-var"
    if connection.vendor == "sqlite":
        database = tmp_path / "restored-db" / "caseroom.sqlite3"
        database.parent.mkdir()
        yield Target(var, {"SQLITE_PATH": str(database), "CASEROOM_VAR_DIR": str(var)}, database)
        return
    server = os.environ["DATABASE_URL"]
    name = leftovers.database_name(f"restore_{uuid.uuid4().hex[:8]}")
    url = leftovers.create_database(server, name)
    try:
        yield Target(var, {"DATABASE_URL": url, "CASEROOM_VAR_DIR": str(var)}, url=url)
    finally:
        leftovers.drop_database(server, name)

"""Running one benchmark's measurement on SQLite and on PostgreSQL, each in a process of its own.

The library, programmes and cooperation benchmarks measure the same way: the parent starts
the script again with `--measure <backend> --out <file>` in a fresh process (Django set up
for that database), on a temporary SQLite file always, and on a PostgreSQL database created
for the run and dropped after it when DATABASE_URL or TEST_DATABASE_URL names a server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql.encode())  # names are generated here, not user input


def _child(
    script: Path,
    backend: str,
    work: Path,
    env_db: dict[str, str],
    child_args: Sequence[str],
    drop_redis: bool,
) -> dict[str, Any]:
    out = work / f"{backend}.json"
    dropped = {"DATABASE_URL", "TEST_DATABASE_URL", "SQLITE_PATH"}
    if drop_redis:
        dropped.add("REDIS_URL")  # the child's cache is then its own memory
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_db)
    env["DJANGO_SETTINGS_MODULE"] = "caseroom.settings"
    env["CASEROOM_VAR_DIR"] = str(work / f"var-{backend}")
    env["LOG_LEVEL"] = "ERROR"
    command = [sys.executable, str(script), "--measure", backend, "--out", str(out)]
    subprocess.run([*command, *child_args], env=env, cwd=ROOT, check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def measure_on_each_backend(
    script: Path,
    name: str,
    child_args: Sequence[str],
    *,
    skip_pg: bool = False,
    require_pg: bool = False,
    drop_redis: bool = False,
) -> dict[str, dict[str, Any]]:
    """{"sqlite": figures, "postgresql": figures or {"skipped": why}} from `script`'s children."""
    work = Path(tempfile.mkdtemp(prefix=f"caseroom-{name}-bench-"))
    databases: dict[str, dict[str, Any]] = {}
    server_url = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    try:
        print("measuring on SQLite …", file=sys.stderr, flush=True)
        sqlite = {"SQLITE_PATH": str(work / "bench.sqlite3")}
        databases["sqlite"] = _child(script, "sqlite", work, sqlite, child_args, drop_redis)
        if server_url.startswith("postgres") and not skip_pg:
            server = server_url.rsplit("/", 1)[0]
            database = f"caseroom_{name}_bench_{uuid.uuid4().hex[:10]}"
            print(f"measuring on PostgreSQL ({database}) …", file=sys.stderr, flush=True)
            _admin(server, f"CREATE DATABASE {database}")
            try:
                postgres = {"DATABASE_URL": f"{server}/{database}"}
                databases["postgresql"] = _child(
                    script, "postgresql", work, postgres, child_args, drop_redis
                )
            finally:
                _admin(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        elif require_pg:
            raise SystemExit("PostgreSQL is required: set DATABASE_URL to its server")
        else:
            databases["postgresql"] = {"skipped": "no PostgreSQL DATABASE_URL (or --skip-pg)"}
    finally:
        for path in sorted(work.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        work.rmdir()
    return databases

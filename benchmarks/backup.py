"""Backup at scale: `manage.py backup` of the 10,000-team debrief data set, against a baseline.

Plays N team sessions of the demo case with benchmarks/debrief.py's generator (seeded, the
same data set as the debrief benchmark), stores them as the app does in a fresh SQLite file
and, when DATABASE_URL is set, in a fresh database on its PostgreSQL server; then times on
each, alternating runs, best of `--repeat`:

- the baseline: on SQLite a plain copy of the database file (what a backup cannot do less
  than: read every page once and write it); on PostgreSQL `pg_dump --format=custom` of the
  same database to a file;
- the backup: `create_backup()` as `manage.py backup` and the console's button call it
  (a consistent copy, the scenario store, zip, SHA-256 of every member);
- `restore --check` of the backup once (reads and hashes every member: the part of a
  restore that comes before anything is touched);
- on SQLite once more at zlib's default level 6, for the choice of level 1.

    python benchmarks/backup.py [--teams 10000] [--repeat 3] [--cache FILE] [--skip-pg]
                                [--require-pg]

Playing 10,000 teams takes most of the run (about 4 minutes on 2 idle cores): `--cache FILE`
keeps the played logs in FILE (JSON lines) and reads them from there next time.

The last line is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.debrief import generate  # noqa: E402  (after the path is set)

SCENARIO = "vardar-corridor"
COMPARED_LEVEL = 6


def _note(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- one database (child)


def store(data: Path) -> tuple[int, int, float]:
    """The played logs as Exercise → Team → TeamEvent rows, as benchmarks/debrief.py stores
    them; (teams, events, seconds)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from caseroom.exercises.models import Exercise, Team, TeamEvent
    from caseroom.scenarios.registry import register_folder

    call_command("migrate", verbosity=0)
    version = register_folder(ROOT / "scenarios" / SCENARIO, explore=False)
    exercise = Exercise.objects.create(
        title="Backup benchmark", scenario=version, status=Exercise.Status.ENDED
    )
    logs: list[list[dict[str, Any]]] = [
        json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()
    ]
    started = time.perf_counter()
    with transaction.atomic():
        teams = Team.objects.bulk_create(
            [
                Team(exercise=exercise, name=f"Team {n + 1:05d}", event_count=len(log))
                for n, log in enumerate(logs)
            ],
            batch_size=5000,
        )
    rows: list[TeamEvent] = []
    events = 0
    for team, log in zip(teams, logs, strict=True):
        rows += [TeamEvent(team=team, seq=seq, payload=p, key=None) for seq, p in enumerate(log)]
        if len(rows) >= 50_000 or team is teams[-1]:
            with transaction.atomic():
                TeamEvent.objects.bulk_create(rows, batch_size=5000)
            events += len(rows)
            rows.clear()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(teams), events, time.perf_counter() - started


def baseline(work: Path) -> tuple[Path, float]:
    """The least a copy of this database costs, measured the same way as the backup."""
    from django.db import connection

    from caseroom.backups.databases import Postgres, pg_tool

    target = work / f"baseline-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        shutil.copyfile(connection.settings_dict["NAME"], target)
        with open(target, "rb+") as copy:
            os.fsync(copy.fileno())  # the backup syncs its file too
    else:
        database = Postgres.from_settings(connection.settings_dict)
        command = [pg_tool("pg_dump"), "--format=custom", "--file", str(target)]
        subprocess.run(
            [*command, "--dbname", database.conninfo], env=database.environment(), check=True
        )
    return target, time.perf_counter() - started


def measure(backend: str, data: Path, work: Path, repeat: int) -> dict[str, Any]:
    """Runs in a child process whose environment selects the database (see `run_child`)."""
    import django

    django.setup()
    from django.db import connection

    from caseroom.backups.backup import create_backup
    from caseroom.backups.restore import verify

    teams, events, insert_s = store(data)
    _note(f"{backend}: {teams:,} teams, {events:,} events stored in {insert_s:.0f} s")
    if connection.vendor == "sqlite":
        database_bytes = Path(connection.settings_dict["NAME"]).stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            database_bytes = int(cursor.fetchone()[0])
    connection.close()

    baseline_runs: list[float] = []
    backup_runs: list[float] = []
    baseline_bytes = backup_bytes = 0
    last: Path | None = None
    for run in range(repeat):
        copy, seconds = baseline(work)
        baseline_runs.append(seconds)
        baseline_bytes = copy.stat().st_size
        copy.unlink()
        if last is not None:
            last.unlink()
        done = create_backup(work / f"backup-{run}.zip")
        backup_runs.append(done.seconds)
        backup_bytes, last = done.size, done.path
        _note(f"{backend}: run {run + 1}: baseline {seconds:.2f} s, backup {done.seconds:.2f} s")
    assert last is not None
    started = time.perf_counter()
    manifest = verify(last)
    verify_s = time.perf_counter() - started
    assert manifest.counts["team_events"] == events
    figures: dict[str, Any] = {
        "vendor": connection.vendor,
        "teams": teams,
        "events": events,
        "insert_s": round(insert_s, 1),
        "database_bytes": database_bytes,
        "baseline": "file copy" if connection.vendor == "sqlite" else "pg_dump --format=custom",
        "baseline_s": round(min(baseline_runs), 3),
        "baseline_runs_s": [round(r, 3) for r in baseline_runs],
        "baseline_bytes": baseline_bytes,
        "backup_s": round(min(backup_runs), 3),
        "backup_runs_s": [round(r, 3) for r in backup_runs],
        "backup_bytes": backup_bytes,
        "ratio": round(min(backup_runs) / min(baseline_runs), 2),
        "verify_s": round(verify_s, 3),
        "members": len(manifest.members),
    }
    last.unlink()
    if connection.vendor == "sqlite":
        done = create_backup(work / "backup-level.zip", compresslevel=COMPARED_LEVEL)
        figures[f"backup_level{COMPARED_LEVEL}_s"] = round(done.seconds, 3)
        figures[f"backup_level{COMPARED_LEVEL}_bytes"] = done.size
        done.path.unlink()
    return figures


# ---------------------------------------------------------------- the parent process


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql.encode())  # names are generated here, not user input


def run_child(
    backend: str, data: Path, work: Path, env_db: dict[str, str], repeat: int
) -> dict[str, Any]:
    out = work / f"{backend}.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(env_db)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "caseroom.settings",
            "CASEROOM_VAR_DIR": str(work / f"var-{backend}"),
            "LOG_LEVEL": "ERROR",
        }
    )
    command = [sys.executable, __file__, "--measure", backend, "--data", str(data)]
    command += ["--out", str(out), "--repeat", str(repeat)]
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def main(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="caseroom-backup-bench-"))
    data = work / "logs.jsonl"
    started = time.perf_counter()
    if args.cache is not None and args.cache.is_file():
        print(f"reading the played logs from {args.cache} …", file=sys.stderr, flush=True)
        shutil.copyfile(args.cache, data)
    else:
        print(f"generating {args.teams:,} team sessions …", file=sys.stderr, flush=True)
        played = generate(ROOT / "scenarios" / SCENARIO, args.teams, args.seed, args.processes)
        data.write_text("".join(json.dumps(log) + "\n" for log, _ in played), encoding="utf-8")
        del played
        if args.cache is not None:
            shutil.copyfile(data, args.cache)
    generation_s = time.perf_counter() - started
    databases: dict[str, dict[str, Any]] = {}
    server_url = os.environ.get("DATABASE_URL", "")
    try:
        print("measuring on SQLite …", file=sys.stderr, flush=True)
        databases["sqlite"] = run_child(
            "sqlite", data, work, {"SQLITE_PATH": str(work / "bench.sqlite3")}, args.repeat
        )
        if server_url.startswith("postgres") and not args.skip_pg:
            server = server_url.rsplit("/", 1)[0]
            name = f"caseroom_backup_bench_{uuid.uuid4().hex[:10]}"
            print(f"measuring on PostgreSQL ({name}) …", file=sys.stderr, flush=True)
            _admin(server, f"CREATE DATABASE {name}")
            try:
                databases["postgresql"] = run_child(
                    "postgresql", data, work, {"DATABASE_URL": f"{server}/{name}"}, args.repeat
                )
            finally:
                _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        elif args.require_pg:
            raise SystemExit("PostgreSQL is required: set DATABASE_URL to its server")
        else:
            databases["postgresql"] = {"skipped": "DATABASE_URL is not set (or --skip-pg)"}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(args, generation_s, databases)


def report(
    args: argparse.Namespace, generation_s: float, databases: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    print()
    for name, db in databases.items():
        if "skipped" in db:
            print(f"{name}: skipped ({db['skipped']})")
            continue
        mb = 1e6
        print(
            f"{name}: {db['teams']:,} teams, {db['events']:,} events, database "
            f"{db['database_bytes'] / mb:,.0f} MB\n"
            f"  baseline ({db['baseline']}): {db['baseline_s']:.2f} s, "
            f"{db['baseline_bytes'] / mb:,.1f} MB\n"
            f"  backup: {db['backup_s']:.2f} s, {db['backup_bytes'] / mb:,.1f} MB "
            f"= {db['ratio']:.2f} × the baseline\n"
            f"  restore --check of the backup: {db['verify_s']:.2f} s"
        )
        level = f"backup_level{COMPARED_LEVEL}"
        if f"{level}_s" in db:
            print(
                f"  at zlib level {COMPARED_LEVEL} instead: {db[f'{level}_s']:.2f} s, "
                f"{db[f'{level}_bytes'] / mb:,.1f} MB"
            )
    print(
        f"best of {args.repeat} runs each (alternating); the machine may be shared "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs now)."
    )
    figures = {
        "scenario": SCENARIO,
        "seed": args.seed,
        "teams": args.teams,
        "generation_s": round(generation_s, 1),
        "repeat": args.repeat,
        "databases": databases,
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(figures))
    return figures


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of baseline and backup.")
    parser.add_argument("--seed", type=int, default=5, help="As benchmarks/debrief.py's.")
    parser.add_argument("--processes", type=int, default=2, help="For generating the play.")
    parser.add_argument(
        "--cache", type=Path, help="Keep the played logs here; read them if there already."
    )
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--require-pg", action="store_true")
    # Internal: one database, measured in a child process configured by its environment.
    parser.add_argument("--measure", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    options = parse()
    if options.measure:
        work = options.out.parent
        found = measure(options.measure, options.data, work, options.repeat)
        options.out.write_text(json.dumps(found), encoding="utf-8")
    else:
        main(options)

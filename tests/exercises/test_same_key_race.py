"""Two requests with one idempotency key at the same moment (a double click, a client retrying
after its own time-out) store one event, and the second gets the first one's answer.

Deterministic: a third connection holds the team's row lock while both commands queue behind
it; only when both are seen waiting is the lock released. On PostgreSQL "waiting" is read
from pg_stat_activity; SQLite shows no waiters (its write lock is taken by BEGIN IMMEDIATE
inside the sqlite3 module), so there the lock is released once both threads are on their way:
SQLite serialises whole transactions, which is why it never had this race.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import close_old_connections, connection, connections

from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Team, TeamEvent

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_LIMIT = 20.0  # seconds; the test fails rather than hangs if the commands never queue


@contextmanager
def row_lock_held(team: Team) -> Iterator[None]:
    """A connection of its own holds the team's row (PostgreSQL) or the write lock (SQLite)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        dsn = {
            # The database Django's connection really uses (its pool may predate the
            # test database's name in settings).
            "dbname": connection.connection.info.dbname,
            "user": settings["USER"],
            "password": settings["PASSWORD"],
            "host": settings["HOST"],
            "port": settings["PORT"],
        }
        with psycopg.connect(**{k: v for k, v in dsn.items() if v}) as holder:
            holder.execute("SELECT 1 FROM exercises_team WHERE id = %s FOR UPDATE", [team.pk])
            yield
            holder.commit()
    else:
        holder = sqlite3.connect(settings["NAME"], timeout=WAIT_LIMIT)
        try:
            holder.execute("BEGIN IMMEDIATE")
            yield
            holder.commit()
        finally:
            holder.close()


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return int(cursor.fetchone()[0])


def until(condition: Callable[[], bool]) -> None:
    """Poll a condition the threads make true; fail loudly instead of hanging."""
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        assert time.monotonic() < deadline, "the two commands never queued behind the lock"
        time.sleep(0.01)


def test_two_requests_with_one_key_store_one_event_and_share_the_answer(
    team: Team, ana: Any
) -> None:
    event = Event("act", role="police-rs", ref="arrest-all", actor="Ana", key="double-click")
    outcomes: list[actions.Outcome] = []
    errors: list[BaseException] = []
    started = threading.Semaphore(0)

    def submit() -> None:
        started.release()
        try:
            outcomes.append(actions.command(team, event, participant=ana))
        except BaseException as error:  # reported below, with the thread's traceback
            errors.append(error)
        finally:
            close_old_connections()
            connections.close_all()

    with row_lock_held(team):
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        if connection.vendor == "postgresql":
            until(lambda: waiting_on_a_lock() >= 2)
        else:
            for _ in threads:
                assert started.acquire(timeout=WAIT_LIMIT)
    for thread in threads:
        thread.join(WAIT_LIMIT)
        assert not thread.is_alive()

    assert errors == []
    assert TeamEvent.objects.filter(team=team, key="double-click").count() == 1
    assert sorted(o.repeated for o in outcomes) == [False, True]
    assert outcomes[0].seq == outcomes[1].seq == 0
    team.refresh_from_db()
    assert team.event_count == 1

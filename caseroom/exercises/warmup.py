"""What a server process loads once at start, so that the first people do not wait for it.

Measured (benchmarks/load.py): without it, the first command of each process loaded the
scenario (~0.4 s) while every other request of that process queued behind the lock, and
most of a run's slowest actions fell in its first seconds.
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connections
from django.template.loader import get_template

from caseroom.engine import expert_choices
from caseroom.scenarios.registry import RegistrationError, load

from .models import Exercise

__all__ = ["warm_up"]

log = logging.getLogger(__name__)

TEMPLATES = (
    "exercises/play.html",
    "exercises/play/_scene.html",
    "exercises/play/_status.html",
    "exercises/play/_feed.html",
    "exercises/play/_docs.html",
    "exercises/play/_chat.html",
)


def warm_up() -> list[str]:
    """Load the scenarios of the exercises that are not over (with their expert paths)
    and compile the participant page's templates; returns the scenarios loaded.

    Runs in a thread of its own: an ASGI server imports the application inside its
    event loop, where Django refuses database queries. Never fails: a process that
    cannot warm up (no database yet, a scenario altered on disk) still starts, and
    pays the cost on first use as before.
    """
    loaded: list[str] = []
    worker = threading.Thread(target=_load, args=(loaded,), name="caseroom-warm-up")
    worker.start()
    worker.join()
    return loaded


def _load(loaded: list[str]) -> None:
    try:
        versions = {
            exercise.scenario_id: exercise.scenario
            for exercise in Exercise.objects.exclude(status=Exercise.Status.ENDED).select_related(
                "scenario"
            )
        }
        for version in versions.values():
            try:
                scenario = load(version)
            except RegistrationError as error:
                log.warning("Scenario %s not loaded at start: %s", version, error)
                continue
            expert_choices(scenario)
            loaded.append(f"{scenario.id} {scenario.version}")
    except (DatabaseError, RuntimeError) as error:  # RuntimeError: database access refused
        log.warning("No warm-up (database not ready): %s", error)
    finally:
        connections.close_all()  # this thread serves no request: give its connection back
    for name in TEMPLATES:
        get_template(name)

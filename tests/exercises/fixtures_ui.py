"""Fixtures of the participant and facilitator page tests (imported by those modules).

Fixture names start with `ui_` so they never shadow the shared ones in conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.exercises import actions, sessions
from caseroom.exercises.access import SESSION_KEY
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion

ROOT = Path(__file__).resolve().parents[2]
NIGHT = ROOT / "scenarios" / "night-crossing"
MINI = ROOT / "tests" / "engine" / "scenarios" / "mini"
BORDER, PROSECUTOR, PROTECTION, POLICE_RS = (
    "border-police-mk",
    "prosecutor-mk",
    "protection-worker-mk",
    "police-rs",
)


@pytest.fixture(scope="session")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


@pytest.fixture(autouse=True)
def ui_fresh_caches(settings: Any, ui_store: Path) -> Iterator[None]:
    """Rolled-back tests reuse primary keys: clear the caches keyed by them."""
    settings.SCENARIO_STORE = ui_store
    sessions._sessions.clear()
    registry._cache.clear()
    yield
    sessions._sessions.clear()
    registry._cache.clear()


_registered: dict[Path, dict[str, Any]] = {}


def registered(folder: Path) -> ScenarioVersion:
    """The folder registered; checked once per test session, then its row is copied."""
    fields = _registered.get(folder)
    if fields is not None and ScenarioVersion(path=fields["path"]).folder.is_dir():
        return ScenarioVersion.objects.create(**fields)
    version = registry.register_folder(folder, explore=False)
    _registered[folder] = {
        f.attname: getattr(version, f.attname)
        for f in ScenarioVersion._meta.concrete_fields
        if f.attname not in ("id", "registered_at")
    }
    return version


@pytest.fixture
def ui_night(db: None) -> ScenarioVersion:
    return registered(NIGHT)


@pytest.fixture
def ui_facilitator(db: None) -> User:
    return User.objects.create_user("fay", password="pw-fay-123", is_staff=True)


@pytest.fixture
def ui_outsider(db: None) -> User:
    return User.objects.create_user("otto", password="pw-otto-123", is_staff=True)


@pytest.fixture
def ui_exercise(ui_night: ScenarioVersion, ui_facilitator: User) -> Exercise:
    exercise = Exercise.objects.create(
        title="Skopje workshop",
        scenario=ui_night,
        status=Exercise.Status.RUNNING,
        location="Skopje",
    )
    exercise.facilitators.add(ui_facilitator)
    actions.create_teams(exercise, 2)
    return exercise


def teams(exercise: Exercise) -> list[Team]:
    return list(exercise.teams.order_by("name"))


def player(
    exercise: Exercise, name: str, roles: list[str], team: Team | None = None
) -> tuple[Client, Participant]:
    """A browser that has joined the exercise as `name` holding `roles`."""
    client = Client()
    participant = actions.join(
        exercise,
        name=name,
        agency="police",
        country="MK",
        roles=roles,
        team=team if team is not None else teams(exercise)[0],
    )
    session = client.session
    session[SESSION_KEY] = {str(exercise.pk): participant.pk}
    session.save()
    return client, participant


def facilitator_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ui_mini(db: None) -> ScenarioVersion:
    return registered(MINI)


@pytest.fixture
def ui_mini_exercise(ui_mini: ScenarioVersion, ui_facilitator: User) -> Exercise:
    exercise = Exercise.objects.create(
        title="Mini workshop", scenario=ui_mini, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(ui_facilitator)
    actions.create_teams(exercise, 2)
    return exercise


def htmx(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    """A request as HTMX sends it (POST when data is given)."""
    if data is None:
        return client.get(url, headers={"HX-Request": "true"})
    return client.post(url, data, headers={"HX-Request": "true"})

"""Fixtures of the whole suite: the run's housekeeping, the named users, and the small
running exercise that the exercise, debrief and backup tests share.

Named users, as healthchecks' alice, bob and charlie: `facilitator` (named on every exercise
a fixture makes), `co_facilitator` (a second facilitator, named by the test that needs one),
`trainer` (staff who may create exercises, not on this one), `outsider` (logged in, no staff
flag, on no exercise) and `admin` (a superuser: sees every exercise); each with a
`<name>_client` logged in. Exercise-page fixtures of their own are in tests/exercises/conftest.py,
plain helpers (`player`, `htmx`, role constants) in tests/exercises/support.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from caseroom.engine import Scenario, load_scenario
from caseroom.exercises import actions, live, sessions
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "engine" / "scenarios" / "mini"
NIGHT = ROOT / "scenarios" / "night-crossing"
SHIPPED = sorted(p for p in (ROOT / "scenarios").iterdir() if (p / "scenario.yaml").is_file())


@pytest.fixture(autouse=True)
def _no_language_left_active() -> Iterator[None]:
    """LocaleMiddleware leaves a request's language active in the thread; the next test
    (pytest-django runs database tests first) must start in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _throttles_of_this_test_only(settings: Any) -> None:
    """Throttle counters live in the cache, keyed by address (127.0.0.1 for every test): a
    prefix of the test's own keeps one test's failures from throttling the next, on Redis
    too, without clearing what others keep there (the keys expire with their window)."""
    settings.RATELIMIT_CACHE_PREFIX = f"caseroom-rl-test-{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 costs ~100 ms per user created or logged in; tests prove rules, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_in_the_database_when_queries_are_counted(
    request: pytest.FixtureRequest, settings: Any
) -> None:
    """A test that counts queries counts the session's too: with Redis (the PostgreSQL pass)
    sessions are read from the cache (cached_db) and a page makes one query fewer. Counted
    tests read sessions from the database on every pass, so one number holds for both.
    Autouse fixtures come first, so the clients made after this use that engine."""
    if "django_assert_num_queries" in request.fixturenames:
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(scope="session")
def mini() -> Scenario:
    """A three-scene scenario that uses every feature of the format."""
    return load_scenario(MINI)


@pytest.fixture(scope="session")
def night() -> Scenario:
    """The short shipped scenario."""
    return load_scenario(ROOT / "scenarios" / "night-crossing")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL, a test database named after the run: pytest-django's fixed
    `test_<NAME>` made two runs against one server drop each other's database."""
    from django.conf import settings

    from tests.leftovers import RUN

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.postgresql":
            test = database.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{RUN}"


@pytest.fixture(scope="session", autouse=True)
def _the_run_leaves_nothing_behind() -> Iterator[None]:
    """Every process the run started has ended at the end, and no database named after the
    run is left; its Redis keys, under a prefix of its own, are deleted. In CI (CI=true,
    where nothing else uses the servers) also no database or Redis key that appeared during
    the run may be left. What carries the run's name is removed too, so that the next run
    starts clean; anything else is only reported (it may be a concurrent run's).
    """
    import os

    from django.conf import settings
    from django.test.utils import override_settings

    from tests import leftovers  # marks this process's environment: see RUN_VAR there

    database_url = os.environ.get("DATABASE_URL", "")
    database_url = database_url if database_url.startswith("postgres") else ""
    redis_url = os.environ.get("REDIS_URL", "")
    everything = os.environ.get("CI") == "true"
    databases_before = leftovers.databases(database_url) if database_url else set()
    keys_before = leftovers.redis_keys(redis_url) if redis_url and everything else set()

    # With Redis, the run's cache keys (sessions, throttle counters) under its own prefix,
    # so that they can be deleted at the end without touching anyone else's.
    caches: dict[str, dict[str, Any]] = settings.CACHES
    if str(caches.get("default", {}).get("BACKEND", "")).endswith("RedisCache"):
        prefixed = {**caches["default"], "KEY_PREFIX": leftovers.CACHE_PREFIX}
        caches = {**caches, "default": prefixed}
    with override_settings(CACHES=caches):
        yield
    found = leftovers.left_behind(
        database_url, redis_url, databases_before, keys_before if everything else None
    )
    if found:
        listed = "\n  ".join(str(leftover) for leftover in found)
        pytest.fail(f"the run left behind:\n  {listed}", pytrace=False)


# ---------------------------------------------------------------- scenario store and caches


@pytest.fixture(scope="session", autouse=True)
def _scenario_store_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Scenarios registered by the run go to a store of its own, never to var/scenarios; a
    test that needs an empty or a moved store sets SCENARIO_STORE itself."""
    from django.test.utils import override_settings

    store = tmp_path_factory.mktemp("store")
    with override_settings(SCENARIO_STORE=store):
        yield store


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Rolled-back tests reuse primary keys: clear the caches keyed by them (the teams'
    sessions and the loaded scenarios)."""
    sessions._sessions.clear()
    registry._cache.clear()
    yield
    sessions._sessions.clear()
    registry._cache.clear()


_registered: dict[Path, dict[str, Any]] = {}


def registered(folder: Path) -> ScenarioVersion:
    """The folder registered (without the slow exploration): checked and stored once per
    test session (again if a test's store lacks it), then its row is copied."""
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
def mini_version(db: None) -> ScenarioVersion:
    """The all-features test scenario, registered."""
    return registered(MINI)


@pytest.fixture
def night_version(db: None) -> ScenarioVersion:
    """The short shipped scenario, registered."""
    return registered(NIGHT)


# ---------------------------------------------------------------- named users


def logged_in(user: User) -> Client:
    """A browser logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def facilitator(db: None) -> User:
    """Staff, named on the exercises the fixtures make."""
    return User.objects.create_user("fac", password="pw-fac-12345", is_staff=True)


@pytest.fixture
def co_facilitator(db: None) -> User:
    """A second facilitator: the test names them on its exercise."""
    return User.objects.create_user("cofa", password="pw-cofa-12345", is_staff=True)


@pytest.fixture
def trainer(db: None) -> User:
    """Staff (may create exercises), but not a facilitator of the fixtures' exercises."""
    return User.objects.create_user("tess", password="pw-tess-12345", is_staff=True)


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but neither staff nor named on any exercise."""
    return User.objects.create_user("otto", password="pw-otto-12345")


@pytest.fixture
def admin(db: None) -> User:
    """A superuser: sees every exercise and the admin site."""
    return User.objects.create_superuser("root", password="pw-root-12345")


@pytest.fixture
def facilitator_client(facilitator: User) -> Client:
    return logged_in(facilitator)


@pytest.fixture
def co_facilitator_client(co_facilitator: User) -> Client:
    return logged_in(co_facilitator)


@pytest.fixture
def trainer_client(trainer: User) -> Client:
    return logged_in(trainer)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return logged_in(outsider)


@pytest.fixture
def admin_client(admin: User) -> Client:
    """Logged in as `admin` (in place of pytest-django's fixture of the same name)."""
    return logged_in(admin)


# ---------------------------------------------------------------- a running exercise


@pytest.fixture
def exercise(mini_version: ScenarioVersion, facilitator: User) -> Exercise:
    """A running exercise of the mini scenario with two teams, run by `facilitator`."""
    exercise = Exercise.objects.create(
        title="Test exercise", scenario=mini_version, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 2)
    return exercise


@pytest.fixture
def team(exercise: Exercise) -> Team:
    return exercise.teams.order_by("pk").first()  # type: ignore[return-value]


@pytest.fixture
def other_team(exercise: Exercise) -> Team:
    return exercise.teams.order_by("pk").last()  # type: ignore[return-value]


@pytest.fixture
def ana(exercise: Exercise, team: Team) -> Participant:
    """Police investigator (Serbia) in the first team."""
    return actions.join(
        exercise, name="Ana", agency="Police", country="RS", roles=["police-rs"], team=team
    )


@pytest.fixture
def petar(exercise: Exercise, team: Team) -> Participant:
    """Prosecutor (Serbia) in the first team."""
    return actions.join(
        exercise,
        name="Petar",
        agency="Prosecution",
        country="RS",
        roles=["prosecutor-rs"],
        team=team,
    )


@pytest.fixture
def rival(exercise: Exercise, other_team: Team) -> Participant:
    """A police investigator in the other team."""
    return actions.join(
        exercise, name="Rival", agency="Police", country="RS", roles=["police-rs"], team=other_team
    )


@pytest.fixture
def published() -> Iterator[live.RecordingPublisher]:
    """What the actions publish after their commits, recorded instead of sent."""
    recorder = live.RecordingPublisher()
    previous, live.publisher = live.publisher, recorder
    yield recorder
    live.publisher = previous

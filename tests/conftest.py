from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from caseroom.engine import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "engine" / "scenarios" / "mini"
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
    caches = settings.CACHES
    if caches.get("default", {}).get("BACKEND", "").endswith("RedisCache"):
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

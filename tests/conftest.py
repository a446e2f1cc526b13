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


@pytest.fixture(scope="session")
def mini() -> Scenario:
    """A three-scene scenario that uses every feature of the format."""
    return load_scenario(MINI)


@pytest.fixture(scope="session")
def night() -> Scenario:
    """The short shipped scenario."""
    return load_scenario(ROOT / "scenarios" / "night-crossing")

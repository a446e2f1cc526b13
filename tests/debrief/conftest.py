"""Fixtures of the debrief tests: the shared web-app fixtures, with caches cleared."""

from tests.exercises.conftest import (  # noqa: F401 (pytest fixtures)
    ana,
    exercise,
    facilitator,
    mini_version,
    other_team,
    outsider,
    team,
)
from tests.exercises.fixtures_ui import ui_fresh_caches, ui_store  # noqa: F401 (fixtures)

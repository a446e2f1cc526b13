"""The shared web-app fixtures (exercise, team, ana, ...) for the backup and integrity tests."""

from tests.exercises.conftest import *  # noqa: F403  (fixtures)
from tests.exercises.fixtures_ui import ui_fresh_caches, ui_store  # noqa: F401 (fixtures)

"""Exploring a scenario: a bounded exhaustive search of its reachable states, plus seeded
random play (`search`), merging the states that have the same future (`relevance`).
"""

# tests/engine/test_scale.py imports these two by the private names they had before.
from .relevance import Relevance as _Relevance  # noqa: F401
from .relevance import reenterable as _reenterable  # noqa: F401
from .search import ExploreReport, explore_scenario

__all__ = ["ExploreReport", "explore_scenario"]

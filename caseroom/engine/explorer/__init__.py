"""Exploring a scenario, exhaustively and deterministically: what play can reach, proven by
an upper bound met by play (`bounds`, `cover`) or by a search of every reachable state
(`search`), merging the states that have the same future (`relevance`, with `scenegraph`,
`thresholds` and `answers`), and optional seeded playthroughs for the balance of endings
(`sample`).
"""

# tests/engine/test_scale.py imports these two by the private names they had before.
from .relevance import Relevance as _Relevance  # noqa: F401
from .report import ExploreReport
from .scenegraph import reenterable as _reenterable  # noqa: F401
from .search import explore_scenario

__all__ = ["ExploreReport", "explore_scenario"]

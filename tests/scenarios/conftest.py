"""Each upload test gets its own empty store, so "nothing was stored" is a directory listing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseroom.scenarios import registry


@pytest.fixture(autouse=True)
def store(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """The scenario store of the test: empty, and checked empty of work folders afterwards."""
    root = tmp_path / "store"
    settings.SCENARIO_STORE = root
    registry._cache.clear()
    yield root
    registry._cache.clear()
    leftovers = [p.name for p in root.glob(f"{registry.TEMP_PREFIX}*")] if root.exists() else []
    assert not leftovers, f"work folders left in the store: {leftovers}"


def stored(root: Path) -> list[str]:
    """What the store holds, work folders included."""
    return sorted(p.name for p in root.iterdir()) if root.exists() else []

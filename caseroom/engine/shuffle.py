"""The order in which a team sees the items of a choice or ordering input.

A pure function of a seed (one per team: the app passes the team, `caseroom play` its own)
and the action: a replay, the debrief and the team's own page show the same order, and no
state or event records it. Each item's place comes from a SHA-256 of seed, action and item,
so the order does not depend on Python's `random` (whose algorithms may change between
versions) and an item keeps its place relative to the others when an author adds one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .model import Action, InputItem

__all__ = ["SHUFFLED_TYPES", "item_order", "shown_items"]

SHUFFLED_TYPES = frozenset({"multi", "order"})


def item_order(items: Sequence[str], seed: str, action_id: str) -> tuple[str, ...]:
    """The item ids in the order this seed shows them for this action.

    >>> item_order(["a", "b", "c"], "team-1", "ask") == item_order(["c", "a", "b"], "team-1", "ask")
    True
    """

    def place(item: str) -> tuple[bytes, str]:
        # NUL separates the parts: ("ab", "c") and ("a", "bc") must not hash alike.
        digest = hashlib.sha256(f"{seed}\0{action_id}\0{item}".encode()).digest()
        return digest, item

    return tuple(sorted(items, key=place))


def shown_items(action: Action, seed: str | None) -> tuple[InputItem, ...]:
    """The action's input items as the team with this seed sees them: shuffled for multi and
    order inputs unless the author wrote `shuffle: false`; as written without a seed."""
    spec = action.input
    if spec is None:
        return ()
    items = tuple(spec.items)
    if seed is None or not spec.shuffle or spec.type not in SHUFFLED_TYPES:
        return items
    by_id = {item.id: item for item in items}
    if len(by_id) != len(items):  # duplicate ids (refused by the loader): keep as written
        return items
    return tuple(by_id[i] for i in item_order(list(by_id), seed, action.id))

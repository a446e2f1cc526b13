"""`load_scenario`: read a folder, validate it against the schema, check it, build it.

When the schema rejects some elements, the rest is still checked (without them), so one
run reports every problem.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..diagnostics import Diagnostic, Location, ScenarioError, Severity
from ..model import ScenarioDocument
from ..yamlsource import READ_CODES, Path_, Source, read_folder
from .builder import Builder
from .scenario import Scenario
from .schema import schema_problems

__all__ = ["load_scenario"]


def _broken_ids(source: Source, broken: set[Path_]) -> set[str]:
    """Ids of elements that failed the schema, so they do not also show as 'unknown'."""
    ids: set[str] = set()

    def collect(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                yield node["id"]
            for value in node.values():
                yield from collect(value)
        elif isinstance(node, list):
            for value in node:
                yield from collect(value)

    for path in broken:
        node: Any = source.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        ids.update(collect(node))
    return ids


def _drop(data: dict[str, Any], broken: set[Path_]) -> dict[str, Any]:
    """A copy of the data without the broken list elements."""
    dropped = {p for p in broken if p and isinstance(p[-1], int)}
    return _prune(data, (), dropped)  # type: ignore[no-any-return]


def _prune(node: Any, path: Path_, dropped: set[Path_]) -> Any:
    if isinstance(node, dict):
        return {k: _prune(v, (*path, k), dropped) for k, v in node.items()}
    if isinstance(node, list):
        return [
            _prune(v, (*path, i), dropped) for i, v in enumerate(node) if (*path, i) not in dropped
        ]
    return node


def _remap(source: Source, broken: set[Path_]) -> Source:
    """The same source with positions renumbered as in the pruned data."""
    by_list: dict[Path_, list[int]] = {}
    for path in broken:
        if path and isinstance(path[-1], int):
            by_list.setdefault(path[:-1], []).append(path[-1])
    # Sorted, to count the removed items before an index by bisection: thousands of broken
    # items times every position was quadratic.
    gone_sets = {key: set(indexes) for key, indexes in by_list.items()}
    for indexes in by_list.values():
        indexes.sort()
    locations: dict[Path_, Location] = {}
    for path, where in source.locations.items():
        new: list[str | int] = []
        for index, part in enumerate(path):
            gone = by_list.get(path[:index])
            if isinstance(part, int) and gone:
                if part in gone_sets[path[:index]]:
                    break
                part -= bisect.bisect_left(gone, part)
            new.append(part)
        else:
            locations[tuple(new)] = where
    return Source(source.root, source.data, locations, source.files, source.translations)


def _damaged(source: Source, broken: set[Path_]) -> set[str]:
    """Ids of elements that lost a broken child (a scene without its only valid option)."""
    ids: set[str] = set()
    for path in broken:
        if len(path) > 2 and isinstance(path[1], int):
            parent = source.data.get(str(path[0]))
            if isinstance(parent, list) and isinstance(parent[path[1]], dict):
                ids.add(str(parent[path[1]].get("id")))
    return ids


def load_scenario(path: str | Path) -> Scenario:
    """Load and check a scenario folder.

    Raises ScenarioError with every problem found; warnings of a loadable scenario are in
    `scenario.warnings`.

    >>> scenario = load_scenario("scenarios/night-crossing")  # doctest: +SKIP
    """
    root = Path(path)
    problems: list[Diagnostic] = []
    source = read_folder(root, problems)
    if any(p.code in READ_CODES for p in problems) or not source.data:
        raise ScenarioError(
            problems or [Diagnostic(Location(str(root)), "the folder holds no scenario")]
        )
    try:
        doc = ScenarioDocument.model_validate(source.data)
        broken_ids: set[str] = set()
        damaged: set[str] = set()
    except ValidationError as error:
        schema, broken = schema_problems(source, error)
        problems.extend(schema)
        # Check references in what is well formed too, so one run reports everything:
        # without the broken elements, or else without the top-level items holding them.
        for attempt in (
            broken,
            {p[:2] if len(p) >= 2 and isinstance(p[1], int) else p for p in broken},
        ):
            try:
                doc = ScenarioDocument.model_validate(_drop(source.data, attempt))
                broken = attempt
                break
            except ValidationError:
                continue
        else:
            raise ScenarioError(problems) from None
        broken_ids = _broken_ids(source, broken)
        damaged = _damaged(source, broken)
        source = _remap(source, broken)
    builder = Builder(doc, source, broken_ids, damaged)
    scenario = builder.build()
    problems.extend(builder.problems)
    if any(p.severity is Severity.error for p in problems):
        raise ScenarioError(problems)
    scenario.warnings = problems
    return scenario

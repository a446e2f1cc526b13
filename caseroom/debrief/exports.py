"""Raw data of an exercise, one row per assessed step of every team, as CSV or XLSX.

For programme managers and researchers who analyse results elsewhere: every column is a
plain value (ids and English source texts), so a spreadsheet can filter and pivot it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from caseroom.engine import Event, annotate
from caseroom.engine.strings import text
from caseroom.exercises.models import Exercise, TeamEvent
from caseroom.lib.tables import write_csv, write_xlsx
from caseroom.scenarios.registry import load

__all__ = ["COLUMNS", "exercise_rows", "to_csv", "to_xlsx"]

COLUMNS = [
    "exercise",
    "team",
    "event",
    "step",
    "kind",
    "wall_time",
    "case_minutes",
    "scene",
    "phase",
    "role",
    "actor",
    "action",
    "action_text",
    "grade",
    "points_total",
    "misconception",
    "objectives",
    "on_expert_path",
    "expert_choice",
    "answer",
    "score",
    "reason",
    "ending",
]


def exercise_rows(exercise: Exercise) -> list[dict[str, Any]]:
    """Every team's annotated trajectory, in team then step order (one query for the log)."""
    scenario = load(exercise.scenario)
    rubric = [d.id for d in scenario.doc.rubric]
    columns = [*COLUMNS[:15], *(f"points_{d}" for d in rubric), *COLUMNS[15:]]
    logs: dict[int, list[Event]] = {}
    names: dict[int, str] = {}
    for team in exercise.teams.order_by("name"):
        logs[team.pk] = []
        names[team.pk] = team.name
    for team_id, payload in (
        TeamEvent.objects.filter(team__exercise=exercise)
        .order_by("team_id", "seq")
        .values_list("team_id", "payload")
    ):
        logs[team_id].append(Event.from_dict(payload))
    rows: list[dict[str, Any]] = []
    for team_id, events in logs.items():
        steps = annotate(scenario, events)
        ending = next(
            (s.consequences.ending for s in steps if s.consequences and s.consequences.ending), ""
        )
        for step in steps:
            row: dict[str, Any] = {
                "exercise": exercise.title,
                "team": names[team_id],
                "event": step.event if step.event is not None else "",
                "step": step.index,
                "kind": step.kind,
                "wall_time": step.time or "",
                "case_minutes": step.at,
                "scene": step.scene or "",
                "phase": step.phase or "",
                "role": step.role or "",
                "actor": step.actor or "",
                "action": step.ref,
                "action_text": text(scenario, f"action.{step.ref}.text")
                or text(scenario, f"inject.{step.ref}.title"),
                "grade": step.grade or "",
                "points_total": sum(step.points.values()),
                "misconception": step.misconception or "",
                "objectives": " ".join(step.objectives),
                "on_expert_path": {True: "yes", False: "no", None: ""}[step.on_expert_path],
                "expert_choice": " ".join(step.expert),
                "answer": _plain(step.answer),
                "score": "" if step.score is None else step.score,
                "reason": step.reason or "",
                "ending": ending or "",
            }
            for dim in rubric:
                row[f"points_{dim}"] = step.points.get(dim, 0)
            rows.append({column: row[column] for column in columns})
    return rows


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> str:
    """The rows as CSV; names and answers are neutralised by `lib.tables` (see there)."""
    rows = list(rows)
    return write_csv(rows, columns or (list(rows[0]) if rows else COLUMNS))


def to_xlsx(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    """The rows as an XLSX sheet "steps"; every text cell is a string, never a formula."""
    rows = list(rows)
    return write_xlsx(rows, columns or (list(rows[0]) if rows else COLUMNS), "steps")

"""An answer a team sent with an action, as text: on the approver's card, in the other team's
incoming request (linked teams)."""

from __future__ import annotations

from typing import Any

from caseroom.engine import Scenario
from caseroom.scenarios.texts import scenario_text

__all__ = ["answer_text"]


def answer_text(scenario: Scenario, action_id: str, answer: Any) -> str:
    """What a team sent with an action (chosen items, a number with its unit, a text), as
    one line in the reader's language."""
    if answer is None:
        return ""
    if isinstance(answer, list):
        return "; ".join(
            scenario_text(scenario, f"action.{action_id}.input.items.{item}.text") or str(item)
            for item in answer
        )
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    action = scenario.actions.get(action_id)
    unit = action.input.unit if action and action.input else ""
    return f"{answer} {unit}".strip()

"""Why the engine refused a command, in the reader's language.

The engine speaks English and gives a stable code with each refusal; participants and
facilitators read the translated text of that code (the author's `locked` reason where
a condition closed an action).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from caseroom.engine import IllegalAction, Scenario
from caseroom.scenarios.texts import scenario_text

__all__ = ["refusal", "why_not"]


def why_not(scenario: Scenario, action_id: str, code: str, fallback: str = "") -> str:
    """Why an action is greyed out or was refused; `fallback` where the code has no text."""
    if code == "condition":
        locked = scenario_text(scenario, f"action.{action_id}.locked")
        return locked or _("Not possible yet.")
    reasons = {
        "ended": _("The case has ended."),
        "not_here": _("Not available in the current scene."),
        "wrong_role": _("Another role does this."),
        "pending": _("Waiting for approval or an answer."),
        "used": _("Already done."),
        "nothing_pending": _("There is nothing to wait for."),
        "no_reason": _("A refusal needs a reason."),
        "no_approval": _("Nothing is waiting for approval."),
        "not_gradable": _("Only free-text answers are graded by the facilitator."),
        "bad_points": _("The points are outside what this answer can get."),
        "unknown_step": _("That step does not exist."),
        "unknown_inject": _("That inject does not exist."),
        "unknown_scene": _("That scene does not exist."),
        "unknown_ending": _("That ending does not exist."),
        "bad_input": "",
    }
    return reasons.get(code) or fallback


def _already(kind: str) -> str:
    """What "used" means for each kind of command."""
    if kind == "inject":
        return _("it has already fired there.")
    if kind == "grade":
        return _("this answer is already graded.")
    return _("Already done.")


def refusal(
    error: IllegalAction, scenario: Scenario, ref: str | None = None, *, kind: str = "act"
) -> str:
    """'That is not possible now: …' for a refused command of this kind (the event type)."""
    used = error.code == "used"
    reason = _already(kind) if used else why_not(scenario, ref or "", error.code)
    if not reason:
        # No text for this code (an answer the engine could not read): its own words,
        # after the "action-id: " prefix; English, but precise.
        reason = error.message.split(": ", 1)[-1]
    return _("That is not possible now: %(reason)s") % {"reason": reason}

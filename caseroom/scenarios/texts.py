"""A registered scenario's texts in the reader's language, and its case clock.

Used by pages, refusals, reports and analyses alike; the template tags of exercises only
wrap these for templates.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language

from caseroom.engine import Scenario
from caseroom.engine.strings import text as engine_text

__all__ = ["case_time", "scenario_text"]


def scenario_text(scenario: Scenario, key: str | None) -> str:
    """The text of a scenario string key in the active language (source text as fallback)."""
    return engine_text(scenario, key, get_language())


def case_time(scenario: Scenario, minutes: int) -> dt.datetime:
    """The case's date and time after `minutes` of case time (naive: the case's local time)."""
    start = dt.datetime.fromisoformat(scenario.doc.clock.start)
    try:
        return start.replace(tzinfo=None) + dt.timedelta(minutes=minutes)
    except OverflowError:
        # Repeatable actions can push a case clock past year 9999: show the last moment
        # a calendar has rather than fail the page.
        return dt.datetime.max  # noqa: DTZ901 (case time is naive on purpose, see above)

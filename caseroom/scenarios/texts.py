"""A registered scenario's texts in the reader's language, and its case clock.

Used by pages, refusals, reports and analyses alike; the template tags of exercises only
wrap these for templates. Each text is the translation for the active language where the
scenario has a usable one, else the source text as an `engine.translations.Fallback`, which
knows its language so that a page can mark it (`lang="en"`) and say so once
(`language_notice`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from caseroom.engine import Scenario
from caseroom.engine.strings import text as engine_text
from caseroom.engine.translations import LocalisedTexts, localise

__all__ = ["LanguageNotice", "case_time", "language_notice", "localised", "scenario_text"]


def scenario_text(scenario: Scenario, key: str | None) -> str:
    """The text of a scenario string key in the active language (source text as fallback)."""
    return engine_text(scenario, key, get_language())


def localised(scenario: Scenario) -> LocalisedTexts:
    """Every text of the scenario in the active language (cached per version and language)."""
    return localise(scenario, get_language())


def _name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:  # a language Django has no name for: its code says it
        return code


@dataclass(frozen=True)
class LanguageNotice:
    """What a page says once about the language of the case text it shows."""

    message: str
    source_lang: str
    draft: bool  # the shown translation is (partly) a draft for review
    missing: bool  # some texts are shown in the source language


def language_notice(scenario: Scenario) -> LanguageNotice | None:
    """None when the reader reads the case in its own language with nothing missing or draft."""
    texts = localised(scenario)
    if texts.is_source or texts.lang is None:
        return None
    names = {"language": _name(texts.lang), "source": _name(texts.source_lang)}
    messages = []
    if texts.translated_from is None:
        messages.append(
            _("This case is not yet translated into %(language)s; it is shown in %(source)s.")
            % names
        )
    elif texts.fallback:
        messages.append(
            _(
                "Parts of this case are not yet translated into %(language)s; they are shown "
                "in %(source)s."
            )
            % names
        )
    if texts.drafts:
        messages.append(
            _("The %(language)s translation of this case is a draft, not yet reviewed.") % names
        )
    if not messages:
        return None
    return LanguageNotice(
        " ".join(messages), texts.source_lang, bool(texts.drafts), bool(texts.fallback)
    )


def case_time(scenario: Scenario, minutes: int) -> dt.datetime:
    """The case's date and time after `minutes` of case time (naive: the case's local time)."""
    start = dt.datetime.fromisoformat(scenario.doc.clock.start)
    try:
        return start.replace(tzinfo=None) + dt.timedelta(minutes=minutes)
    except OverflowError:
        # Repeatable actions can push a case clock past year 9999: show the last moment
        # a calendar has rather than fail the page.
        return dt.datetime.max  # noqa: DTZ901 (case time is naive on purpose, see above)

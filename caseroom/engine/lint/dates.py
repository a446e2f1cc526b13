"""The date check: a text naming a day the case clock cannot have reached when the expert path
shows it, and `find_dates`, the date forms it reads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from ..diagnostics import Diagnostic, Severity
from ..scenario import Scenario
from ..yamlsource import Path_

__all__ = ["dates_check", "find_dates"]

# Dates as trainers write them in the region: 2026-03-12, 12.3. / 12.03.2026, 12 March (2026),
# March 12 (, 2026). The day-month form needs its closing dot so that 12.3 (a section) is not
# read as a date, and is skipped right after "Art." or "§", where 12.3. is an article.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b)"
    r"|(?P<dotted>(?<![\w.])(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})?(?![\w]))"
    r"|(?P<named>\b(?P<nd>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MONTH.format("nm")
    + r"(?:\s+(?P<ny>\d{4}))?\b)"
    r"|(?P<american>\b" + _MONTH.format("am") + r"\s+(?P<ad>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<ay>\d{4}))?)",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"(?:Art\.|Article|§|para\.?|No\.)\s*$", re.IGNORECASE)
# A deadline or a plan names a later day on purpose: "preserved until 3 January 2027".
_FUTURE_BEFORE = re.compile(
    r"\b(?:until|till|by|before|due|expires?|expiring|scheduled|planned|deadline|next|"
    r"later than|valid to|set for)\W+(?:\w+\W+)?$",
    re.IGNORECASE,
)


def find_dates(text: str, year: int) -> list[dt.date]:
    """The calendar days a text names; a date without a year is read in `year`."""
    found: list[dt.date] = []
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        if _FUTURE_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        if groups["iso"]:
            parts = (groups["iy"], groups["im"], groups["id"])
        elif groups["dotted"]:
            if _ARTICLE_BEFORE.search(text[: match.start()]):
                continue
            parts = (groups["dy"] or str(year), groups["dm"], groups["dd"])
        elif groups["named"]:
            parts = (groups["ny"] or str(year), str(_MONTHS[groups["nm"].lower()]), groups["nd"])
        else:
            parts = (groups["ay"] or str(year), str(_MONTHS[groups["am"].lower()]), groups["ad"])
        try:
            found.append(dt.date(int(parts[0]), int(parts[1]), int(parts[2])))
        except ValueError:
            continue  # 31.2. or a version number: not a day
    return found


def _shown_texts(scenario: Scenario) -> Iterator[tuple[str, Path_, str, Iterable[Path_]]]:
    """(what is shown, where its id is, kind, the text paths shown with it)."""
    for scene in scenario.scenes.values():
        base = scenario.paths[scene.id]
        yield (
            scene.id,
            base,
            "scene",
            [(*base, "text")]
            + [(*scenario.paths[a.id], "text") for a in (*scene.options, *scene.actions)],
        )
    for document in scenario.documents.values():
        base = scenario.paths[document.id]
        yield document.id, base, "document", [(*base, "date"), (*base, "body")]
    for inject in scenario.injects.values():
        base = scenario.paths[inject.id]
        yield inject.id, base, "inject", [(*base, "message")]


def _text_at(scenario: Scenario, path: Path_) -> str:
    """The source text at a path of the merged document (empty when not written)."""
    node: object = scenario.doc
    for key in path:
        if isinstance(key, int):
            assert isinstance(node, list)
            node = node[key]
        else:
            node = getattr(node, key, None)
            if node is None:
                return ""
    return node if isinstance(node, str) else ""


def dates_check(scenario: Scenario) -> Iterator[Diagnostic]:
    """Dates a text names that lie after the day the expert path shows that text.

    Conservative on purpose: a scene, option, document or inject is judged only if the
    expert path shows it (its first arrival, unlock or firing), and a date is suspicious only
    if its day comes after the case day at that moment. It does not catch: texts the expert
    path never shows; a team slower than the expert (a date between the expert's day and a
    later team's day is not flagged); dates before the case (a "last seen" in the past is
    fine); weekdays ("Friday night" on a Thursday); times of day; dates in a word form it does
    not read (12th of March, 12/03, other languages); a date right after "until", "by",
    "before", "due", "scheduled", "next" (a deadline or a plan, named ahead on purpose). Other
    planned events ("the hearing on 20 March") are false positives: reword them ("the hearing
    set for 20 March") or count ("in six days").
    """
    from ..validator import play_expert_path  # the validator imports the explorer: load late

    if not scenario.doc.expert_path:
        return
    session, _problems = play_expert_path(scenario)
    start = dt.datetime.fromisoformat(scenario.doc.clock.start)
    state = session.state
    shown = {
        "scene": state.visited,
        "document": {**state.unlocked},
        "inject": state.fired,
    }
    for ident, _base, kind, paths in _shown_texts(scenario):
        minutes = shown[kind].get(ident)
        if minutes is None:
            continue
        day = (start + dt.timedelta(minutes=minutes)).date()
        for path in paths:
            late = [d for d in find_dates(_text_at(scenario, path), start.year) if d > day]
            if late:
                yield Diagnostic(
                    scenario.source.locate(path),
                    f"{kind} '{ident}' names {late[0].isoformat()}, but the expert path "
                    f"shows it on {day.isoformat()}",
                    Severity.warning,
                    "lint-date-after-clock",
                )

"""The self-assessment's own XLSForm columns: `guideline_section` and `score`, read and checked.

`guideline_section` names the guideline section a question is about, as a library reference
"<document slug>#<section key>" (e.g. "coop-guidelines#4.2"). `score` is a scoring rule:

- select_one / select_multiple: choice names with their points, ``yes=2 partly=1 no=0``.
  A choice not listed ("don't know") scores nothing: the question counts as unanswered.
  A multiple choice earns the sum of its picks, at most the sum of the positive points.
- integer / decimal: ranges with their points, ``0:0 1-2:1 3+:2`` (a number, an inclusive
  range "a-b", or "a+" for a and above); a number in no range scores nothing.

Each scored answer is normalised to 0..1 (its points over the rule's most points); a
respondent's section score is the mean of their scored answers in that section, and a heatmap
cell the mean of those over the cell's respondents. A question without `score` is not scored;
a `text` question with a `guideline_section` collects the difficulties written for it.
The form must also have select_one questions named `country` and `agency`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from caseroom.xlsform import Form, Problem, Question

__all__ = [
    "COUNTRY",
    "AGENCY",
    "Rule",
    "Scoring",
    "check_form",
    "parse_rule",
    "scoring_of",
    "section_ok",
]

COUNTRY = "country"
AGENCY = "agency"
MAX_POINTS = 100  # per choice or range: a rule is a scale, not a budget
MAX_PARTS = 50  # choices or ranges in one rule
# The library's document slug and section key (library.models.KEY_PATTERN): "coop-guidelines#4.2".
_SECTION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}#[0-9A-Za-z]{1,6}(\.[0-9A-Za-z]{1,6}){0,3}$")
_CHOICE_PART = re.compile(r"^([^=\s]+)=(\d+)$")
_RANGE_PART = re.compile(r"^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?)|(\+))?:(\d+)$")
SCORED_TYPES = ("select_one", "select_multiple", "integer", "decimal")


class RuleError(ValueError):
    """A `score` cell that cannot be read; the message says what is wrong in it."""


@dataclass(frozen=True)
class Rule:
    """A question's scoring rule: `points(answer)` in 0..`most`, or None (not scored)."""

    kind: str  # "choices" or "ranges"
    multiple: bool
    choices: tuple[tuple[str, int], ...] = ()
    ranges: tuple[tuple[float, float, int], ...] = ()  # low, high (inclusive; inf), points

    @property
    def most(self) -> int:
        if self.kind == "ranges":
            return max(points for _low, _high, points in self.ranges)
        if self.multiple:
            return sum(points for _name, points in self.choices if points > 0)
        return max(points for _name, points in self.choices)

    def normaliser(self) -> Callable[[Any], float | None]:
        """A fast function of an answer to its normalised score (the analysis calls it once
        per answer: 1.2 million times for 20,000 responses of 60 questions)."""
        most = float(self.most)
        if self.kind == "choices":
            table = {name: points / most for name, points in self.choices}
            if not self.multiple:
                return table.get

            def picks(value: Any) -> float | None:
                if not isinstance(value, list | tuple):
                    return None
                found = [table[v] for v in value if v in table]
                return min(1.0, sum(found)) if found else None

            return picks
        ranges = [(low, high, points / most) for low, high, points in self.ranges]

        def number(value: Any) -> float | None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            for low, high, score in ranges:
                if low <= value <= high:
                    return score
            return None

        return number


def section_ok(ref: str) -> bool:
    """Whether `ref` reads as a library reference "<document slug>#<section key>"."""
    return bool(_SECTION.match(ref))


def parse_rule(text: str, question: Question, choice_names: Iterable[str]) -> Rule:
    """The rule written in a `score` cell for `question`; RuleError says what is wrong."""
    parts = text.split()
    if not parts:
        raise RuleError(_("the rule is empty"))
    if len(parts) > MAX_PARTS:
        raise RuleError(_("at most %(n)s parts in a rule") % {"n": MAX_PARTS})
    if question.type in ("select_one", "select_multiple"):
        return _choices_rule(parts, question, set(choice_names))
    if question.type in ("integer", "decimal"):
        return _ranges_rule(parts)
    raise RuleError(
        _("only select_one, select_multiple, integer and decimal questions can be scored")
    )


def _choices_rule(parts: list[str], question: Question, names: set[str]) -> Rule:
    found: dict[str, int] = {}
    for part in parts:
        match = _CHOICE_PART.match(part)
        if match is None:
            raise RuleError(
                _("“%(part)s” is not choice=points (e.g. yes=2 partly=1 no=0)") % {"part": part}
            )
        name, points = match[1], int(match[2])
        if name not in names:
            raise RuleError(
                _("“%(name)s” is not a choice of the list “%(list)s”")
                % {"name": name, "list": question.list_name}
            )
        if name in found:
            raise RuleError(_("“%(name)s” is given points twice") % {"name": name})
        if points > MAX_POINTS:
            raise RuleError(_("at most %(n)s points for a choice") % {"n": MAX_POINTS})
        found[name] = points
    rule = Rule("choices", question.type == "select_multiple", choices=tuple(found.items()))
    if rule.most <= 0:
        raise RuleError(_("at least one choice needs more than 0 points"))
    return rule


def _ranges_rule(parts: list[str]) -> Rule:
    ranges: list[tuple[float, float, int]] = []
    for part in parts:
        match = _RANGE_PART.match(part)
        if match is None:
            raise RuleError(
                _("“%(part)s” is not range:points (e.g. 0:0 1-2:1 3+:2)") % {"part": part}
            )
        low = float(match[1])
        high = math.inf if match[3] else float(match[2]) if match[2] else low
        points = int(match[4])
        if high < low:
            raise RuleError(_("“%(part)s” ends before it starts") % {"part": part})
        if points > MAX_POINTS:
            raise RuleError(_("at most %(n)s points for a range") % {"n": MAX_POINTS})
        for other_low, other_high, _points in ranges:
            if low <= other_high and other_low <= high:
                raise RuleError(_("“%(part)s” overlaps an earlier range") % {"part": part})
        ranges.append((low, high, points))
    rule = Rule("ranges", False, ranges=tuple(ranges))
    if rule.most <= 0:
        raise RuleError(_("at least one range needs more than 0 points"))
    return rule


@dataclass(frozen=True)
class Scoring:
    """What the analysis needs of a form: scored questions and difficulty texts by section."""

    sections: tuple[str, ...]  # scored sections, in the order of their first question
    scored: tuple[tuple[str, str, Rule], ...]  # (question name, section, rule)
    texts: tuple[tuple[str, str], ...]  # (text question name, section)
    countries: tuple[tuple[str, str], ...]  # (choice name, label) of `country`
    agencies: tuple[tuple[str, str], ...]  # (choice name, label) of `agency`


def _choices(form: Form, name: str, language: str) -> tuple[tuple[str, str], ...]:
    try:
        question = form.question(name)
    except KeyError:
        return ()
    key = form.language_for(language) if language else form.default_language
    return tuple((c.name, form.text(c.label, key)) for c in form.choices_of(question))


def scoring_of(form: Form, language: str = "") -> Scoring:
    """The form's scored questions, texts and sections (the form passed `check_form`)."""
    sections: dict[str, None] = {}
    scored: list[tuple[str, str, Rule]] = []
    texts: list[tuple[str, str]] = []
    for question in form.questions:
        section = question.guideline_section.strip()
        rule_text = question.column("score").strip()
        if rule_text and section:
            names = [c.name for c in form.choices_of(question)]
            scored.append((question.name, section, parse_rule(rule_text, question, names)))
            sections.setdefault(section)
        elif question.type == "text" and section:
            texts.append((question.name, section))
    return Scoring(
        sections=tuple(sections),
        scored=tuple(scored),
        texts=tuple(texts),
        countries=_choices(form, COUNTRY, language),
        agencies=_choices(form, AGENCY, language),
    )


def check_form(
    form: Form, unknown_refs: Callable[[list[str]], Iterable[str]] | None = None
) -> list[Problem]:
    """Every problem of the self-assessment columns, at its row and column: a rule that
    cannot be read, a score without a section, a section that is not a reference (or that the
    library does not know, when `unknown_refs` is given), no country or agency question."""
    problems: list[Problem] = []
    refs: dict[str, list[Question]] = {}
    for question in form.questions:
        section = question.guideline_section.strip()
        rule_text = question.column("score").strip()
        if section:
            if not section_ok(section):
                message = _(
                    "“%(ref)s” is not a guideline reference: write <document>#<section>, "
                    "e.g. coop-guidelines#4.2"
                ) % {"ref": section[:80]}
                problems.append(Problem("survey", question.row, "guideline_section", message))
            else:
                refs.setdefault(section, []).append(question)
        if not rule_text:
            continue
        if not section:
            message = _("a scored question needs a guideline_section")
            problems.append(Problem("survey", question.row, "guideline_section", message))
        try:
            parse_rule(rule_text, question, [c.name for c in form.choices_of(question)])
        except RuleError as error:
            problems.append(Problem("survey", question.row, "score", str(error)))
    if unknown_refs is not None and refs:
        for ref in unknown_refs(sorted(refs)):
            for question in refs.get(ref, []):
                message = _("the library has no guideline section “%(ref)s”") % {"ref": ref}
                problems.append(Problem("survey", question.row, "guideline_section", message))
    problems += _grouping_problems(form)
    if not any(question.column("score").strip() for question in form.questions):
        problems.append(Problem("survey", 0, "score", _("no question has a scoring rule")))
    return problems


def _grouping_problems(form: Form) -> list[Problem]:
    names: Mapping[str, str] = {COUNTRY: _("country"), AGENCY: _("agency")}
    problems = []
    for name, label in names.items():
        try:
            question = form.question(name)
        except KeyError:
            question = None
        if question is None or question.type != "select_one":
            message = _(
                "the form needs a select_one question named “%(name)s” (the respondent's %(what)s)"
            ) % {"name": name, "what": label}
            problems.append(Problem("survey", question.row if question else 0, "name", message))
    return problems

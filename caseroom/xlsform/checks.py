"""Checks across rows that pyxform lets through or reports without a row.

Names used twice, labels missing, `${references}` to no question, a `correct` answer that is
not a choice (or on a question that has no choices), a language column filled for some
rows only (pyxform shows "-" to the readers of that language), a default that is not a fixed
answer of the question's type, and questions whose relevance or calculation read each other
in a circle (order.py).
"""

from __future__ import annotations

import re

from .answers import Bad, normalise
from .expressions import Expression
from .model import SELECT_TYPES, Form, Group, Question
from .order import cycles
from .problems import Problem
from .sheets import Workbook

# A default that is worked out rather than written: ${ref}, a function call, an operator.
_DYNAMIC = re.compile(r"\$\{|[A-Za-z_-]\(|^\s*(now|today)\b")

__all__ = ["check_form"]

_TRANSLATED = ("label", "hint", "constraint_message", "required_message")


def check_form(form: Form, workbook: Workbook) -> list[Problem]:
    problems: list[Problem] = []
    problems += _names(form)
    names = {q.name for q in form.questions}
    for question in form.questions:
        problems += _question(form, question, names)
    for group in form.groups.values():
        problems += _references(group.row, "relevant", group.relevant, names, group.name)
    problems += _translations(workbook)
    if not problems:  # a circle through a reference to no question would be noise
        problems += _circles(form)
    return problems


def _circles(form: Form) -> list[Problem]:
    problems = []
    for circle in cycles(form.questions, form.groups):
        first = circle[0]
        inside = _group_reading(form, first) if len(circle) == 2 else None
        if inside is not None:
            problems.append(
                Problem(
                    "survey",
                    inside.row,
                    "relevant",
                    f"the group '{inside.name}' depends on ${{{first.name}}}, a question inside "
                    f"it (row {first.row}): it cannot be answered before the group is shown",
                )
            )
            continue
        path = " → ".join(f"{q.name} (row {q.row})" for q in circle)
        problems.append(
            Problem(
                "survey",
                first.row,
                "calculation" if first.calculated else "relevant",
                f"these questions depend on each other in a circle, so none can be worked "
                f"out first: {path}",
            )
        )
    return problems


def _group_reading(form: Form, question: Question) -> Group | None:
    """The group around `question` whose relevance reads it, if that is its circle."""
    for name in question.groups:
        group = form.groups[name]
        if group.relevant is not None and question.name in group.relevant.refs:
            return group
    return None


def _default(form: Form, question: Question) -> list[Problem]:
    text = question.default
    if not text or not question.answerable:
        return []
    if _DYNAMIC.search(text):
        message = (
            f"'{text}' is worked out, not written: only fixed defaults are supported "
            "(a date as 2026-01-31, a choice by its name)"
        )
        return [Problem("survey", question.row, "default", message)]
    try:
        value: object = text.split() if question.type == "select_multiple" else text
        normalise(form, question, value)
    except Bad as bad:
        message = f"the default '{text}' is not an answer to this {question.type} question"
        if bad.code == "not_a_choice":
            message += f" (not a name of the list '{question.list_name}')"
        return [Problem("survey", question.row, "default", message)]
    return []


def _names(form: Form) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for element in form.walk():
        if element.name in first:
            problems.append(
                Problem(
                    "survey",
                    element.row,
                    "name",
                    f"the name '{element.name}' is already used in row {first[element.name]}: "
                    "every question and group needs a name of its own",
                )
            )
        else:
            first[element.name] = element.row
    return problems


def _question(form: Form, question: Question, names: set[str]) -> list[Problem]:
    row = question.row
    problems = []
    if not question.label and not question.calculated:
        problems.append(Problem("survey", row, "label", f"'{question.name}' has no label"))
    for column, expression in (
        ("relevant", question.relevant),
        ("constraint", question.constraint),
        ("required", question.required_if),
        ("calculation", question.calculation),
        ("choice_filter", question.choice_filter),
    ):
        problems += _references(row, column, expression, names, question.name)
    problems += _default(form, question)
    if not question.correct:
        return problems
    if question.type not in SELECT_TYPES:
        problems.append(
            Problem(
                "survey",
                row,
                "correct",
                f"a {question.type} question cannot have a correct answer: only select_one "
                "and select_multiple questions are scored",
            )
        )
        return problems
    choices = [c.name for c in form.choices_of(question)]
    if question.type == "select_one" and len(question.correct) > 1:
        problems.append(
            Problem(
                "survey",
                row,
                "correct",
                "a select_one question has one correct answer; use select_multiple for several",
            )
        )
    for name in question.correct:
        if choices and name not in choices:
            listed = ", ".join(choices[:20])
            problems.append(
                Problem(
                    "survey",
                    row,
                    "correct",
                    f"'{name}' is not a choice of the list '{question.list_name}' ({listed})",
                )
            )
    return problems


def _references(
    row: int, column: str, expression: Expression | None, names: set[str], own: str
) -> list[Problem]:
    if expression is None:
        return []
    problems = []
    for ref in sorted(expression.refs):
        if ref == own and column == "relevant":
            message = f"${{{ref}}} is this question itself: its relevance cannot depend on it"
        elif ref not in names:
            message = f"${{{ref}}} names no question of the form"
        else:
            continue
        problems.append(Problem("survey", row, column, message))
    return problems


def _translations(workbook: Workbook) -> list[Problem]:
    """Every language column filled wherever another language of the same column is."""
    problems = []
    languages: set[str] = set()
    for sheet_name in ("survey", "choices"):
        sheet = workbook.sheet(sheet_name)
        for column in sheet.header if sheet else ():
            name, _, language = column.partition("::")
            if name.strip().lower() == "label" and language.strip():
                languages.add(language.strip())
    for sheet_name in ("survey", "choices"):
        sheet = workbook.sheet(sheet_name)
        if sheet is None:
            continue
        columns: dict[str, list[str]] = {}
        for column in sheet.header:
            name, _, language = column.partition("::")
            if name.strip().lower() in _TRANSLATED and language.strip():
                columns.setdefault(name.strip().lower(), []).append(column)
        labels = {c.partition("::")[2].strip() for c in columns.get("label", [])}
        for missing in sorted(languages - labels):
            if sheet.rows and (sheet_name == "choices" or labels):
                problems.append(
                    Problem(
                        sheet_name,
                        1,
                        f"label::{missing}",
                        f"no 'label::{missing}' column: the form's other labels are in "
                        f"{missing}, so these are needed too",
                    )
                )
        for row in sheet.rows:
            if sheet_name == "survey" and "end" in row.get("type").lower():
                continue
            filled = dict(row.cells)
            for variants in columns.values():
                given = [c for c in variants if filled.get(c)]
                if not given:
                    continue
                for column in variants:
                    if not filled.get(column):
                        problems.append(
                            Problem(
                                sheet_name,
                                row.number,
                                column,
                                f"empty while '{given[0]}' is filled: readers of "
                                f"{column.partition('::')[2].strip()} would see nothing here",
                            )
                        )
    return problems

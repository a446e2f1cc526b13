"""Checks across rows that pyxform lets through or reports without a row.

Names used twice, labels missing, `${references}` to no question, a `correct` answer that is
not a choice (or on a question that has no choices), and a language column filled for some
rows only (pyxform shows "-" to the readers of that language).
"""

from __future__ import annotations

from .expressions import Expression
from .model import SELECT_TYPES, Form, Question
from .problems import Problem
from .sheets import Workbook

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
    return problems


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
    if not question.label:
        problems.append(Problem("survey", row, "label", f"'{question.name}' has no label"))
    for column, expression in (
        ("relevant", question.relevant),
        ("constraint", question.constraint),
        ("required", question.required_if),
    ):
        problems += _references(row, column, expression, names, question.name)
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

"""The cells of a form's rows read into typed values, each problem at its sheet, row and
column: texts in every language, expressions, the choices sheet, settings, appearances.

The reader (reader.py) walks the survey sheet and calls these for each row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import limits
from .expressions import Expression, ExpressionError, parse_expression
from .model import Choice, Group, Language, Question, Text
from .problems import Problem
from .sheets import Row, Sheet, Workbook

__all__ = [
    "ANSWERED_ONLY",
    "PLAIN",
    "TRANSLATED",
    "UNSUPPORTED",
    "Builder",
    "appearance_of",
    "base",
    "choices_of",
    "expression_of",
    "languages_of",
    "not_on",
    "points_of",
    "required_of",
    "settings_of",
    "text_of",
]

TRANSLATED = ("label", "hint", "constraint_message", "required_message")


PLAIN = ("type", "name", "required", "relevant", "constraint", "appearance", "correct", "points",
         "calculation", "default", "choice_filter")  # fmt: skip


# Columns pyxform knows that these questionnaires cannot honour: refused where filled, rather
# than silently ignored (a setting the author relies on would vanish).
UNSUPPORTED = {
    "guidance_hint": "guidance hints are not supported: put the text in the hint",
    "read_only": "read-only questions are not supported",
    "repeat_count": "repeats are not supported",
    "trigger": "triggers are not supported",
    "parameters": "question parameters are not supported",
    "image": "media are not supported",
    "audio": "media are not supported",
    "video": "media are not supported",
    "big-image": "media are not supported",
    "media": "media are not supported",
    "bind": "bind:: columns are not supported",
    "body": "body:: columns are not supported",
    "instance": "instance:: columns are not supported",
}


# Columns of the choices sheet that are not a choice's own, and media (refused where filled).
CHOICE_COLUMNS = {"list_name", "name", "label"}


CHOICE_MEDIA = {"image", "audio", "video", "big-image", "media"}


# Columns that only a question a person answers can have (not a calculation, not a group).
ANSWERED_ONLY = ("required", "constraint", "default", "choice_filter", "appearance")


APPEARANCE_WORD = re.compile(r"[A-Za-z0-9_-]+")


YES = {"yes", "true", "1", "true()"}


NO = {"no", "false", "0", "false()", ""}


def base(column: str) -> tuple[str, str]:
    """('label', 'English (en)') for 'label::English (en)'; ('label', '') for 'label'."""
    name, _, language = column.partition("::")
    return name.strip().lower(), language.strip()


@dataclass
class Builder:
    """The survey sheet read row by row into nested groups."""

    problems: list[Problem] = field(default_factory=list)
    choice_columns: frozenset[str] = frozenset()  # extra columns of the choices sheet
    stack: list[tuple[Row, str, list[Question | Group]]] = field(default_factory=list)
    top: list[Question | Group] = field(default_factory=list)
    count: int = 0

    def problem(self, row: int, column: str, message: str, sheet: str = "survey") -> None:
        self.problems.append(Problem(sheet, row, column, message))

    @property
    def children(self) -> list[Question | Group]:
        return self.stack[-1][2] if self.stack else self.top

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(name for _, name, _ in self.stack)


def settings_of(sheet: Sheet | None) -> dict[str, str]:
    if sheet is None or not sheet.rows:
        return {}
    return {base(column)[0]: text for column, text in sheet.rows[0].cells}


def languages_of(workbook: Workbook, builder: Builder) -> tuple[Language, ...]:
    keys: list[str] = []
    for name in ("survey", "choices"):
        sheet = workbook.sheet(name)
        for column in sheet.header if sheet else ():
            column_base, language = base(column)
            if column_base in TRANSLATED and language and language not in keys:
                keys.append(language)
    if len(keys) > limits.MAX_LANGUAGES:
        builder.problem(1, "", f"more than {limits.MAX_LANGUAGES} languages (limit MAX_LANGUAGES)")
    return tuple(Language.of(key) for key in keys[: limits.MAX_LANGUAGES])


def text_of(row: Row, column: str, builder: Builder, sheet: str = "survey") -> Text:
    values = []
    for header, text in row.cells:
        column_base, language = base(header)
        if column_base == column:
            if len(text) > limits.MAX_LABEL_CHARS:
                builder.problem(
                    row.number,
                    header,
                    f"{len(text):,} characters, at most {limits.MAX_LABEL_CHARS:,} "
                    "(limit MAX_LABEL_CHARS)",
                    sheet,
                )
            values.append((language, text))
    return Text(tuple(values))


def choice_extra(row: Row, builder: Builder) -> tuple[tuple[str, str], ...]:
    extra = []
    for column, text in row.cells:
        column_base = base(column)[0]
        if column_base in CHOICE_MEDIA:
            builder.problem(row.number, column, "media are not supported", "choices")
        elif column_base not in CHOICE_COLUMNS and column_base not in TRANSLATED:
            extra.append((column, text))
    return tuple(extra)


def choices_of(sheet: Sheet | None, builder: Builder) -> dict[str, tuple[Choice, ...]]:
    lists: dict[str, list[Choice]] = {}
    seen: dict[tuple[str, str], int] = {}
    builder.choice_columns = frozenset(
        column
        for column in (sheet.header if sheet else ())
        if column
        and base(column)[0] not in CHOICE_COLUMNS | CHOICE_MEDIA
        and base(column)[0] not in TRANSLATED
        and "::" not in column
    )
    for row in sheet.rows if sheet else ():
        list_name, name = row.get("list_name"), row.get("name")
        if not list_name:
            builder.problem(row.number, "list_name", "the choice has no list_name", "choices")
            continue
        if not name or len(name) > limits.MAX_NAME_CHARS or any(c.isspace() for c in name):
            builder.problem(
                row.number,
                "name",
                f"a choice needs a name of at most {limits.MAX_NAME_CHARS} characters "
                "without spaces",
                "choices",
            )
            continue
        if (list_name, name) in seen:
            builder.problem(
                row.number,
                "name",
                f"the list '{list_name}' already has a choice '{name}' "
                f"(row {seen[(list_name, name)]})",
                "choices",
            )
            continue
        seen[(list_name, name)] = row.number
        label = text_of(row, "label", builder, "choices")
        if not label:
            builder.problem(row.number, "label", f"the choice '{name}' has no label", "choices")
        items = lists.setdefault(list_name, [])
        items.append(Choice(name, label, row.number, choice_extra(row, builder)))
        if len(items) == limits.MAX_CHOICES + 1:
            builder.problem(
                row.number,
                "list_name",
                f"the list '{list_name}' has more than {limits.MAX_CHOICES} choices "
                "(limit MAX_CHOICES)",
                "choices",
            )
    return {name: tuple(items) for name, items in lists.items()}


def not_on(row: Row, builder: Builder, columns: tuple[str, ...], what: str) -> None:
    for column in columns:
        if row.get(column):
            builder.problem(row.number, column, f"'{column}' does not apply to {what}")


def appearance_of(row: Row, builder: Builder) -> str:
    """The appearance as written, when every word of it can be a CSS class; functions such
    as search() take choices from a file and are refused (see model.APPEARANCES)."""
    text = row.get("appearance")
    for word in text.split():
        if "(" in word:
            builder.problem(
                row.number,
                "appearance",
                f"'{word}' is not supported: appearances that call a function (search(), "
                "pulldata()) need files this app does not have",
            )
            return ""
        if not APPEARANCE_WORD.fullmatch(word) or len(word) > limits.MAX_NAME_CHARS:
            builder.problem(
                row.number, "appearance", f"'{word}' is not an appearance: letters, digits, - _"
            )
            return ""
    return " ".join(text.split())


def expression_of(
    row: Row, column: str, builder: Builder, fields: frozenset[str] = frozenset()
) -> Expression | None:
    text = row.get(column)
    if not text:
        return None
    try:
        expression = parse_expression(text, fields=fields)
    except ExpressionError as error:
        at = f" (at character {error.column + 1})" if error.column else ""
        builder.problem(row.number, column, f"{error.message}{at}")
        return None
    if expression.uses_current and column != "constraint":
        builder.problem(
            row.number, column, "'.' is the answer being checked: use it in a constraint only"
        )
    return expression


def required_of(row: Row, builder: Builder) -> tuple[bool, Expression | None]:
    text = row.get("required")
    if text.lower() in YES:
        return True, None
    if text.lower() in NO:
        return False, None
    return False, expression_of(row, "required", builder)


def points_of(row: Row, builder: Builder) -> int:
    text = row.get("points")
    if not text:
        return 1 if row.get("correct") else 0
    if not (text.isascii() and text.isdigit()) or int(text[:6]) > limits.MAX_POINTS:
        builder.problem(
            row.number, "points", f"points are a whole number from 0 to {limits.MAX_POINTS}"
        )
        return 0
    if not row.get("correct"):
        builder.problem(row.number, "points", "points without a 'correct' answer to score")
    return int(text)

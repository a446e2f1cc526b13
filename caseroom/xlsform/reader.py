"""Read an XLSForm into a Form: our own checks first, every problem at its row, then pyxform.

`read_form(data, filename)` reads the sheets (sheets.py), builds the groups and questions of
the survey sheet and the choice lists row by row, collects every problem it finds (checks.py
adds those across rows), and only when there are none asks pyxform, the reference
implementation, whether it agrees (reference.py). Either way the caller gets a Form or a
FormError listing Problems, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import checks, limits, reference
from .expressions import Expression, ExpressionError, parse_expression
from .model import Choice, Form, Group, Language, Question, Text
from .problems import FormError, Problem
from .sheets import Row, Sheet, Workbook, read_markdown, read_workbook

__all__ = ["read_form", "read_form_markdown"]

TRANSLATED = ("label", "hint", "constraint_message", "required_message")
PLAIN = ("type", "name", "required", "relevant", "constraint", "appearance", "correct", "points")
# Columns pyxform knows that these questionnaires cannot honour: refused where filled, rather
# than silently ignored (a default or a calculation the author relies on would vanish).
UNSUPPORTED = {
    "calculation": "calculations are not supported",
    "choice_filter": "choice filters (cascading selects) are not supported",
    "default": "default answers are not supported",
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
_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "note": "note",
    "acknowledge": "acknowledge",
}
_METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
             "subscriberid", "email", "audit", "start-geopoint"}  # fmt: skip
_SUPPORTED_SELECTS = ("select_one LIST", "select_multiple LIST")
_GROUPS = ("begin group", "end group")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_YES = {"yes", "true", "1", "true()"}
_NO = {"no", "false", "0", "false()", ""}


def read_form(data: bytes, filename: str = "") -> Form:
    """The Form of an .xlsx file (or a Markdown table), or FormError with every problem."""
    workbook = read_workbook(data, filename)
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] if filename else ""
    return build_form(workbook, stem)


def read_form_markdown(text: str) -> Form:
    """The Form of a Markdown table (the format of the test fixtures)."""
    return build_form(read_markdown(text), "")


def base(column: str) -> tuple[str, str]:
    """('label', 'English (en)') for 'label::English (en)'; ('label', '') for 'label'."""
    name, _, language = column.partition("::")
    return name.strip().lower(), language.strip()


@dataclass
class _Builder:
    """The survey sheet read row by row into nested groups."""

    problems: list[Problem] = field(default_factory=list)
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


def build_form(workbook: Workbook, fallback_title: str) -> Form:
    survey = workbook.sheet("survey")
    if survey is None:
        raise FormError([Problem("", 0, "", "the workbook has no 'survey' sheet")])
    builder = _Builder()
    settings = _settings(workbook.sheet("settings"))
    languages = _languages(workbook, builder)
    choices = _choices(workbook.sheet("choices"), builder)
    for row in survey.rows:
        _survey_row(row, builder, choices)
        if builder.count > limits.MAX_QUESTIONS:
            builder.problem(
                row.number, "", f"more than {limits.MAX_QUESTIONS} questions (limit MAX_QUESTIONS)"
            )
            break
    for row, name, _ in builder.stack:
        builder.problem(row.number, "type", f"the group '{name}' is never closed (end group)")
    plain_label = any(base(c) == ("label", "") for c in survey.header)
    default = settings.get("default_language", "")
    if default and default not in {lang.key for lang in languages}:
        builder.problem(
            0,
            "default_language",
            f"'{default}' is not a language of the form's labels",
            sheet="settings",
        )
    if not default and languages and not plain_label:
        default = languages[0].key
    form = Form(
        title=settings.get("form_title") or fallback_title or settings.get("form_id") or "form",
        id=settings.get("form_id") or fallback_title or "form",
        version=settings.get("version", ""),
        default_language=default,
        languages=languages,
        settings=tuple(settings.items()),
        children=tuple(builder.top),
        choices=choices,
    )
    problems = builder.problems + checks.check_form(form, workbook)
    if problems:
        raise FormError(problems)
    reference.agree(workbook)
    return form


def _settings(sheet: Sheet | None) -> dict[str, str]:
    if sheet is None or not sheet.rows:
        return {}
    return {base(column)[0]: text for column, text in sheet.rows[0].cells}


def _languages(workbook: Workbook, builder: _Builder) -> tuple[Language, ...]:
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


def _text(row: Row, column: str, builder: _Builder, sheet: str = "survey") -> Text:
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


def _choices(sheet: Sheet | None, builder: _Builder) -> dict[str, tuple[Choice, ...]]:
    lists: dict[str, list[Choice]] = {}
    seen: dict[tuple[str, str], int] = {}
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
        label = _text(row, "label", builder, "choices")
        if not label:
            builder.problem(row.number, "label", f"the choice '{name}' has no label", "choices")
        items = lists.setdefault(list_name, [])
        items.append(Choice(name, label, row.number))
        if len(items) == limits.MAX_CHOICES + 1:
            builder.problem(
                row.number,
                "list_name",
                f"the list '{list_name}' has more than {limits.MAX_CHOICES} choices "
                "(limit MAX_CHOICES)",
                "choices",
            )
    return {name: tuple(items) for name, items in lists.items()}


def _kind(row: Row, builder: _Builder) -> tuple[str, str] | None:
    """(type, list name) of a survey row, or None (with a problem) when it is not supported."""
    written = " ".join(row.get("type").split())
    words = written.lower().replace("select one ", "select_one ").split()
    words = " ".join(words).replace("select all that apply", "select_multiple").split()
    if not words:
        builder.problem(row.number, "type", "the row has no type")
        return None
    joined = " ".join(words).replace("_", " ")
    if joined in ("begin group", "end group"):
        return ("begin_group" if joined.startswith("begin") else "end_group"), ""
    if joined in ("begin repeat", "end repeat"):
        message = "repeats are not supported: ask the questions once, or in a group"
    elif words[0] in ("select_one", "select_multiple"):
        if len(words) == 2:
            return words[0], written.split()[-1]
        message = (
            "'or_other' is not supported: add an 'other' choice and a text question"
            if words[-1] == "or_other"
            else f"'{words[0]}' is followed by the name of one choice list, e.g. '{words[0]} yn'"
        )
    elif len(words) == 1 and words[0] in _TYPES:
        return _TYPES[words[0]], ""
    elif words[0] in _METADATA:
        message = f"'{written}' is metadata collected by a phone app: remove the row"
    else:
        supported = ", ".join([*_SUPPORTED_SELECTS, *sorted(set(_TYPES.values())), *_GROUPS])
        message = f"the type '{written}' is not supported (supported: {supported})"
    builder.problem(row.number, "type", message)
    return None


def _survey_row(row: Row, builder: _Builder, choices: dict[str, tuple[Choice, ...]]) -> None:
    kind = _kind(row, builder)
    for column, text in row.cells:
        column_base = base(column)[0]
        if column_base in UNSUPPORTED and text:
            builder.problem(row.number, column, UNSUPPORTED[column_base])
    if kind is None:
        return
    type_, list_name = kind
    if type_ == "end_group":
        if not builder.stack:
            builder.problem(row.number, "type", "'end group' without a 'begin group' before it")
            return
        start, name, children = builder.stack.pop()
        builder.children.append(
            Group(
                name=name,
                label=_text(start, "label", builder),
                hint=_text(start, "hint", builder),
                row=start.number,
                relevant=_expression(start, "relevant", builder),
                appearance=start.get("appearance"),
                groups=builder.groups,
                children=tuple(children),
            )
        )
        return
    name = row.get("name")
    if not _NAME.fullmatch(name) or len(name) > limits.MAX_NAME_CHARS:
        builder.problem(
            row.number,
            "name",
            f"'{name}' is not a usable name: a letter or _ first, then letters, digits, _ . -; "
            f"at most {limits.MAX_NAME_CHARS} characters"
            if name
            else "the row has no name",
        )
        return
    builder.count += 1
    if type_ == "begin_group":
        if len(builder.stack) >= limits.MAX_GROUP_DEPTH:
            builder.problem(
                row.number,
                "type",
                f"groups are nested more than {limits.MAX_GROUP_DEPTH} deep "
                "(limit MAX_GROUP_DEPTH)",
            )
            raise FormError(builder.problems)  # deeper rows can only repeat the same
        builder.stack.append((row, name, []))
        return
    if list_name and list_name not in choices:
        builder.problem(
            row.number, "type", f"there is no choice list '{list_name}' on the choices sheet"
        )
    required, required_if = _required(row, builder)
    builder.children.append(
        Question(
            name=name,
            type=type_,
            label=_text(row, "label", builder),
            hint=_text(row, "hint", builder),
            row=row.number,
            list_name=list_name,
            required=required,
            required_if=required_if,
            required_message=_text(row, "required_message", builder),
            relevant=_expression(row, "relevant", builder),
            constraint=_expression(row, "constraint", builder),
            constraint_message=_text(row, "constraint_message", builder),
            appearance=row.get("appearance"),
            groups=builder.groups,
            correct=tuple(row.get("correct").split()),
            points=_points(row, builder),
            extra=tuple(
                (base(column)[0], text)
                for column, text in row.cells
                if base(column)[0] not in (*TRANSLATED, *PLAIN, *UNSUPPORTED)
            ),
        )
    )


def _expression(row: Row, column: str, builder: _Builder) -> Expression | None:
    text = row.get(column)
    if not text:
        return None
    try:
        expression = parse_expression(text)
    except ExpressionError as error:
        at = f" (at character {error.column + 1})" if error.column else ""
        builder.problem(row.number, column, f"{error.message}{at}")
        return None
    if expression.uses_current and column != "constraint":
        builder.problem(
            row.number, column, "'.' is the answer being checked: use it in a constraint only"
        )
    return expression


def _required(row: Row, builder: _Builder) -> tuple[bool, Expression | None]:
    text = row.get("required")
    if text.lower() in _YES:
        return True, None
    if text.lower() in _NO:
        return False, None
    return False, _expression(row, "required", builder)


def _points(row: Row, builder: _Builder) -> int:
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

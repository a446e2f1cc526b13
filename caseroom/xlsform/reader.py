"""Read an XLSForm into a Form: our own checks first, every problem at its row, then pyxform.

`read_form(data, filename)` reads the sheets (sheets.py), builds the groups and questions of
the survey sheet and the choice lists row by row, collects every problem it finds (checks.py
adds those across rows), and only when there are none asks pyxform, the reference
implementation, whether it agrees (reference.py). Either way the caller gets a Form or a
FormError listing Problems, never a traceback.
"""

from __future__ import annotations

import re

from . import checks, limits, reference
from .cells import (
    ANSWERED_ONLY,
    PLAIN,
    TRANSLATED,
    UNSUPPORTED,
    Builder,
    appearance_of,
    base,
    choices_of,
    expression_of,
    languages_of,
    not_on,
    points_of,
    required_of,
    settings_of,
    text_of,
)
from .model import Choice, Form, Group, Question
from .problems import FormError, Problem
from .sheets import Row, Workbook, read_markdown, read_workbook

__all__ = ["read_form", "read_form_markdown"]

_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "note": "note",
    "acknowledge": "acknowledge",
    "calculate": "calculate",
}
_METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
             "subscriberid", "email", "audit", "start-geopoint"}  # fmt: skip
_SUPPORTED_SELECTS = ("select_one LIST", "select_multiple LIST")
_GROUPS = ("begin group", "end group")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def read_form(data: bytes, filename: str = "") -> Form:
    """The Form of an .xlsx file (or a Markdown table), or FormError with every problem."""
    workbook = read_workbook(data, filename)
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] if filename else ""
    return build_form(workbook, stem)


def read_form_markdown(text: str) -> Form:
    """The Form of a Markdown table (the format of the test fixtures)."""
    return build_form(read_markdown(text), "")


def build_form(workbook: Workbook, fallback_title: str) -> Form:
    survey = workbook.sheet("survey")
    if survey is None:
        raise FormError([Problem("", 0, "", "the workbook has no 'survey' sheet")])
    builder = Builder()
    settings = settings_of(workbook.sheet("settings"))
    languages = languages_of(workbook, builder)
    choices = choices_of(workbook.sheet("choices"), builder)
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


def _kind(row: Row, builder: Builder) -> tuple[str, str] | None:
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
    elif words[0] in ("select_one_from_file", "select_multiple_from_file"):
        message = (
            f"'{words[0]}' (choices from a file) is not supported: put the choices on the "
            "choices sheet"
        )
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


def _survey_row(row: Row, builder: Builder, choices: dict[str, tuple[Choice, ...]]) -> None:
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
        not_on(start, builder, ("calculation", "default", "choice_filter"), "a group")
        builder.children.append(
            Group(
                name=name,
                label=text_of(start, "label", builder),
                hint=text_of(start, "hint", builder),
                row=start.number,
                relevant=expression_of(start, "relevant", builder),
                appearance=appearance_of(start, builder),
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
    if type_ == "calculate":
        not_on(row, builder, ANSWERED_ONLY, "a calculation (it is not asked)")
        if not row.get("calculation"):
            builder.problem(row.number, "calculation", "a calculate row needs a calculation")
    else:
        not_on(row, builder, ("calculation",), f"a {type_} question: use a calculate row")
    if type_ == "note":
        not_on(row, builder, ("default", "choice_filter"), "a note (it is not answered)")
    if row.get("choice_filter") and not list_name:
        builder.problem(
            row.number, "choice_filter", "only select_one and select_multiple questions filter"
        )
    required, required_if = required_of(row, builder)
    builder.children.append(
        Question(
            name=name,
            type=type_,
            label=text_of(row, "label", builder),
            hint=text_of(row, "hint", builder),
            row=row.number,
            list_name=list_name,
            required=required,
            required_if=required_if,
            required_message=text_of(row, "required_message", builder),
            relevant=expression_of(row, "relevant", builder),
            constraint=expression_of(row, "constraint", builder),
            constraint_message=text_of(row, "constraint_message", builder),
            appearance=appearance_of(row, builder),
            groups=builder.groups,
            correct=tuple(row.get("correct").split()),
            points=points_of(row, builder),
            extra=tuple(
                (base(column)[0], text)
                for column, text in row.cells
                if base(column)[0] not in (*TRANSLATED, *PLAIN, *UNSUPPORTED)
            ),
            calculation=expression_of(row, "calculation", builder),
            default=row.get("default"),
            choice_filter=expression_of(
                row, "choice_filter", builder, fields=builder.choice_columns | {"name"}
            ),
        )
    )

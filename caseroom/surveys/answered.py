"""A respondent's own answers as they read them, for the page a personal link shows once the
answers are sent: question and answer in plain text, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from caseroom.lib.markdown import plain_text
from caseroom.xlsform import SELECT_TYPES, Form

__all__ = ["AnsweredItem", "answered_items"]


@dataclass(frozen=True)
class AnsweredItem:
    label: str
    answer: str


def _answer(form: Form, name: str, value: Any, language: str) -> str:
    question = form.question(name)
    if question.type in SELECT_TYPES:
        labels = {c.name: c.label for c in form.choices_of(question)}
        picked = value if isinstance(value, list) else [value]
        return ", ".join(
            plain_text(form.text(labels[p], language)) if p in labels else str(p) for p in picked
        )
    if question.type == "acknowledge":
        return "✓"
    return str(value)


def answered_items(
    form: Form, answers: Mapping[str, Any], language_code: str
) -> tuple[AnsweredItem, ...]:
    """The questions answered, in the form's order (calculations and notes left out)."""
    language = form.language_for(language_code)
    return tuple(
        AnsweredItem(
            plain_text(form.text(q.label, language)),
            _answer(form, q.name, answers[q.name], language),
        )
        for q in form.questions
        if q.answerable and q.name in answers
    )

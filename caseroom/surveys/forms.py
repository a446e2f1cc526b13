"""The web form of a questionnaire version, in the reader's language, and the round-code form.

`QuestionnaireForm` has one field per question (named `q-<name>`); its fields accept what a
browser sends and xlsform does every check (`review_answers`), so the rules live in one place
and the relevance known from the data decides which errors count. `items` lays the form out
for templates (`surveys/_questionnaire.html`): labels and hints rendered from Markdown and
sanitised, choices, whether each item is shown (relevant) now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseroom.lib.forms import KeyField, code_input
from caseroom.lib.markdown import plain_text, render_markdown
from caseroom.xlsform import Choice, Complaint, Form, Group, Question, Text, limits, review_answers

from .access import normalise_code
from .models import CODE_ALPHABET, CODE_LENGTH, QuestionnaireVersion
from .registry import form_of

__all__ = ["ChoiceItem", "CodeForm", "Item", "QuestionnaireForm"]

PREFIX = "q-"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Questionnaire code"),
        max_length=20,
        widget=code_input(),
    )

    def clean_code(self) -> str:
        code = normalise_code(str(self.cleaned_data["code"]))
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise forms.ValidationError(
                _("A questionnaire code has 8 letters and digits, e.g. K7MP3QXA.")
            )
        return code


class _Picks(forms.Field):
    """Names picked in a multiple choice, as sent (xlsform checks them)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _field(question: Question) -> forms.Field:
    kind = question.type
    if kind == "select_multiple":
        return _Picks(required=False)
    if kind == "acknowledge":
        return forms.BooleanField(required=False)
    if kind == "integer":
        widget: forms.Widget = forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"})
    elif kind == "decimal":
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    elif kind == "date":
        widget = forms.DateInput(attrs={"type": "date"})
    elif kind == "text" and "multiline" in question.appearance:
        widget = forms.Textarea(attrs={"rows": 4, "maxlength": limits.MAX_TEXT_ANSWER_CHARS})
    elif kind == "select_one" and "minimal" in question.appearance:
        widget = forms.Select()
    else:
        widget = forms.TextInput(attrs={"maxlength": limits.MAX_TEXT_ANSWER_CHARS})
    # Not stripped by Django: xlsform decides what counts as empty, and keeps text as typed.
    return forms.CharField(required=False, strip=False, widget=widget)


def _messages() -> dict[str, str]:
    return {
        "required": _("This question needs an answer."),
        "constraint": _("This answer is not accepted."),
        "not_a_choice": _("Choose one of the options given."),
        "not_a_number": _("Enter a number."),
        "not_a_whole_number": _("Enter a whole number."),
        "out_of_range": _("This number is too large."),
        "not_a_date": _("Enter a date."),
        "too_long": _("This answer is too long: at most %(count)s characters.")
        % {"count": f"{limits.MAX_TEXT_ANSWER_CHARS:,}"},
        "not_text": _("Enter text."),
    }


def complaint_text(complaint: Complaint) -> str:
    """The author's words where written, else ours in the reader's language."""
    if complaint.authored:
        return complaint.message
    return _messages().get(complaint.code, complaint.message)


@dataclass(frozen=True)
class ChoiceItem:
    value: str
    label: SafeString
    checked: bool
    id: str


@dataclass(frozen=True)
class Item:
    kind: str  # question | note | group
    name: str
    type: str  # the question's type ("" for a group)
    label: SafeString
    hint: SafeString
    shown: bool
    required: bool
    field: forms.BoundField | None = None
    choices: tuple[ChoiceItem, ...] = ()
    errors: tuple[str, ...] = ()
    children: tuple[Item, ...] = ()

    @property
    def radio(self) -> bool:
        return self.type == "select_one" and self.field is not None and not self._select

    @property
    def checkboxes(self) -> bool:
        return self.type == "select_multiple"

    @property
    def _select(self) -> bool:
        return self.field is not None and isinstance(self.field.field.widget, forms.Select)


def _inline(html: str) -> SafeString:
    """Markdown rendered for a label: one paragraph loses its <p>, so it fits in a <label>."""
    stripped = html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        stripped = stripped[3:-4]
    return mark_safe(stripped)  # noqa: S308 - render_markdown's output is sanitised by nh3


class QuestionnaireForm(forms.Form):
    key = KeyField()

    def __init__(
        self,
        data: Any = None,
        *,
        version: QuestionnaireVersion,
        language: str,
        show_errors: bool = True,
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.questionnaire: Form = form_of(version)
        self.language = self.questionnaire.language_for(language)
        self.show_errors = show_errors
        self.today = today
        self.answers: dict[str, Any] = {}
        for question in self.questionnaire.questions:
            if question.answerable:
                field = _field(question)
                if isinstance(field.widget, forms.Select):
                    field.widget.choices = [
                        ("", "—"),
                        *[(c.name, self._plain(c.label)) for c in self._choices(question)],
                    ]
                self.fields[PREFIX + question.name] = field

    def _text(self, text: Text) -> str:
        return self.questionnaire.text(text, self.language)

    def _plain(self, text: Text) -> str:
        return plain_text(self._text(text))

    def _choices(self, question: Question) -> tuple[Choice, ...]:
        return self.questionnaire.choices_of(question)

    def raw_answers(self) -> dict[str, Any]:
        """What the browser sent, by question name (before any check): for relevance."""
        if not self.is_bound:
            return {}
        found = {}
        for name, field in self.fields.items():
            if name.startswith(PREFIX):
                found[name[len(PREFIX) :]] = field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix(name)
                )
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw = {
            name[len(PREFIX) :]: value for name, value in cleaned.items() if name.startswith(PREFIX)
        }
        review = review_answers(self.questionnaire, raw, self.language, today=self.today)
        for name, complaint in review.complaints.items():
            self.add_error(PREFIX + name, complaint_text(complaint))
        self.answers = review.answers
        return cleaned

    def add_complaints(self, complaints: dict[str, Complaint]) -> None:
        """Complaints raised later (actions.InvalidAnswers), next to their questions."""
        for name, complaint in complaints.items():
            field = PREFIX + name if PREFIX + name in self.fields else None
            self.add_error(field, complaint_text(complaint))

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """The questionnaire laid out for the template, groups holding their questions."""
        relevant = review_answers(self.questionnaire, self.raw_answers(), today=self.today).relevant
        errors = self.errors if (self.is_bound and self.show_errors) else {}
        return tuple(self._item(e, relevant, errors) for e in self.questionnaire.children)

    def _item(self, element: Question | Group, relevant: frozenset[str], errors: Any) -> Item:
        label = _inline(render_markdown(self._text(element.label)))
        hint = _inline(render_markdown(self._text(element.hint))) if element.hint else mark_safe("")
        if isinstance(element, Group):
            children = tuple(self._item(e, relevant, errors) for e in element.children)
            return Item(
                "group", element.name, "", label, hint, any(c.shown for c in children), False,
                children=children,
            )  # fmt: skip
        if not element.answerable:
            return Item("note", element.name, "note", label, hint, element.name in relevant, False)
        bound = self[PREFIX + element.name]
        value = bound.value()
        picked = set(value) if isinstance(value, list) else {value}
        choices = tuple(
            ChoiceItem(
                c.name,
                _inline(render_markdown(self._text(c.label))),
                c.name in picked,
                f"{bound.auto_id}_{index}",
            )
            for index, c in enumerate(self._choices(element))
        )
        return Item(
            kind="question",
            name=element.name,
            type=element.type,
            label=label,
            hint=hint,
            shown=element.name in relevant,
            required=element.required,
            field=bound,
            choices=choices,
            errors=tuple(errors.get(PREFIX + element.name, ())),
        )

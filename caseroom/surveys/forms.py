"""The web form of a questionnaire version, in the reader's language, and the round-code form.

`QuestionnaireForm` has one field per question (named `q-<name>`); its fields accept what a
browser sends and xlsform does every check (`review_answers`), so the rules live in one place
and the relevance known from the data decides which errors count. `items` lays the form out
for templates (`surveys/_questionnaire.html`): labels and hints rendered from Markdown and
sanitised (`${name}` in them filled with the answers so far), the choices a choice filter
offers now, whether each item is shown (relevant) now, its appearance as CSS classes.

A question that is not relevant is rendered hidden and disabled, so a browser does not send
what was typed before it stopped applying; `strict` then refuses an answer to it (or to a
question the form does not have) with a clear message instead of dropping it. `partial` checks
a draft: the shape of each answer, not what is missing. `initial_answers` (a draft's, else
the form's defaults) fill an unbound form; `fixed` answers (a personal link's country) are
shown and cannot be changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseroom.lib.forms import KeyField, code_input
from caseroom.lib.markdown import plain_text, render_markdown
from caseroom.xlsform import (
    Choice,
    Complaint,
    Form,
    Group,
    Question,
    Review,
    Text,
    fill_references,
    limits,
    review_answers,
)

from .access import normalise_code
from .models import CODE_ALPHABET, CODE_LENGTH, QuestionnaireVersion
from .registry import form_of
from .tokens import RESUME_LENGTH, normalise_resume_code

__all__ = ["ChoiceItem", "CodeForm", "Item", "QuestionnaireForm", "ResumeForm"]

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


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Resume code"),
        max_length=20,
        widget=code_input(),
        help_text=gettext_lazy("The code shown when you saved your answers, e.g. K7MP-3QXA."),
    )

    def clean_code(self) -> str:
        code = normalise_resume_code(str(self.cleaned_data["code"]))
        if len(code) != RESUME_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise forms.ValidationError(
                _("A resume code has 8 letters and digits, e.g. K7MP-3QXA.")
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
        "not_relevant": _("This question does not apply, given your other answers: clear it."),
        "not_asked": _("This is not a question: it takes no answer."),
        "unknown_question": _("This form has no such question."),
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
    classes: str = ""  # the appearance as CSS classes: "appearance-likert"
    disabled: bool = False  # not relevant (not sent), or fixed by a personal link

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
        strict: bool = False,
        partial: bool = False,
        initial_answers: Mapping[str, Any] | None = None,
        fixed: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.questionnaire: Form = form_of(version)
        self.language = self.questionnaire.language_for(language)
        self.show_errors = show_errors
        self.today = today
        self.strict = strict
        self.partial = partial
        self.fixed = dict(fixed or {})
        self.answers: dict[str, Any] = {}
        self.given = self._given(initial_answers)
        for question in self.questionnaire.questions:
            if question.answerable:
                field = _field(question)
                name = PREFIX + question.name
                if question.name in self.given:
                    self.initial[name] = _initial(question, self.given[question.name])
                if question.name in self.fixed:
                    field.disabled = True  # Django then takes the initial value, not the data
                self.fields[name] = field

    def _given(self, answers: Mapping[str, Any] | None) -> dict[str, Any]:
        """The answers an unbound form starts from: the draft's, else the defaults."""
        form = self.questionnaire
        if answers is None:
            found: dict[str, Any] = {
                q.name: q.default.split() if q.type == "select_multiple" else q.default
                for q in form.questions
                if q.default and q.answerable
            }
        else:
            found = {
                name: value
                for name, value in answers.items()
                if form.has_question(name) and form.question(name).answerable
            }
        return {**found, **self.fixed}

    def _text(self, text: Text) -> str:
        return self.questionnaire.text(text, self.language)

    def _plain(self, text: Text) -> str:
        return plain_text(self._text(text))

    def _choices(self, question: Question) -> tuple[Choice, ...]:
        return self.questionnaire.choices_of(question)

    def raw_answers(self) -> dict[str, Any]:
        """What the browser sent, by question name (before any check): for relevance. An
        unbound form: the answers it starts from."""
        if not self.is_bound:
            return dict(self.given)
        found = {}
        for name, field in self.fields.items():
            if name.startswith(PREFIX):
                found[name[len(PREFIX) :]] = field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix(name)
                )
        return {**found, **self.fixed}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw = {
            name[len(PREFIX) :]: value for name, value in cleaned.items() if name.startswith(PREFIX)
        }
        if self.strict:
            unknown = sorted(
                name for name in self.data if name.startswith(PREFIX) and name not in self.fields
            )
            if unknown:
                listed = ", ".join(name[len(PREFIX) :][:64] for name in unknown[:5])
                self.add_error(
                    None,
                    _("These answers name questions this form does not have: %(names)s.")
                    % {"names": listed},
                )
        review = review_answers(
            self.questionnaire,
            raw,
            self.language,
            today=self.today,
            strict=self.strict,
            partial=self.partial,
        )
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
    def _now(self) -> Review:
        return review_answers(self.questionnaire, self.raw_answers(), today=self.today)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """The questionnaire laid out for the template, groups holding their questions."""
        errors = self.errors if (self.is_bound and self.show_errors) else {}
        return tuple(self._item(e, errors) for e in self.questionnaire.children)

    def _rendered(self, text: Text) -> SafeString:
        filled = fill_references(self._text(text), self._now.answers)
        return _inline(render_markdown(filled))

    def _item(self, element: Question | Group, errors: Any) -> Item:
        relevant = self._now.relevant
        label = self._rendered(element.label)
        hint = self._rendered(element.hint) if element.hint else mark_safe("")
        classes = " ".join(f"appearance-{a.lower()}" for a in element.appearance.split())
        if isinstance(element, Group):
            children = tuple(self._item(e, errors) for e in element.children)
            return Item(
                "group", element.name, "", label, hint, any(c.shown for c in children), False,
                children=children, classes=classes,
            )  # fmt: skip
        if element.calculated:
            return Item("calculation", element.name, "calculate", label, hint, False, False)
        if not element.answerable:
            return Item("note", element.name, "note", label, hint, element.name in relevant, False)
        bound = self[PREFIX + element.name]
        own_errors = tuple(errors.get(PREFIX + element.name, ()))
        # A question that stopped applying is shown again only to say its answer must go.
        shown = element.name in relevant or bool(own_errors)
        disabled = not shown or element.name in self.fixed
        widget = bound.field.widget
        if disabled:
            widget.attrs["disabled"] = True
        choices = self._offered(element)
        if isinstance(widget, forms.Select):
            widget.choices = [("", "—"), *[(c.name, self._plain(c.label)) for c in choices]]
        value = bound.value()
        picked = set(value) if isinstance(value, list) else {value}
        return Item(
            kind="question",
            name=element.name,
            type=element.type,
            label=label,
            hint=hint,
            shown=shown,
            required=element.required,
            field=bound,
            choices=tuple(
                ChoiceItem(
                    c.name,
                    _inline(render_markdown(self._text(c.label))),
                    c.name in picked,
                    f"{bound.auto_id}_{index}",
                )
                for index, c in enumerate(choices)
            ),
            errors=own_errors,
            classes=classes,
            disabled=disabled,
        )

    def _offered(self, question: Question) -> tuple[Choice, ...]:
        choices = self._choices(question)
        offered = self._now.offered.get(question.name)
        if offered is None:
            return choices if question.choice_filter is None else ()
        return tuple(c for c in choices if c.name in offered)


def _initial(question: Question, value: Any) -> Any:
    """A stored answer as its field shows it."""
    if question.type == "acknowledge":
        return bool(value)
    if isinstance(value, list):
        return [str(v) for v in value]
    return "" if value is None else str(value)

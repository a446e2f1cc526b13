"""The typed, frozen model of a questionnaire: a Form of Groups and Questions, with Choices.

Built by `reader.read_form`; stored by the surveys app as JSON (`to_dict` / `Form.from_dict`),
so a stored version is read back without the workbook. Texts keep every language the author
wrote; `Form.language_for` picks the one a reader's language code asks for. `Form.order` is
the order answers are worked out in (order.py): each question after those its relevance or
calculation reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .expressions import Expression
from .order import evaluation_order
from .problems import Problem

__all__ = [
    "APPEARANCES",
    "CUSTOM_COLUMNS",
    "QUESTION_TYPES",
    "SELECT_TYPES",
    "Choice",
    "Form",
    "Group",
    "Language",
    "Question",
    "Text",
]

# Types a Question may have (groups are Group elements, not questions).
QUESTION_TYPES = (
    "acknowledge",
    "calculate",
    "date",
    "decimal",
    "integer",
    "note",
    "select_multiple",
    "select_one",
    "text",
)
SELECT_TYPES = frozenset({"select_one", "select_multiple"})
# Columns of our own that pyxform would drop; any other unknown column is kept in `extra` too.
CUSTOM_COLUMNS = ("correct", "guideline_section", "points", "topic")
# Appearances the web form honours, each as the CSS class `appearance-<name>`
# (surveys/static/surveys/questionnaire.css): minimal is a drop-down list, multiline a text
# area, horizontal/compact/columns/likert lay choices out in a row or a scale, field-list and
# no-calendar change nothing on a page that already shows every question at once. Other
# names are kept as a class too and listed in `Form.warnings`.
APPEARANCES = frozenset(
    {
        "minimal",
        "multiline",
        "horizontal",
        "horizontal-compact",
        "compact",
        "columns",
        "columns-pack",
        "likert",
        "field-list",
        "no-calendar",
        "quick",
    }
)

_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$")


@dataclass(frozen=True)
class Language:
    """A language of the form: `key` as written after `label::` ("English (en)"), `code` the
    code in its parentheses ("en"), or the key itself when it is a bare code ("fr")."""

    key: str
    code: str

    @classmethod
    def of(cls, key: str) -> Language:
        found = _CODE.search(key)
        if found:
            return cls(key, found[1].lower().replace("_", "-"))
        bare = key.strip().lower().replace("_", "-")
        return cls(key, bare if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", bare) else "")


@dataclass(frozen=True)
class Text:
    """One text in several languages: pairs of (language key, text); key "" is a column
    written without a language (`label`)."""

    values: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return any(text for _, text in self.values)

    def get(self, language: str, fallback: str = "") -> str:
        """The text in `language` (a key), else in `fallback`, else without language, else any."""
        found = dict(self.values)
        for key in (language, fallback, ""):
            if found.get(key):
                return found[key]
        return next((text for _, text in self.values if text), "")


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text
    row: int = 0
    # Other columns of the choices sheet (`country` of a cascading list), read by filters.
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        """What a choice filter reads: its columns, and `name`."""
        return {**dict(self.extra), "name": self.name}


@dataclass(frozen=True)
class Question:
    """One row of the survey sheet that asks something (or, for a note, tells something)."""

    name: str
    type: str  # one of QUESTION_TYPES
    label: Text = Text()
    hint: Text = Text()
    row: int = 0
    list_name: str = ""  # the choice list of a select question
    required: bool = False
    required_if: Expression | None = None  # `required` written as an expression
    required_message: Text = Text()
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text = Text()
    appearance: str = ""
    groups: tuple[str, ...] = ()  # names of the enclosing groups, outermost first
    correct: tuple[str, ...] = ()  # choice names of the right answer (scored questions)
    points: int = 0
    extra: tuple[tuple[str, str], ...] = ()  # custom columns: guideline_section, topic, ...
    calculation: Expression | None = None  # a calculate's value
    default: str = ""  # a fixed first answer, as written (checked against the type)
    choice_filter: Expression | None = None  # which choices are offered, per choice

    def column(self, name: str) -> str:
        """The value of a custom column (`guideline_section`, `topic`, ...), "" if blank."""
        return dict(self.extra).get(name, "")

    @property
    def guideline_section(self) -> str:
        return self.column("guideline_section")

    @property
    def topic(self) -> str:
        return self.column("topic")

    @property
    def scored(self) -> bool:
        return bool(self.correct)

    @property
    def answerable(self) -> bool:
        """Asked of a person (not a note, not a calculation)."""
        return self.type not in ("note", "calculate")

    @property
    def calculated(self) -> bool:
        return self.type == "calculate"

    @property
    def stored(self) -> bool:
        """Kept in a response: answers and calculated values."""
        return self.type != "note"

    @property
    def appearances(self) -> tuple[str, ...]:
        return tuple(self.appearance.split())

    @property
    def classes(self) -> str:
        """The appearances as CSS classes, e.g. "appearance-likert appearance-w3"."""
        return " ".join(f"appearance-{a.lower()}" for a in self.appearances)


@dataclass(frozen=True)
class Group:
    name: str
    label: Text = Text()
    hint: Text = Text()
    row: int = 0
    relevant: Expression | None = None
    appearance: str = ""
    groups: tuple[str, ...] = ()
    children: tuple[Question | Group, ...] = ()


@dataclass(frozen=True)
class Form:
    title: str
    id: str
    version: str = ""
    default_language: str = ""  # a language key, "" when the form has none or one
    languages: tuple[Language, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()
    children: tuple[Question | Group, ...] = ()
    choices: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question (notes included), in the order of the survey sheet."""
        return tuple(e for e in self.walk() if isinstance(e, Question))

    @cached_property
    def groups(self) -> Mapping[str, Group]:
        return {e.name: e for e in self.walk() if isinstance(e, Group)}

    @cached_property
    def _by_name(self) -> Mapping[str, Question]:
        return {q.name: q for q in self.questions}

    def question(self, name: str) -> Question:
        return self._by_name[name]

    def has_question(self, name: str) -> bool:
        return name in self._by_name

    @cached_property
    def order(self) -> tuple[Question, ...]:
        """Every question in the order its relevance and value are worked out: after the
        questions it reads, else in the order of the survey sheet (order.py)."""
        return evaluation_order(self.questions, self.groups)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """What the form asks that is kept but not acted on: appearances the web form does
        not know (each still a CSS class)."""
        found = []
        for element in self.walk():
            unknown = [a for a in element.appearance.split() if a.lower() not in APPEARANCES]
            if unknown:
                listed = ", ".join(f"'{a}'" for a in unknown)
                found.append(
                    Problem(
                        "survey",
                        element.row,
                        "appearance",
                        f"the appearance {listed} is not known here: kept as a CSS class, "
                        "the question is shown plainly",
                    )
                )
        return tuple(found)

    def walk(self) -> Iterator[Question | Group]:
        """Groups and questions depth first, in the order of the survey sheet."""
        stack = list(reversed(self.children))
        while stack:
            element = stack.pop()
            yield element
            if isinstance(element, Group):
                stack.extend(reversed(element.children))

    @property
    def scored(self) -> bool:
        return any(q.scored for q in self.questions)

    def choices_of(self, question: Question) -> tuple[Choice, ...]:
        return self.choices.get(question.list_name, ())

    def language_for(self, code: str) -> str:
        """The language key that best serves a reader's language code ("sr-latn", "en-gb"):
        the same code, else the same main language, else the form's default."""
        wanted = code.lower().replace("_", "-")
        for language in self.languages:
            if language.code == wanted:
                return language.key
        for language in self.languages:
            if language.code and language.code.split("-")[0] == wanted.split("-")[0]:
                return language.key
        return self.default_language

    def text(self, text: Text, language: str) -> str:
        """`text` in the language key `language`, else in the form's default language."""
        return text.get(language, self.default_language)

    # ---- JSON (the surveys app stores the parsed form beside the source): stored.py

    def to_dict(self) -> dict[str, Any]:
        from .stored import form_to_dict  # stored.py builds on this module

        return form_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Form:
        from .stored import form_from_dict

        return form_from_dict(data)

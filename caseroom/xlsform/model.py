"""The typed, frozen model of a questionnaire: a Form of Groups and Questions, with Choices.

Built by `reader.read_form`; stored by the surveys app as JSON (`to_dict` / `Form.from_dict`),
so a stored version is read back without the workbook. Texts keep every language the author
wrote; `Form.language_for` picks the one a reader's language code asks for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .expressions import Expression, parse_expression

__all__ = [
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
        return self.type != "note"


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

    # ---- JSON (the surveys app stores the parsed form beside the source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "id": self.id,
            "version": self.version,
            "default_language": self.default_language,
            "languages": [language.key for language in self.languages],
            "settings": dict(self.settings),
            "children": [_element_to_dict(e) for e in self.children],
            "choices": {
                name: [{"name": c.name, "label": _text(c.label), "row": c.row} for c in items]
                for name, items in self.choices.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Form:
        return cls(
            title=data["title"],
            id=data["id"],
            version=data.get("version", ""),
            default_language=data.get("default_language", ""),
            languages=tuple(Language.of(key) for key in data.get("languages", ())),
            settings=tuple(data.get("settings", {}).items()),
            children=tuple(_element_from_dict(e) for e in data.get("children", ())),
            choices={
                name: tuple(Choice(c["name"], _untext(c["label"]), c.get("row", 0)) for c in items)
                for name, items in data.get("choices", {}).items()
            },
        )


def _text(text: Text) -> dict[str, str]:
    return dict(text.values)


def _untext(data: Mapping[str, str]) -> Text:
    return Text(tuple(data.items()))


def _source(expression: Expression | None) -> str:
    return expression.source if expression is not None else ""


def _parsed(source: str) -> Expression | None:
    return parse_expression(source) if source else None


def _element_to_dict(element: Question | Group) -> dict[str, Any]:
    if isinstance(element, Group):
        return {
            "group": element.name,
            "label": _text(element.label),
            "hint": _text(element.hint),
            "row": element.row,
            "relevant": _source(element.relevant),
            "appearance": element.appearance,
            "groups": list(element.groups),
            "children": [_element_to_dict(e) for e in element.children],
        }
    q = element
    return {
        "name": q.name,
        "type": q.type,
        "label": _text(q.label),
        "hint": _text(q.hint),
        "row": q.row,
        "list_name": q.list_name,
        "required": q.required,
        "required_if": _source(q.required_if),
        "required_message": _text(q.required_message),
        "relevant": _source(q.relevant),
        "constraint": _source(q.constraint),
        "constraint_message": _text(q.constraint_message),
        "appearance": q.appearance,
        "groups": list(q.groups),
        "correct": list(q.correct),
        "points": q.points,
        "extra": dict(q.extra),
    }


def _element_from_dict(data: Mapping[str, Any]) -> Question | Group:
    if "group" in data:
        return Group(
            name=data["group"],
            label=_untext(data["label"]),
            hint=_untext(data["hint"]),
            row=data["row"],
            relevant=_parsed(data["relevant"]),
            appearance=data["appearance"],
            groups=tuple(data["groups"]),
            children=tuple(_element_from_dict(e) for e in data["children"]),
        )
    return Question(
        name=data["name"],
        type=data["type"],
        label=_untext(data["label"]),
        hint=_untext(data["hint"]),
        row=data["row"],
        list_name=data["list_name"],
        required=data["required"],
        required_if=_parsed(data["required_if"]),
        required_message=_untext(data["required_message"]),
        relevant=_parsed(data["relevant"]),
        constraint=_parsed(data["constraint"]),
        constraint_message=_untext(data["constraint_message"]),
        appearance=data["appearance"],
        groups=tuple(data["groups"]),
        correct=tuple(data["correct"]),
        points=data["points"],
        extra=tuple(data["extra"].items()),
    )

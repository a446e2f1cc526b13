"""A Form as JSON and back: the surveys app stores the parsed form beside its source, so a
stored version is read without the workbook. Keys added later (calculation, default,
choice_filter, a choice's extra columns) are written only when used and read with a
default, so versions stored before them read the same.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .expressions import Expression, parse_expression
from .model import Choice, Form, Group, Language, Question, Text

__all__ = ["form_from_dict", "form_to_dict"]


def form_to_dict(self: Form) -> dict[str, Any]:
    """The form as JSON-ready data."""
    return {
        "title": self.title,
        "id": self.id,
        "version": self.version,
        "default_language": self.default_language,
        "languages": [language.key for language in self.languages],
        "settings": dict(self.settings),
        "children": [_element_to_dict(e) for e in self.children],
        "choices": {
            name: [_choice_to_dict(c) for c in items] for name, items in self.choices.items()
        },
    }


def form_from_dict(data: Mapping[str, Any]) -> Form:
    """A form read back from `form_to_dict`'s data (older versions lack newer keys)."""
    return Form(
        title=data["title"],
        id=data["id"],
        version=data.get("version", ""),
        default_language=data.get("default_language", ""),
        languages=tuple(Language.of(key) for key in data.get("languages", ())),
        settings=tuple(data.get("settings", {}).items()),
        children=tuple(_element_from_dict(e) for e in data.get("children", ())),
        choices={
            name: tuple(_choice_from_dict(c) for c in items)
            for name, items in data.get("choices", {}).items()
        },
    )


def _choice_to_dict(choice: Choice) -> dict[str, Any]:
    found: dict[str, Any] = {"name": choice.name, "label": _text(choice.label), "row": choice.row}
    if choice.extra:
        found["extra"] = dict(choice.extra)
    return found


def _choice_from_dict(data: Mapping[str, Any]) -> Choice:
    extra = tuple(data.get("extra", {}).items())
    return Choice(data["name"], _untext(data["label"]), data.get("row", 0), extra)


def _text(text: Text) -> dict[str, str]:
    return dict(text.values)


def _untext(data: Mapping[str, str]) -> Text:
    return Text(tuple(data.items()))


def _source(expression: Expression | None) -> str:
    return expression.source if expression is not None else ""


def _parsed(source: str, fields: Collection[str] = ()) -> Expression | None:
    return parse_expression(source, fields=fields) if source else None


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
        # Written only when used: versions stored before these existed read the same.
        **({"calculation": q.calculation.source} if q.calculation else {}),
        **({"default": q.default} if q.default else {}),
        **(
            {
                "choice_filter": q.choice_filter.source,
                "filter_fields": sorted(q.choice_filter.fields),
            }
            if q.choice_filter
            else {}
        ),
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
        calculation=_parsed(data.get("calculation", "")),
        default=data.get("default", ""),
        choice_filter=_parsed(data.get("choice_filter", ""), data.get("filter_fields", ())),
    )

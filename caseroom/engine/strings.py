"""Every user-visible string of a scenario under a stable key, and its text in a language.

Keys follow the structure of the scenario (`scene.<id>.text`, `action.<id>.feedback`,
`action.<id>.outcomes.0.feedback`, `document.<id>.table.2.1`), so they do not move when
text is edited, and logic never refers to text: adding a language never touches logic.
Translations are read, checked and applied in `translations/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .scenario import Scenario

__all__ = ["TEXT_FIELDS", "catalogue", "text"]

TEXT_FIELDS = frozenset(
    {
        "title",
        "summary",
        "text",
        "briefing",
        "feedback",
        "debrief",
        "locked",
        "prompt",
        "message",
        "narrative",
        "explanation",
        "rationale",
        "caption",
        "body",
        "description",
        "reason",
    }
)
_SECTIONS = (
    ("objective", "objectives"),
    ("phase", "phases"),
    ("rubric", "rubric"),
    ("role", "roles"),
    # An authority nobody plays is named wherever a role is (who decided, who was asked),
    # so its texts are keyed as a role's: ids are unique across the scenario.
    ("role", "authorities"),
    ("scene", "scenes"),
    ("action", "actions"),
    ("document", "documents"),
    ("inject", "injects"),
    ("ending", "endings"),
    ("misconception", "misconceptions"),
)


def _walk(prefix: str, model: BaseModel) -> Iterator[tuple[str, str]]:
    for name in type(model).model_fields:
        value: Any = getattr(model, name)
        if value is None or name in ("options", "actions"):
            continue
        key = f"{prefix}.{name}"
        if name in TEXT_FIELDS and isinstance(value, str):
            if value:
                yield key, value
        elif name == "reasons":
            for index, reason in enumerate(value):
                yield f"{key}.{index}", reason
        elif name == "table":
            for index, column in enumerate(value.columns):
                yield f"{key}.columns.{index}", column
            for r, row in enumerate(value.rows):
                for c, cell in enumerate(row):
                    if isinstance(cell, str) and cell:
                        yield f"{key}.{r}.{c}", cell
        elif isinstance(value, BaseModel):
            yield from _walk(key, value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                label = getattr(item, "id", None) if name == "items" else None
                yield from _walk(f"{key}.{label if label is not None else index}", item)


def catalogue(scenario: Scenario) -> dict[str, str]:
    """Key → source text, in the order of the scenario."""
    cached = scenario.cache.get("strings")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    doc = scenario.doc
    result: dict[str, str] = {"scenario.title": doc.title}
    if doc.summary:
        result["scenario.summary"] = doc.summary
    for kind, section in _SECTIONS:
        items = scenario.actions.values() if kind == "action" else getattr(doc, section)
        for item in items:
            result.update(_walk(f"{kind}.{item.id}", item))
    for name, variable in doc.variables.items():
        # Only the labels: a variable's description is the author's note, never shown.
        if variable.label:
            result[f"variable.{name}.label"] = variable.label
        for value, words in variable.value_labels.items():
            result[f"variable.{name}.value_labels.{value}"] = words
    for index, step in enumerate(doc.expert_path):
        if step.rationale:
            result[f"expert.{index}.rationale"] = step.rationale
    scenario.cache["strings"] = result
    return result


def text(scenario: Scenario, key: str | None, lang: str | None = None) -> str:
    """The text of a key in `lang`, falling back to the source language string by string
    (a `translations.Fallback` then); '' if the key is unknown."""
    if key is None:
        return ""
    if lang is None:
        return catalogue(scenario).get(key, "")
    from .translations import localise  # translations builds on this module

    return localise(scenario, lang).text(key)

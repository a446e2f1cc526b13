"""The questionnaires Caseroom ships, so a manager can give a module a test without
authoring one: Markdown-table XLSForms in `forms/`, registered like an upload (the same
bytes are one version however many modules pick them, so their results compare)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caseroom.surveys.models import QuestionnaireVersion
from caseroom.surveys.registry import register_form

__all__ = ["SHIPPED", "Shipped", "register_shipped"]

FOLDER = Path(__file__).resolve().parent / "forms"


@dataclass(frozen=True)
class Shipped:
    key: str
    filename: str
    title: str
    label: Promise
    scored: bool  # fit for a pre/post test

    def data(self) -> bytes:
        return (FOLDER / self.filename).read_bytes()


SHIPPED = {
    s.key: s
    for s in (
        Shipped(
            "knowledge_test",
            "knowledge_test.md",
            "Knowledge test: TIP and SOM fundamentals",
            _("Knowledge test: trafficking and smuggling fundamentals (10 questions)"),
            scored=True,
        ),
        Shipped(
            "session_evaluation",
            "session_evaluation.md",
            "Session evaluation",
            _("Session evaluation (6 statements on a 1–5 scale and a comment)"),
            scored=False,
        ),
    )
}


def register_shipped(key: str) -> QuestionnaireVersion:
    """The shipped form's version (registered on first use)."""
    shipped = SHIPPED[key]
    return register_form(shipped.data(), shipped.filename, shipped.title)

"""Form pieces every app's forms share: the idempotency key and the code a person types."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

__all__ = ["KeyField", "code_input", "new_key"]


def new_key() -> str:
    """An idempotency key, put in a hidden field when a form is rendered."""
    return uuid.uuid4().hex


class KeyField(forms.CharField):
    """The hidden idempotency key: a repeated submit (a double tap, a retry after a lost
    answer) carries the same key, and the action applies it once."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=80, required=False, **kwargs)


def code_input(**attrs: str) -> forms.TextInput:
    """A text box for a code typed from a screen on a phone: no autocorrect, capitals."""
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "class": "code-input",
            **attrs,
        }
    )

"""Guideline references through the library's citations, degrading to the raw reference.

The library (`caseroom.library.citations`) resolves "coop-guidelines#4.2" to a link and a
label in the reader's language, falling back to English and saying so. It is looked up here
once, so every page and report of this app links the same way, and works (labels are then
the references themselves, with no link) on an installation or a branch without it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

__all__ = ["SectionLink", "library_available", "links", "unknown_refs"]


@dataclass(frozen=True)
class SectionLink:
    ref: str
    label: str
    url: str  # "" when the library cannot link it
    fell_back: bool  # shown in another language than the reader's (English)
    language_shown: str = ""


def _citations() -> ModuleType | None:
    try:
        return importlib.import_module("caseroom.library.citations")
    except ImportError:
        return None


def library_available() -> bool:
    module = _citations()
    return module is not None and hasattr(module, "unknown_refs")


def _link(ref: str, found: Any) -> SectionLink:
    if found is None:
        return SectionLink(ref, ref, "", False)
    return SectionLink(
        ref,
        str(getattr(found, "label", "") or ref),
        str(getattr(found, "url", "") or ""),
        bool(getattr(found, "fell_back", False)),
        str(getattr(found, "language_shown", "") or ""),
    )


def links(refs: Iterable[str], language: str) -> dict[str, SectionLink]:
    """Every reference with its label and link in `language` (raw where the library is
    missing or does not know it); one library call for all of them."""
    wanted = list(dict.fromkeys(refs))
    module = _citations()
    found: dict[str, Any] = {}
    if module is not None and wanted:
        many: Callable[..., Any] | None = getattr(module, "resolve_many", None)
        if many is not None:
            result = many(wanted, language)
            found = dict(result) if result is not None else {}
    return {ref: _link(ref, found.get(ref)) for ref in wanted}


def unknown_refs() -> Callable[[list[str]], Iterable[str]] | None:
    """The library's check of references, or None when there is no library to ask."""
    module = _citations()
    check: Callable[[list[str]], Iterable[str]] | None = getattr(module, "unknown_refs", None)
    return check

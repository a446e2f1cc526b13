"""Write or update `translations/<lang>.po` from the scenario's current strings, as gettext's
msgmerge does: new keys added untranslated, a changed source marked fuzzy with the text it
had before (`#| msgid`), keys no longer in the scenario kept as obsolete (`#~`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib  # type: ignore[import-untyped]  # polib ships no type information

from ..diagnostics import Diagnostic
from .files import normalise_language, parse_po

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = ["UpdateReport", "update_po"]

_HEADER = (
    "Translation of the scenario '{title}' ({id}) into {lang}.\n"
    "msgctxt is the string's stable key, msgid the source text, msgstr the translation.\n"
    "'fuzzy' marks a draft for review (shown to participants as a draft); an entry whose\n"
    "source changed ('#| msgid' is the text before) is not shown until it is updated and\n"
    "its fuzzy mark removed. Keep Markdown (**, *, lists, links) as in the source."
)


@dataclass(frozen=True)
class UpdateReport:
    path: Path
    added: int
    changed: int
    obsolete: int
    unchanged: int

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.added} new, {self.changed} changed (marked fuzzy), "
            f"{self.obsolete} obsolete, {self.unchanged} unchanged"
        )


def _existing(path: Path, rel: str, lang: str) -> Any:
    """The file as polib reads it (obsolete entries and comments included); None if absent."""
    if not path.exists():
        return None
    problems: list[Diagnostic] = []
    text = path.read_text(encoding="utf-8")
    if parse_po(text, rel, lang, problems) is None:  # the checked reader: never polib's errors
        raise ValueError(str(problems[0]))
    if not text.strip():
        return None
    return polib.pofile(text, encoding="utf-8", wrapwidth=0)


def update_po(scenario: Scenario, lang: str) -> UpdateReport:
    """Write `translations/<lang>.po` in the scenario folder; raises ValueError (with the
    file and line) when the existing file cannot be read, which it leaves untouched."""
    from ..strings import catalogue

    lang = normalise_language(lang)
    folder = scenario.root / "translations"
    path = folder / f"{lang}.po"
    old = _existing(path, f"translations/{lang}.po", lang)
    legacy = scenario.source.translations.get(lang)
    legacy_texts = (
        {k: e.msgstr for k, e in legacy.entries.items() if e.msgid is None} if legacy else {}
    )
    by_key: dict[str, Any] = {}
    if old is not None:
        for entry in old:
            if entry.msgctxt and (entry.msgctxt not in by_key or by_key[entry.msgctxt].obsolete):
                by_key[entry.msgctxt] = entry
    po = polib.POFile(wrapwidth=78)
    # The translators' own header comment is theirs to keep (msgmerge keeps it too).
    po.header = (
        old.header
        if old is not None and old.header
        else _HEADER.format(title=scenario.doc.title, id=scenario.id, lang=lang)
    )
    po.metadata = dict(old.metadata) if old is not None else {}
    po.metadata.update(
        {
            "Project-Id-Version": f"{scenario.id} {scenario.version}",
            "Language": lang,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "X-Generator": "caseroom strings --po",
        }
    )
    added = changed = unchanged = 0
    current = catalogue(scenario)
    for key, text in current.items():
        before = by_key.pop(key, None)
        if before is None:
            seeded = legacy_texts.get(key, "")
            entry = polib.POEntry(msgctxt=key, msgid=text, msgstr=seeded)
            if seeded:  # from the YAML form: nobody knows which source it translated
                entry.flags.append("fuzzy")
            added += 1
        else:
            entry = before
            entry.obsolete = False
            if entry.msgid == text:
                unchanged += 1
            else:
                if entry.msgstr:
                    # Keep the text it was translated from, however many updates ago.
                    if not ("fuzzy" in entry.flags and entry.previous_msgid):
                        entry.previous_msgid = entry.msgid
                    if "fuzzy" not in entry.flags:
                        entry.flags.append("fuzzy")
                entry.msgid = text
                changed += 1
        po.append(entry)
    obsolete = 0
    for entry in by_key.values():
        if not entry.obsolete:
            obsolete += 1
        entry.obsolete = True
        po.append(entry)
    folder.mkdir(exist_ok=True)
    path.write_text(str(po), encoding="utf-8")
    return UpdateReport(path, added, changed, obsolete, unchanged)

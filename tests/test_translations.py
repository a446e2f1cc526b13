"""The UI translation catalogues under caseroom/locale/: complete, well-formed, compiled.

Updating them is described in docs/translating.md. These tests do not check that every
string marked in a template or in Python is in the catalogues (that would fail whenever
someone adds a string); they check that what the catalogues hold is safe to ship.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import django
import polib  # type: ignore[import-untyped]  # polib ships no type information
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, to_language, to_locale

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
LANGS = [to_language(po.parent.parent.name) for po in CATALOGUES]  # sr_Latn → sr-latn
DJANGO_LOCALE = Path(django.__file__).parent / "conf" / "locale"

COMPILE = "cd caseroom && ../.venv/bin/python ../manage.py compilemessages"

# Python %-format directives: %(name)s, %(n)d, %s, and the literal %%.
DIRECTIVE = re.compile(r"%(?:\([^)]*\))?[#0\- +]*\d*(?:\.\d+)?[sdifr%]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / to_locale(lang) / "LC_MESSAGES" / "django.po"))


def translations(entries: polib._BaseFile) -> dict[tuple[str | None, str], object]:
    """Every translation of a .po or .mo file, keyed by (context, msgid)."""
    out: dict[tuple[str | None, str], object] = {}
    for e in entries:
        if e.msgid_plural:
            forms = {int(k): v for k, v in e.msgstr_plural.items()}
            out[(e.msgctxt, e.msgid)] = (e.msgid_plural, forms)
        else:
            out[(e.msgctxt, e.msgid)] = e.msgstr
    return out


def msgstrs(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def nplurals(po: polib._BaseFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert found, "the catalogue has no Plural-Forms header"
    return int(found.group(1))


def test_the_catalogues_live_where_settings_look_for_them() -> None:
    assert Path(settings.BASE_DIR) / "locale" == LOCALE
    assert {"sr-latn", "mk", "sq"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_is_for_a_language_of_the_menu(lang: str) -> None:
    assert lang in {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_parses_and_is_fully_translated_without_fuzzy_entries(lang: str) -> None:
    po = catalogue(lang)
    assert len(po) > 0
    assert not po.metadata_is_fuzzy, f"{lang}: the header is marked fuzzy"
    assert [e.msgid for e in po.fuzzy_entries()] == [], f"{lang}: fuzzy entries"
    assert [e.msgid for e in po.untranslated_entries()] == [], f"{lang}: untranslated entries"
    assert [e.msgid for e in po if any(not s.strip() for s in msgstrs(e))] == []
    assert [e.msgid for e in po.obsolete_entries()] == [], f"{lang}: obsolete entries (#~)"


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_match_djangos_own_catalogue_and_every_plural_has_them_all(
    lang: str,
) -> None:
    po = catalogue(lang)
    django_po = polib.pofile(str(DJANGO_LOCALE / to_locale(lang) / "LC_MESSAGES" / "django.po"))
    assert nplurals(po) == nplurals(django_po)
    for e in po:
        if e.msgid_plural:
            assert sorted(int(k) for k in e.msgstr_plural) == list(range(nplurals(po))), e.msgid


@pytest.mark.parametrize("lang", LANGS)
def test_every_translation_keeps_the_placeholders_of_its_msgid(lang: str) -> None:
    for e in catalogue(lang):
        wanted = sorted(DIRECTIVE.findall(e.msgid))
        if e.msgid_plural:
            assert sorted(DIRECTIVE.findall(e.msgid_plural)) == wanted, e.msgid
        for s in msgstrs(e):
            if "python-format" in e.flags:
                assert sorted(DIRECTIVE.findall(s)) == wanted, f"{lang}: {e.msgid!r} -> {s!r}"
            else:  # not %-formatted: a stray %(name)s would be shown as is
                assert "%(" not in s, f"{lang}: {e.msgid!r} -> {s!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_translation_keeps_the_html_tags_of_its_msgid(lang: str) -> None:
    for e in catalogue(lang):
        for s in msgstrs(e):
            assert sorted(TAG.findall(s)) == sorted(TAG.findall(e.msgid)), f"{lang}: {s!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_compiled_catalogue_holds_exactly_the_translations_of_its_po_file(
    lang: str,
) -> None:
    po_path = LOCALE / to_locale(lang) / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    hint = f"{mo_path.relative_to(settings.PROJECT_DIR)} is out of date: run `{COMPILE}` and commit the .mo"
    assert mo_path.is_file(), hint
    po, mo = polib.pofile(str(po_path)), polib.mofile(str(mo_path))
    assert translations(mo) == translations(po), hint
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms"), hint


def test_serbian_is_written_in_latin_script_as_the_language_menu_says() -> None:
    cyrillic = [
        s for e in catalogue("sr-latn") for s in msgstrs(e) if re.search("[\u0400-\u04ff]", s)
    ]
    assert cyrillic == []
    assert dict(settings.LANGUAGES)["sr-latn"] == "Srpski"


def test_macedonian_is_written_in_cyrillic_script() -> None:
    def has_letters(s: str) -> bool:
        return any(unicodedata.category(c).startswith("L") for c in DIRECTIVE.sub("", s))

    latin_only = [
        s
        for e in catalogue("mk")
        for s in msgstrs(e)
        if has_letters(s) and not re.search("[\u0400-\u04ff]", s)
    ]
    assert latin_only == []


def test_gettext_translates_known_ui_strings_into_macedonian() -> None:
    with translation.override("mk"):
        assert gettext("Join an exercise") == "Приклучете се на вежба"
        assert gettext("After-action report") == "Извештај по вежбата"
        assert gettext("Facilitator") == "Фасилитатор"


@pytest.mark.parametrize(
    ("how", "lang"),
    [("cookie", "mk"), ("cookie", "sr-latn"), ("header", "sq"), ("header", "mk")],
)
def test_the_join_page_renders_in_the_language_the_participant_chose(how: str, lang: str) -> None:
    client = Client()
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get("/")
    else:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{lang},en;q=0.5")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    po = catalogue(lang)
    for msgid in (
        "Join an exercise",
        "Enter the code your facilitator shows on the screen.",
        "Continue",
        "Facilitators: log in",
        "Skip to content",
    ):
        entry = po.find(msgid)
        assert entry is not None, msgid
        assert escape(entry.msgstr) in html, f"{lang}: {entry.msgstr!r} not on the page"
        assert escape(msgid) not in html, f"{lang}: {msgid!r} left in English"

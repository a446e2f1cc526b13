"""Each participant reads the case in the language they chose; a string without a usable
translation falls back to the source language, marked `lang="en"`, and the page says so once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.translation import gettext, override

from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios.models import ScenarioVersion
from tests.conftest import NIGHT, registered

from .support import htmx, player, teams

BORDER = "border-police-mk"
PROSECUTOR = "prosecutor-mk"


# The page's notices, as texts.py words them; checked in the reader's language by the longest
# part of each that no name is put into.
NONE = "This case is not yet translated into %(language)s; it is shown in %(source)s."
PARTS = "Parts of this case are not yet translated into %(language)s; they are shown in %(source)s."
DRAFT = "The %(language)s translation of this case is a draft, not yet reviewed."


def said(lang: str, message: str) -> str:
    with override(lang):
        words = gettext(message)
    return max(re.split(r"%\(\w+\)s", words), key=len).strip()


def play_url(exercise: Exercise, rest: str = "") -> str:
    return f"/x/{exercise.pk}/play/{rest}"


def in_language(client: Client, lang: str) -> Client:
    client.cookies["django_language"] = lang
    return client


def page(client: Client, exercise: Exercise) -> str:
    return client.get(play_url(exercise)).content.decode()


def test_a_participant_in_macedonian_reads_the_scene_in_macedonian(
    night_exercise: Exercise,
) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    html = page(in_language(client, "mk"), night_exercise)
    assert "Комбе без светла" in html  # the scene's title
    assert "Вашата патрола запрела бело доставно комбе" in html  # its text
    assert "A van without lights" not in html
    # Every string is translated, so nothing is marked as English...
    assert '<span lang="en">' not in html and '<div lang="en">' not in html
    # ...but the shipped translation is a draft for review, and the page says so once.
    assert html.count('id="case-language-notice"') == 1
    notice = html.split('id="case-language-notice"')[1].split("</p>")[0]
    assert "draft-translation" in html.split('id="case-language-notice"')[0].rsplit("<p", 1)[1]
    assert said("mk", DRAFT) in notice


def test_two_teammates_each_read_their_own_language(night_exercise: Exercise) -> None:
    team = teams(night_exercise)[0]
    macedonian, _ = player(night_exercise, "Ana", [BORDER], team)
    albanian, _ = player(night_exercise, "Besnik", [PROSECUTOR], team)
    english, _ = player(night_exercise, "Eve", ["protection-worker-mk"], team)
    mk = page(in_language(macedonian, "mk"), night_exercise)
    sq = page(in_language(albanian, "sq"), night_exercise)
    en = page(english, night_exercise)
    assert "Комбе без светла" in mk and "Një furgon pa drita" not in mk
    assert "Një furgon pa drita" in sq and "Комбе без светла" not in sq
    assert "A van without lights" in en and 'id="case-language-notice"' not in en
    # The briefing of each one's role, in each one's language.
    assert "Дежурен јавен обвинител" not in mk  # not Ana's role
    assert "Prokuror publik kujdestar (Maqedonia e Veriut)" in sq


def test_the_case_is_the_same_session_whatever_the_language(night_exercise: Exercise) -> None:
    team = teams(night_exercise)[0]
    macedonian, ana = player(night_exercise, "Ana", [BORDER], team)
    albanian, _ = player(night_exercise, "Besnik", [PROSECUTOR], team)
    event = Event("act", role=BORDER, ref="secure-and-separate", actor=ana.name, key="k1")
    actions.command(team, event, participant=ana)
    mk = page(in_language(macedonian, "mk"), night_exercise)
    sq = page(in_language(albanian, "sq"), night_exercise)
    # The feedback of Ana's action, in the feed of each.
    assert "Возачот седи во патролното возило" in mk
    assert "Shoferi rri në makinën e patrullës" in sq


@pytest.fixture
def partial_version(db: None, tmp_path: Path) -> ScenarioVersion:
    """night-crossing with a Macedonian translation that lacks the first scene's title and
    whose entry for its text is stale (its source changed since it was translated)."""
    folder = tmp_path / "night-crossing"
    shutil.copytree(NIGHT, folder)
    po = folder / "translations" / "mk.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Комбе без светла"', 'msgstr ""', 1)
    text = text.replace(
        '"**02:10, a field road near Lojane,', '"**02:15, a field road near Lojane,', 1
    )
    po.write_text(text, encoding="utf-8")
    return registered(folder)


@pytest.fixture
def partial_exercise(partial_version: ScenarioVersion, facilitator: User) -> Exercise:
    exercise = Exercise.objects.create(
        title="Partly translated", scenario=partial_version, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 1)
    return exercise


def test_a_missing_or_stale_string_falls_back_to_english_marked_and_said(
    partial_exercise: Exercise,
) -> None:
    client, _ = player(partial_exercise, "Ana", [BORDER])
    html = page(in_language(client, "mk"), partial_exercise)
    assert '<span lang="en">A van without lights</span>' in html
    # The stale text is not shown: the current English text is, marked as English.
    assert '<div lang="en"><p><strong>02:10, a field road near Lojane' in html
    assert "02:10, полски пат кај Лојане" not in html
    notice = html.split('id="case-language-notice"')[1].split("</p>")[0]
    assert said("mk", PARTS) in notice
    # The rest stays Macedonian.
    assert "Командир на смена, гранична полиција" in html


def test_the_scene_part_swapped_by_htmx_keeps_the_marks(partial_exercise: Exercise) -> None:
    client, _ = player(partial_exercise, "Ana", [BORDER])
    part = htmx(in_language(client, "mk"), play_url(partial_exercise, "part/scene/"))
    assert '<span lang="en">A van without lights</span>' in part.content.decode()


def test_a_language_without_a_translation_says_the_case_is_in_english(
    night_exercise: Exercise,
) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    html = page(in_language(client, "sr-latn"), night_exercise)
    notice = html.split('id="case-language-notice"')[1].split("</p>")[0]
    assert said("sr-latn", NONE) in notice
    assert '<span lang="en">A van without lights</span>' in html


def test_a_document_page_is_in_the_readers_language(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    in_language(client, "sq")
    html = client.get(play_url(night_exercise, "doc/doc-legal-note/")).content.decode()
    assert "Korniza juridike shkurtimisht" in html
    assert "<strong>Kontrabanda e migrantëve</strong>" in html
    assert 'id="case-language-notice"' in html

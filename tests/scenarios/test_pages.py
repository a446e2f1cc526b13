"""The trainers' Scenarios pages: the list, a version's report and map, and "try it"."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.exercises.models import Exercise, Participant
from caseroom.scenarios import access, registry
from caseroom.scenarios.models import ScenarioVersion
from tests.conftest import MINI, NIGHT, registered

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_scenario_with_its_versions(
    trainer_client: Client, mini_version: ScenarioVersion, night_version: ScenarioVersion
) -> None:
    page = trainer_client.get("/scenarios/").content.decode()
    for version in (mini_version, night_version):
        assert f'href="/scenarios/{version.pk}/"' in page
        assert version.title in page


def test_the_top_menu_offers_scenarios_to_staff_only(
    trainer_client: Client, outsider_client: Client
) -> None:
    assert 'href="/scenarios/"' in trainer_client.get("/facilitate/").content.decode()
    assert 'href="/scenarios/"' not in outsider_client.get("/facilitate/").content.decode()


def test_a_version_page_lists_its_warnings_as_caseroom_validate_prints_them(
    trainer_client: Client, mini_version: ScenarioVersion
) -> None:
    mini_version.warnings = [
        {
            "file": "scenes.yaml",
            "line": 12,
            "column": 5,
            "severity": "warning",
            "code": "unused",
            "message": "document 'doc-x' is never unlocked",
        }
    ]
    mini_version.save(update_fields=["warnings"])
    page = trainer_client.get(f"/scenarios/{mini_version.pk}/").content.decode()
    assert "Registered with 1 warning" in page
    assert "<code>scenes.yaml:12:5</code>" in page
    assert "scenes.yaml:12:5: warning: document &#x27;doc-x&#x27; is never unlocked" in page


def test_a_clean_version_says_nothing_was_found(
    trainer_client: Client, night_version: ScenarioVersion
) -> None:
    night_version.warnings = []
    night_version.save(update_fields=["warnings"])
    page = trainer_client.get(f"/scenarios/{night_version.pk}/").content.decode()
    assert "No errors and no warnings" in page


def test_a_version_page_draws_the_map_with_every_scene_and_ending(
    trainer_client: Client, night_version: ScenarioVersion
) -> None:
    page = trainer_client.get(f"/scenarios/{night_version.pk}/").content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None
    scenario = registry.load(night_version)
    drawn = svg.group(0)
    for ident in [*scenario.scenes, *scenario.endings]:
        assert f">{ident}" in drawn, ident  # each node's label names its id, as DOT's does
    assert drawn.count('class="map-node map-node-') >= len(scenario.scenes) + len(scenario.endings)
    assert 'role="img"' in drawn and "<script" not in drawn
    assert "The map as a list" in page


def test_the_flow_downloads_as_dot_and_mermaid(
    trainer_client: Client, mini_version: ScenarioVersion
) -> None:
    dot = trainer_client.get(f"/scenarios/{mini_version.pk}/graph.dot")
    assert dot["Content-Type"].startswith("text/vnd.graphviz")
    assert dot.content.decode().startswith('digraph "mini"')
    assert 'filename="mini-' in dot["Content-Disposition"]
    mermaid = trainer_client.get(f"/scenarios/{mini_version.pk}/graph.mmd")
    assert mermaid.content.decode().startswith("flowchart")
    assert trainer_client.get(f"/scenarios/{mini_version.pk}/graph.png").status_code == 404


def test_a_version_whose_stored_copy_was_altered_says_so(
    trainer_client: Client, mini_version: ScenarioVersion
) -> None:
    registry._cache.clear()
    (mini_version.folder / "scenario.yaml").write_text("id: [broken\n", encoding="utf-8")
    response = trainer_client.get(f"/scenarios/{mini_version.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "no longer loads" in page and "<svg" not in page
    assert 'action="/scenarios/' not in page  # no "try it"


def test_try_it_starts_a_one_team_exercise_with_the_trainer_in_every_role(
    trainer_client: Client, trainer: User, night_version: ScenarioVersion
) -> None:
    response = trainer_client.post(f"/scenarios/{night_version.pk}/try/", {"key": "k1"})
    exercise = Exercise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/x/{exercise.pk}/play/"
    assert exercise.status == Exercise.Status.RUNNING
    assert exercise.scenario == night_version
    assert list(exercise.facilitators.all()) == [trainer]
    assert exercise.teams.count() == 1
    (me,) = Participant.objects.filter(exercise=exercise)
    assert sorted(me.roles) == sorted(registry.load(night_version).roles)
    play = trainer_client.get(response["Location"])
    assert play.status_code == 200
    assert "you hold every role" in play.content.decode()


def test_try_it_twice_with_the_same_key_opens_the_same_exercise(
    trainer_client: Client, night_version: ScenarioVersion
) -> None:
    first = trainer_client.post(f"/scenarios/{night_version.pk}/try/", {"key": "same"})
    again = trainer_client.post(f"/scenarios/{night_version.pk}/try/", {"key": "same"})
    assert first["Location"] == again["Location"]
    assert Exercise.objects.count() == 1
    trainer_client.post(f"/scenarios/{night_version.pk}/try/", {"key": "other"})
    assert Exercise.objects.count() == 2


def test_a_practice_exercise_is_its_trainers_own(
    trainer_client: Client, facilitator_client: Client, night_version: ScenarioVersion
) -> None:
    trainer_client.post(f"/scenarios/{night_version.pk}/try/", {"key": "k"})
    exercise = Exercise.objects.get()
    assert trainer_client.get(f"/facilitate/{exercise.pk}/").status_code == 200
    assert facilitator_client.get(f"/facilitate/{exercise.pk}/").status_code == 404


def test_only_trainers_see_versions(
    trainer: User, outsider: User, mini_version: ScenarioVersion
) -> None:
    assert list(access.versions_visible_to(trainer)) == [mini_version]
    assert not access.versions_visible_to(outsider).exists()
    inactive = User.objects.create_user("gone", is_staff=True, is_active=False)
    assert not access.is_trainer(inactive)


def test_versions_of_one_scenario_are_listed_together_and_link_to_each_other(
    trainer_client: Client, tmp_path: Path
) -> None:
    first = registered(MINI)
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    source = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        source.replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8"
    )
    second = registry.register_folder(folder, explore=False)
    night = registered(NIGHT)
    page = trainer_client.get(f"/scenarios/{first.pk}/").content.decode()
    assert f'href="/scenarios/{second.pk}/"' in page
    assert f'href="/scenarios/{night.pk}/"' not in page  # another scenario
    listing = trainer_client.get("/scenarios/").content.decode()
    # One section per scenario, its newest version first.
    assert listing.count("(mini)") == 1
    assert listing.index("Version 1.1") < listing.index("Version 1.0")

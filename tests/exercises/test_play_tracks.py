"""The play page with per-role tracks (`split`): a role sees its own track's scene and
options, and the team sees where the others are ("Protection worker: At the shelter")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios import registry
from tests.conftest import ROOT
from tests.exercises.support import htmx, player

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_places(tmp_path: Path, facilitator: User) -> Exercise:
    """The documented example of tracks (docs/scenario-format.md), as an exercise."""
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Tracks: roles in two places at once", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (tmp_path / "scenario.yaml").write_text(example, encoding="utf-8")
    version = registry.register_folder(tmp_path, explore=False)
    exercise = Exercise.objects.create(
        title="Two places", scenario=version, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 1)
    return exercise


def act(client: Client, exercise: Exercise, role: str, action: str) -> None:
    url = f"/x/{exercise.pk}/play/act/"
    htmx(client, url, {"role": role, "action": action, "key": f"k-{action}"})


def scene_title(page: str) -> str:
    found = re.search(r'<h2 id="scene-title"[^>]*>(.*?)</h2>', page, flags=re.S)
    assert found is not None
    return found.group(1).strip()


def whereabouts(page: str) -> list[str]:
    block = re.search(r'<ul class="whereabouts"[^>]*>(.*?)</ul>', page, flags=re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def test_each_role_sees_its_own_scene_and_where_the_others_are(two_places: Exercise) -> None:
    police, _ = player(two_places, "Ana", ["police"])
    worker, _ = player(two_places, "Vesna", ["protection"])
    assert whereabouts(police.get(f"/x/{two_places.pk}/play/").content.decode()) == []
    act(police, two_places, "police", "take-to-shelter")

    page = police.get(f"/x/{two_places.pk}/play/").content.decode()
    assert scene_title(page) == "Searching the lorry"
    assert whereabouts(page) == ["Protection worker: At the shelter"]
    assert 'value="search-cab"' in page and 'value="let-him-rest"' not in page

    page = worker.get(f"/x/{two_places.pk}/play/").content.decode()
    assert scene_title(page) == "At the shelter"
    assert whereabouts(page) == ["Border police: Searching the lorry"]
    assert 'value="let-him-rest"' in page and 'value="search-cab"' not in page

    act(worker, two_places, "protection", "let-him-rest")
    page = worker.get(f"/x/{two_places.pk}/play/").content.decode()
    assert scene_title(page) == "Searching the lorry"
    assert whereabouts(page) == []


def test_a_person_holding_roles_in_two_places_sees_the_team_scene_and_their_other_role(
    two_places: Exercise,
) -> None:
    both, _ = player(two_places, "Ana", ["police", "protection"])
    act(both, two_places, "police", "take-to-shelter")
    page = both.get(f"/x/{two_places.pk}/play/").content.decode()
    assert scene_title(page) == "Searching the lorry"
    assert whereabouts(page) == ["Protection worker (you): At the shelter"]
    # The options of both places, each for the role that is there.
    assert 'value="search-cab"' in page and 'value="let-him-rest"' in page

"""The play page and a document read the state in their texts (`{{ time }}`, `{{ var.x }}`):
a scene's text and a briefing now, feedback and documents at the moment they arrived."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios import registry
from tests.conftest import MINI
from tests.exercises.support import htmx, player

pytestmark = pytest.mark.django_db

EDITS = {
    "scenes.yaml": [
        ("people is stopped.", "people is stopped at {{ time }} on day {{ day }}."),
        ("feedback: Good screening.", "feedback: 'Good screening at {{ time }}: {{ var.jit }}.'"),
        ("debrief: Screening first is the standard.", "debrief: 'First ({{ var.evidence }}).'"),
    ],
    "rest.yaml": [
        (
            "    kind: table\n",
            "    kind: table\n    body: 'Pulled at {{ clock }}: {{ var.seized }}.'\n",
        ),
    ],
    "scenario.yaml": [
        ("briefing: You lead the case.}", "briefing: 'You lead the case ({{ phase }}).'}"),
    ],
}


@pytest.fixture
def stateful(tmp_path: Path, facilitator: User) -> Exercise:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    for name, changes in EDITS.items():
        text = (folder / name).read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")
    version = registry.register_folder(folder, explore=False)
    exercise = Exercise.objects.create(
        title="Stateful texts", scenario=version, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 1)
    return exercise


def act(client: Client, exercise: Exercise, action: str) -> None:
    url = f"/x/{exercise.pk}/play/act/"
    htmx(client, url, {"role": "police-rs", "action": action, "key": f"k-{action}"})


def test_texts_read_the_state_now_or_at_the_moment_they_arrived(stateful: Exercise) -> None:
    client, _ = player(stateful, "Ana", ["police-rs"])
    page = client.get(f"/x/{stateful.pk}/play/").content.decode()
    assert "people is stopped at 08:00 on day 1." in page
    assert "You lead the case (Initial checks)." in page
    act(client, stateful, "treat-as-victim")
    act(client, stateful, "check-db")  # 2h
    act(client, stateful, "note")  # 30m more: the document keeps its moment
    assert stateful.teams.get().event_count == 3
    page = client.get(f"/x/{stateful.pk}/play/").content.decode()
    assert "Good screening at 08:00: none." in page
    document = client.get(f"/x/{stateful.pk}/play/doc/doc-records/").content.decode()
    assert "Pulled at 2026-03-02 10:00: phones." in document
    assert "{{" not in page + document

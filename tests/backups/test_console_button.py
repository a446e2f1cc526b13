"""The console's "Make a backup now": once the exercise has ended, for its facilitators only;
the backup stays on the server and the page says where it is and how large."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.template.defaultfilters import filesizeformat
from django.test import Client

from caseroom.exercises import actions
from caseroom.exercises.models import Exercise

pytestmark = pytest.mark.usefixtures("data_folder", "published")

BUTTON = "Make a backup now"


def backup_url(exercise: Exercise) -> str:
    return f"/facilitate/{exercise.pk}/backup/"


def made(data_folder: Path) -> list[Path]:
    return sorted((data_folder / "backups").glob("*.zip"))


@pytest.fixture
def ended(exercise: Exercise) -> Exercise:
    actions.set_status(exercise, Exercise.Status.ENDED)
    return exercise


@pytest.mark.django_db
def test_the_console_offers_a_backup_once_the_exercise_has_ended(
    exercise: Exercise, facilitator_client: Client
) -> None:
    assert BUTTON not in facilitator_client.get(f"/facilitate/{exercise.pk}/").content.decode()

    actions.set_status(exercise, Exercise.Status.ENDED)

    page = facilitator_client.get(f"/facilitate/{exercise.pk}/").content.decode()
    assert BUTTON in page
    assert 'id="backup"' in page
    assert f'action="{backup_url(exercise)}"' in page


@pytest.mark.django_db(transaction=True)
def test_the_facilitator_makes_a_backup_on_the_server_and_is_told_where_and_how_large(
    ended: Exercise, facilitator_client: Client, data_folder: Path
) -> None:
    answer = facilitator_client.post(backup_url(ended))

    # Never sent to the browser: it holds every exercise's data.
    assert answer.status_code == 302
    assert answer["Location"] == f"/facilitate/{ended.pk}/#backup"
    [path] = made(data_folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    page = facilitator_client.get(answer["Location"]).content.decode()
    size = filesizeformat(path.stat().st_size)
    assert f"Backup saved on this computer: {path} ({size})." in page
    assert f"<code>{path.name}</code> · {size}" in page  # listed among the latest backups


@pytest.mark.django_db
def test_other_staff_get_404_and_no_backup_is_made(
    ended: Exercise, trainer_client: Client, data_folder: Path
) -> None:
    assert trainer_client.post(backup_url(ended)).status_code == 404
    assert made(data_folder) == []


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_and_a_get_makes_nothing(
    ended: Exercise, facilitator_client: Client, data_folder: Path
) -> None:
    answer = Client().post(backup_url(ended))
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert facilitator_client.get(backup_url(ended)).status_code == 405
    assert made(data_folder) == []


@pytest.mark.django_db
def test_no_backup_is_made_from_the_console_while_the_exercise_runs(
    exercise: Exercise, facilitator_client: Client, data_folder: Path
) -> None:
    answer = facilitator_client.post(backup_url(exercise), follow=True)
    assert "A backup can be made here once the exercise has ended." in answer.content.decode()
    assert made(data_folder) == []

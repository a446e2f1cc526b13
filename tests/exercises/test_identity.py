"""Who someone is, and what proves it: joining, personal codes, log-ins and the rules of play.

Participants have no accounts, so whatever lets someone act or read as a participant needs a
secret only that person holds; guesses are throttled; a session key changes with identity.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from caseroom.exercises import actions, personal_codes
from caseroom.exercises.models import Exercise, Message, Participant, Team
from tests.exercises.support import BORDER, PROSECUTOR, htmx, player, teams

pytestmark = pytest.mark.django_db


def join(client: Client, exercise: Exercise, name: str = "Ana") -> Any:
    team = teams(exercise)[0]
    return client.post(
        f"/join/{exercise.join_code}/",
        {"name": name, "agency": "Police", "country": "MK", "team": team.pk, "roles": [BORDER]},
    )


# ---------------------------------------------------------------- joining and personal codes


def test_joining_rotates_the_session_key(night_exercise: Exercise) -> None:
    client = Client()
    client.get(f"/join/{night_exercise.join_code}/")
    client.session.save()
    planted = client.cookies["sessionid"].value
    assert join(client, night_exercise).status_code == 302
    assert client.cookies["sessionid"].value != planted


def test_a_participant_is_shown_a_personal_code_that_is_stored_only_hashed(
    night_exercise: Exercise,
) -> None:
    client = Client()
    join(client, night_exercise)
    page = client.get(f"/x/{night_exercise.pk}/play/").content.decode()
    shown = re.search(r"data-personal-code>([A-Z0-9]{4}-[A-Z0-9]{4})<", page)
    assert shown is not None
    participant = Participant.objects.get(exercise=night_exercise, name="Ana")
    assert shown.group(1) not in participant.personal_code_hash
    assert personal_codes.matches(participant, shown.group(1))
    assert not personal_codes.matches(participant, "AAAA-AAAA")


def test_a_new_personal_code_from_the_facilitator_replaces_the_old_one(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    _, ana = player(night_exercise, "Ana", [BORDER])
    old = actions.new_personal_code(ana)
    answer = facilitator_client.post(
        f"/facilitate/{night_exercise.pk}/personal-code/", {"participant": ana.pk}, follow=True
    )
    new = re.search(
        r"New personal code for Ana: ([A-Z0-9]{4}-[A-Z0-9]{4})", answer.content.decode()
    )
    assert new is not None
    ana.refresh_from_db()
    assert personal_codes.matches(ana, new.group(1)) and not personal_codes.matches(ana, old)


def test_only_the_exercises_facilitators_issue_personal_codes(
    night_exercise: Exercise, trainer_client: Client
) -> None:
    _, ana = player(night_exercise, "Ana", [BORDER])
    url = f"/facilitate/{night_exercise.pk}/personal-code/"
    assert trainer_client.post(url, {"participant": ana.pk}).status_code == 404


# ---------------------------------------------------------------- guessing join codes


def test_wrong_join_codes_are_throttled_per_address(night_exercise: Exercise) -> None:
    client = Client()
    statuses = [client.post("/", {"code": "ZZZZZ2"}).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    throttled = client.get(f"/join/{night_exercise.join_code}/")
    assert throttled.status_code == 429
    assert "Too many wrong codes were tried from this device" in throttled.content.decode()
    other_address = Client(REMOTE_ADDR="10.0.0.7")
    assert other_address.get(f"/join/{night_exercise.join_code}/").status_code == 200


def test_a_room_typing_the_right_code_is_never_throttled(night_exercise: Exercise) -> None:
    client = Client()
    for _ in range(40):
        assert client.post("/", {"code": night_exercise.join_code}).status_code == 302


def test_a_join_code_is_found_in_any_case_by_an_exact_look_up(night_exercise: Exercise) -> None:
    assert Client().get(f"/join/{night_exercise.join_code.lower()}/").status_code == 200


# ---------------------------------------------------------------- log-ins


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_log_in_out(facilitator: User) -> None:
    facilitator.set_password("the-right-one-17")
    facilitator.save()
    client = Client()
    statuses = [log_in(client, facilitator.username, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = log_in(client, facilitator.username, "the-right-one-17")
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_out_is_per_address_so_nobody_locks_the_trainer_out_remotely(
    facilitator: User,
) -> None:
    facilitator.set_password("the-right-one-17")
    facilitator.save()
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(6):
        log_in(attacker, facilitator.username, "wrong")
    assert log_in(Client(), facilitator.username, "the-right-one-17").status_code == 302


def test_logging_in_rotates_the_session_key(facilitator: User) -> None:
    facilitator.set_password("the-right-one-17")
    facilitator.save()
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.cookies["sessionid"].value
    assert log_in(client, facilitator.username, "the-right-one-17").status_code == 302
    assert client.cookies["sessionid"].value != before


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_well_known_password_only_works_on_the_serving_laptop(path: str) -> None:
    User.objects.create_user("trainer", password="caseroom-demo", is_staff=True)
    data = {"username": "trainer", "password": "caseroom-demo"}
    from_the_room = Client(REMOTE_ADDR="192.168.1.23").post(path, data)
    assert from_the_room.status_code == 200
    assert "This password is publicly known" in from_the_room.content.decode()
    assert Client().post(path, data).status_code == 302  # 127.0.0.1


def test_loaddemo_makes_random_passwords_once_per_installation(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()
    call_command("loaddemo", stdout=first, stderr=StringIO())
    kept = json.loads((tmp_path / "demo-logins.json").read_text())
    assert (tmp_path / "demo-logins.json").stat().st_mode & 0o077 == 0  # owner only
    call_command("loaddemo", stdout=second, stderr=StringIO())
    assert json.loads((tmp_path / "demo-logins.json").read_text()) == kept
    for username in ("trainer", "facilitator"):
        user = User.objects.get(username=username)
        assert not user.check_password("caseroom-demo")
        assert user.check_password(kept[username])
        assert f"{username} / {kept[username]}" in first.getvalue()
    assert kept["trainer"] != kept["facilitator"]


def test_loaddemo_replaces_the_old_public_demo_password(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    User.objects.create_superuser("trainer", password="caseroom-demo")
    call_command("loaddemo", stdout=StringIO(), stderr=StringIO())
    assert not User.objects.get(username="trainer").check_password("caseroom-demo")


def test_loaddemo_refuses_to_serve_the_network_with_a_well_known_password(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    call_command("loaddemo", stdout=StringIO(), stderr=StringIO())
    User.objects.create_user("coach", password="coach", is_staff=True)
    with pytest.raises(CommandError, match="anyone on the network could log in as coach"):
        call_command("loaddemo", "--host", "0.0.0.0", stdout=StringIO(), stderr=StringIO())
    call_command("loaddemo", "--host", "127.0.0.1", stdout=StringIO(), stderr=StringIO())


# ---------------------------------------------------------------- rules of play


def test_with_two_people_required_nobody_approves_their_own_request(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    both, _ = player(night_exercise, "Ana", [BORDER, PROSECUTOR])
    colleague, _ = player(night_exercise, "Petar", [PROSECUTOR])
    facilitator_client.post(
        f"/facilitate/{night_exercise.pk}/rules/", {"approver_must_differ": "on"}
    )
    night_exercise.refresh_from_db()
    assert night_exercise.approver_must_differ
    url = f"/x/{night_exercise.pk}/play/"
    for action in ("secure-and-separate", "seize-phone"):
        htmx(both, url + "act/", {"role": BORDER, "action": action, "key": f"k-{action}"})
    own = htmx(both, url + "approve/", {"role": PROSECUTOR, "action": "seize-phone", "key": "a"})
    assert "Another person must approve an action you requested." in own.content.decode()
    team = teams(night_exercise)[0]
    assert not team.events.filter(payload__type="approve").exists()
    htmx(colleague, url + "approve/", {"role": PROSECUTOR, "action": "seize-phone", "key": "b"})
    assert team.events.filter(payload__type="approve").count() == 1


def test_by_default_one_person_holding_both_roles_may_approve(night_exercise: Exercise) -> None:
    both, _ = player(night_exercise, "Ana", [BORDER, PROSECUTOR])
    url = f"/x/{night_exercise.pk}/play/"
    for action in ("secure-and-separate", "seize-phone"):
        htmx(both, url + "act/", {"role": BORDER, "action": action, "key": f"k-{action}"})
    htmx(both, url + "approve/", {"role": PROSECUTOR, "action": "seize-phone", "key": "a"})
    assert teams(night_exercise)[0].events.filter(payload__type="approve").count() == 1


def test_locked_role_assignments_leave_newcomers_waiting_for_the_facilitator(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    facilitator_client.post(f"/facilitate/{night_exercise.pk}/rules/", {"roles_locked": "on"})
    page = Client().get(f"/join/{night_exercise.join_code}/").content.decode()
    assert 'name="roles"' not in page and 'name="team"' not in page
    client = Client()
    client.post(
        f"/join/{night_exercise.join_code}/", {"name": "Late", "agency": "x", "country": "MK"}
    )
    late = Participant.objects.get(name="Late")
    assert late.team is None and late.roles == []


# ---------------------------------------------------------------- chat


def test_the_chat_closes_when_the_exercise_ends(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    actions.set_status(night_exercise, Exercise.Status.ENDED)
    answer = htmx(client, f"/x/{night_exercise.pk}/play/message/team/", {"body": "still here?"})
    assert "the chat is closed" in answer.content.decode()
    assert not Message.objects.filter(body="still here?").exists()


def test_another_teams_key_never_drops_a_message(night_exercise: Exercise) -> None:
    first, second = teams(night_exercise)
    one, _ = player(night_exercise, "Ana", [BORDER], team=first)
    two, _ = player(night_exercise, "Rival", [BORDER], team=second)
    for client, body in ((one, "from team one"), (two, "from team two")):
        htmx(client, f"/x/{night_exercise.pk}/play/message/team/", {"body": body, "key": "same"})
    assert Message.objects.filter(body="from team one", team=first).count() == 1
    assert Message.objects.filter(body="from team two", team=second).count() == 1
    htmx(one, f"/x/{night_exercise.pk}/play/message/team/", {"body": "again", "key": "same"})
    assert Message.objects.filter(team=first).count() == 1  # a repeat is applied once


def test_a_facilitators_longest_key_reaches_every_team(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    key = "k" * 80
    data = {"team": "all", "body": "Regroup in five minutes.", "key": key}
    url = f"/facilitate/{night_exercise.pk}/message/"
    assert facilitator_client.post(url, data).status_code == 302
    facilitator_client.post(url, data)  # a double click
    found = Message.objects.filter(body="Regroup in five minutes.")
    assert sorted(m.team_id for m in found) == sorted(t.pk for t in Team.objects.all())


def test_an_ended_exercises_code_retires_after_thirty_days(night_exercise: Exercise) -> None:
    actions.set_status(night_exercise, Exercise.Status.ENDED)
    night_exercise.refresh_from_db()
    assert night_exercise.ended_at is not None
    assert Client().get(f"/join/{night_exercise.join_code}/").status_code == 200  # "has ended"
    Exercise.objects.filter(pk=night_exercise.pk).update(
        ended_at=night_exercise.ended_at - dt.timedelta(days=31)
    )
    assert Client().get(f"/join/{night_exercise.join_code}/").status_code == 404
    assert Client().get(f"/join/{night_exercise.join_code}/debrief/").status_code == 404
    assert Client().post("/", {"code": night_exercise.join_code}).status_code == 404


def test_a_case_clock_past_year_9999_shows_the_last_date_instead_of_failing(
    night_exercise: Exercise,
) -> None:
    from caseroom.scenarios.registry import load
    from caseroom.scenarios.texts import case_time

    assert case_time(load(night_exercise.scenario), 10**10).year == 9999


def test_a_scenario_can_require_another_person_to_approve(
    tmp_path: Path, facilitator: User
) -> None:
    import shutil

    from caseroom.scenarios.registry import register_folder
    from tests.conftest import MINI

    folder = tmp_path / "four-eyes"
    shutil.copytree(MINI, folder)
    scenes = folder / "scenes.yaml"
    scenes.write_text(
        scenes.read_text(encoding="utf-8").replace(
            "          role: prosecutor-rs\n          prompt: Police ask for surveillance.",
            "          role: prosecutor-rs\n          by_another_person: true\n"
            "          prompt: Police ask for surveillance.",
        ),
        encoding="utf-8",
    )
    exercise = Exercise.objects.create(
        title="Four eyes",
        scenario=register_folder(folder, explore=False),
        status=Exercise.Status.RUNNING,
    )
    actions.create_teams(exercise, 1)
    both, _ = player(exercise, "Ana", ["police-rs", "prosecutor-rs"])
    url = f"/x/{exercise.pk}/play/"
    for action in ("treat-as-victim", "surveil"):
        htmx(both, url + "act/", {"role": "police-rs", "action": action, "key": f"k-{action}"})
    own = htmx(both, url + "approve/", {"role": "prosecutor-rs", "action": "surveil", "key": "a"})
    assert "Another person must approve an action you requested." in own.content.decode()
    assert not exercise.approver_must_differ  # the scenario's rule, not the facilitator's


def test_ending_again_keeps_the_first_end(night_exercise: Exercise) -> None:
    actions.set_status(night_exercise, Exercise.Status.ENDED)
    first = night_exercise.ended_at
    actions.set_status(night_exercise, Exercise.Status.ENDED)
    assert night_exercise.ended_at == first is not None

"""Participant pages: join, play, act, approvals, documents and chat."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Message, Participant, TeamEvent
from caseroom.scenarios import registry
from tests.conftest import MINI
from tests.exercises.support import (
    BORDER,
    PROSECUTOR,
    PROTECTION,
    htmx,
    player,
    teams,
)

pytestmark = pytest.mark.django_db


def play_url(exercise: Exercise, rest: str = "") -> str:
    return f"/x/{exercise.pk}/play/{rest}"


def act(
    client: Client, exercise: Exercise, role: str, action: str, key: str = "", **answer: object
) -> object:
    data: dict[str, object] = {"role": role, "action": action, "key": key or f"k-{action}"}
    data.update(answer)
    return htmx(client, play_url(exercise, "act/"), data)


# ---------------------------------------------------------------- join


def test_it_sends_a_good_code_to_the_join_form_whatever_its_case(night_exercise: Exercise) -> None:
    response = Client().post("/", {"code": f" {night_exercise.join_code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/join/{night_exercise.join_code}/"


@pytest.mark.parametrize("code", ["ZZZZZZ", "abc", "0O1IL5"])
def test_it_explains_a_bad_code_without_a_traceback(night_exercise: Exercise, code: str) -> None:
    response = Client().post("/", {"code": code})
    assert response.status_code in (200, 404)
    assert b'class="errorlist' in response.content
    assert not Participant.objects.exists()


def test_an_unknown_join_link_shows_the_code_form(db: None) -> None:
    response = Client().get("/join/ZZZZZZ/")
    assert response.status_code == 404
    assert b"No exercise has this code" in response.content


def test_joining_needs_a_name_and_a_role(night_exercise: Exercise) -> None:
    response = Client().post(
        f"/join/{night_exercise.join_code}/", {"name": "", "team": teams(night_exercise)[0].pk}
    )
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert not Participant.objects.exists()


def test_joining_asks_agency_and_country_only_when_the_exercise_does(
    night_exercise: Exercise,
) -> None:
    content = Client().get(f"/join/{night_exercise.join_code.lower()}/").content
    assert b'name="agency"' in content and b'name="country"' in content
    night_exercise.ask_agency = night_exercise.ask_country = False
    night_exercise.save()
    content = Client().get(f"/join/{night_exercise.join_code}/").content
    assert b'name="agency"' not in content and b'name="country"' not in content


def test_joining_lists_free_roles_of_the_team_first(night_exercise: Exercise) -> None:
    first = teams(night_exercise)[0]
    player(night_exercise, "Ana", [BORDER], first)
    content = Client().get(f"/join/{night_exercise.join_code}/?team={first.pk}").content.decode()
    values = re.findall(r'name="roles" value="([a-z-]+)"', content)
    assert values[-1] == BORDER and len(values) == 4
    assert "already taken" in content


def test_a_participant_joins_with_several_roles_and_lands_on_the_play_page(
    night_exercise: Exercise,
) -> None:
    client = Client()
    team = teams(night_exercise)[1]
    response = client.post(
        f"/join/{night_exercise.join_code}/",
        {
            "name": "Ana",
            "agency": "Border police",
            "country": "MK",
            "team": team.pk,
            "roles": [BORDER, PROTECTION],
        },
    )
    assert response.status_code == 302 and response["Location"] == play_url(night_exercise)
    participant = Participant.objects.get()
    assert (participant.team, participant.roles) == (team, [BORDER, PROTECTION])
    page = client.get(play_url(night_exercise)).content.decode()
    assert "Border police shift commander" in page and "Social worker on duty" in page
    assert f'data-live-url="/ws/team/{team.pk}/"' in page


def test_an_ended_exercise_says_so(night_exercise: Exercise) -> None:
    night_exercise.status = Exercise.Status.ENDED
    night_exercise.save()
    response = Client().post(f"/join/{night_exercise.join_code}/", {"name": "Ana"})
    assert response.status_code == 200
    assert b"This exercise has ended" in response.content
    assert not Participant.objects.exists()


def test_without_team_choice_the_participant_waits_for_the_facilitator(
    night_exercise: Exercise,
) -> None:
    night_exercise.roles_chosen_by_participants = False
    night_exercise.save()
    client = Client()
    response = client.post(
        f"/join/{night_exercise.join_code}/", {"name": "Ana", "agency": "x", "country": "MK"}
    )
    assert response.status_code == 302
    page = client.get(play_url(night_exercise))
    assert b"The facilitator will put you in a team" in page.content
    assert b"data-live" in page.content


# ---------------------------------------------------------------- the play page


def test_the_page_shows_my_briefing_clock_and_phase_only(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [PROSECUTOR])
    page = client.get(play_url(night_exercise)).content.decode()
    assert "You are the public prosecutor on duty tonight" in page
    assert "You command the night shift" not in page  # the border police briefing
    assert "Sat March 14, 2:10 a.m." in page  # clock.start, in the language's own format
    assert "Interception and initial checks" in page
    assert "A van without lights" in page


def test_actions_of_my_roles_are_offered_and_others_are_not(night_exercise: Exercise) -> None:
    border, _ = player(night_exercise, "Ana", [BORDER])
    prosecutor, _ = player(night_exercise, "Petar", [PROSECUTOR])
    assert b'value="secure-and-separate"' in border.get(play_url(night_exercise)).content
    assert b'value="secure-and-separate"' not in prosecutor.get(play_url(night_exercise)).content


def test_acting_moves_the_team_on_and_the_feed_shows_who_did_what(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    response = act(client, night_exercise, BORDER, "secure-and-separate")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "caseroom:refresh" in json.loads(response["HX-Trigger-After-Settle"])  # type: ignore[index]
    assert b"The border police station" in response.content  # type: ignore[attr-defined]
    feed = htmx(client, play_url(night_exercise, "part/feed/")).content.decode()
    assert 'data-seq="1"' in feed
    assert "Ana (Border police shift commander (North Macedonia))" in feed
    assert "feed-item kind-feedback highlight" in feed
    assert "The driver sits in the patrol car" in feed


def test_a_plain_post_without_htmx_redirects_back_to_the_page(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    response = client.post(
        play_url(night_exercise, "act/"),
        {"role": BORDER, "action": "secure-and-separate", "key": "k1"},
    )
    assert response.status_code == 302
    assert TeamEvent.objects.count() == 1


def test_a_double_submission_is_applied_once(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    act(client, night_exercise, BORDER, "secure-and-separate", key="same")
    again = act(client, night_exercise, BORDER, "secure-and-separate", key="same")
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert b'class="error"' not in again.content  # type: ignore[attr-defined]
    assert TeamEvent.objects.count() == 1


def test_an_illegal_action_shows_the_reason_politely(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    act(client, night_exercise, BORDER, "secure-and-separate", key="a")
    response = act(client, night_exercise, BORDER, "secure-and-separate", key="b")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert b"That is not possible now: Not available in the current scene." in response.content  # type: ignore[attr-defined]
    plain = client.post(
        play_url(night_exercise, "act/"),
        {"role": BORDER, "action": "secure-and-separate", "key": "c"},
    )
    assert plain.status_code == 409
    assert b"That is not possible now" in plain.content
    assert TeamEvent.objects.count() == 1


def test_a_greyed_out_action_shows_its_locked_reason(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    act(client, night_exercise, BORDER, "secure-and-separate")
    page = client.get(play_url(night_exercise)).content.decode()
    # count-fees needs the phone messages first
    disabled = page.split('class="action disabled"')
    assert len(disabled) > 1
    assert 'class="reason"' in page


def test_a_paused_exercise_refuses_commands_with_a_message(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    actions.set_status(night_exercise, Exercise.Status.PAUSED)
    response = act(client, night_exercise, BORDER, "secure-and-separate")
    assert b"The exercise is paused" in response.content  # type: ignore[attr-defined]
    assert TeamEvent.objects.count() == 0


def test_approval_is_asked_of_the_prosecutor_who_refuses_with_a_reason(
    night_exercise: Exercise,
) -> None:
    border, _ = player(night_exercise, "Ana", [BORDER])
    prosecutor, _ = player(night_exercise, "Petar", [PROSECUTOR])
    act(border, night_exercise, BORDER, "secure-and-separate")
    act(border, night_exercise, BORDER, "seize-phone")
    page = prosecutor.get(play_url(night_exercise)).content.decode()
    assert "Waiting for your decision" in page
    assert "Grounds of suspicion are not documented yet" in page
    empty = htmx(
        prosecutor,
        play_url(night_exercise, "refuse/"),
        {"role": PROSECUTOR, "action": "seize-phone", "key": "r0"},
    )
    assert b"Give a reason for the refusal" in empty.content
    htmx(
        prosecutor,
        play_url(night_exercise, "refuse/"),
        {
            "role": PROSECUTOR,
            "action": "seize-phone",
            "key": "r1",
            "other": "Not yet, call me back",
        },
    )
    feed = htmx(border, play_url(night_exercise, "part/feed/")).content.decode()
    assert "Refused" in feed and "Not yet, call me back" in feed
    act(border, night_exercise, BORDER, "seize-phone", key="again")
    htmx(
        prosecutor,
        play_url(night_exercise, "approve/"),
        {"role": PROSECUTOR, "action": "seize-phone", "key": "a1"},
    )
    docs = htmx(border, play_url(night_exercise, "part/docs/")).content.decode()
    assert "Messages on the driver" in docs


def test_a_numeric_answer_is_sent_with_its_unit(night_exercise: Exercise) -> None:
    border, _ = player(night_exercise, "Ana", [BORDER])
    prosecutor, _ = player(night_exercise, "Petar", [PROSECUTOR])
    act(border, night_exercise, BORDER, "secure-and-separate")
    act(border, night_exercise, BORDER, "seize-phone")
    htmx(
        prosecutor,
        play_url(night_exercise, "approve/"),
        {"role": PROSECUTOR, "action": "seize-phone", "key": "a1"},
    )
    page = border.get(play_url(night_exercise)).content.decode()
    assert 'type="number"' in page and "EUR" in page
    bad = act(border, night_exercise, BORDER, "count-fees", key="n0", value="lots")
    assert b"Enter a number." in bad.content  # type: ignore[attr-defined]
    too_big = act(border, night_exercise, BORDER, "count-fees", key="n2", value="90000")
    assert b"That is not possible now: the number must be at most 50000" in too_big.content  # type: ignore[attr-defined]
    act(border, night_exercise, BORDER, "count-fees", key="n1", value="10800")
    assert TeamEvent.objects.filter(key="n1").get().payload["input"] == 10800


def test_waiting_needs_an_answer_to_wait_for(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    response = htmx(client, play_url(night_exercise, "wait/"), {"key": "w1"})
    assert response.status_code == 200
    assert "nothing to wait for" in response.content.decode()
    assert not TeamEvent.objects.exists()


def test_waiting_lets_case_time_pass_until_the_answer(exercise: Exercise) -> None:
    client, _ = player(exercise, "Ana", ["police-rs"])
    act = play_url(exercise, "act/")
    htmx(client, act, {"role": "police-rs", "action": "treat-as-victim", "key": "a1"})
    htmx(
        client,
        act,
        {"role": "police-rs", "action": "ask-mk", "item": ["plates", "dates"], "key": "a2"},
    )
    response = htmx(client, play_url(exercise, "wait/"), {"key": "w1"})
    assert response.status_code == 200
    assert [e.payload["type"] for e in TeamEvent.objects.order_by("seq")] == ["act", "act", "wait"]
    assert "Eleven crossings confirmed." in client.get(play_url(exercise, "")).content.decode()


# ---------------------------------------------------------------- live parts


def test_a_part_answers_204_when_nothing_changed_and_refreshes_otherwise(
    night_exercise: Exercise,
) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    scene = htmx(client, play_url(night_exercise, "part/scene/")).content.decode()
    version = re.search(r'part/scene/\?v=([^"]+)"', scene).group(1)  # type: ignore[union-attr]
    assert htmx(client, play_url(night_exercise, f"part/scene/?v={version}")).status_code == 204
    act(client, night_exercise, BORDER, "secure-and-separate")
    changed = htmx(client, play_url(night_exercise, f"part/scene/?v={version}"))
    assert changed.status_code == 200 and b'data-seq="1"' in changed.content


def test_a_change_of_roles_reloads_the_whole_page(night_exercise: Exercise) -> None:
    client, me = player(night_exercise, "Ana", [BORDER])
    scene = htmx(client, play_url(night_exercise, "part/status/")).content.decode()
    version = re.search(r'part/status/\?v=([^"]+)"', scene).group(1)  # type: ignore[union-attr]
    actions.set_roles(me, [PROSECUTOR])
    response = htmx(client, play_url(night_exercise, f"part/status/?v={version}"))
    assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize("part", ["status", "scene", "docs", "feed"])
def test_every_part_carries_the_event_count(night_exercise: Exercise, part: str) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    content = htmx(client, play_url(night_exercise, f"part/{part}/")).content
    assert b'data-seq="0"' in content and b'hx-trigger="caseroom:refresh from:body"' in content


def changes(client: Client, exercise: Exercise, parts: list[str]) -> Any:
    return client.get(play_url(exercise, "changes/"), {"p": parts}, headers={"HX-Request": "true"})


def _parts_of(page: str) -> list[str]:
    """The `p` values the page's script sends: part:channel:version of every part."""
    found = []
    for link in re.findall(r'hx-get="(/x/\d+/play/part/[^"]+)"', page):
        link = link.replace("&amp;", "&")
        name = link.split("/part/")[1].split("/")[0]
        channel = re.search(r"channel=([^&]+)", link)
        version = re.search(r"v=([^&]+)", link).group(1)  # type: ignore[union-attr]
        found.append(f"{name}:{channel.group(1) if channel else ''}:{unquote(version)}")
    return found


def test_one_request_brings_only_the_parts_that_changed(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    parts = _parts_of(client.get(play_url(night_exercise, "")).content.decode())
    assert len(parts) == 7  # status, scene, feed, docs and three chat channels
    unchanged = changes(client, night_exercise, parts)
    assert unchanged.status_code == 204 and unchanged["X-Caseroom-Seq"] == "0"

    act(client, night_exercise, BORDER, "secure-and-separate")
    changed = changes(client, night_exercise, parts)
    html = changed.content.decode()
    swapped = re.findall(r'id="([\w-]+)"[^>]*hx-swap-oob="true"', html)
    assert "scene" in swapped and "feed" in swapped
    assert not [s for s in swapped if s.startswith("messages-")]  # no message was sent
    assert changed["X-Caseroom-Seq"] == "1"


def test_a_new_message_brings_its_channel_only(night_exercise: Exercise) -> None:
    client, me = player(night_exercise, "Ana", [BORDER])
    parts = _parts_of(client.get(play_url(night_exercise, "")).content.decode())
    assert me.team is not None
    actions.send_message(me.team, "Meet at the crossing.", participant=me, role=BORDER)
    html = changes(client, night_exercise, parts).content.decode()
    swapped = re.findall(r'id="([\w-]+)"[^>]*hx-swap-oob="true"', html)
    assert sorted(swapped) == ["messages-cross-border", "messages-facilitator", "messages-team"]
    assert "Meet at the crossing." in html


def test_changes_for_other_roles_reload_the_page_and_nonsense_is_refused(
    night_exercise: Exercise,
) -> None:
    client, me = player(night_exercise, "Ana", [BORDER])
    parts = _parts_of(client.get(play_url(night_exercise, "")).content.decode())
    actions.set_roles(me, [PROSECUTOR])
    assert changes(client, night_exercise, parts)["HX-Refresh"] == "true"
    refused = changes(client, night_exercise, ["briefing::x"])
    assert refused.status_code == 400 and b"Unknown part of the page" in refused.content
    stranger = Client()
    assert stranger.get(play_url(night_exercise, "changes/"), {"p": parts}).status_code == 404


# ---------------------------------------------------------------- documents


def test_a_document_shows_its_body_and_table(night_exercise: Exercise) -> None:
    border, _ = player(night_exercise, "Ana", [BORDER])
    prosecutor, _ = player(night_exercise, "Petar", [PROSECUTOR])
    act(border, night_exercise, BORDER, "secure-and-separate")
    act(border, night_exercise, BORDER, "seize-phone")
    htmx(
        prosecutor,
        play_url(night_exercise, "approve/"),
        {"role": PROSECUTOR, "action": "seize-phone", "key": "a1"},
    )
    page = border.get(play_url(night_exercise, "doc/doc-phone-messages/")).content.decode()
    assert "<table>" in page and '<th scope="col">' in page
    report = border.get(play_url(night_exercise, "doc/doc-interception-report/")).content.decode()
    assert "GP-SEV-0314/26" in report and "<strong>KU-0817-QW</strong>" in report


def test_a_photo_is_served_with_a_strict_policy(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    act(client, night_exercise, BORDER, "secure-and-separate")
    page = client.get(play_url(night_exercise, "doc/doc-van-photo/")).content.decode()
    assert f'src="/x/{night_exercise.pk}/play/doc/doc-van-photo/image"' in page
    image = client.get(play_url(night_exercise, "doc/doc-van-photo/image"))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/svg+xml"
    assert "sandbox" in image["Content-Security-Policy"]
    assert b"<svg" in b"".join(image.streaming_content)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- chat


def test_a_message_is_sent_once_and_shows_name_role_and_country(night_exercise: Exercise) -> None:
    client, me = player(night_exercise, "Ana", [BORDER])
    url = play_url(night_exercise, "message/team/")
    first = htmx(client, url, {"key": "m1", "body": "Driver separated."})
    assert first.status_code == 200
    assert "caseroom:refresh" in json.loads(first["HX-Trigger-After-Settle"])
    assert b'value="m1"' not in first.content  # the fresh form has a new key
    htmx(client, url, {"key": "m1", "body": "Driver separated."})
    assert Message.objects.count() == 1
    rows = htmx(client, play_url(night_exercise, "part/chat/?channel=team")).content.decode()
    assert "Ana" in rows and "Border police shift commander" in rows and "MK" in rows
    assert "Driver separated." in rows


def test_an_empty_message_is_refused_with_a_message(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    response = htmx(
        client, play_url(night_exercise, "message/cross-border/"), {"key": "m1", "body": " "}
    )
    assert b"Write a message first" in response.content
    assert not Message.objects.exists()


def test_the_cross_border_channel_is_separate(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    htmx(
        client,
        play_url(night_exercise, "message/cross-border/"),
        {"key": "x1", "body": "Plates KU-0817-ZZ"},
    )
    assert Message.objects.get().channel == Message.Channel.CROSS_BORDER
    team_rows = htmx(client, play_url(night_exercise, "part/chat/?channel=team")).content
    assert b"Plates" not in team_rows


# ---------------------------------------------------------------- i18n


def test_the_pages_render_in_another_language_setting(
    night_exercise: Exercise, settings: object
) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    client.cookies["django_language"] = "sr-latn"
    page = client.get(play_url(night_exercise)).content.decode()
    assert '<html lang="sr-latn"' in page
    assert 'name="language"' in page


def test_templates_wrap_their_words_for_translation() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "caseroom"
    templates = list((root / "exercises" / "templates" / "exercises").rglob("*.html"))
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        if ">" in text and any(c.isalpha() for c in re.sub(r"<[^>]+>|{[%{#].*?[%}#]}", "", text)):
            assert "{% translate" in text or "{% blocktranslate" in text, path.name


def test_it_never_lets_scenario_script_through(facilitator: object, tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    shutil.copytree(MINI, folder)
    scenes = folder / "scenes.yaml"
    text = scenes.read_text(encoding="utf-8")
    evil = "'<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'"
    assert "text: A van with **nine** people is stopped." in text
    scenes.write_text(
        text.replace("A van with **nine** people is stopped.", evil), encoding="utf-8"
    )
    (folder / "scenario.yaml").write_text(
        (folder / "scenario.yaml").read_text(encoding="utf-8").replace("id: mini", "id: evil-mini"),
        encoding="utf-8",
    )
    version = registry.register_folder(folder, explore=False)
    exercise = Exercise.objects.create(
        title="Evil", scenario=version, status=Exercise.Status.RUNNING
    )
    actions.create_teams(exercise, 1)
    client, _ = player(exercise, "Ana", ["police-rs"])
    page = client.get(play_url(exercise)).content.decode()
    assert "alert(1)" in page  # the text is there, as text
    assert "<script>alert" not in page
    assert not re.search(r"href=[\"']?javascript", page)
    assert not re.search(r"<[^>]*onerror", page)

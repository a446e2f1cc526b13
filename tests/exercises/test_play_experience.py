"""The play page as participants meet it (issue 13, participants 1-8), server side: answers
beside the form that was used, refusals told to the requester, grades shown, team-wide
moves confirmed and signed, paused and ended states, inline Markdown, the role a message
goes out as, and localised names and dates. The browser tests (tests/browser/test_play_*)
check the same from a person's seat."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.exercises.templatetags.caseroom_tags import (
    case_date,
    document_kind,
    markdown_inline,
    team_name,
)
from caseroom.scenarios.models import ScenarioVersion
from tests.exercises.support import htmx, player, teams


@pytest.fixture
def mini_exercise(mini_version: ScenarioVersion, facilitator: User) -> Exercise:
    exercise = actions.create_exercise(facilitator, scenario=mini_version, title="Mini")
    actions.create_teams(exercise, 1)
    actions.set_status(exercise, Exercise.Status.RUNNING)
    return exercise


def url(exercise: Exercise, name: str) -> str:
    return f"/x/{exercise.pk}/play/{name}/"


def act(team: Team, who: Participant, ref: str, role: str = "police-rs", **more: object) -> None:
    event = Event("act", role=role, ref=ref, actor=who.name, **more)  # type: ignore[arg-type]
    actions.command(team, event, participant=who)


def form_of(page: str, element_id: str) -> str:
    """The HTML of the form (or block) with this id."""
    start = page.index(f'id="{element_id}"')
    end = page.index("</form>", start)
    return page[start:end]


def test_an_error_is_shown_inside_the_form_that_was_sent(mini_exercise: Exercise) -> None:
    client, ana = player(mini_exercise, "Ana", ["police-rs"])
    act(teams(mini_exercise)[0], ana, "treat-as-victim")
    answer = htmx(
        client,
        url(mini_exercise, "act"),
        {
            "role": "police-rs",
            "action": "order-steps",
            "order-rapport": "1",
            "order-free": "1",
            "order-close": "2",
        },
    ).content.decode()
    assert "Give each item a different position." in form_of(answer, "action-order-steps")
    assert 'id="scene-error"' not in answer  # not at the top of the scene


def test_a_paused_exercise_answers_beside_the_button_and_disables_the_forms(
    mini_exercise: Exercise,
) -> None:
    client, _ana = player(mini_exercise, "Ana", ["police-rs"])
    actions.set_status(mini_exercise, Exercise.Status.PAUSED)
    data = {"role": "police-rs", "action": "treat-as-victim"}
    answer = htmx(client, url(mini_exercise, "act"), data).content.decode()
    assert "The exercise is paused" in form_of(answer, "action-treat-as-victim")
    assert '<fieldset class="bare" disabled>' in form_of(answer, "action-treat-as-victim")
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert "actions are closed until the facilitator resumes it" in page
    assert "data-paused" not in page or "countdown" not in page  # no time box set here


def test_nothing_ticked_is_refused_beside_the_send_button(mini_exercise: Exercise) -> None:
    client, ana = player(mini_exercise, "Ana", ["police-rs"])
    act(teams(mini_exercise)[0], ana, "treat-as-victim")
    data = {"role": "police-rs", "action": "ask-mk"}
    answer = htmx(client, url(mini_exercise, "act"), data).content.decode()
    assert "Tick at least one item before sending." in form_of(answer, "action-ask-mk")
    assert teams(mini_exercise)[0].event_count == 1  # nothing was sent on


def test_the_requester_is_told_who_refused_and_why_beside_the_action(
    mini_exercise: Exercise,
) -> None:
    team = teams(mini_exercise)[0]
    client, ana = player(mini_exercise, "Ana", ["police-rs"])
    _petar_client, petar = player(mini_exercise, "Petar", ["prosecutor-rs"])
    act(team, ana, "treat-as-victim")
    act(team, ana, "surveil")
    refusal = Event(
        "refuse", role="prosecutor-rs", ref="surveil", actor="Petar", reason="No grounds"
    )
    actions.command(team, refusal, participant=petar)
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    said = "Petar (Prosecutor (Serbia)) refused your request: No grounds"
    assert said in form_of(page, "action-surveil")


def test_a_graded_answer_shows_the_team_its_points_and_feedback(
    mini_exercise: Exercise, facilitator: User
) -> None:
    team = teams(mini_exercise)[0]
    client, ana = player(mini_exercise, "Ana", ["police-rs"])
    _p, petar = player(mini_exercise, "Petar", ["prosecutor-rs"])
    act(team, ana, "treat-as-victim")
    act(team, petar, "grounds", role="prosecutor-rs", input="Proceeds of smuggling.")
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert "Waiting for the facilitator’s grade." in page
    grade = Event("grade", step=1, points={"legal": 2}, reason="Cite the article.", actor="fac")
    actions.command(team, grade, user=facilitator, require_running=False)
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert "Legal soundness 2 of 3" in page
    assert "Facilitator’s feedback: Cite the article." in page
    assert 'data-announce-id="grade-1"' in page


def test_a_team_wide_move_asks_to_confirm_and_the_feed_says_who_moved_the_team(
    mini_exercise: Exercise,
) -> None:
    team = teams(mini_exercise)[0]
    client, ana = player(mini_exercise, "Ana", ["police-rs"])
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert "Yes, move the team on" in form_of(page, "action-treat-as-victim")
    act(team, ana, "treat-as-victim")
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert "moved here by Ana (Police investigator (Serbia))" in page
    # An action that moves nobody is done at once.
    assert "Yes, move the team on" not in form_of(page, "action-check-db")


def test_markdown_in_pending_and_feed_titles_is_rendered_inline() -> None:
    html = str(markdown_inline("Open a **parallel financial investigation**"))
    assert html == "Open a <strong>parallel financial investigation</strong>"
    assert "<p>" not in str(markdown_inline("One\n\nTwo"))
    assert "<script" not in str(markdown_inline("<script>alert(1)</script>"))


def test_write_as_defaults_to_the_own_country_never_silently_another(
    mini_exercise: Exercise,
) -> None:
    team = teams(mini_exercise)[0]
    client, _ana = player(mini_exercise, "Ana", ["police-rs", "police-mk"])  # country MK
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert re.search(r'<option value="police-mk" selected>Police officer \(North Macedonia\)', page)
    stranger = actions.join(
        mini_exercise,
        name="Ilir",
        agency="",
        country="XK",
        roles=["police-rs", "police-mk"],
        team=team,
    )
    from tests.exercises.support import as_participant

    page = as_participant(stranger).get(url(mini_exercise, "")[:-1]).content.decode()
    assert "Choose your role…" in page
    refused = htmx(
        as_participant(stranger), f"/x/{mini_exercise.pk}/play/message/team/", {"body": "Hi"}
    ).content.decode()
    assert "Choose the role you write as." in refused
    htmx(
        as_participant(stranger),
        f"/x/{mini_exercise.pk}/play/message/team/",
        {"body": "Hi", "role": "police-rs"},
    )
    page = as_participant(stranger).get(url(mini_exercise, "")[:-1]).content.decode()
    assert re.search(r'<option value="police-rs" selected>', page)  # as last time


def test_names_kinds_and_dates_follow_the_readers_language(client: Client) -> None:
    with translation.override("mk"):
        assert team_name("Team 3") == "Тим 3"
        assert case_date("2026-11-25") == "25 Ноември 2026"
    with translation.override("sq"):
        assert team_name("Тим 2") == "Ekipi 2"  # named in Macedonian, read in Albanian
    assert team_name("Blue team") == "Blue team"
    assert case_date("late 2025") == "late 2025"
    assert document_kind("photo") == "Photo"


def test_the_language_menu_changes_on_its_button_only(client: Client, db: None) -> None:
    page = client.get("/").content.decode()
    assert "data-autosubmit" not in page
    assert '<select id="lang-select" name="language">' in page


def test_the_play_page_has_one_h1(mini_exercise: Exercise) -> None:
    client, _ana = player(mini_exercise, "Ana", ["police-rs"])
    page = client.get(url(mini_exercise, "")[:-1]).content.decode()
    assert page.count("<h1") == 1
    assert "🔒" not in page

"""Linked teams in an exercise: a request to a role the other team plays travels there, a
person answers it, and the answer travels back, every write through `actions.command`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.engine import Event, IllegalAction
from caseroom.engine.session.events import EventType
from caseroom.exercises import actions
from caseroom.exercises.models import Team, TeamEvent
from caseroom.exercises.sessions import session_for
from tests.exercises.support import htmx, player

pytestmark = pytest.mark.django_db

POLICE, MK = "police-rs", "police-mk"


def fresh(team: Team) -> Team:
    return Team.objects.select_related("exercise__scenario").get(pk=team.pk)


def types(team: Team) -> list[str]:
    return [
        p["type"] for p in TeamEvent.objects.filter(team=team).values_list("payload", flat=True)
    ]


def do(team: Team, type_: EventType, **fields: Any) -> actions.Outcome:
    return actions.command(fresh(team), Event(type_, **fields))


@pytest.fixture
def linked(team: Team, other_team: Team) -> tuple[Team, Team]:
    """`team` plays the Serbian roles, `other_team` the North Macedonian police."""
    actions.link_teams(team, other_team, [MK])
    do(team, "act", role=POLICE, ref="treat-as-victim", actor="Ana")
    do(team, "act", role=POLICE, ref="check-db", actor="Ana")
    return team, other_team


def ask(team: Team, key: str | None = None) -> actions.Outcome:
    return do(
        team, "act", role=POLICE, ref="ask-mk", input=["plates", "dates"], actor="Ana", key=key
    )


def test_linking_records_each_sides_roles_in_both_logs(linked: tuple[Team, Team]) -> None:
    a, b = (fresh(t) for t in linked)
    assert (a.linked_team_id, b.linked_team_id) == (b.pk, a.pk)
    assert b.plays == [MK] and MK not in a.plays
    assert session_for(a).state.remote == {MK}
    assert session_for(b).state.remote == set(a.plays)


def test_a_request_travels_to_the_other_team_and_its_answer_comes_back(
    linked: tuple[Team, Team], published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = linked
    ask(a)
    assert types(b)[-1] == "incoming"
    [waiting] = [p for p in session_for(fresh(b)).state.pending if p.kind == "incoming"]
    assert (waiting.action, waiting.to, waiting.answer) == ("ask-mk", MK, ["plates", "dates"])
    assert not session_for(fresh(a)).can_wait()  # no scripted answer is coming

    with django_capture_on_commit_callbacks(execute=True):
        do(b, "answer", role=MK, ref="ask-mk", input=1, actor="Marko")  # "We need plates…"
    assert types(a)[-1] == "reply"
    assert {team_id for _, team_id, _ in published.sent} == {a.pk, b.pk}  # both nudged
    asker = session_for(fresh(a))
    do(a, "wait", role=POLICE)
    asker = session_for(fresh(a))
    reply = asker.state.steps[-1]
    assert (reply.kind, reply.grade) == ("reply", "poor")  # the person's choice, not the script's
    assert "doc-mk" not in asker.state.unlocked


def test_a_repeated_answer_is_delivered_once(linked: tuple[Team, Team]) -> None:
    a, b = linked
    ask(a, key="ask-1")
    ask(a, key="ask-1")
    assert types(b).count("incoming") == 1
    do(b, "answer", role=MK, ref="ask-mk", input=0, key="answer-1")
    do(b, "answer", role=MK, ref="ask-mk", input=0, key="answer-1")
    assert types(a).count("reply") == 1 and types(b).count("answer") == 1


def test_a_refusal_travels_back_with_its_reason(linked: tuple[Team, Team]) -> None:
    a, b = linked
    ask(a)
    do(b, "answer", role=MK, ref="ask-mk", reason="Send it as an MLA request", actor="Marko")
    do(a, "wait", role=POLICE)
    asker = session_for(fresh(a))
    refusal = asker.state.feed[-1]
    assert (refusal.kind, refusal.role, refusal.reason) == (
        "refusal",
        MK,
        "Send it as an MLA request",
    )
    assert asker.check(POLICE, "ask-mk").enabled  # it can be asked again


def test_only_the_role_the_team_plays_can_answer(linked: tuple[Team, Team]) -> None:
    a, b = linked
    ask(a)
    with pytest.raises(IllegalAction):
        do(b, "answer", role=POLICE, ref="ask-mk", input=0)
    assert "reply" not in types(a)


def test_an_unlinked_exercise_is_answered_by_the_script_as_before(
    team: Team, other_team: Team
) -> None:
    do(team, "act", role=POLICE, ref="treat-as-victim")
    do(team, "act", role=POLICE, ref="check-db")
    ask(team)
    do(team, "wait", role=POLICE)
    assert "doc-mk" in session_for(fresh(team)).state.unlocked
    assert types(other_team) == []
    assert "link" not in types(team)


def test_a_team_is_linked_once_and_to_a_real_split_of_the_roles(
    team: Team, other_team: Team
) -> None:
    with pytest.raises(actions.Refused):
        actions.link_teams(team, other_team, [])
    with pytest.raises(actions.Refused):
        actions.link_teams(team, team, [MK])
    actions.link_teams(team, other_team, [MK])
    with pytest.raises(actions.Refused):
        actions.link_teams(other_team, team, [POLICE])


def test_a_participant_of_a_linked_team_holds_only_its_sides_roles(
    linked: tuple[Team, Team], ana: Any
) -> None:
    with pytest.raises(actions.Refused):
        actions.set_roles(ana, [MK])


def test_the_play_page_shows_the_request_to_the_role_and_sends_the_chosen_answer(
    linked: tuple[Team, Team],
) -> None:
    a, b = linked
    ask(a)
    browser, marko = player(fresh(b).exercise, "Marko", [MK], team=fresh(b))
    page = browser.get(reverse("play", args=[marko.exercise_id]))
    assert (
        "Requests from the other team" in page.text and "Eleven crossings confirmed." in page.text
    )
    answered = htmx(
        browser,
        reverse("answer", args=[marko.exercise_id]),
        {"key": "k-1", "role": MK, "action": "ask-mk", "reply": "0"},
    )
    assert answered.status_code == 200 and "Requests from the other team" not in answered.text
    assert types(a)[-1] == "reply"


def test_answering_needs_a_reply_or_a_reason(linked: tuple[Team, Team]) -> None:
    a, b = linked
    ask(a)
    browser, marko = player(fresh(b).exercise, "Marko", [MK], team=fresh(b))
    url = reverse("answer", args=[marko.exercise_id])
    empty = htmx(browser, url, {"key": "k-2", "role": MK, "action": "ask-mk", "reason": " "})
    assert "give a reason for refusing" in empty.text
    assert "reply" not in types(a)
    assert htmx(browser, url, {"key": "k-3", "role": POLICE, "action": "ask-mk"}).status_code == 403


def test_the_facilitator_links_two_teams_on_the_console(
    team: Team, other_team: Team, facilitator_client: Any
) -> None:
    exercise_id = team.exercise_id
    console = facilitator_client.get(reverse("console", args=[exercise_id]))
    assert "Roles the second team plays" in console.text
    facilitator_client.post(
        reverse("console_link", args=[exercise_id]),
        {"first": team.pk, "second": other_team.pk, "plays": [MK]},
    )
    assert fresh(other_team).plays == [MK] and fresh(team).linked_team_id == other_team.pk
    console = facilitator_client.get(reverse("console", args=[exercise_id]))
    assert "Team 1 and Team 2 are linked" in console.text


def test_the_debrief_shows_both_sides_in_the_order_they_happened(
    linked: tuple[Team, Team], facilitator_client: Any
) -> None:
    a, b = linked
    ask(a)
    do(b, "answer", role=MK, ref="ask-mk", input=0, actor="Marko")
    do(a, "wait", role=POLICE)
    page = facilitator_client.get(reverse("debrief_team", args=[a.exercise_id, a.pk]))
    both = page.text[page.text.index('id="linked-timeline"') :]
    order = [
        both.index("Ana (Police investigator"),
        both.index("Request from the other team"),
        both.index("Answered the other team"),
        both.index("Reply to:"),
    ]
    assert order == sorted(order)
    assert "Team 1" in both and "Team 2" in both
    actions.unlink_teams(fresh(a))  # after the exercise: both sides are still shown
    page = facilitator_client.get(reverse("debrief_team", args=[a.exercise_id, a.pk]))
    assert 'id="linked-timeline"' in page.text and "Answered the other team" in page.text


def test_an_unlinked_team_debrief_has_no_second_side(team: Team, facilitator_client: Any) -> None:
    page = facilitator_client.get(reverse("debrief_team", args=[team.exercise_id, team.pk]))
    assert page.status_code == 200 and 'id="linked-timeline"' not in page.text


def test_joining_a_linked_team_offers_only_its_sides_roles(linked: tuple[Team, Team]) -> None:
    a, b = linked
    code = fresh(b).exercise.join_code
    form = {"name": "Marko", "agency": "Police", "country": "MK", "team": b.pk}
    wrong = Client().post(f"/join/{code}/", {**form, "roles": [POLICE]})
    assert wrong.status_code == 400 and not b.members.exists()
    right = Client().post(f"/join/{code}/", {**form, "roles": [MK]})
    assert right.status_code == 302


def test_the_join_form_lists_only_the_chosen_linked_teams_roles(linked: tuple[Team, Team]) -> None:
    a, b = linked
    code = fresh(b).exercise.join_code
    page = Client().get(f"/join/{code}/", {"team": b.pk}).text
    roles = page[page.index('id="join-roles"') :]
    assert 'value="police-mk"' in roles and 'value="police-rs"' not in roles


def test_the_exercise_debrief_and_its_exports_read_linked_logs(
    linked: tuple[Team, Team], facilitator_client: Any
) -> None:
    a, b = linked
    ask(a)
    do(b, "answer", role=MK, ref="ask-mk", reason="Use the MLA channel", actor="Marko")
    do(a, "wait", role=POLICE)
    ex = a.exercise_id
    for url in [
        reverse("debrief_exercise", args=[ex]),
        reverse("debrief_team", args=[ex, b.pk]),
        f"/facilitate/{ex}/debrief/steps.csv",
        f"/facilitate/{ex}/debrief/report.html",
        reverse("debrief_xapi", args=[ex]),
    ]:
        assert facilitator_client.get(url).status_code == 200, url
    csv = facilitator_client.get(f"/facilitate/{ex}/debrief/steps.csv").content.decode()
    assert "incoming" in csv and "answer" in csv


def test_the_console_cards_say_which_requests_wait_for_the_other_team(
    linked: tuple[Team, Team], facilitator_client: Any
) -> None:
    a, _b = linked
    ask(a)
    console = facilitator_client.get(reverse("console", args=[a.exercise_id])).text
    assert "Request to Police officer (North Macedonia) (the other team)" in console
    assert "To answer, for the other team, by Police officer (North Macedonia)" in console


def test_unlinking_hands_waiting_requests_to_the_script_and_frees_both_teams(
    linked: tuple[Team, Team],
) -> None:
    a, b = linked
    ask(a)
    actions.unlink_teams(fresh(b))
    a, b = fresh(a), fresh(b)
    assert (a.linked_team_id, b.linked_team_id, a.plays, b.plays) == (None, None, [], [])
    assert types(a)[-1] == types(b)[-1] == "link"
    assert [p for p in session_for(b).state.pending if p.kind == "incoming"] == []
    do(a, "wait", role=POLICE)  # the script answers the request that waited for Marko
    assert "doc-mk" in session_for(fresh(a)).state.unlocked
    with pytest.raises(actions.Refused):
        actions.unlink_teams(fresh(a))
    actions.link_teams(fresh(a), fresh(b), [MK])  # and they may be linked again
    assert session_for(fresh(a)).state.remote == {MK}


def test_when_one_team_s_case_ends_the_other_s_requests_go_to_the_script(
    linked: tuple[Team, Team],
) -> None:
    a, b = linked
    ask(a)  # waits for a person of team b
    ending = next(iter(session_for(fresh(b)).scenario.endings))
    do(b, "end", ref=ending)  # the facilitator ends team b's case
    assert types(a)[-1] == "link"
    do(a, "wait", role=POLICE)
    assert "doc-mk" in session_for(fresh(a)).state.unlocked
    assert session_for(fresh(a)).state.remote == frozenset()


def test_a_request_to_a_team_whose_case_has_ended_goes_to_the_script(
    team: Team, other_team: Team
) -> None:
    ending = next(iter(session_for(fresh(other_team)).scenario.endings))
    do(other_team, "end", ref=ending)  # ended before the teams were linked
    actions.link_teams(team, other_team, [MK])
    do(team, "act", role=POLICE, ref="treat-as-victim", actor="Ana")
    do(team, "act", role=POLICE, ref="check-db", actor="Ana")
    ask(team)
    assert "incoming" not in types(other_team)
    assert types(team)[-1] == "link"  # nobody there can answer: handed to the script
    do(team, "wait", role=POLICE)
    assert "doc-mk" in session_for(fresh(team)).state.unlocked


def test_the_facilitator_unlinks_from_the_console(
    client: Client, facilitator: Any, linked: tuple[Team, Team]
) -> None:
    a, b = linked
    client.force_login(facilitator)
    exercise_id = a.exercise_id
    page = client.get(reverse("console", args=[exercise_id]))
    assert reverse("console_unlink", args=[exercise_id, a.pk]).encode() in page.content
    response = client.post(reverse("console_unlink", args=[exercise_id, a.pk]))
    assert response.status_code == 302
    assert fresh(a).linked_team_id is None and fresh(b).linked_team_id is None

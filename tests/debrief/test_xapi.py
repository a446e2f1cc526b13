"""xAPI statements of an exercise: valid, complete, deterministic, pseudonymous, and
round-tripped through a real Learning Record Store (ralph) on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from django.test import Client

from caseroom.debrief.lrs import (
    HttpLrsClient,
    LrsError,
    MemoryLrsClient,
    SendResult,
    client_from_settings,
)
from caseroom.debrief.xapi import (
    VERBS,
    InvalidStatement,
    registration_for,
    statements_for_exercise,
    validate,
)
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team

pytestmark = pytest.mark.django_db

LAUNCHER = Path(__file__).with_name("ralph_server.py")
HOME = "http://127.0.0.1:8000"
ROLE = f"{HOME}/xapi/extensions/role"


@dataclass(frozen=True)
class Played:
    exercise: Exercise
    team: Team
    other_team: Team
    ana: Participant
    petar: Participant
    rival: Participant


@pytest.fixture
def played(exercise: Exercise, team: Team, other_team: Team, settings: Any) -> Played:
    """Team 1 follows the expert to the successful ending (Ana acts, Petar approves the
    surveillance); Team 2's only member arrests everyone and is still playing."""
    settings.XAPI_HOMEPAGE = HOME
    ana = actions.join(exercise, name="Ana", roles=["police-rs"], team=team)
    petar = actions.join(exercise, name="Petar", roles=["prosecutor-rs"], team=team)
    rival = actions.join(exercise, name="Rival", roles=["police-rs"], team=other_team)

    def act(who: Participant, on: Team, ref: str, **more: Any) -> None:
        role = who.roles[0]
        actions.command(
            on, Event("act", role=role, ref=ref, actor=who.name, **more), participant=who
        )

    act(ana, team, "treat-as-victim")
    act(ana, team, "check-db")
    act(ana, team, "surveil")
    actions.command(
        team,
        Event("approve", role="prosecutor-rs", ref="surveil", actor="Petar"),
        participant=petar,
    )
    act(ana, team, "ask-mk", input=["plates", "dates"])
    actions.command(team, Event("wait", role="police-rs", actor="Ana"), participant=ana)
    act(ana, team, "wrap-up")
    act(ana, team, "propose-jit")
    act(rival, other_team, "arrest-all")
    return Played(exercise, team, other_team, ana, petar, rival)


def verb(statement: dict[str, Any]) -> str:
    return str(statement["verb"]["id"]).rsplit("/", 1)[-1]


def of(statements: list[dict[str, Any]], participant: Participant) -> list[dict[str, Any]]:
    name = f"participant-{participant.pk}"
    return [s for s in statements if s["actor"].get("account", {}).get("name") == name]


# ---------------------------------------------------------------- the statements


def test_every_statement_of_a_played_exercise_is_valid_xapi(played: Played) -> None:
    statements = statements_for_exercise(played.exercise)
    assert len(statements) > 10
    validate(statements)


def test_each_participant_gets_the_verbs_of_what_they_did(played: Played) -> None:
    statements = statements_for_exercise(played.exercise)
    ana = Counter(verb(s) for s in of(statements, played.ana))
    petar = Counter(verb(s) for s in of(statements, played.petar))
    rival = Counter(verb(s) for s in of(statements, played.rival))
    # Ana took six decisions; the surveillance she asked for is hers, not the approver's.
    assert ana == {"initialized": 1, "answered": 6, "completed": 1, "passed": 1, "terminated": 1}
    assert petar == {"initialized": 1, "answered": 1, "completed": 1, "passed": 1, "terminated": 1}
    # Still playing: no completion and no termination yet.
    assert rival == {"initialized": 1, "answered": 1}
    assert len(statements) == sum((ana + petar + rival).values())
    assert {s["verb"]["id"] for s in statements} <= set(VERBS.values())


def test_statements_are_in_time_order_with_aware_timestamps(played: Played) -> None:
    statements = of(statements_for_exercise(played.exercise), played.ana)
    stamps = [s["timestamp"] for s in statements]
    assert stamps == sorted(stamps)
    assert all(stamp.endswith("+00:00") for stamp in stamps)
    assert verb(statements[0]) == "initialized" and verb(statements[-1]) == "terminated"


def test_the_team_is_in_context_team_and_the_role_in_an_extension(played: Played) -> None:
    statements = statements_for_exercise(played.exercise)
    approval = next(s for s in of(statements, played.petar) if verb(s) == "answered")
    team = approval["context"]["team"]
    assert team["objectType"] == "Group" and team["name"] == "Team 1"
    assert [m["account"]["name"] for m in team["member"]] == [
        f"participant-{played.ana.pk}",
        f"participant-{played.petar.pk}",
    ]
    assert approval["context"]["extensions"][ROLE] == "prosecutor-rs"
    assert approval["context"]["registration"] == str(registration_for(played.exercise))
    assert approval["context"]["contextActivities"]["parent"][0]["id"] == (
        f"{HOME}/xapi/exercises/{played.exercise.pk}"
    )
    rival = of(statements, played.rival)[0]
    assert rival["context"]["team"]["name"] == "Team 2"


def test_answered_statements_carry_a_choice_interaction_with_the_options_and_the_experts_choice(
    played: Played,
) -> None:
    statements = statements_for_exercise(played.exercise)
    arrest = next(s for s in of(statements, played.rival) if verb(s) == "answered")
    definition = arrest["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == ["treat-as-victim", "arrest-all"]
    assert definition["choices"][1]["description"] == {
        "en": "Arrest everyone for illegal crossing."
    }
    assert definition["correctResponsesPattern"] == ["treat-as-victim"]
    assert arrest["result"]["response"] == "arrest-all"
    assert arrest["result"]["success"] is False
    extensions = arrest["result"]["extensions"]
    assert extensions[f"{HOME}/xapi/extensions/grade"] == "harmful"
    assert extensions[f"{HOME}/xapi/extensions/misconception"] == "mc-victim-offender"
    # The request with an input: the answer's quality is the scaled score.
    ask = next(
        s for s in of(statements, played.ana) if s.get("result", {}).get("response") == "ask-mk"
    )
    assert ask["result"]["score"] == {"scaled": 1.0} and ask["result"]["success"] is True
    approve = next(s for s in of(statements, played.petar) if verb(s) == "answered")
    assert approve["result"]["response"] == "approve"
    assert approve["object"]["definition"]["correctResponsesPattern"] == ["approve"]


def test_the_ending_completes_and_passes_with_the_teams_points(played: Played) -> None:
    statements = of(statements_for_exercise(played.exercise), played.ana)
    passed = next(s for s in statements if verb(s) == "passed")
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"raw": 11}
    assert passed["result"]["extensions"][f"{HOME}/xapi/extensions/ending"] == "dismantled"
    completed = next(s for s in statements if verb(s) == "completed")
    assert completed["result"]["completion"] is True


def test_a_failed_ending_set_by_the_facilitator_fails_and_a_partial_one_only_completes(
    played: Played,
) -> None:
    actions.command(played.other_team, Event("end", ref="closed", actor="Facilitator"))
    rival = Counter(verb(s) for s in of(statements_for_exercise(played.exercise), played.rival))
    assert rival == {"initialized": 1, "answered": 1, "completed": 1, "failed": 1, "terminated": 1}

    exercise = Exercise.objects.create(title="Partial", scenario=played.exercise.scenario)
    exercise.status = Exercise.Status.RUNNING
    exercise.save(update_fields=["status"])
    (team,) = actions.create_teams(exercise, 1)
    mira = actions.join(exercise, name="Mira", roles=["police-rs"], team=team)
    actions.command(team, Event("act", role="police-rs", ref="arrest-all"), participant=mira)
    actions.command(team, Event("end", ref="partial"))
    statements = statements_for_exercise(exercise)
    validate(statements)
    assert Counter(verb(s) for s in statements) == {
        "initialized": 1,
        "answered": 1,
        "completed": 1,
        "terminated": 1,
    }
    completed = next(s for s in statements if verb(s) == "completed")
    assert "success" not in completed["result"]
    assert completed["result"]["extensions"][f"{HOME}/xapi/extensions/outcome"] == "partial"


def test_a_team_still_playing_terminates_when_the_exercise_ends(played: Played) -> None:
    actions.set_status(played.exercise, Exercise.Status.ENDED)
    rival = Counter(verb(s) for s in of(statements_for_exercise(played.exercise), played.rival))
    assert rival == {"initialized": 1, "answered": 1, "terminated": 1}


def test_decisions_no_participant_is_recorded_for_are_the_teams(
    exercise: Exercise, team: Team, settings: Any
) -> None:
    settings.XAPI_HOMEPAGE = HOME
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    statements = statements_for_exercise(exercise)
    validate(statements)
    assert [verb(s) for s in statements] == ["initialized", "answered"]
    actor = statements[1]["actor"]
    assert actor["objectType"] == "Group" and actor["account"]["name"] == f"team-{team.pk}"
    assert "team" not in statements[1]["context"]


def test_statement_ids_are_the_same_on_every_call(played: Played) -> None:
    first = statements_for_exercise(played.exercise)
    second = statements_for_exercise(played.exercise)
    assert [s["id"] for s in first] == [s["id"] for s in second]
    assert first == second
    assert len({s["id"] for s in first}) == len(first)


def test_participants_are_pseudonymous_unless_names_are_asked_for(played: Played) -> None:
    plain = statements_for_exercise(played.exercise)
    for name in ("Ana", "Petar", "Rival"):
        assert f'"{name}"' not in str(plain).replace("'", '"')
    named = statements_for_exercise(played.exercise, with_names=True)
    validate(named)
    assert {s["actor"].get("name") for s in named} == {"Ana", "Petar", "Rival"}
    assert [s["id"] for s in named] == [s["id"] for s in plain]


def test_validate_names_the_statement_and_the_field_that_break_the_model(played: Played) -> None:
    statements = statements_for_exercise(played.exercise)
    broken = [dict(s) for s in statements]
    broken[3] = {**broken[3], "result": {"score": {"scaled": 2}}}
    with pytest.raises(InvalidStatement) as caught:
        validate(broken)
    assert caught.value.index == 3
    assert caught.value.field == "result.score.scaled"
    assert str(caught.value).startswith("statement 3: result.score.scaled: ")
    bad_actor = [{**statements[0], "actor": {"objectType": "Agent", "account": {"name": "x"}}}]
    with pytest.raises(InvalidStatement, match=r"statement 0: actor\.account\.homePage"):
        validate(bad_actor)


# ---------------------------------------------------------------- the in-memory LRS


def test_the_memory_lrs_keeps_repeated_statements_once_and_reports_conflicts(
    played: Played,
) -> None:
    statements = statements_for_exercise(played.exercise)
    lrs = MemoryLrsClient()
    ids = tuple(s["id"] for s in statements)
    assert lrs.send(statements) == SendResult(stored=ids)
    assert lrs.send(statements) == SendResult(unchanged=ids)
    changed = [{**statements[0], "timestamp": "2020-01-01T00:00:00+00:00"}]
    assert lrs.send(changed).conflicts == (ids[0],)
    fetched = lrs.fetch(registration_for(played.exercise))
    assert sorted(s["id"] for s in fetched) == sorted(ids)


def test_no_lrs_is_configured_without_a_url(settings: Any) -> None:
    settings.LRS_URL = ""
    assert client_from_settings() is None
    settings.LRS_URL, settings.LRS_USERNAME, settings.LRS_PASSWORD = (
        "https://lrs.example.org/xAPI/",
        "u",
        "p",
    )
    client = client_from_settings()
    assert isinstance(client, HttpLrsClient)
    assert client.statements_url == "https://lrs.example.org/xAPI/statements"


def test_an_lrs_failure_is_an_lrs_error_with_the_lrss_reason() -> None:
    def failing(request: httpx.Request) -> httpx.Response:
        assert request.headers["X-Experience-API-Version"] == "1.0.3"
        return httpx.Response(503, json={"detail": "index is read-only"})

    with httpx.Client(transport=httpx.MockTransport(failing)) as http:
        client = HttpLrsClient("https://lrs.example.org/xAPI", "u", "p", client=http)
        with pytest.raises(LrsError, match="HTTP 503.*index is read-only") as caught:
            client.send([{"id": "x"}])
    assert caught.value.status == 503


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_a_clear_lrs_error() -> None:
    client = HttpLrsClient(f"http://127.0.0.1:{free_port()}/xAPI/", "u", "p")
    with pytest.raises(LrsError, match="Cannot connect to the Learning Record Store") as caught:
        client.send([{"id": "x"}])
    assert caught.value.status is None
    assert "LRS_URL" in str(caught.value)


# ---------------------------------------------------------------- a real LRS: ralph


@dataclass(frozen=True)
class Lrs:
    url: str
    username: str
    password: str

    def client(self, **options: Any) -> HttpLrsClient:
        return HttpLrsClient(self.url, self.username, self.password, **options)


def _unavailable(reason: str) -> NoReturn:
    # CI installs the dev extra, so there a missing LRS is a broken setup, not a skip.
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    """The ralph LRS in a subprocess on a free loopback port, stopped after the module."""
    if importlib.util.find_spec("ralph") is None or importlib.util.find_spec("uvicorn") is None:
        _unavailable("ralph-malph is not installed (pip install -e '.[dev]')")
    app_dir = tmp_path_factory.mktemp("ralph")
    username, password = "caseroom", "lrs-test-password"
    with (app_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(app_dir), username, password],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            port = _wait_until_up(process, app_dir, deadline=time.monotonic() + 60)
            if port is None:
                output = (app_dir / "server.log").read_text(errors="replace")[-2000:]
                _unavailable(f"ralph did not start: {output or 'no output'}")
            yield Lrs(f"http://127.0.0.1:{port}/xAPI/", username, password)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], app_dir: Path, deadline: float) -> int | None:
    """Poll for the port file, then the heartbeat, until the deadline or the process dies."""
    port_file = app_dir / "port"
    while time.monotonic() < deadline and process.poll() is None:
        if port_file.exists():
            port = int(port_file.read_text())
            try:
                if httpx.get(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2).is_success:
                    return port
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    return None


def test_statements_sent_to_a_real_lrs_come_back_by_registration(
    played: Played, ralph: Lrs
) -> None:
    statements = statements_for_exercise(played.exercise)
    validate(statements)
    sent = ralph.client(batch_size=7).send(statements)
    assert sorted(sent.stored) == sorted(s["id"] for s in statements)
    fetched = ralph.client().fetch(registration_for(played.exercise))
    assert sorted((s["id"], s["verb"]["id"]) for s in fetched) == sorted(
        (s["id"], s["verb"]["id"]) for s in statements
    )
    back = {s["id"]: s for s in fetched}
    for statement in statements:
        assert back[statement["id"]]["actor"] == statement["actor"]
        assert back[statement["id"]]["object"]["id"] == statement["object"]["id"]


def test_fetching_follows_the_lrss_more_links(played: Played, ralph: Lrs) -> None:
    statements = statements_for_exercise(played.exercise)
    ralph.client().send(statements)
    fetched = ralph.client(page_size=4).fetch(registration_for(played.exercise))
    assert sorted(s["id"] for s in fetched) == sorted(s["id"] for s in statements)


def test_sending_the_same_statements_twice_stores_them_once(played: Played, ralph: Lrs) -> None:
    statements = statements_for_exercise(played.exercise)
    client = ralph.client(batch_size=5)
    client.send(statements)
    again = client.send(statements)
    ids = sorted(s["id"] for s in statements)
    assert again.stored == () and again.conflicts == ()
    assert sorted(again.unchanged) == ids
    fetched = client.fetch(registration_for(played.exercise))
    assert sorted(s["id"] for s in fetched) == ids


def test_a_statement_changed_since_it_was_sent_is_a_conflict_and_the_rest_still_go(
    played: Played, ralph: Lrs
) -> None:
    statements = statements_for_exercise(played.exercise)
    client = ralph.client()
    client.send(statements[:3])
    changed = {**statements[1], "timestamp": "2020-01-01T00:00:00.000+00:00"}
    result = client.send([statements[0], changed, *statements[3:]])
    assert result.conflicts == (statements[1]["id"],)
    assert result.unchanged == (statements[0]["id"],)
    assert sorted(result.stored) == sorted(s["id"] for s in statements[3:])


def test_a_wrong_password_is_a_clear_lrs_error(played: Played, ralph: Lrs) -> None:
    client = HttpLrsClient(ralph.url, ralph.username, "not-the-password")
    with pytest.raises(LrsError, match="refused the credentials.*LRS_PASSWORD") as caught:
        client.send(statements_for_exercise(played.exercise))
    assert caught.value.status == 401
    with pytest.raises(LrsError, match="refused the credentials"):
        client.fetch(registration_for(played.exercise))


def test_the_debrief_page_and_the_cli_send_to_the_configured_lrs(
    played: Played, ralph: Lrs, settings: Any, facilitator_client: Client
) -> None:
    from django.urls import reverse
    from typer.testing import CliRunner

    from caseroom.cli.main import app

    settings.LRS_URL, settings.LRS_USERNAME, settings.LRS_PASSWORD = (
        ralph.url,
        ralph.username,
        ralph.password,
    )
    page = facilitator_client.get(
        reverse("debrief_exercise", args=[played.exercise.pk])
    ).content.decode()
    assert "Send to the Learning Record Store" in page
    sent = facilitator_client.post(
        reverse("debrief_xapi_send", args=[played.exercise.pk]), follow=True
    ).content.decode()
    count = len(statements_for_exercise(played.exercise))
    assert f"Stored: {count}; already there: 0;" in sent
    result = CliRunner().invoke(
        app, ["report", str(played.exercise.pk), "--format", "xapi", "--send"]
    )
    assert result.exit_code == 0, result.output
    assert f"sent: 0 stored, {count} already there, 0 kept as first sent" in result.output
    fetched = ralph.client().fetch(registration_for(played.exercise))
    assert len(fetched) == count

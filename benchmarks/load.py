"""Load: simulated participants act through the real HTTP and WebSocket endpoints.

Runs the production server command (uvicorn, several workers) on PostgreSQL and Redis,
all on 127.0.0.1, with a fresh database. Each simulated participant holds one role in a
team, acts every few seconds (a legal action chosen from a local replica of the team's
session), sometimes retries a request with the same idempotency key, and listens on the
team's WebSocket. A simulated facilitator, logged in and listening on the exercise's
WebSocket like the live console, keeps every team playing for the whole run: where the
only moves left would end the case, it moves the team to another scene through the
console (a random game reaches that point after 20-40 moves, so without this the load
was a burst in the first seconds and then silence). Prints action throughput (and the
lowest and highest 5-second rate, to show the load was steady), action latency,
broadcast delay to teammates and to the facilitator, and errors, next to the latency of
a trivial view of the same server measured in the same run, then checks the database:
no lost and no duplicated actions. The last line is one JSON object with all figures.

    python benchmarks/load.py [--participants 300] [--teams 50] [--seconds 60] [--laptop]

--laptop measures what `make run` serves a room with instead: one process, SQLite and the
in-memory channel layer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serving import start_server, wait_until_healthy  # noqa: E402

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "caseroom_load"
REDIS_URL = "redis://127.0.0.1:6379/5"


def fresh_database() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


@dataclass
class Member:
    participant: int
    team: int
    role: str
    cookie: str


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    acted_at: list[float] = field(default_factory=list)
    jumps: list[float] = field(default_factory=list)  # the facilitator's commands, latency
    finished_teams: set[int] = field(default_factory=set)  # no move left anywhere
    accepted: dict[int, int] = field(default_factory=dict)
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    sent_at: dict[tuple[int, int], float] = field(default_factory=dict)  # (team, seq) → time sent
    received: list[tuple[int, int, float]] = field(default_factory=list)
    console: list[tuple[int, int, float]] = field(default_factory=list)
    # --pages: (team, seq, time) when a teammate's page showed the team at `seq` or later
    shown: list[tuple[int, int, float]] = field(default_factory=list)
    part_requests: int = 0  # --pages: requests for the changed parts of a page
    part_renders: int = 0  # parts rendered in their answers
    part_latencies: list[float] = field(default_factory=list)
    trivial: list[float] = field(default_factory=list)
    began: float = 0.0


def setup(teams: int, participants: int, scenario_dir: Path) -> tuple[int, list[Member], str]:
    """The exercise, its members with their session cookies, and the facilitator's cookie."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.test import Client

    from caseroom.exercises import actions
    from caseroom.exercises.access import SESSION_KEY
    from caseroom.exercises.models import Exercise
    from caseroom.scenarios.registry import load, register_folder

    call_command("migrate", verbosity=0)
    version = register_folder(scenario_dir, explore=False)
    roles = list(load(version).roles)
    exercise = Exercise.objects.create(
        title="Load", scenario=version, status=Exercise.Status.RUNNING
    )
    facilitator = User.objects.create_user("facilitator", password=uuid.uuid4().hex)
    exercise.facilitators.add(facilitator)
    console = Client()
    console.force_login(facilitator)
    team_rows = actions.create_teams(exercise, teams)
    members: list[Member] = []
    for index in range(participants):
        team = team_rows[index % teams]
        role = roles[(index // teams) % len(roles)]
        person = actions.join(exercise, name=f"P{index}", roles=[role], team=team)
        store = SessionStore()
        store[SESSION_KEY] = {str(exercise.pk): person.pk}
        store.create()
        members.append(Member(person.pk, team.pk, role, store.session_key or ""))
    return exercise.pk, members, console.cookies["sessionid"].value


def _ends(session: Any, event: Any) -> bool:
    probe = session.state.copy(history=False)
    session.transition(probe, event, len(session.events), record=False)
    return bool(probe.ended)


def _move_for(mirror: Any, role: str, rng: random.Random) -> Any:
    """A legal move for the role (or anyone's, like waiting) that does not end the case."""
    mine = [e for e in mirror.legal_events() if e.role in (role, None)]
    rng.shuffle(mine)
    return next((e for e in mine if not _ends(mirror, e)), None)


def form_for(event: Any, scenario: Any) -> tuple[str, list[tuple[str, str]]]:
    """The endpoint and form fields that the participant page would post for an event."""
    fields: list[tuple[str, str]] = []
    if event.type == "act":
        fields += [("role", event.role), ("action", event.ref)]
        spec = scenario.actions[event.ref].input
        if spec is not None:
            if spec.type == "multi":
                fields += [("item", item) for item in event.input]
            elif spec.type == "order":
                fields += [(f"order-{item}", str(i + 1)) for i, item in enumerate(event.input)]
            elif spec.type == "numeric":
                fields.append(("value", str(event.input)))
            else:
                fields.append(("text", str(event.input)))
        return "act", fields
    if event.type in ("approve", "refuse"):
        fields += [("role", event.role), ("action", event.ref)]
        if event.type == "refuse":
            fields.append(("reason", event.reason or "Not yet"))
        return event.type, fields
    return "wait", fields


def main(args: argparse.Namespace) -> dict[str, Any]:
    scenario_dir = ROOT / "scenarios" / args.scenario
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "caseroom.settings", "LOG_LEVEL": "ERROR"}
    if args.laptop:
        # What `make run` serves a training room with: one process, SQLite, the in-memory
        # channel layer (it reaches only its own process, hence one worker).
        args.workers = 1
        sqlite = ROOT / "var" / "load-laptop.sqlite3"
        for leftover in sqlite.parent.glob(sqlite.name + "*"):
            leftover.unlink()
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env["SQLITE_PATH"] = str(sqlite)
    else:
        env.update({"DATABASE_URL": fresh_database(), "REDIS_URL": REDIS_URL})
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            k: env[k]
            for k in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
            if k in env
        }
    )
    exercise_id, members, console = setup(args.teams, args.participants, scenario_dir)
    stats = Stats()
    duration = asyncio.run(drive(args, env, exercise_id, members, console, scenario_dir, stats))
    return report(args, members, stats, duration)


async def drive(
    args: argparse.Namespace,
    env: dict[str, str],
    exercise_id: int,
    members: list[Member],
    console: str,
    scenario_dir: Path,
    stats: Stats,
) -> float:
    import httpx
    import websockets

    from caseroom.engine import Event, IllegalAction, Session, load_scenario

    scenario = load_scenario(scenario_dir)
    port = args.port
    # --server-cpus: the server (and its workers) on its own CPUs, so that the driver's
    # own work does not show up as server latency; the driver takes the others.
    server = start_server(port, args.workers, env, extra=args.uvicorn, cpus=args.server_cpus)
    if args.server_cpus:
        others = set(range(os.cpu_count() or 1)) - set(args.server_cpus)
        if others:
            os.sched_setaffinity(0, others)
    base = f"http://127.0.0.1:{port}"
    csrf = uuid.uuid4().hex  # a 32-character secret: cookie and header match
    try:
        async with httpx.AsyncClient(
            base_url=base,
            timeout=30,
            # A browser opens up to 6 connections per server; the pages mode needs them.
            limits=httpx.Limits(max_connections=1200 if args.pages else 200),
        ) as client:
            await wait_until_healthy(client, server)
            mirrors = {m.team: Session(scenario) for m in members}
            locks = {m.team: asyncio.Lock() for m in members}
            stop = asyncio.Event()
            connected = asyncio.Event()
            ready = 0

            part_link = re.compile(r'hx-get="(/x/\d+/play/part/[^"]+)"')

            class Page:
                """A participant's open page, as app.js drives it: after a nudge, one
                request for every part that changed (then once more if nudged meanwhile)."""

                def __init__(self, member: Member) -> None:
                    self.member = member
                    self.parts: dict[tuple[str, str], str] = {}  # (part, channel) → version
                    self.busy = False
                    self.again = False
                    self.seen = 0

                def read(self, html: str) -> None:
                    for link in part_link.findall(html):
                        url = httpx.URL(link.replace("&amp;", "&"))
                        name = url.path.rstrip("/").rsplit("/", 1)[-1]
                        channel = url.params.get("channel", "")
                        self.parts[(name, channel)] = url.params.get("v", "")

                async def open(self) -> None:
                    cookies = {"sessionid": self.member.cookie}
                    self.read((await client.get(f"/x/{exercise_id}/play/", cookies=cookies)).text)

                async def nudged(self) -> None:
                    if self.busy:
                        self.again = True
                        return
                    self.busy = True
                    try:
                        while True:
                            self.again = False
                            await self.fetch()
                            if not self.again or stop.is_set():
                                break
                    finally:
                        self.busy = False

                async def fetch(self) -> None:
                    cookies = {"sessionid": self.member.cookie}
                    query = {"p": [f"{n}:{c}:{v}" for (n, c), v in self.parts.items()]}
                    started = time.perf_counter()
                    response = await client.get(
                        f"/x/{exercise_id}/play/changes/", params=query, cookies=cookies
                    )
                    stats.part_requests += 1
                    stats.part_latencies.append(time.perf_counter() - started)
                    if response.status_code not in (200, 204):
                        stats.errors.append(f"changes answered {response.status_code}")
                        return
                    if response.status_code == 200:
                        stats.part_renders += len(part_link.findall(response.text))
                        self.read(response.text)
                    seq = int(response.headers.get("X-Caseroom-Seq", "0"))
                    for shown in range(self.seen + 1, seq + 1):
                        stats.shown.append((self.member.team, shown, time.perf_counter()))
                    self.seen = max(self.seen, seq)

            pages = {m.participant: Page(m) for m in members} if args.pages else {}

            async def listen(
                url: str,
                cookie: str,
                into: list[tuple[int, int, float]],
                page: Page | None = None,
            ) -> None:
                nonlocal ready
                if page is not None:
                    await page.open()
                if args.no_listen:
                    ready += 1
                    if ready == len(members) + 1:
                        connected.set()
                    return
                headers = {"Cookie": f"sessionid={cookie}", "Origin": base}
                async with websockets.connect(url, additional_headers=headers) as socket:
                    ready += 1
                    if ready == len(members) + 1:
                        connected.set()
                    while not stop.is_set():
                        try:
                            raw = await asyncio.wait_for(socket.recv(), timeout=0.5)
                        except TimeoutError:
                            continue
                        data = json.loads(raw)
                        into.append((data["team"], data["seq"], time.perf_counter()))
                        if page is not None:
                            tasks.add(asyncio.create_task(page.nudged()))
                            tasks.difference_update([t for t in tasks if t.done()])

            console_cookies = {"sessionid": console, "csrftoken": csrf}
            headers = {"X-CSRFToken": csrf}
            scenes = list(scenario.scenes)

            def accepted(team: int, started: float, mirror: Session) -> None:
                seq = len(mirror.events)
                stats.accepted[team] = stats.accepted.get(team, 0) + 1
                stats.sent_at[(team, seq)] = started

            async def move_on(team: int, mirror: Session, rng: random.Random) -> bool:
                """The facilitator moves a team whose only moves would end the case to a
                scene where it can go on (False: nothing left to play anywhere)."""
                for scene in rng.sample(scenes, len(scenes)):
                    trial = Session(scenario, list(mirror.events))
                    jump = Event("jump", actor="facilitator", ref=scene)
                    try:
                        trial.apply(jump)
                    except IllegalAction:
                        continue
                    if not any(not _ends(trial, e) for e in trial.legal_events()):
                        continue
                    data = {"key": uuid.uuid4().hex, "team": str(team), "scene": scene}
                    started = time.perf_counter()
                    response = await client.post(
                        f"/facilitate/{exercise_id}/jump/",
                        data=data,
                        cookies=console_cookies,
                        headers=headers,
                    )
                    elapsed = time.perf_counter() - started
                    if response.status_code != 302:
                        stats.errors.append(f"jump answered {response.status_code}")
                        return False
                    stats.jumps.append(elapsed)
                    mirror.apply(jump)
                    accepted(team, started, mirror)
                    return True
                stats.finished_teams.add(team)
                return False

            async def participant(member: Member, rng: random.Random) -> None:
                cookies = {"sessionid": member.cookie, "csrftoken": csrf}
                await connected.wait()
                await asyncio.sleep(rng.uniform(0, args.max_interval))
                while not stop.is_set():
                    async with locks[member.team]:
                        mirror = mirrors[member.team]
                        # Keep the team playing for the whole run (a steady load, not a
                        # burst that ends with the case): never a move that ends it.
                        event = _move_for(mirror, member.role, rng)
                        if (
                            event is None
                            and member.team not in stats.finished_teams
                            and not any(not _ends(mirror, e) for e in mirror.legal_events())
                            and await move_on(member.team, mirror, rng)
                        ):
                            event = _move_for(mirror, member.role, rng)
                        if event is not None:
                            endpoint, fields = form_for(event, scenario)
                            key = uuid.uuid4().hex
                            data: dict[str, list[str]] = {"key": [key]}
                            for name, value in fields:
                                data.setdefault(name, []).append(value)
                            url = f"/x/{exercise_id}/play/{endpoint}/"
                            started = time.perf_counter()
                            response = await client.post(
                                url, data=data, cookies=cookies, headers=headers
                            )
                            elapsed = time.perf_counter() - started
                            if response.status_code == 302:
                                stats.latencies.append(elapsed)
                                stats.acted_at.append(started)
                                mirror.apply(event)
                                accepted(member.team, started, mirror)
                                if rng.random() < args.retry_share:
                                    # A retry after a dropped connection: same key, applied once.
                                    stats.retries += 1
                                    again = await client.post(
                                        url, data=data, cookies=cookies, headers=headers
                                    )
                                    if again.status_code != 302:
                                        stats.errors.append(f"retry answered {again.status_code}")
                            elif response.status_code == 409:
                                stats.refused += 1
                            else:
                                stats.errors.append(f"{endpoint} answered {response.status_code}")
                    await asyncio.sleep(rng.uniform(args.min_interval, args.max_interval))

            async def trivial() -> None:
                await connected.wait()
                while not stop.is_set():
                    started = time.perf_counter()
                    await client.get("/healthz")
                    stats.trivial.append(time.perf_counter() - started)
                    await asyncio.sleep(0.2)

            rng = random.Random(args.seed)
            ws = f"ws://127.0.0.1:{port}/ws"
            tasks: set[asyncio.Task[None]] = set()
            listeners = [
                asyncio.create_task(
                    listen(
                        f"{ws}/team/{m.team}/",
                        m.cookie,
                        stats.received,
                        pages.get(m.participant),
                    )
                )
                for m in members
            ]
            listeners.append(
                asyncio.create_task(listen(f"{ws}/exercise/{exercise_id}/", console, stats.console))
            )
            workers = [
                asyncio.create_task(participant(m, random.Random(rng.random()))) for m in members
            ]
            probe = asyncio.create_task(trivial())
            await asyncio.wait_for(connected.wait(), timeout=60)
            started = stats.began = time.perf_counter()
            await asyncio.sleep(args.seconds)
            stop.set()
            await asyncio.gather(*workers, probe)
            await asyncio.sleep(1.0)  # let the last broadcasts arrive
            await asyncio.gather(*listeners, return_exceptions=True)
            duration = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)
    return duration


def report(
    args: argparse.Namespace, members: list[Member], stats: Stats, duration: float
) -> dict[str, Any]:
    from caseroom.exercises.models import TeamEvent

    lost_or_duplicated = 0
    for team_id in {m.team for m in members}:
        seqs = list(
            TeamEvent.objects.filter(team_id=team_id).order_by("seq").values_list("seq", flat=True)
        )
        expected = stats.accepted.get(team_id, 0)
        if seqs != list(range(expected)):
            lost_or_duplicated += abs(len(seqs) - expected) or 1

    def delays_of(received: list[tuple[int, int, float]]) -> list[float]:
        """From the moment the command was sent to the moment a listener heard of it."""
        found = []
        for team_id, seq, at in received:
            sent = stats.sent_at.get((team_id, seq))
            if sent is not None:
                found.append(max(0.0, at - sent))
        return found

    delays, console_delays = delays_of(stats.received), delays_of(stats.console)
    shown_delays = delays_of(stats.shown)
    windows = [0] * max(1, int(args.seconds // 5))
    for at in stats.acted_at:
        slot = int((at - stats.began) // 5)
        if 0 <= slot < len(windows):
            windows[slot] += 1

    def pct(values: list[float], p: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def spread(
        values: list[float], *percentiles: int, top: bool = False, count: bool = False
    ) -> dict[str, Any]:
        """Percentiles in ms (and the maximum, and how many) of durations in seconds."""
        # None where nothing was measured: NaN is not JSON.
        found: dict[str, Any] = {
            f"p{p}": round(pct(values, p), 1) if values else None for p in percentiles
        }
        if top:
            found["max"] = round(max(values) * 1000, 1) if values else None
        if count:
            found["deliveries"] = len(values)
        return found

    total = len(stats.latencies)
    figures = {
        "participants": len(members),
        "teams": args.teams,
        "workers": args.workers,
        "back_ends": "SQLite, in-memory layer" if args.laptop else "PostgreSQL, Redis",
        "server_cpus": sorted(args.server_cpus) if args.server_cpus else "shared with the driver",
        "seconds": round(duration, 1),
        "actions": total,
        "actions_per_s": round(total / duration, 1),
        "actions_per_s_5s_windows": {
            "lowest": round(min(windows) / 5, 1),
            "highest": round(max(windows) / 5, 1),
        },
        "facilitator_moves": len(stats.jumps),
        "facilitator_move_ms": spread(stats.jumps, 50, 95),
        "teams_with_nothing_left": len(stats.finished_teams),
        "refused_as_illegal": stats.refused,
        "retries_with_same_key": stats.retries,
        "action_ms": spread(stats.latencies, 50, 95, 99),
        "trivial_view_ms": spread(stats.trivial, 50, 95, 99),
        "broadcast_ms": spread(delays, 50, 95, top=True, count=True),
        "broadcast_to_facilitator_ms": spread(console_delays, 50, 95, top=True, count=True),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "lost_or_duplicated": lost_or_duplicated,
    }
    if args.pages:
        figures["pages"] = {
            "page_requests_per_s": round(stats.part_requests / duration, 1),
            "parts_rendered_per_s": round(stats.part_renders / duration, 1),
            "page_request_ms": spread(stats.part_latencies, 50, 95),
            "teammate_page_shows_action_ms": spread(shown_delays, 50, 95, top=True),
        }
    figures["targets_met"] = {
        "p95<150ms": (figures["action_ms"]["p95"] or float("inf")) < 150,
        "broadcast<1s": max(
            figures["broadcast_ms"]["max"] or 0, figures["broadcast_to_facilitator_ms"]["max"] or 0
        )
        < 1000,
        "no_lost_or_duplicated": lost_or_duplicated == 0 and not stats.errors,
    }
    print(
        f"actions:   {total} in {duration:.0f} s = {figures['actions_per_s']}/s "
        f"(5-s windows {figures['actions_per_s_5s_windows']}; {stats.refused} refused as "
        f"illegal, {stats.retries} retries; {len(stats.jumps)} facilitator moves)"
    )
    print(
        f"latency:   action p50/p95/p99 {figures['action_ms']} ms; "
        f"trivial view {figures['trivial_view_ms']} ms (baseline)"
    )
    print(
        f"broadcast: {figures['broadcast_ms']} ms to teammates, "
        f"{figures['broadcast_to_facilitator_ms']} ms to the facilitator (from sending)"
    )
    if args.pages:
        print(f"pages:     {figures['pages']}")
    print(f"integrity: {lost_or_duplicated} lost or duplicated; {len(stats.errors)} errors")
    print(json.dumps(figures))
    return figures


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scenario", default="vardar-corridor")
    parser.add_argument("--min-interval", type=float, default=2.0)
    parser.add_argument("--max-interval", type=float, default=5.0)
    parser.add_argument("--retry-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-listen", action="store_true", help="Open no WebSocket (diagnosis).")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="Each listener's page asks for its changed parts after every nudge, as app.js does.",
    )
    parser.add_argument(
        "--laptop",
        action="store_true",
        help="Serve as `make run` does: SQLite, in-memory channel layer, one process.",
    )
    parser.add_argument(
        "--uvicorn", default="", help="More options for uvicorn, quoted (experiments)."
    )
    parser.add_argument(
        "--server-cpus",
        type=lambda text: {int(c) for c in text.split(",")},
        default=None,
        help="CPU numbers for the server, e.g. 1; the driver runs on the others.",
    )
    return parser.parse_args()


if __name__ == "__main__":
    main(parse())

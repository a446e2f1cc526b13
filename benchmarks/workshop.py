"""A regional workshop's busiest minute: 100 phones post to one theme's board at once.

Runs the server as `load.py` does (uvicorn; PostgreSQL and Redis on 127.0.0.1 with several
workers, or with --laptop one process on SQLite and the in-memory layer, which is what
`make run` serves a room with). 100 joined phones open the theme's board and its WebSocket,
plus the facilitator's console (also live) on the projector. Then, in each round, every
phone posts one card at the same moment; a tenth of them tap "Post" twice (the same
idempotency key). Each screen behaves as app.js does: a phone shows the board its message
carries when newer than its own; a screen whose message carries none (the console) asks for
the board part with the version it shows (204 when unchanged), never two requests at once,
and asks again if the answer is older than the newest nudge. A phone's time to parse the
pushed board (a few ms in a browser) is not counted.

Measured, per (card, screen): from the moment the card's post was answered to the moment
that screen's board showed it. Printed next to the latency of a trivial view of the same
server in the same run (the baseline), with the database checked afterwards: every card
stored exactly once. The last line is one JSON object with all figures.

    python benchmarks/workshop.py [--phones 100] [--rounds 3] [--laptop]

Target (issue 12): every card stored once; all screens updated within 1 s p95.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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
REDIS_URL = "redis://127.0.0.1:6379/6"
CARD = re.compile(r"Card \d+-\d+ [0-9a-f]{8}")
SEQ = re.compile(r'data-seq="(\d+)"')


@dataclass
class Stats:
    posted_at: dict[str, float] = field(default_factory=dict)  # card text → post answered
    seen: dict[tuple[str, int], float] = field(default_factory=dict)  # (card, screen) → shown
    post_ms: list[float] = field(default_factory=list)
    part_ms: list[float] = field(default_factory=list)
    parts_200: int = 0
    parts_204: int = 0
    nudges: int = 0
    pushed: int = 0  # messages that carried the board itself
    socket_bytes: int = 0  # what the sockets received, all screens together (uncompressed)
    trivial_ms: list[float] = field(default_factory=list)
    double_taps: int = 0
    errors: list[str] = field(default_factory=list)


def fresh_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def forget_keys(prefix: str) -> None:
    """The run's cache keys (the phones' sessions) in Redis: nothing of a run stays behind."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        client.delete(key)


def setup(phones: int) -> tuple[int, list[str], str]:
    """The workshop's first theme, one session cookie per phone, the facilitator's cookie."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.test import Client

    from caseroom.workshops import actions
    from caseroom.workshops.access import SESSION_KEY

    call_command("migrate", verbosity=0)
    facilitator = User.objects.create_user(
        f"facilitator-{uuid.uuid4().hex[:8]}", password=uuid.uuid4().hex, is_staff=True
    )
    workshop = actions.create_workshop(
        facilitator,
        title="Benchmark workshop",
        starts_on=dt.date(2026, 5, 12),
        ends_on=dt.date(2026, 5, 13),
        place="Ohrid",
    )
    theme = workshop.themes.order_by("position").first()
    assert theme is not None
    cookies = []
    countries = ("Albania", "Kosovo", "Montenegro", "North Macedonia", "Serbia")
    for index in range(phones):
        person = actions.join(
            workshop,
            name=f"Phone {index}",
            country=countries[index % len(countries)],
            agency="Police" if index % 2 else "Prosecution",
        )
        store = SessionStore()
        store[SESSION_KEY] = {str(workshop.pk): person.pk}
        store.create()
        cookies.append(store.session_key or "")
    console = Client()
    console.force_login(facilitator)
    return theme.pk, cookies, console.cookies["sessionid"].value


class Screen:
    """One open board (a phone's, or the facilitator's console), driven as app.js drives
    it: a nudge asks for the part with the version shown; one request at a time; asked
    again while older than the newest nudge."""

    def __init__(self, number: int, path: str, cookie: str, client: Any, stats: Stats) -> None:
        self.number, self.path, self.cookie = number, path, cookie
        self.client, self.stats = client, stats
        self.shown = -1
        self.latest = -1
        self.busy = False

    def read(self, html: str) -> None:
        now = time.perf_counter()
        found = SEQ.search(html)
        if found:
            self.shown = max(self.shown, int(found.group(1)))
        for text in CARD.findall(html):
            self.stats.seen.setdefault((text, self.number), now)

    async def fetch(self) -> None:
        started = time.perf_counter()
        response = await self.client.get(
            self.path, params={"v": str(self.shown)}, cookies={"sessionid": self.cookie}
        )
        self.stats.part_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code == 204:
            self.stats.parts_204 += 1
            self.shown = max(self.shown, self.latest)
        elif response.status_code == 200:
            self.stats.parts_200 += 1
            self.read(response.text)
        else:
            self.stats.errors.append(f"part answered {response.status_code}")

    def pushed(self, seq: int, message: dict[str, Any]) -> None:
        """A board that came in the message, applied as app.js applies it when newer than the
        one shown (voting stays closed here, so app.js would never fetch instead)."""
        self.stats.nudges += 1
        self.stats.pushed += 1
        self.latest = max(self.latest, seq)
        if seq > self.shown:
            self.read(str(message["html"]))
            self.shown = seq

    async def nudged(self, seq: int) -> None:
        self.stats.nudges += 1
        self.latest = max(self.latest, seq)
        if self.busy:
            return  # the loop below asks again: the answer will be behind `latest`
        self.busy = True
        try:
            while self.shown < self.latest:
                await self.fetch()
        finally:
            self.busy = False


async def drive(
    args: argparse.Namespace,
    env: dict[str, str],
    stats: Stats,
    prepared: tuple[int, list[str], str],
) -> float:
    import httpx
    import websockets

    theme_id, cookies, console_cookie = prepared
    port = args.port
    # Connections stay open between bursts: uvicorn's 5 s keep-alive would close some just as
    # a post reuses them (httpx then reports a ReadError that no phone would see).
    server = start_server(port, args.workers, env, extra="--timeout-keep-alive 120")
    base = f"http://127.0.0.1:{port}"
    csrf = uuid.uuid4().hex
    try:
        async with httpx.AsyncClient(
            base_url=base, timeout=30, limits=httpx.Limits(max_connections=400)
        ) as client:
            await wait_until_healthy(client, server)

            board = f"/workshops/themes/{theme_id}/part/"
            screens = [Screen(i, board, c, client, stats) for i, c in enumerate(cookies)]
            screens.append(
                Screen(
                    len(cookies),
                    f"/workshops/themes/{theme_id}/console/part/",
                    console_cookie,
                    client,
                    stats,
                )
            )
            stop = asyncio.Event()
            opened = asyncio.Event()
            ready = 0
            tasks: set[asyncio.Task[None]] = set()

            async def listen(screen: Screen) -> None:
                nonlocal ready
                await screen.fetch()  # the page as first loaded
                url = f"ws://127.0.0.1:{port}/ws/workshop/theme/{theme_id}/"
                headers = {"Cookie": f"sessionid={screen.cookie}", "Origin": base}
                async with websockets.connect(url, additional_headers=headers) as channel:
                    ready += 1
                    if ready == len(screens):
                        opened.set()
                    while not stop.is_set():
                        try:
                            raw = await asyncio.wait_for(channel.recv(), timeout=0.5)
                        except TimeoutError:
                            continue
                        stats.socket_bytes += len(raw)
                        message = json.loads(raw)
                        seq = int(message["seq"])
                        if isinstance(message.get("html"), str):
                            screen.pushed(seq, message)
                            continue
                        task = asyncio.create_task(screen.nudged(seq))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)

            async def post(index: int, cookie: str, text: str, go: asyncio.Event) -> None:
                data = {"kind": "gap" if index % 3 else "practice", "text": text}
                data["key"] = uuid.uuid4().hex
                jar = {"sessionid": cookie, "csrftoken": csrf}
                await go.wait()
                started = time.perf_counter()
                answer = await client.post(
                    f"/workshops/themes/{theme_id}/post/",
                    data=data,
                    cookies=jar,
                    headers={"X-CSRFToken": csrf},
                )
                done = time.perf_counter()
                if answer.status_code != 302:
                    stats.errors.append(f"post answered {answer.status_code}")
                    return
                stats.post_ms.append((done - started) * 1000)
                stats.posted_at[text] = done
                if index % 10 == 0:  # a double tap: the same key again, stored once
                    stats.double_taps += 1
                    again = await client.post(
                        f"/workshops/themes/{theme_id}/post/",
                        data=data,
                        cookies=jar,
                        headers={"X-CSRFToken": csrf},
                    )
                    if again.status_code != 302:
                        stats.errors.append(f"double tap answered {again.status_code}")

            async def trivial() -> None:
                while not stop.is_set():
                    started = time.perf_counter()
                    await client.get("/healthz")
                    stats.trivial_ms.append((time.perf_counter() - started) * 1000)
                    await asyncio.sleep(0.1)

            listeners = [asyncio.create_task(listen(screen)) for screen in screens]
            await asyncio.wait_for(opened.wait(), timeout=60)
            baseline = asyncio.create_task(trivial())
            began = time.perf_counter()
            for round_ in range(args.rounds):
                go = asyncio.Event()
                texts = [f"Card {round_}-{i} {uuid.uuid4().hex[:8]}" for i in range(len(cookies))]
                posts = [
                    asyncio.create_task(post(i, cookie, texts[i], go))
                    for i, cookie in enumerate(cookies)
                ]
                await asyncio.sleep(0.05)  # every post waits on `go`: they leave together
                go.set()
                await asyncio.gather(*posts)
                deadline = time.perf_counter() + args.settle
                wanted = {(text, s.number) for text in texts for s in screens}
                while time.perf_counter() < deadline and not wanted <= stats.seen.keys():
                    await asyncio.sleep(0.05)
            duration = time.perf_counter() - began
            stop.set()
            await baseline
            await asyncio.gather(*listeners, return_exceptions=True)
            for task in list(tasks):
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return duration


def report(args: argparse.Namespace, stats: Stats, duration: float) -> dict[str, Any]:
    from caseroom.workshops.models import Card

    texts = list(Card.objects.values_list("text", flat=True))
    stored_once = len(texts) == len(set(texts)) == len(stats.posted_at)
    screens = args.phones + 1
    delays = []
    missing = 0
    for text, posted in stats.posted_at.items():
        for number in range(screens):
            shown = stats.seen.get((text, number))
            if shown is None:
                missing += 1
            else:
                delays.append(max(0.0, shown - posted) * 1000)

    def pct(values: list[float], p: float) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)

    p95 = pct(delays, 95)
    figures = {
        "phones": args.phones,
        "screens": screens,
        "rounds": args.rounds,
        "back_ends": "SQLite, in-memory layer, 1 process"
        if args.laptop
        else f"PostgreSQL, Redis, {args.workers} workers",
        "seconds": round(duration, 1),
        "cards_posted": len(stats.posted_at),
        "cards_stored": len(texts),
        "double_taps": stats.double_taps,
        "post_ms": {"p50": pct(stats.post_ms, 50), "p95": pct(stats.post_ms, 95)},
        "screen_shows_card_ms": {
            "p50": pct(delays, 50),
            "p95": p95,
            "max": round(max(delays), 1) if delays else None,
            "pairs": len(delays),
            "never_shown": missing,
        },
        "part_requests": {"200": stats.parts_200, "204": stats.parts_204},
        "part_ms": {"p50": pct(stats.part_ms, 50), "p95": pct(stats.part_ms, 95)},
        "nudges": stats.nudges,
        "boards_pushed": stats.pushed,
        "socket_kb_per_screen": round(stats.socket_bytes / 1024 / (args.phones + 1), 1),
        "trivial_view_ms": {"p50": pct(stats.trivial_ms, 50), "p95": pct(stats.trivial_ms, 95)},
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
    }
    base = figures["trivial_view_ms"]["p50"] or 1.0
    figures["ratios_to_trivial_p50"] = {
        "post_p95": round((figures["post_ms"]["p95"] or 0) / base, 1),
        "screen_shows_card_p95": round((p95 or 0) / base, 1),
    }
    figures["targets_met"] = {
        "every_card_stored_once": stored_once and not stats.errors,
        "all_screens_within_1s_p95": p95 is not None and p95 < 1000 and missing == 0,
    }
    print(
        f"cards:    {len(stats.posted_at)} posted by {args.phones} phones in {args.rounds} "
        f"bursts ({stats.double_taps} double taps), {len(texts)} stored"
    )
    print(
        f"posting:  p50/p95 {figures['post_ms']} ms; trivial view {figures['trivial_view_ms']} "
        "ms (baseline)"
    )
    print(
        f"screens:  a card shown on each of {screens} screens p50/p95/max "
        f"{figures['screen_shows_card_ms']} ms after its post was answered"
    )
    print(
        f"parts:    {figures['part_requests']} answers, {figures['part_ms']} ms; "
        f"{stats.pushed} of {stats.nudges} messages carried the board, "
        f"{figures['socket_kb_per_screen']} KB per screen (before compression)"
    )
    print(f"targets:  {figures['targets_met']}")
    print(json.dumps(figures))
    return figures


def main(args: argparse.Namespace) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "caseroom.settings", "LOG_LEVEL": "ERROR"}
    env["CACHE_KEY_PREFIX"] = f"bench-workshop-{run}"
    database = f"caseroom_bench_workshop_{run}"
    sqlite = ROOT / "var" / f"bench-workshop-{run}.sqlite3"
    if args.laptop:
        args.workers = 1  # the in-memory channel layer reaches only its own process
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env["SQLITE_PATH"] = str(sqlite)
    else:
        env.update({"DATABASE_URL": fresh_database(database), "REDIS_URL": REDIS_URL})
    for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH"):
        os.environ.pop(name, None)
    keep = (
        "DATABASE_URL",
        "REDIS_URL",
        "SQLITE_PATH",
        "DJANGO_SETTINGS_MODULE",
        "CACHE_KEY_PREFIX",
    )
    os.environ.update({k: env[k] for k in keep if k in env})
    stats = Stats()
    try:
        prepared = setup(args.phones)
        duration = asyncio.run(drive(args, env, stats, prepared))
        return report(args, stats, duration)
    finally:
        from django.db import connections

        connections.close_all()
        if args.laptop:
            for leftover in sqlite.parent.glob(sqlite.name + "*"):
                leftover.unlink()
        else:
            drop_database(database)
            forget_keys(env["CACHE_KEY_PREFIX"])


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--settle", type=float, default=10.0, help="Seconds a burst may take to reach every screen."
    )
    parser.add_argument(
        "--laptop",
        action="store_true",
        help="Serve as `make run` does: SQLite, in-memory channel layer, one process.",
    )
    return parser.parse_args()


if __name__ == "__main__":
    main(parse())

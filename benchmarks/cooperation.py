"""The gap analysis at scale: a round of 20,000 responses × 60 scored questions.

Builds (seeded, with bulk_create) a self-assessment form of 60 scored questions in 12
guideline sections (select_one yes/partly/no, a few select_multiple and integer ones), the
country and agency questions and three difficulty texts; two rounds of `--responses` each
(the second compared with the first, as a real round is), from 7 countries × 4 agencies;
and ten measures. Then times, best of `--repeat`, alternating:

- the floor, measured in the same run on the same data: reading every response's answers of
  the round once (one query, the JSON decoded into Python) — what any analysis must do;
- `analysis.analyse` for a coordinator (both rounds read: the change since the previous);
- the same for a country focal point;
- the whole gap page through the test client (builder, citations, template);
- once: the heatmap PNG.

On SQLite (a temporary file) always; on PostgreSQL too when DATABASE_URL or
TEST_DATABASE_URL points at one: a database named after the run is created and dropped.
Target: the page under 2 s. The last line is one JSON object with every figure.

    python benchmarks/cooperation.py [--responses 20000] [--repeat 3] [--skip-pg]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.backends import measure_on_each_backend  # noqa: E402  (after the path is set)

COUNTRIES = ("AL", "BA", "HR", "ME", "MK", "RS", "XK")
AGENCIES = ("police", "border_police", "prosecution", "judiciary")
SECTIONS = [f"coop-guidelines#{part}.{n}" for part in (2, 3, 4) for n in range(1, 5)]


def _note(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def form_markdown() -> str:
    """60 scored questions, 5 per section; every 5th a multiple choice, every 7th a number."""
    rows = [
        "|  | select_one c | country | Country | | |",
        "|  | select_one a | agency | Agency | | |",
    ]
    for number in range(60):
        section = SECTIONS[number // 5]
        if number % 7 == 3:
            kind, rule = "integer", "0:0 1-2:1 3+:2"
        elif number % 5 == 4:
            kind, rule = "select_multiple ch", "a=1 b=1 c=1"
        else:
            kind, rule = "select_one ypn", "yes=2 partly=1 no=0"
        rows.append(f"|  | {kind} | q{number} | Question {number} | {section} | {rule} |")
    for part in (2, 3, 4):
        rows.append(f"|  | text | d{part} | Difficulties | coop-guidelines#{part} | |")
    choices = [f"|  | c | {c} | {c} |" for c in COUNTRIES] + [
        f"|  | a | {a} | {a} |" for a in AGENCIES
    ]
    choices += ["|  | ypn | yes | Yes |", "|  | ypn | partly | Partly |", "|  | ypn | no | No |"]
    choices += ["|  | ch | a | A |", "|  | ch | b | B |", "|  | ch | c | C |"]
    return "\n".join(
        [
            "| settings |",
            "|  | form_title | form_id |",
            "|  | Bench self-assessment | bench |",
            "| survey |",
            "|  | type | name | label | guideline_section | score |",
            *rows,
            "| choices |",
            "|  | list_name | name | label |",
            *choices,
        ]
    )


def answers(rng: random.Random, country: str, agency: str) -> dict[str, Any]:
    found: dict[str, Any] = {"country": country, "agency": agency}
    level = 0.3 + 0.1 * COUNTRIES.index(country)
    for number in range(60):
        if rng.random() < 0.1:
            continue  # unanswered, as in life
        if number % 7 == 3:
            found[f"q{number}"] = rng.randint(0, 4)
        elif number % 5 == 4:
            found[f"q{number}"] = [c for c in "abc" if rng.random() < level] or ["a"]
        else:
            draw = rng.random()
            found[f"q{number}"] = "yes" if draw < level else "partly" if draw < 0.8 else "no"
    if rng.random() < 0.1:
        found["d2"] = "Requests wait for months at the central authority."
    return found


def measure(backend: str, responses: int, seed: int, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from caseroom.cooperation import actions
    from caseroom.cooperation import refs as cooperation_refs
    from caseroom.cooperation.access import Role, Scope
    from caseroom.cooperation.analysis import analyse
    from caseroom.cooperation.chart import heatmap_png
    from caseroom.cooperation.models import Round
    from caseroom.cooperation.tally import cached_tally, scoring_for
    from caseroom.surveys.models import Response

    call_command("migrate", verbosity=0)
    # The benchmark's form cites sections no library holds: its check is not what is timed.
    cooperation_refs.unknown_refs = lambda: None
    user = get_user_model().objects.create_user("bench-coordinator", password="unused-pw-1")
    coordination = actions.create_coordination("Benchmark", by=user)
    actions.upload_form(coordination, form_markdown().encode(), "bench.md")
    rng = random.Random(seed)
    started = time.perf_counter()
    previous = None
    for title in ("2026 annual", "2027 annual"):
        round_ = actions.open_round(coordination, title, previous=previous)
        Response.objects.bulk_create(
            (
                Response(
                    round_id=round_.survey_id,
                    answers=answers(rng, rng.choice(COUNTRIES), rng.choice(AGENCIES)),
                )
                for _ in range(responses)
            ),
            batch_size=2000,
        )
        previous = round_
    assert previous is not None
    for number in range(10):
        actions.record_measure(
            coordination, round_=previous.previous, country=COUNTRIES[number % 7],
            section=SECTIONS[number], what=f"Measure {number}", institution="i",
            responsible="r", due_on=__import__("datetime").date(2027, 1, 31),
        )  # fmt: skip
    insert_s = time.perf_counter() - started
    _note(f"{backend}: 2 × {responses:,} responses stored in {insert_s:.0f} s")
    related = ("coordination", "survey__version", "previous__survey__version")
    current = Round.objects.select_related(*related).get(pk=previous.pk)
    client = Client()
    client.force_login(user)
    url = reverse("cooperation:round", args=[current.pk])

    def floor_read() -> object:
        return sum(
            len(a)
            for a in Response.objects.filter(round_id=current.survey_id)
            .order_by()
            .values_list("answers", flat=True)
            .iterator(chunk_size=2000)
        )

    def page() -> object:
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    coordinator, focal = Scope(Role.COORDINATOR), Scope(Role.FOCAL_POINT, "RS")

    def previous_cached() -> None:
        # An open round compared with a closed one: the closed round's tally is cached.
        cache.clear()
        assert current.previous is not None
        cached_tally(current.previous.survey, scoring_for(current.previous.survey.version))

    # (set-up not timed, the timed function)
    timed: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "floor_read": (lambda: None, floor_read),
        "analyse_cold": (cache.clear, lambda: analyse(current, coordinator, language="en")),
        "analyse_focal_cold": (cache.clear, lambda: analyse(current, focal, language="en")),
        "page_cold": (cache.clear, page),
        "page_open_round": (previous_cached, page),
        "page_warm": (lambda: None, page),
    }
    runs: dict[str, list[float]] = {name: [] for name in timed}
    for run in range(repeat):
        for name, (prepare, function) in timed.items():
            prepare()
            began = time.perf_counter()
            function()
            runs[name].append(time.perf_counter() - began)
        _note(
            f"{backend}: run {run + 1}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in runs.items())
        )
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page()
    result = analyse(current, Scope(Role.COORDINATOR), language="en")
    began = time.perf_counter()
    png = heatmap_png(result)
    png_s = time.perf_counter() - began
    best = {name: min(values) for name, values in runs.items()}
    return {
        "vendor": connection.vendor,
        "responses_per_round": responses,
        "scored_questions": 60,
        "insert_s": round(insert_s, 1),
        **{f"{name}_s": round(value, 3) for name, value in best.items()},
        **{f"{name}_runs_s": [round(v, 3) for v in values] for name, values in runs.items()},
        "analyse_cold_over_floor_read": round(best["analyse_cold"] / best["floor_read"], 2),
        "page_cold_over_floor_read": round(best["page_cold"] / best["floor_read"], 2),
        "page_open_round_over_floor_read": round(best["page_open_round"] / best["floor_read"], 2),
        "page_queries": len(queries.captured_queries),
        "heatmap_png_s": round(png_s, 3),
        "heatmap_png_bytes": len(png.png),
        "region_first_cell": result.region.cells[0].percent,
    }


def main(args: argparse.Namespace) -> dict[str, Any]:
    child_args = ["--responses", str(args.responses), "--seed", str(args.seed)]
    child_args += ["--repeat", str(args.repeat)]
    # No REDIS_URL in the children: each one's cache is its own memory, cleared between the
    # cold runs.
    databases = measure_on_each_backend(
        Path(__file__), "cooperation", child_args, skip_pg=args.skip_pg, drop_redis=True
    )
    print()
    for name, db in databases.items():
        if "skipped" in db:
            print(f"{name}: skipped ({db['skipped']})")
            continue
        print(
            f"{name}: 2 rounds × {db['responses_per_round']:,} responses × 60 scored questions"
            f" (stored in {db['insert_s']:.0f} s)\n"
            f"  floor, reading every answer of the round once: {db['floor_read_s']:.3f} s\n"
            f"  gap analysis, nothing cached (both rounds read): {db['analyse_cold_s']:.3f} s"
            f" = {db['analyse_cold_over_floor_read']:.2f} × the floor"
            f" (focal point {db['analyse_focal_cold_s']:.3f} s)\n"
            f"  gap page, nothing cached: {db['page_cold_s']:.3f} s"
            f" = {db['page_cold_over_floor_read']:.2f} × the floor\n"
            f"  gap page, open round against a closed (cached) one: {db['page_open_round_s']:.3f} s"
            f" = {db['page_open_round_over_floor_read']:.2f} × the floor\n"
            f"  gap page, seen again (both cached): {db['page_warm_s']:.3f} s"
            f" ({db['page_queries']} queries)\n"
            f"  heatmap PNG: {db['heatmap_png_s']:.3f} s ({db['heatmap_png_bytes']:,} bytes)"
        )
        for key in ("page_cold_s", "page_open_round_s", "page_warm_s"):
            verdict = "under" if db[key] < 2 else "OVER"
            print(f"  {key[:-2]}: {verdict} the 2 s target")
    figures = {
        "responses": args.responses,
        "seed": args.seed,
        "repeat": args.repeat,
        "target_s": 2,
        "databases": databases,
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(figures))
    return figures


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--measure", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    options = parse()
    if options.measure:
        found = measure(options.measure, options.responses, options.seed, options.repeat)
        options.out.write_text(json.dumps(found), encoding="utf-8")
    else:
        main(options)

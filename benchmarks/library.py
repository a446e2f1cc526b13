"""Library search at scale: 10,000 documents in English and Serbian, 200 varied queries.

Builds (seeded, so every run has the same data) 10,000 published documents, each with an
English and a Serbian (Latin) version: a title, a summary of ~300 characters and a text of
~3,000 characters (two passages), words drawn with a Zipf law from the demo guidelines'
vocabulary and from generated words (Serbian ones with č, ć, š, ž, đ); one in fifty is a
structured document with eight sections. Indexed through `index.reindex_many`, as the
actions do. Then times 200 queries through `search.search` (the page's whole work: ranked
page, passages with highlights, titles): common and rare words, two and three words, names
typed with and without diacritics, hostile input, some with filters, some on page 3.

The floor, measured in the same run on the same database: a plain indexed lookup of a
document by its slug (`Document.objects.get(slug=...)`), 200 times. Target: search p95
under 100 ms. On PostgreSQL, untimed, the pages of the queries ranked in two stages (common
words, search_postgres.py) are compared with the exact ranking of every passage (`agreement`).

On SQLite (a temporary file) always; on PostgreSQL too when DATABASE_URL or
TEST_DATABASE_URL points at one: a database named after the run is created and dropped.

    python benchmarks/library.py [--documents 10000] [--queries 200] [--skip-pg] [--require-pg]

The last line is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.backends import measure_on_each_backend  # noqa: E402  (after the path is set)

TARGET_MS = 100


def _note(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data


def _vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    """English and Serbian words, most frequent first (a Zipf law draws from them)."""
    import re

    from caseroom.library.demo.guidelines import SECTIONS

    english: list[str] = []
    serbian: list[str] = []
    for _key, _audiences, texts in SECTIONS:
        for language, target in (("en", english), ("sr-latn", serbian)):
            heading, body = texts[language]
            target += re.findall(r"[^\W\d_]{3,}", f"{heading} {body}".lower())
    english = list(dict.fromkeys(english))
    serbian = list(dict.fromkeys(serbian))
    syllables = ["ka", "vo", "ran", "mi", "te", "lo", "sa", "dru", "po", "ne", "ber", "sta"]
    serbian_syllables = ["ča", "će", "ši", "žo", "đu", "ra", "no", "vi", "kr", "ze", "lj", "nj"]
    for _ in range(6000):
        english.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
        serbian.append("".join(rng.choice(serbian_syllables) for _ in range(rng.randint(2, 4))))
    return english, serbian


class Words:
    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
        self.rng = rng

    def text(self, characters: int) -> str:
        out: list[str] = []
        length = 0
        while length < characters:
            count = self.rng.randint(8, 18)
            sentence = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
            line = " ".join(sentence).capitalize() + "."
            out.append(line)
            length += len(line) + 1
        return " ".join(out)[:characters]


def build(documents: int, seed: int) -> dict[str, int]:
    from django.db import transaction

    from caseroom.library import index, vocab
    from caseroom.library.models import Document, DocumentVersion, Section, SectionText

    rng = random.Random(seed)
    english_words, serbian_words = _vocabulary(rng)
    en, sr = Words(english_words, rng), Words(serbian_words, rng)
    kinds = [k for k in vocab.Kind.values if k != "guidelines"]
    countries = vocab.Country.values
    rows = {"documents": 0, "versions": 0, "sections": 0, "passages": 0}
    batch = 500
    for start in range(0, documents, batch):
        with transaction.atomic():
            made = Document.objects.bulk_create(
                Document(
                    slug=f"doc-{n:05d}",
                    kind="guidelines" if n % 50 == 0 else rng.choice(kinds),
                    country=rng.choice(countries),
                    audiences=rng.randint(1, 127),
                    topics=rng.randint(1, 1023),
                    source="Benchmark",
                    structured=n % 50 == 0,
                    published=True,
                )
                for n in range(start, min(documents, start + batch))
            )
            versions = []
            for document in made:
                for language, words in (("en", en), ("sr-latn", sr)):
                    versions.append(
                        DocumentVersion(
                            document=document,
                            language=language,
                            title=words.text(rng.randint(30, 90)),
                            summary=words.text(rng.randint(200, 400)),
                            extracted_text=words.text(rng.randint(2500, 3500)),
                        )
                    )
            DocumentVersion.objects.bulk_create(versions)
            texts = []
            for document in (d for d in made if d.structured):
                sections = Section.objects.bulk_create(
                    Section(document=document, key=str(k), order=k) for k in range(1, 9)
                )
                for section in sections:
                    for language, words in (("en", en), ("sr-latn", sr)):
                        texts.append(
                            SectionText(
                                section=section,
                                language=language,
                                heading=words.text(40),
                                body=words.text(600),
                            )
                        )
                rows["sections"] += len(sections)
            SectionText.objects.bulk_create(texts)
            rows["passages"] += index.reindex_many(made)
        rows["documents"] += len(made)
        rows["versions"] += len(versions)
        if (start // batch) % 5 == 0:
            _note(f"{rows['documents']:,} documents, {rows['passages']:,} passages")
    return rows


def queries(count: int, seed: int) -> list[tuple[str, dict[str, str], int]]:
    """(query, filters, page): varied the way readers type."""
    rng = random.Random(seed + 1)
    english_words, serbian_words = _vocabulary(random.Random(seed))
    common_en, rare_en = english_words[:60], english_words[200:]
    common_sr, rare_sr = serbian_words[:60], serbian_words[200:]
    names = ["Đorđević", "Djordjevic", "Ćirić", "Ciric", "saradnja", "međunarodna", "medjunarodna"]
    hostile = ['"', "NEAR(team agreement)", "team*", "a OR", "((", "x" * 250, "-- DROP", "^:"]
    filters = [
        {},
        {},
        {},
        {"audience": "police"},
        {"country": "RS"},
        {"language": "sr-latn"},
        {"kind": "law"},
        {"topic": "jit"},
    ]
    found: list[tuple[str, dict[str, str], int]] = []
    for n in range(count):
        shape = n % 10
        if shape in (0, 1):
            query = rng.choice(common_en)
        elif shape == 2:
            query = rng.choice(rare_en)
        elif shape == 3:
            query = f"{rng.choice(common_en)} {rng.choice(common_en)}"
        elif shape == 4:
            query = " ".join(rng.choice(english_words[:400]) for _ in range(3))
        elif shape == 5:
            query = rng.choice(common_sr)
        elif shape == 6:
            query = f"{rng.choice(rare_sr)} {rng.choice(common_sr)}"
        elif shape == 7:
            query = rng.choice(names)
        elif shape == 8:
            query = rng.choice(hostile)
        else:
            query = rng.choice(common_en)
        page = 3 if n % 17 == 0 else 1
        found.append((query, rng.choice(filters), page))
    return found


# ---------------------------------------------------------------- one database (child)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _summary(times: list[float]) -> dict[str, float]:
    ms = [t * 1000 for t in times]
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
    }


def measure(backend: str, documents: int, count: int, seed: int) -> dict[str, Any]:
    """Runs in a child process whose environment selects the database (see `run_child`)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from caseroom.library.models import Document
    from caseroom.library.search import Filters, search

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rows = build(documents, seed)
    build_s = time.perf_counter() - started
    _note(f"{backend}: {rows} in {build_s:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    rng = random.Random(seed + 2)
    slugs = [f"doc-{rng.randrange(documents):05d}" for _ in range(count)]
    asked = queries(count, seed)
    for query, filters, page in asked[:20]:  # warm the caches once
        search(query, Filters(**filters), "en", page)  # type: ignore[arg-type]

    floor: list[float] = []
    timed: list[float] = []
    results = 0
    for slug, (query, filters, page) in zip(slugs, asked, strict=True):
        began = time.perf_counter()
        Document.objects.get(slug=slug)
        floor.append(time.perf_counter() - began)
        began = time.perf_counter()
        found = search(query, Filters(**filters), "en", page)  # type: ignore[arg-type]
        timed.append(time.perf_counter() - began)
        results += len(found.hits)
    slowest = sorted(zip(timed, asked, strict=True), key=lambda pair: -pair[0])[:5]
    search_s, floor_s = _summary(timed), _summary(floor)
    quality = agreement(asked) if connection.vendor == "postgresql" else {}
    return {
        "vendor": connection.vendor,
        **rows,
        "build_s": round(build_s, 1),
        "queries": count,
        "hits_shown": results,
        "search": search_s,
        "floor_slug_lookup": floor_s,
        "p95_over_floor": round(search_s["p95_ms"] / max(floor_s["p95_ms"], 0.001), 1),
        "p50_over_floor": round(search_s["p50_ms"] / max(floor_s["p50_ms"], 0.001), 1),
        "slowest": [
            {"ms": round(t * 1000, 1), "query": q[:40], "filters": f, "page": p}
            for t, (q, f, p) in slowest
        ],
        "quality": quality,
    }


def agreement(asked: list[tuple[str, dict[str, str], int]]) -> dict[str, Any]:
    """PostgreSQL, untimed: the pages of common queries (two stages) against the exact
    ranking of every matching passage (COMMON raised past any count): the share of a page
    the exact page also shows, and where the shown documents sit by id among all (0.5:
    anywhere; near 0: the first stored, as LIMIT before ranking gave)."""
    from caseroom.library import search_postgres as engine
    from caseroom.library.models import Document
    from caseroom.library.query import parse
    from caseroom.library.search import PAGE_SIZE, Filters

    backend, common = engine.PostgresBackend(), engine.COMMON
    overlap: list[float] = []
    shown: dict[str, list[int]] = {"two_stage": [], "exact": []}
    for query, filters, page in asked:
        terms, chosen = parse(query), Filters(**filters)  # type: ignore[arg-type]
        offset = (page - 1) * PAGE_SIZE
        if not terms or not (fast := backend.rank(terms, chosen, offset, PAGE_SIZE))[2]:
            continue
        engine.COMMON = 10**12  # nothing is common: every matching passage ranked
        try:
            exact = backend.rank(terms, chosen, offset, PAGE_SIZE)[1]
        finally:
            engine.COMMON = common
        both = {r.document_id for r in fast[1]} & {r.document_id for r in exact}
        overlap.append(len(both) / max(1, len(exact)))
        shown["two_stage"] += [r.document_id for r in fast[1]]
        shown["exact"] += [r.document_id for r in exact]
    low, high = Document.objects.order_by("pk")[0].pk, Document.objects.latest("pk").pk
    where = {
        name: round(statistics.fmean((i - low) / (high - low) for i in ids), 2) if ids else None
        for name, ids in shown.items()
    }
    return {
        "common_queries": len(overlap),
        "page_overlap_with_exact": round(statistics.fmean(overlap), 2) if overlap else None,
        "id_position_two_stage": where["two_stage"],
        "id_position_exact": where["exact"],
    }


# ---------------------------------------------------------------- the parent process


def main(args: argparse.Namespace) -> dict[str, Any]:
    child_args = ["--documents", str(args.documents), "--queries", str(args.queries)]
    child_args += ["--seed", str(args.seed)]
    databases = measure_on_each_backend(
        Path(__file__),
        "library",
        child_args,
        skip_pg=args.skip_pg,
        require_pg=args.require_pg,
    )
    return report(args, databases)


def report(args: argparse.Namespace, databases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    print()
    for name, db in databases.items():
        if "skipped" in db:
            print(f"{name}: skipped ({db['skipped']})")
            continue
        search_ms, floor_ms = db["search"], db["floor_slug_lookup"]
        verdict = "under" if search_ms["p95_ms"] < TARGET_MS else "OVER"
        print(
            f"{name}: {db['documents']:,} documents, {db['versions']:,} versions, "
            f"{db['passages']:,} passages (built in {db['build_s']:.0f} s)\n"
            f"  floor, a document by its slug: p50 {floor_ms['p50_ms']:.2f} ms, "
            f"p95 {floor_ms['p95_ms']:.2f} ms\n"
            f"  search, {db['queries']} queries: p50 {search_ms['p50_ms']:.1f} ms, "
            f"p95 {search_ms['p95_ms']:.1f} ms, max {search_ms['max_ms']:.1f} ms "
            f"= {db['p95_over_floor']}× the floor at p95\n"
            f"  p95 {verdict} the {TARGET_MS} ms target"
        )
        if db.get("quality"):
            print(f"  common queries against the exact ranking: {db['quality']}")
    print(
        f"the machine may be shared (load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs now)."
    )
    figures = {
        "documents": args.documents,
        "queries": args.queries,
        "seed": args.seed,
        "target_p95_ms": TARGET_MS,
        "databases": databases,
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(figures))
    return figures


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--require-pg", action="store_true")
    # Internal: one database, measured in a child process configured by its environment.
    parser.add_argument("--measure", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    options = parse()
    if options.measure:
        found = measure(options.measure, options.documents, options.queries, options.seed)
        options.out.write_text(json.dumps(found), encoding="utf-8")
    else:
        main(options)

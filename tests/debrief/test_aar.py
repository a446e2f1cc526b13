"""The after-action report: its sections, and the HTML, PDF and DOCX it renders to."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
import zlib
from typing import Any

import pytest
from django.contrib.auth.models import User

from caseroom.debrief import aar, charts
from caseroom.debrief.aar import build_report, render_docx, render_html, render_pdf
from caseroom.debrief.models import Annotation, debrief_of
from caseroom.engine import Event, IllegalAction
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team
from caseroom.exercises.sessions import session_for
from caseroom.scenarios.registry import load
from tests.conftest import ROOT, registered

pytestmark = pytest.mark.django_db

VARDAR = ROOT / "scenarios" / "vardar-corridor"
OUT = ROOT / "var" / "reports"


def act(team: Team, role: str, action: str, actor: str = "Ana") -> None:
    actions.command(team, Event("act", role=role, ref=action, actor=actor))


def played(exercise: Exercise, team: Team, other_team: Team) -> None:
    """Team 1 treats the passengers as offenders, Team 2 as victims; both close the case."""
    act(team, "police-rs", "arrest-all", "Ana")
    act(team, "police-rs", "check-db", "Ana")
    act(other_team, "police-rs", "treat-as-victim", "Rita")
    act(other_team, "police-rs", "check-db", "Rita")
    for member in (
        ("Ana", "Police", "RS", team),
        ("Petar", "Prosecution", "RS", team),
        ("Rita", "Police", "MK", other_team),
        ("Nina", "", "MK", other_team),
    ):
        name, agency, country, where = member
        actions.join(exercise, name=name, agency=agency, country=country, team=where)


# ---------------------------------------------------------------- PDF text, for the checks


def _pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the file, inflated where it is Flate-compressed."""
    found = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        raw = pdf[start:end]
        try:
            found.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            found.append(raw)
    return found


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the pages, through the fonts' ToUnicode maps.

    WeasyPrint writes text as glyph ids (Identity-H) and one ToUnicode CMap per font.
    Glyph ids are mapped with the map of the font selected by the last `Tf`; fonts are
    matched to maps through the `/F.. N 0 R` resources and `/ToUnicode N 0 R` entries.
    Enough for WeasyPrint's own output, which is what it is used on.
    """
    inflated = _pdf_objects(pdf)
    maps: dict[int, dict[int, str]] = {}
    for number, body in inflated.items():
        if b"begincmap" in body:
            maps[number] = _cmap(body)
    font_map: dict[int, dict[int, str]] = {}
    for number, body in inflated.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if to_unicode and int(to_unicode.group(1)) in maps:
            font_map[number] = maps[int(to_unicode.group(1))]
    resources: dict[bytes, dict[int, str]] = {}
    for body in inflated.values():
        for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", body):
            if int(ref) in font_map:
                resources[name] = font_map[int(ref)]
    text: list[str] = []
    for body in inflated.values():
        if b" Tf" not in body:
            continue
        current: dict[int, str] = {}
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9a-fA-F]+)>|\bET\b", body):
            if token.group(1):
                current = resources.get(token.group(1), {})
            elif token.group(2):
                raw = token.group(2).decode()
                text.extend(current.get(int(raw[i : i + 4], 16), "") for i in range(0, len(raw), 4))
            else:
                text.append("\n")
    return "".join(text)


def _pdf_objects(pdf: bytes) -> dict[int, bytes]:
    """Object number → its dictionary and inflated stream (also objects in object streams)."""
    objects: dict[int, bytes] = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.DOTALL):
        body = match.group(2)
        stream = re.search(rb"stream\r?\n(.*)endstream", body, re.DOTALL)
        if stream:
            try:
                data = zlib.decompressobj().decompress(stream.group(1))
            except zlib.error:
                data = stream.group(1)
            body = body[: stream.start()] + data
            if b"/Type /ObjStm" in body[: stream.start()]:
                objects.update(_object_stream(body[: stream.start()], data))
        objects[int(match.group(1))] = body
    return objects


def _object_stream(head: bytes, data: bytes) -> dict[int, bytes]:
    first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
    pairs = [int(n) for n in data[:first].split()]
    offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
    result = {}
    for index, (number, offset) in enumerate(offsets):
        end = offsets[index + 1][1] if index + 1 < len(offsets) else len(data) - first
        result[number] = data[first + offset : first + end]
    return result


def _cmap(body: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.DOTALL):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.DOTALL):
        for lo, hi, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            base = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(base + offset)
    return mapping


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", b"".join(_pdf_objects(pdf).values())))


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- the report's content


def test_a_played_exercise_report_has_every_section(
    exercise: Exercise, team: Team, other_team: Team, facilitator: User
) -> None:
    played(exercise, team, other_team)
    report = build_report(exercise)
    assert report.played
    assert report.facts.title == "Test exercise"
    assert report.facts.teams == 2 and report.facts.participants == 4
    assert [(c.label, c.count) for c in report.facts.by_country] == [("MK", 2), ("RS", 2)]
    assert ("not given", 1) in [(c.label, c.count) for c in report.facts.by_agency]
    assert [t.name for t in report.teams] == ["Team 1", "Team 2"]
    assert report.teams[0].members == ["Ana", "Petar"]
    assert report.dimensions and len(report.teams[0].rubric) == len(report.dimensions)
    assert [m.title for m in report.misconceptions] == ["Treated a victim as an offender"]
    assert report.plan[0].objectives == ["1. Identify a likely victim."]
    assert "Indicators call for referral." in report.plan[0].action_html
    assert len(report.charts) == 3
    html = render_html(report)
    for heading in (
        "Exercise overview",
        "Participation",
        "Results by team",
        "Analysis",
        "Misconceptions, most frequent first",
        "Good practices",
        "Facilitator notes",
        "Improvement plan and recommendations",
        "Improvement plan drafted from the misconceptions",
        "Annex: decisions",
        "Annex: flow of the teams through the case",
    ):
        assert heading in html, heading
    assert "Treat everyone as a possible victim" in html or "treat" in html.lower()
    assert 'class="flow"' in html  # the flow diagram in the annex


def test_misconceptions_are_ranked_most_teams_first(
    exercise: Exercise, team: Team, other_team: Team
) -> None:
    played(exercise, team, other_team)
    # The demo scenario has several misconceptions: the ranking follows the engine's.
    version = registered(VARDAR)
    demo = Exercise.objects.create(title="Ranked", scenario=version, status="running")
    first, second, third = actions.create_teams(demo, 3)
    play_randomly(first, seed=3, limit=25)
    play_randomly(second, seed=4, limit=25)
    play_randomly(third, seed=5, limit=25)
    report = build_report(demo)
    counts = [(m.teams, m.participants) for m in report.misconceptions]
    assert len(counts) >= 2
    assert counts == sorted(counts, reverse=True)
    assert [m.rank for m in report.misconceptions] == list(range(1, len(counts) + 1))
    assert [p.observation for p in report.plan] == [m.title for m in report.misconceptions]


def test_good_practice_annotations_are_good_practices_and_comments_are_notes(
    exercise: Exercise, team: Team, other_team: Team, facilitator: User
) -> None:
    played(exercise, team, other_team)
    steps = {s.ref: n for n, s in enumerate(session_for(other_team).state.steps) if s.ref}
    Annotation.objects.create(
        team=other_team,
        step=steps["treat-as-victim"],
        kind=Annotation.Kind.GOOD_PRACTICE,
        body="Separated the passengers before questioning.",
        author=facilitator,
    )
    Annotation.objects.create(
        team=team,
        step=0,
        kind=Annotation.Kind.COMMENT,
        body="Discussed in plenary.",
        author=facilitator,
    )
    report = build_report(exercise)
    treat = load(exercise.scenario).actions["treat-as-victim"].text
    assert [(g.team, g.action, g.body) for g in report.good_practices] == [
        ("Team 2", treat, "Separated the passengers before questioning.")
    ]
    assert [(n.team, n.body, n.author) for n in report.comments] == [
        ("Team 1", "Discussed in plenary.", "fac")
    ]
    assert any("Team 2" in e.teams for e in report.exemplary)  # graded exemplary by the scenario
    html = render_html(report)
    analysis = html[html.index('id="analysis"') : html.index('id="notes"')]
    notes = html[html.index('id="notes"') : html.index('id="plan"')]
    assert "Separated the passengers before questioning." in analysis
    assert "Discussed in plenary." in notes and "Discussed in plenary." not in analysis


def test_facilitator_markdown_is_sanitised_in_every_format(
    exercise: Exercise, team: Team, other_team: Team
) -> None:
    played(exercise, team, other_team)
    debrief = debrief_of(exercise)
    debrief.notes = (
        "**Strong start.**\n\n<script>alert('notes')</script>\n\n<img src=x onerror=alert(1)>"
    )
    debrief.recommendations = (
        "1. Train on *non-punishment*.\n2. [Click](javascript:alert(2))\n\n<script>steal()</script>"
    )
    debrief.save()
    report = build_report(exercise)
    html = render_html(report)
    assert "<strong>Strong start.</strong>" in html and "<em>non-punishment</em>" in html
    assert "<script" not in html.lower()
    assert "<img src=x" not in html and "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "javascript:" not in html.replace("[Click](javascript:alert(2))", "")
    assert 'href="javascript' not in html
    pdf = render_pdf(report)
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"/Launch" not in pdf
    text = flat(pdf_text(pdf))
    assert "Strong start." in text
    docx_bytes = render_docx(report)
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        names = package.namelist()
        body = package.read("word/document.xml").decode()
    assert not any("vba" in n.lower() or n.endswith(".bin") for n in names)  # no macros
    assert "<script" not in body and "<w:t>Strong start.</w:t>" in body


def test_the_html_is_self_contained(exercise: Exercise, team: Team, other_team: Team) -> None:
    played(exercise, team, other_team)
    html = render_html(build_report(exercise))
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@import" not in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "@page" in html and "counter(pages)" in html  # its own print CSS


def test_the_pdf_is_a4_with_real_text(exercise: Exercise, team: Team, other_team: Team) -> None:
    played(exercise, team, other_team)
    pdf = render_pdf(build_report(exercise))
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) >= 1
    objects = b"".join(_pdf_objects(pdf).values())
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]", objects)  # A4, points
    text = flat(pdf_text(pdf))
    assert "Test exercise" in text
    assert "Treated a victim as an offender" in text
    assert "Exercise overview" in text


def test_the_docx_has_headings_a_team_table_and_charts(
    exercise: Exercise, team: Team, other_team: Team
) -> None:
    import docx

    played(exercise, team, other_team)
    document = docx.Document(io.BytesIO(render_docx(build_report(exercise))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Exercise overview" in headings
    assert "6. Improvement plan and recommendations" in headings
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    team_tables = [t for t in tables if t[0][0] == "Team" and "Ending" in t[0]]
    assert team_tables and [row[0] for row in team_tables[0][1:]] == ["Team 1", "Team 2"]
    assert len(document.inline_shapes) >= 3
    assert "Treated a victim as an offender" in "\n".join(p.text for p in document.paragraphs)
    assert document.core_properties.title.startswith("Test exercise")


def test_charts_are_valid_svg_and_png() -> None:
    started = time.perf_counter()
    drawn = [
        charts.endings_chart([("Team 1", "Dismantled", "success"), ("Team 2", "", "")]),
        charts.scores_chart(["Legal", "Protection"], [("Team 1", [3, -1]), ("Team 2", [0, 2])]),
        charts.misconceptions_chart([("Treated a victim as an offender", 2)], 2),
    ]
    elapsed = (time.perf_counter() - started) / len(drawn)
    for chart in drawn:
        root = ET.fromstring(chart.svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        # Text drawn as paths: the SVG needs no font wherever it is shown.
        assert not list(root.iter("{http://www.w3.org/2000/svg}text"))
        assert not re.search(r"(xlink:)?href=\"(https?:|file:|/)", chart.svg)
        assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert chart.title and chart.alt
    assert "Team 1" in drawn[1].alt
    assert elapsed < 1.0  # about 0.2 s on a laptop; generous for a busy CI machine


def test_an_exercise_nobody_played_says_so(exercise: Exercise) -> None:
    report = build_report(exercise)
    assert not report.played and report.charts == [] and report.misconceptions == []
    html = render_html(report)
    assert "No team has played yet" in html
    assert render_pdf(report).startswith(b"%PDF")
    import docx

    document = docx.Document(io.BytesIO(render_docx(report)))
    assert any("No team has played yet" in p.text for p in document.paragraphs)


def test_a_missing_pdf_library_is_named(
    exercise: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now fails
    with pytest.raises(aar.ReportUnavailable, match="WeasyPrint and the Pango library"):
        render_pdf(build_report(exercise))


# ---------------------------------------------------------------- a realistic exercise


# Role, agency, country; then one (fictional) name per team.
PEOPLE = [
    (
        "police-rs",
        "Ministry of Interior (police)",
        "Serbia",
        ["Ana Petrović", "Nikola Marković", "Ivana Đorđević", "Stefan Pavlović"],
    ),
    (
        "prosecutor-rs",
        "Public Prosecutor's Office",
        "Serbia",
        ["Marko Jovanović", "Tijana Stanković", "Vladimir Lazić", "Jovana Simić"],
    ),
    (
        "financial-investigator-rs",
        "Financial investigation unit",
        "Serbia",
        ["Jelena Nikolić", "Dušan Popović", "Maja Kovačević", "Luka Radovanović"],
    ),
    (
        "protection-worker-rs",
        "Centre for Protection of Victims of Trafficking",
        "Serbia",
        ["Milica Ilić", "Sanja Todorović", "Gordana Milić", "Nevena Živković"],
    ),
    (
        "border-police-mk",
        "Ministry of Interior (border police)",
        "North Macedonia",
        ["Bojan Stojanovski", "Aleksandra Ristovska", "Filip Nikolovski", "Marija Dimitrova"],
    ),
    (
        "prosecutor-mk",
        "Public Prosecutor's Office",
        "North Macedonia",
        ["Elena Trajkovska", "Goran Angelov", "Vesna Petrovska", "Darko Jovanovski"],
    ),
]


def _members(exercise: Exercise, team: Team, number: int) -> dict[str, str]:
    """Join one person per role. Returns role → actor name."""
    names: dict[str, str] = {}
    for role, agency, country, people in PEOPLE:
        actions.join(
            exercise, name=people[number], agency=agency, country=country, roles=[role], team=team
        )
        names[role] = people[number]
    if number == 2:  # one team has a social worker without a role of her own
        actions.join(
            exercise,
            name="Sara Mitić",
            agency="Centre for Social Work",
            country="Serbia",
            team=team,
        )
    return names


def step_of(team: Team, action: str) -> int:
    """The index of the team's first step on this action (what annotations refer to)."""
    return next(n for n, s in enumerate(session_for(team).state.steps) if s.ref == action)


def play_expert(team: Team, names: dict[str, str], steps: int | None = None) -> None:
    scenario = load(team.exercise.scenario)
    for step in scenario.doc.expert_path[:steps]:
        if step.wait:
            event = Event("wait")
        elif step.approve or step.refuse:
            ident = step.approve or step.refuse
            approval = scenario.actions[ident].approval  # type: ignore[index]
            role = step.role or (approval.role if approval else None)
            if step.approve:
                event = Event("approve", role=role, ref=ident, actor=names.get(role or ""))
            else:
                event = Event("refuse", role=role, ref=ident, reason=step.rationale or "no")
        else:
            role = step.role or (scenario.actions[step.do].roles or [None])[0]  # type: ignore[index]
            event = Event(
                "act", role=role, ref=step.do, input=step.answer, actor=names.get(role or "")
            )
        actions.command(team, event)


def play_randomly(team: Team, seed: int, limit: int, names: dict[str, str] | None = None) -> None:
    rng = random.Random(seed)
    for _ in range(limit):
        session = session_for(team)
        if session.ended:
            return
        options = [e for e in session.legal_events() if e.type != "wait"] or session.legal_events()
        if not options:
            return
        event = rng.choice(options)
        if event.type == "act" and names:
            event = Event(**{**event.to_dict(), "actor": names.get(event.role or "", "p")})
        try:
            actions.command(team, event)
        except IllegalAction:
            continue


def demo_exercise(facilitator: User, co: User) -> Exercise:
    version = registered(VARDAR)
    for user, first_name, last_name in (
        (facilitator, "Dragana", "Kostić"),
        (co, "Aleksandar", "Petrovski"),
    ):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    exercise = Exercise.objects.create(
        title="Joint SOM/THB simulation, Serbia – North Macedonia",
        scenario=version,
        date=dt.date(2026, 4, 14),
        location="Vranje, Serbia",
        status=Exercise.Status.RUNNING,
    )
    exercise.facilitators.add(facilitator, co)
    teams = [
        Team.objects.create(exercise=exercise, name=n)
        for n in ("Morava", "Pčinja", "Vardar", "Treska")
    ]
    for number, (team, plan) in enumerate(
        zip(teams, ("expert", "mixed", "random", "random"), strict=True)
    ):
        names = _members(exercise, team, number)
        if plan == "expert":
            play_expert(team, names)
        elif plan == "mixed":
            play_expert(team, names, steps=8)
            play_randomly(team, seed=11, limit=60, names=names)
        else:
            play_randomly(team, seed=20 + number, limit=60, names=names)
    morava, pcinja, vardar, _treska = teams
    Annotation.objects.create(
        team=morava,
        step=step_of(morava, "child-guardian"),
        kind=Annotation.Kind.GOOD_PRACTICE,
        author=facilitator,
        body="Separated the fourteen and called the Centre for Social Work before any questioning.",
    )
    Annotation.objects.create(
        team=pcinja,
        step=step_of(pcinja, "seize-driver-phone"),
        kind=Annotation.Kind.GOOD_PRACTICE,
        author=co,
        body="Sealed the phones and waited for the order: the chats with 'Prof' survived in court.",
    )
    Annotation.objects.create(
        team=vardar,
        step=2,
        kind=Annotation.Kind.COMMENT,
        author=facilitator,
        body="The team argued for ten minutes about who leads; worth a plenary discussion on roles.",
    )
    Annotation.objects.create(
        team=vardar,
        step=4,
        kind=Annotation.Kind.MISCONCEPTION,
        author=co,
        misconception="mc-mla-for-everything",
        body="Wanted a formal MLA request just to check the lorry's registration.",
    )
    debrief = debrief_of(exercise)
    debrief.notes = (
        "Four mixed teams of Serbian and North Macedonian practitioners played the case over one "
        "day. **Cooperation across the border was strong**; the protection of the boy was the "
        "weakest point in two teams.\n\n- Interpretation was available throughout.\n"
        "- One team lost an hour on the choice of the channel for the first contact."
    )
    debrief.recommendations = (
        "1. Add a half-day module on **age assessment and guardianship** for police.\n"
        "2. Run a joint drafting exercise on MLA requests with prosecutors of both countries.\n"
        "3. Invite financial investigators from the start of the next exercise."
    )
    debrief.save()
    exercise.status = Exercise.Status.ENDED
    exercise.save(update_fields=["status"])
    return exercise


def test_the_demo_exercise_report_is_written_for_people_to_read(
    facilitator: User, co_facilitator: User
) -> None:
    """Writes var/reports/aar-demo.{html,pdf,docx} (and a PNG of each PDF page with pdftoppm)."""
    exercise = demo_exercise(facilitator, co_facilitator)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    report = build_report(exercise)
    timings["build"] = time.perf_counter() - started
    outputs: dict[str, Any] = {}
    for kind, render in (("html", render_html), ("pdf", render_pdf), ("docx", render_docx)):
        started = time.perf_counter()
        outputs[kind] = render(report)
        timings[kind] = time.perf_counter() - started
    assert len(report.teams) == 4 and report.facts.participants == 25
    assert [c.label for c in report.facts.by_country] == ["Serbia", "North Macedonia"]
    assert report.good_practices and report.comments and report.marked_misconceptions
    assert report.misconceptions and report.plan and report.exemplary
    text = flat(pdf_text(outputs["pdf"]))
    assert "Joint SOM/THB simulation" in text and report.misconceptions[0].title[:40] in text
    assert "Add a half-day module on age assessment and guardianship for police." in text
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "aar-demo.html").write_text(outputs["html"], encoding="utf-8")
    (OUT / "aar-demo.pdf").write_bytes(outputs["pdf"])
    (OUT / "aar-demo.docx").write_bytes(outputs["docx"])
    (OUT / "aar-demo-timings.txt").write_text(
        "\n".join(f"{k}: {v:.3f} s" for k, v in timings.items()) + "\n", encoding="utf-8"
    )
    if shutil.which("pdftoppm"):
        for old in OUT.glob("aar-demo-page-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(OUT / "aar-demo.pdf"), str(OUT / "aar-demo-page")],
            check=True,
            timeout=60,
        )

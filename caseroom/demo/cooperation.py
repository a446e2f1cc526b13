"""The demo's regional cooperation: the ready-made self-assessment, two closed annual rounds
(2025, 2026) of synthetic answers from the region's seven places, and ten corrective measures.

Every number is invented. Each country has a level on each part of the guidelines; joint
investigation teams are the weakest everywhere, Kosovo* answers least (some of its cells come
out hidden), and in 2026 the cells whose measures were done improve. Answers are drawn for a
level, checked with xlsform (a wrong answer is a bug here, raised) and stored in one bulk
insert per round (about 1,500 responses each). Safe to run again: what exists is kept.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from caseroom.cooperation import actions
from caseroom.cooperation.models import Coordination, Measure, Membership, Round
from caseroom.surveys import actions as surveys
from caseroom.surveys.models import QuestionnaireVersion, Response
from caseroom.surveys.registry import FormRejected, form_of, register_form
from caseroom.xlsform import review_answers

__all__ = ["TITLE", "load_demo_cooperation", "synthetic_answers"]

TITLE = "Western Balkans: guidelines on international cooperation"
# Country → (respondents per round, level 0..1 before any measure).
COUNTRIES: dict[str, tuple[int, float]] = {
    "AL": (110, 0.50),
    "BA": (140, 0.45),
    "HR": (120, 0.72),
    "ME": (70, 0.55),
    "MK": (100, 0.52),
    "RS": (150, 0.60),
    "XK": (50, 0.40),
}
AGENCIES = (("police", 40), ("border_police", 20), ("prosecution", 25), ("judiciary", 15))
PARTS = {"mla": 0.0, "inf": 0.12, "jit": -0.28}  # each part's lean from a country's level
YEARS = {
    "2025 annual": (dt.datetime(2025, 3, 3, 8, tzinfo=dt.UTC), 0.0),
    "2026 annual": (dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), 0.03),
}
DIFFICULTIES = {
    "mla": (
        "Requests wait for months at the central authority before they are sent on.",
        "No translation budget: requests leave late or in a language the other side refuses.",
        "We do not know which treaty applies for some neighbours.",
        "Answers come back incomplete and we start again.",
    ),
    "inf": (
        "The liaison officer changed and nobody told us who replaced them.",
        "Information received informally was not accepted in court.",
        "Our unit has no access to the secure channel; everything goes through headquarters.",
        "Answers arrive after the suspects have moved on.",
    ),
    "jit": (
        "Nobody in our office has set up a joint team before.",
        "The agreement took longer to sign than the investigation lasted.",
        "We did not know funding could be requested for a joint team.",
        "Evidence rules differ and the defence challenged everything.",
    ),
}
# Measures on the 2025 gaps: (country, section, what, institution, responsible, due, status).
MEASURES = (
    (
        "BA",
        "coop-guidelines#4.3",
        "Translate the JIT model agreement and brief the State prosecutor's office",
        "Prosecutor's Office",
        "Head of international cooperation unit",
        dt.date(2025, 10, 31),
        "done",
    ),
    (
        "XK",
        "coop-guidelines#4.2",
        "Workshop for prosecutors on when to propose a joint team",
        "Prosecutorial council",
        "Training coordinator",
        dt.date(2025, 11, 30),
        "done",
    ),
    (
        "AL",
        "coop-guidelines#2.7",
        "Introduce a checklist for drafting MLA requests",
        "Ministry of Justice",
        "Director of international legal cooperation",
        dt.date(2025, 9, 30),
        "done",
    ),
    (
        "ME",
        "coop-guidelines#3.5",
        "Publish the contact list of liaison officers on the police intranet",
        "Police directorate",
        "International police cooperation sector",
        dt.date(2025, 6, 30),
        "in_progress",
    ),
    (
        "MK",
        "coop-guidelines#4.3",
        "Brief investigators on JIT funding and support",
        "Ministry of Interior",
        "Head of organised crime unit",
        dt.date(2025, 12, 15),
        "planned",
    ),
    (
        "RS",
        "coop-guidelines#4.6",
        "Agree an evaluation template for closed joint teams",
        "Public Prosecutor's Office for Organised Crime",
        "Deputy prosecutor for JITs",
        dt.date(2026, 2, 28),
        "in_progress",
    ),
    (
        "BA",
        "coop-guidelines#2.5",
        "Track MLA requests older than three months monthly",
        "Ministry of Justice",
        "Central authority case officer",
        dt.date(2025, 8, 31),
        "dropped",
    ),
    (
        "XK",
        "coop-guidelines#3.2",
        "Round-the-clock contact point for the international cooperation unit",
        "Police",
        "Head of international cooperation",
        dt.date(2026, 12, 31),
        "planned",
    ),
    (
        "AL",
        "coop-guidelines#4.3",
        "Adopt the model JIT agreement in a prosecutor general's instruction",
        "General Prosecutor's Office",
        "Head of the legal department",
        dt.date(2025, 12, 31),
        "done",
    ),
    (
        "HR",
        "coop-guidelines#4.6",
        "Share lessons learnt from two closed joint teams with the region",
        "State Attorney's Office",
        "International cooperation department",
        dt.date(2026, 6, 30),
        "in_progress",
    ),
)


def _pick(rng: random.Random, level: float, best: str, middle: str, worst: str) -> str:
    draw = rng.random()
    if draw < level * 0.85:
        return best
    return middle if draw < level * 0.85 + 0.3 else worst


def synthetic_answers(
    rng: random.Random, country: str, agency: str, levels: dict[str, float]
) -> dict[str, Any]:
    """Answers of one respondent to the shipped self-assessment, given a level (0..1) on each
    part ("mla", "inf", "jit"); the relevance chains are followed."""
    mla, inf, jit = levels["mla"], levels["inf"], levels["jit"]
    a: dict[str, Any] = {"country": country, "agency": agency}
    gate = 0.3 + 0.5 * mla if agency in ("prosecution", "judiciary") else 0.15 + 0.3 * mla
    a["mla_made"] = "yes" if rng.random() < gate else "no"
    a["mla_basis"] = _pick(rng, mla, "yes", "partly", "no")
    a["mla_central"] = _pick(rng, mla, "yes", "partly", "no")
    if a["mla_made"] == "yes":
        for name in ("mla_dual", "mla_direct", "mla_template", "mla_translated", "mla_urgent"):
            a[name] = _pick(rng, mla, "always", "sometimes", "never")
        elements = ("authority", "facts", "assistance", "persons", "purpose")
        a["mla_content"] = [e for e in elements if rng.random() < 0.3 + 0.7 * mla] or ["facts"]
        a["mla_answered"] = _pick(rng, mla, "most", "some", "none")
    a["inf_used"] = "yes" if rng.random() < 0.4 + 0.5 * inf else "no"
    for name in ("inf_ncb", "inf_europol", "inf_liaison", "inf_pcc", "inf_evidence"):
        a[name] = _pick(rng, inf, "yes", "partly", "no")
    if a["inf_used"] == "yes":
        channels = ("interpol", "europol", "selec", "liaison")
        a["inf_channels"] = [c for c in channels if rng.random() < 0.2 + 0.6 * inf] or ["interpol"]
        a["inf_days"] = int(_pick(rng, inf, "2", "7", "20")) + rng.randint(-1, 1)
        a["inf_spontaneous"] = _pick(rng, inf, "always", "sometimes", "never")
    a["jit_part"] = "yes" if rng.random() < 0.02 + 0.3 * jit else "no"
    for name in ("jit_basis", "jit_when", "jit_model", "jit_funding"):
        a[name] = _pick(rng, jit, "yes", "partly", "no")
    if a["jit_part"] == "yes":
        a["jit_count"] = 1 + (rng.random() < jit)
        a["jit_plan"] = "yes" if rng.random() < 0.2 + 0.7 * jit else "no"
        a["jit_admitted"] = _pick(rng, jit, "most", "some", "none")
        a["jit_evaluated"] = _pick(rng, jit, "yes", "dont_know", "no")
    for part in ("mla", "inf", "jit"):
        if rng.random() < 0.12:
            a[f"{part}_difficulties"] = rng.choice(DIFFICULTIES[part])
    return a


def _agency(rng: random.Random) -> str:
    return rng.choices([a for a, _w in AGENCIES], [w for _a, w in AGENCIES])[0]


def _version(coordination: Coordination) -> QuestionnaireVersion:
    found = actions.latest_version(coordination)
    if found is not None:
        return found
    try:
        return actions.use_ready_form(coordination)
    except FormRejected:
        # A library without the demo guidelines: the form is ours and known to be sound,
        # so it is registered without asking the library (its citations then stay raw).
        data = actions.READY_FORM.read_bytes()
        version = register_form(data, actions.READY_FORM.name, "")
        coordination.questionnaire_id = version.questionnaire_id
        coordination.save(update_fields=["questionnaire"])
        return version


def _load_library() -> None:
    try:
        module = importlib.import_module("caseroom.library.demo")
    except ImportError:
        return
    loader = getattr(module, "load_demo_library", None)
    if loader is not None:
        loader()


def _levels(country: str, year_gain: float, boosted: set[str]) -> dict[str, float]:
    base = COUNTRIES[country][1] + year_gain
    found = {part: max(0.05, min(0.95, base + lean)) for part, lean in PARTS.items()}
    for part in boosted:
        found[part] = min(0.95, found[part] + 0.25)
    return found


def _answers(round_: Round, start: dt.datetime, gain: float, rng: random.Random) -> None:
    if Response.objects.filter(round_id=round_.survey_id).exists():
        return
    form = form_of(round_.survey.version)
    done = {(c, s.split("#")[1][0]) for c, s, *_r, status in MEASURES if status == "done"}
    part_of = {"2": "mla", "3": "inf", "4": "jit"}
    rows = []
    for country, (count, _level) in COUNTRIES.items():
        boosted = {part_of[n] for c, n in done if c == country} if gain else set()
        levels = _levels(country, gain, boosted)
        for number in range(count + rng.randint(-10, 10)):
            answers = synthetic_answers(rng, country, _agency(rng), levels)
            review = review_answers(form, answers, today=start.date())
            if review.complaints:
                raise ValueError(f"demo answers rejected: {review.complaints}")
            when = start + dt.timedelta(days=rng.randint(0, 40), minutes=number)
            rows.append(
                Response(
                    round_id=round_.survey_id,
                    submitted_at=when,
                    answers=review.answers,
                    language=rng.choice(["en", "sr-latn"]),
                )
            )
    Response.objects.bulk_create(rows, batch_size=500)


def load_demo_cooperation(coordinator: User) -> Coordination:
    """The demo coordination with `coordinator` as its coordinator (see the module's text)."""
    _load_library()
    rng = random.Random(2025)
    with transaction.atomic():
        coordination, _made = Coordination.objects.get_or_create(title=TITLE)
        Membership.objects.get_or_create(
            user=coordinator, coordination=coordination,
            defaults={"role": Membership.Role.COORDINATOR},
        )  # fmt: skip
        version = _version(coordination)
        previous: Round | None = None
        for title, (start, gain) in YEARS.items():
            found = Round.objects.filter(coordination=coordination, title=title).first()
            if found is None:
                survey = surveys.create_round(
                    version, title, opens_at=start, closes_at=start + dt.timedelta(days=45)
                )
                found = Round.objects.create(
                    coordination=coordination, title=title, survey=survey, previous=previous
                )
            _answers(found, start, gain, rng)
            surveys.close_round(found.survey, now=start + dt.timedelta(days=45))
            if previous is None:
                _measures(coordination, found, coordinator)
            previous = found
        return coordination


def _measures(coordination: Coordination, round_: Round, by: User) -> None:
    for number, (country, section, what, institution, who, due, status) in enumerate(MEASURES):
        actions.record_measure(
            coordination, round_=round_, country=country, section=section, what=what,
            institution=institution, responsible=who, due_on=due, status=status,
            key=f"demo-measure-{number}", by=by,
            evidence="Instruction adopted and circulated." if status == Measure.Status.DONE else "",
        )  # fmt: skip

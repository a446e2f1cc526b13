"""The finished demo exercise: five teams that played the Vardar corridor case, and their debrief.

A newcomer who runs `make run` should see a full debrief at once — teams that took
different roads through the case, misconceptions shared by several teams, the
facilitator's annotations and notes. So the teams below really play: every move goes
through `actions.command`, the only writer of a team's log, acting as the participant who
holds the role (approvals by the approving role, grades and endings by the facilitator).
The scripts are fixed, so every run produces the same trajectories; only the wall-clock
times are spread afterwards over a plausible morning (seeded, so they are fixed too).

All people here are fictional; agencies are generic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from caseroom.debrief.models import Annotation, ExerciseDebrief, debrief_of
from caseroom.engine import Event, IllegalAction, Scenario, Session
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team, TeamEvent
from caseroom.exercises.sessions import forget, session_for
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import load

__all__ = [
    "FINISHED_TITLE",
    "SCENARIO_SLUG",
    "TEAMS",
    "DemoPlayError",
    "ensure_finished_exercise",
    "finished_exercise",
]

FINISHED_TITLE = "Demo: finished joint exercise (Skopje–Belgrade, debrief)"
SCENARIO_SLUG = "vardar-corridor"
LOCATION = "Regional law-enforcement training centre, Vranje"
WEEKS_AGO = 3
SESSION_START = dt.time(9, 30)


class DemoPlayError(Exception):
    """A script no longer fits the scenario (it was edited): nothing of the exercise is kept."""


MoveType = Literal["act", "approve", "refuse", "wait", "grade", "end"]


@dataclass(frozen=True)
class Move:
    """One command of a team's script; `role` says which member (or None: the facilitator)."""

    type: MoveType
    role: str | None = None
    ref: str | None = None
    answer: Any = None
    reason: str | None = None
    points: Mapping[str, int] | None = None


def do(role: str, action: str, answer: Any = None) -> Move:
    return Move("act", role, action, answer)


def approve(role: str, action: str) -> Move:
    return Move("approve", role, action)


def refuse(role: str, action: str, reason: str) -> Move:
    return Move("refuse", role, action, reason=reason)


def wait(role: str) -> Move:
    return Move("wait", role)


def grade(action: str, points: Mapping[str, int], comment: str) -> Move:
    """The facilitator grades the team's latest free-text answer to `action`."""
    return Move("grade", None, action, reason=comment, points=points)


def end(ending: str) -> Move:
    """The facilitator ends the team's case (time is up) with the ending that fits."""
    return Move("end", None, ending)


@dataclass(frozen=True)
class Member:
    name: str
    agency: str
    country: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    """A facilitator's annotation on the team's first step of `step_kind` on `ref`."""

    kind: str
    ref: str
    body: str
    step_kind: str = "act"
    misconception: str = ""


@dataclass(frozen=True)
class TeamScript:
    name: str
    members: tuple[Member, ...]
    moves: tuple[Move, ...]  # empty: the expert path (see _expert_moves)
    finished: dt.time  # wall-clock time of the team's last event
    notes: tuple[Note, ...] = ()
    # For a script that is the expert path: answers replaced, and actions left out.
    overrides: Mapping[str, Any] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()


RS, MK = "Serbia", "North Macedonia"
POLICE, BORDER, PROSECUTOR = "police-rs", "border-police-mk", "prosecutor-rs"
PROSECUTOR_MK, FINANCE, PROTECTION = (
    "prosecutor-mk",
    "financial-investigator-rs",
    "protection-worker-rs",
)

FREEZING_GROUNDS_A = (
    "Reasonable suspicion of smuggling (Art. 350) and trafficking (Art. 388) against the owner "
    "of Moravac-Trans and the drivers. The company and the wife's accounts received round cash "
    "deposits and transfers from Athens within a day of each documented crossing; the seized "
    "ledger records six paid runs of 78 persons at EUR 1,800, about EUR 140,400. The apartment "
    "was paid from the wife's account; the lorries are instrumentalities. The network knows of "
    "the arrests: the money can move any day. We ask to freeze only up to the estimate and the "
    "vehicles used for the offence."
)
FREEZING_GROUNDS_B = (
    "The owner of Moravac-Trans is suspected of smuggling. His company declares losses but has "
    "money on its accounts; the lorries were used to hide migrants. We ask to freeze the accounts, "
    "the cash and the lorries before he moves them."
)
FREEZING_GROUNDS_D = (
    "Suspicion of Art. 350 against the owner and the drivers. Cash deposits on the company and "
    "the wife's accounts follow the crossings in the ledger (six paid runs, 78 persons, EUR 1,800 "
    "each, about EUR 140,400). The lorries are instrumentalities. Risk of dissipation: drivers "
    "have been arrested and the owner knows. Limited to the estimated proceeds."
)

# In a joint course people often play the other country's role on purpose: a Macedonian
# prosecutor playing the Serbian one learns what the partner needs in a request.
TEAMS: tuple[TeamScript, ...] = (
    # The expert path in the team's own words, minus the open-source monitoring: the best ending.
    TeamScript(
        name="Team A",
        members=(
            Member("Jelena Marković", "Criminal police, anti-trafficking unit", RS, (POLICE,)),
            Member("Goran Trajkovski", "Border police", MK, (BORDER,)),
            Member("Vesna Ilić", "Higher public prosecutor's office", RS, (PROSECUTOR,)),
            Member("Elena Stefanovska", "Public prosecutor's office", MK, (PROSECUTOR_MK,)),
            Member("Nikola Ristić", "Financial intelligence unit", RS, (FINANCE,)),
            Member("Marija Nikolovska", "Centre for social work", MK, (PROTECTION,)),
        ),
        moves=(),
        overrides={"draft-freezing-grounds": FREEZING_GROUNDS_A},
        skipped=frozenset({"osint-monitoring"}),
        finished=dt.time(12, 21),
        notes=(
            Note(
                "good-practice",
                "screen-and-separate",
                "Medical check, separation of the driver, and the boy treated as a child until "
                "his age is assessed — in that order, in the first hour. This is the sequence "
                "we want every patrol to follow.",
            ),
            Note(
                "good-practice",
                "open-financial-parallel",
                "The prosecutor approved the financial investigation on day one, under the same "
                "case number. Ask the team what that gave them in the financial phase.",
                step_kind="approve",
            ),
            Note(
                "comment",
                "notify-mk-early",
                "A short police-to-police message with plates, times and the escort car — and no "
                "personal data of the migrants. Worth showing on the screen as a model.",
            ),
        ),
    ),
    # Strong investigators with a protection blind spot: the boy disappears.
    TeamScript(
        name="Team B",
        members=(
            Member("Marko Đorđević", "Criminal police, organised crime unit", RS, (POLICE,)),
            Member("Aleksandar Petrovski", "Border police", MK, (BORDER, PROSECUTOR_MK)),
            Member("Dragana Kostić", "Public prosecutor's office", RS, (PROSECUTOR,)),
            Member("Stefan Nikolić", "Financial intelligence unit", RS, (FINANCE,)),
            Member("Ardita Rexhepi", "Labour inspectorate", MK, (PROTECTION,)),
        ),
        moves=(
            do(POLICE, "adults-by-declaration"),
            do(POLICE, "check-databases"),
            do(POLICE, "seize-driver-phone"),
            do(FINANCE, "open-financial-parallel"),
            refuse(
                PROSECUTOR,
                "open-financial-parallel",
                "Premature — we do not even know who the organiser is",
            ),
            do(POLICE, "notify-mk-early", ["nm-plates", "nm-driver", "nm-time"]),
            do(BORDER, "mk-guide-interview"),
            do(POLICE, "close-planning"),
            do(POLICE, "order-interception"),
            approve(PROSECUTOR, "order-interception"),
            do(POLICE, "examine-phone-contents"),
            do(
                PROSECUTOR,
                "controlled-delivery-request",
                ["cd-route", "cd-vehicles", "cd-safety", "cd-stop"],
            ),
            do(POLICE, "close-sit"),
            do(POLICE, "cd-stop-at-border"),
            do(POLICE, "forensic-lorry"),
            do(POLICE, "search-warehouse"),
            approve(PROSECUTOR, "search-warehouse"),
            do(POLICE, "witness-statements"),
            do(POLICE, "close-evidence"),
            do(POLICE, "analyse-cdr"),
            do(
                POLICE,
                "request-mk-subscribers",
                ["sub-numbers", "sub-dates", "sub-basis", "sub-court"],
            ),
            do(
                POLICE,
                "map-roles",
                ["role-organiser", "role-logistician", "role-drivers", "role-guides", "role-money"],
            ),
            do(POLICE, "close-network"),
            do(PROSECUTOR, "target-serbian-side"),
            do(FINANCE, "bank-records"),
            approve(PROSECUTOR, "bank-records"),
            do(FINANCE, "mto-records"),
            do(FINANCE, "estimate-proceeds", 187200),
            do(FINANCE, "draft-freezing-grounds", FREEZING_GROUNDS_B),
            grade(
                "draft-freezing-grounds",
                {"legal": 1, "operational": 1},
                "No estimate, no link of each asset to the offence.",
            ),
            do(FINANCE, "freeze-assets", ["frz-accounts", "frz-cash", "frz-lorry"]),
            approve(PROSECUTOR, "freeze-assets"),
            do(FINANCE, "close-financial"),
            do(PROTECTION, "child-guardian"),
            do(
                PROTECTION,
                "tii-interview",
                [
                    "tii-interpreter",
                    "tii-prepare",
                    "tii-specific",
                    "tii-consent",
                    "tii-narrative",
                    "tii-close",
                ],
            ),
            do(PROTECTION, "close-protection"),
            do(PROSECUTOR, "consent-smuggling-only"),
            do(
                PROSECUTOR,
                "mla-request",
                ["mla-authority", "mla-facts", "mla-offences", "mla-persons"],
            ),
            wait(PROSECUTOR),
            do(PROSECUTOR, "mla-supplement"),
            wait(PROSECUTOR),
            do(PROSECUTOR, "close-cooperation"),
            do(PROSECUTOR, "joint-action-day"),
        ),
        finished=dt.time(12, 14),
        notes=(
            Note(
                "misconception",
                "adults-by-declaration",
                '"I am 19" was taken at face value and the boy went to the adult dormitory. '
                "Thirty hours later he was gone. Ask the team who could have called the Centre "
                "for Social Work that morning.",
                misconception="mc-child-age-assumed-adult",
            ),
            Note(
                "comment",
                "open-financial-parallel",
                'The refusal reason was "premature". In the debrief, ask the prosecutor what '
                "would have made it mature — and whether the money would still have been there.",
                step_kind="refuse",
            ),
        ),
    ),
    # The driver is the case: everything stays on the Serbian side and closes early.
    TeamScript(
        name="Team C",
        members=(
            Member("Bojan Stanković", "Border police", RS, (POLICE,)),
            Member("Dejan Dimitrievski", "Border police", MK, (BORDER, PROSECUTOR_MK)),
            Member("Tamara Lazić", "Basic public prosecutor's office", RS, (PROSECUTOR, FINANCE)),
            Member("Snežana Milenković", "Centre for social work", RS, (PROTECTION,)),
        ),
        moves=(
            do(POLICE, "process-as-irregular"),
            do(POLICE, "check-databases"),
            do(POLICE, "seize-driver-phone"),
            do(POLICE, "close-planning"),
            do(PROSECUTOR, "mla-before-contact"),
            do(POLICE, "order-interception"),
            refuse(
                PROSECUTOR, "order-interception", "Three months is disproportionate at this stage"
            ),
            do(POLICE, "examine-phone-contents"),
            do(POLICE, "close-sit"),
            do(POLICE, "cd-stop-at-border"),
            do(POLICE, "forensic-lorry"),
            do(POLICE, "release-lorry"),
            do(POLICE, "close-evidence"),
            do(POLICE, "analyse-cdr"),
            do(POLICE, "map-roles", ["role-organiser", "role-drivers", "role-guides"]),
            do(POLICE, "close-network"),
            do(PROSECUTOR, "close-driver-only"),
        ),
        finished=dt.time(10, 52),
        notes=(
            Note(
                "misconception",
                "process-as-irregular",
                "Fines and readmission for all fourteen: the witnesses against the network were "
                'processed as offenders before anyone asked the frightened man about "the boss '
                'in Kumanovo".',
                misconception="mc-victim-as-offender",
            ),
            Note(
                "misconception",
                "close-driver-only",
                '"Without an organised group nothing more can be charged" — the smuggling offence '
                "needs neither a group nor transnationality. Take this one to the plenary.",
                misconception="mc-smuggling-needs-organised-group",
            ),
        ),
    ),
    # Good with the victim, informal with the partner: Imran is safe, the network is not.
    TeamScript(
        name="Team D",
        members=(
            Member(
                "Ivana Petrović",
                "Centre for protection of victims of trafficking",
                RS,
                (PROTECTION,),
            ),
            Member("Miloš Janković", "Criminal police, anti-trafficking unit", RS, (POLICE,)),
            Member("Biljana Angelovska", "Border police", MK, (BORDER,)),
            Member(
                "Kiril Mitrevski", "Public prosecutor's office", MK, (PROSECUTOR_MK, PROSECUTOR)
            ),
            Member("Ana Todorović", "Financial intelligence unit", RS, (FINANCE,)),
        ),
        moves=(
            do(POLICE, "screen-and-separate"),
            do(PROTECTION, "child-guardian"),
            do(POLICE, "check-databases"),
            do(POLICE, "seize-driver-phone"),
            do(
                POLICE,
                "notify-mk-early",
                ["nm-plates", "nm-driver", "nm-time", "nm-escort", "nm-names"],
            ),
            do(FINANCE, "open-financial-parallel"),
            approve(PROSECUTOR, "open-financial-parallel"),
            do(POLICE, "close-planning"),
            do(POLICE, "order-interception"),
            refuse(
                PROSECUTOR,
                "order-interception",
                "Grounds of suspicion not yet documented for the company owner",
            ),
            do(POLICE, "examine-phone-contents"),
            do(PROTECTION, "refer-nrm"),
            do(POLICE, "close-sit"),
            do(POLICE, "cd-stop-at-border"),
            do(POLICE, "forensic-lorry"),
            do(POLICE, "witness-statements"),
            do(PROSECUTOR, "preserve-testimony"),
            do(POLICE, "close-evidence"),
            do(
                POLICE,
                "request-mk-subscribers",
                ["sub-numbers", "sub-dates", "sub-basis", "sub-court"],
            ),
            do(
                POLICE,
                "map-roles",
                [
                    "role-organiser",
                    "role-logistician",
                    "role-drivers",
                    "role-guides",
                    "role-money",
                    "role-migrants",
                ],
            ),
            do(POLICE, "close-network"),
            do(PROSECUTOR, "target-drivers-first"),
            do(FINANCE, "bank-records"),
            approve(PROSECUTOR, "bank-records"),
            do(FINANCE, "mto-records"),
            do(FINANCE, "estimate-proceeds", 140400),
            do(FINANCE, "draft-freezing-grounds", FREEZING_GROUNDS_D),
            grade(
                "draft-freezing-grounds",
                {"legal": 2, "operational": 2},
                "Clear estimate and risk; the apartment is missing.",
            ),
            do(FINANCE, "freeze-assets", ["frz-accounts", "frz-cash", "frz-lorry"]),
            approve(PROSECUTOR, "freeze-assets"),
            do(FINANCE, "close-financial"),
            do(
                PROTECTION,
                "tii-interview",
                [
                    "tii-prepare",
                    "tii-interpreter",
                    "tii-consent",
                    "tii-narrative",
                    "tii-specific",
                    "tii-close",
                ],
            ),
            do(PROSECUTOR, "non-punishment"),
            do(PROTECTION, "transnational-referral"),
            do(PROTECTION, "close-protection"),
            do(PROSECUTOR, "respect-reflection"),
            do(PROSECUTOR, "informal-screenshots-as-evidence"),
            do(PROSECUTOR, "close-cooperation"),
            do(PROSECUTOR, "rs-only-action"),
        ),
        finished=dt.time(12, 26),
        notes=(
            Note(
                "good-practice",
                "tii-interview",
                "A prepared, trauma-informed first conversation with a vetted interpreter: "
                "Imran spoke about the debt and the passport within the hour, and later chose "
                "to testify.",
            ),
            Note(
                "misconception",
                "request-mk-subscribers",
                'The request promised to put the partner\'s answer "directly into the indictment". '
                "Police-to-police answers guide the case; evidence comes through MLA or a JIT.",
                step_kind="reply",  # the misconception shows in North Macedonia's answer
                misconception="mc-informal-channel-evidence",
            ),
        ),
    ),
    # Fast and loud: the press release warns the network; the facilitator ends the case.
    TeamScript(
        name="Team E",
        members=(
            Member("Nemanja Pavlović", "Criminal police", RS, (POLICE, FINANCE)),
            Member("Blerim Xhaferi", "Border police", MK, (BORDER, PROSECUTOR_MK)),
            Member("Milica Stojanović", "Public prosecutor's office", RS, (PROSECUTOR, PROTECTION)),
        ),
        moves=(
            do(POLICE, "adults-by-declaration"),
            do(PROSECUTOR, "press-release"),
            do(POLICE, "check-databases"),
            do(PROTECTION, "early-screening"),
            do(PROTECTION, "child-guardian"),
            do(POLICE, "close-planning"),
            do(POLICE, "order-interception"),
            approve(PROSECUTOR, "order-interception"),
            do(PROSECUTOR, "mla-before-contact"),
            do(POLICE, "close-sit"),
            do(POLICE, "cd-follow-to-hungary"),
            do(POLICE, "witness-statements"),
            do(POLICE, "forensic-lorry"),
            do(POLICE, "close-evidence"),
            do(POLICE, "analyse-cdr"),
            do(POLICE, "request-mk-subscribers", ["sub-numbers", "sub-all"]),
            do(POLICE, "close-network"),
            do(PROSECUTOR, "target-drivers-first"),
            do(FINANCE, "mto-records"),
            do(FINANCE, "close-financial"),
            do(POLICE, "raid-officer-interview"),
            do(PROTECTION, "close-protection"),
            do(PROSECUTOR, "condition-assistance"),
            do(PROSECUTOR, "jit-proposal", ["jit-purpose", "jit-parties", "jit-unlimited"]),
            end("warned-and-collapsed"),
        ),
        finished=dt.time(12, 30),
        notes=(
            Note(
                "comment",
                "press-release",
                "Minutes into the case the portals had the company's name and \"a Macedonian "
                'organiser". Everything this team did afterwards, it did with the network warned.',
            ),
            Note(
                "misconception",
                "raid-officer-interview",
                "The officer who opened the compartment questioned Imran at night at the station; "
                "he denied everything. The interviewer should never be someone from the stop.",
                misconception="mc-interview-by-raid-officer",
            ),
            Note(
                "good-practice",
                "child-guardian",
                "The team corrected its own first-hour mistake: the boy got a guardian before he "
                "could disappear. Late, but it counted.",
            ),
        ),
    ),
)

DEBRIEF_NOTES = """\
Five mixed teams (Serbia and North Macedonia, police, prosecution, financial
investigation and protection) played the **Vardar corridor** case, 09:30–12:30.

- **Team A** followed the expert's road almost step by step and dismantled the network on
  both sides, with the victim protected and the proceeds frozen.
- **Teams B, C and E** let the boy be registered as an adult; only Team E corrected it
  in time.
- **Team C** closed the case on the driver alone before 11:00.
- **Team D** protected Imran well but treated police-to-police answers as evidence and
  struck in Serbia alone.
- **Team E** announced the interception to the press in the first minutes; time ran out in
  the cooperation phase and the case was ended at 12:30.

Prosecutor and police worked best together in Team A: every measure asked for was
grounded, and every decision was reasoned.
"""

DEBRIEF_RECOMMENDATIONS = """\
1. **Presume minority.** A declared age is not an assessed age: call the Centre for Social
   Work in the first hour.
2. **Follow the money from day one.** Open the parallel financial investigation with the
   case, and keep the lorries as instrumentalities.
3. **Intelligence is not evidence.** Use PCC SEE for speed, MLA or a JIT for what must
   stand in court — and do not use MLA to check a registration plate.
4. **Discretion.** No press, no early arrests of replaceable drivers while covert
   measures run.
5. **Trauma-informed interviews.** Never by an officer from the stop; assistance never
   depends on testimony.
"""


def _expert_moves(
    scenario: Scenario, overrides: Mapping[str, Any], skipped: frozenset[str]
) -> list[Move]:
    """The scenario's expert path as a script, with the team's answers and omissions."""
    moves: list[Move] = []
    for step in scenario.doc.expert_path:
        if step.do in skipped:
            continue
        if step.wait:
            moves.append(wait(step.role or PROSECUTOR))
        elif step.approve:
            approval = scenario.actions[step.approve].approval
            assert approval is not None
            moves.append(approve(step.role or approval.role, step.approve))
        elif step.refuse:
            approval = scenario.actions[step.refuse].approval
            assert approval is not None
            moves.append(refuse(step.role or approval.role, step.refuse, step.rationale))
        elif step.do:
            role = step.role or next(iter(scenario.actions[step.do].roles or scenario.roles))
            moves.append(do(role, step.do, overrides.get(step.do, step.answer)))
        if step.do == "draft-freezing-grounds":
            moves.append(
                grade(
                    step.do,
                    {"legal": 3, "operational": 2},
                    "Each asset linked to the offence, the estimate explained, the risk stated.",
                )
            )
    return moves


def _step_index(session: Session, kind: str, ref: str, *, last: bool = False) -> int:
    """The position of the team's first (or last) step of `kind` on `ref` in its trajectory."""
    found = [i for i, s in enumerate(session.state.steps) if s.kind == kind and s.ref == ref]
    if not found:
        raise DemoPlayError(f"no {kind} step on {ref}")
    return found[-1] if last else found[0]


def _play(team: Team, moves: Iterable[Move], cast: Mapping[str, Participant], user: User) -> None:
    """Send the script through the writer, as the members who hold the roles."""
    for number, move in enumerate(moves):
        try:
            _send(team, move, cast, user)
        except IllegalAction as error:
            raise DemoPlayError(
                f"{team.name}, move {number + 1} ({move.type} {move.ref}): {error.message}"
            ) from error


def _send(team: Team, move: Move, cast: Mapping[str, Participant], user: User) -> None:
    if move.type == "grade":
        assert move.ref is not None
        step = _step_index(session_for(team), "act", move.ref, last=True)
        event = Event(
            "grade", step=step, points=move.points, reason=move.reason, actor=user.username
        )
        actions.command(team, event, user=user)
    elif move.type == "end":
        event = Event("end", ref=move.ref, actor=user.username)
        actions.command(team, event, user=user)
    else:
        assert move.role is not None
        member = cast[move.role]
        event = Event(
            move.type,
            role=move.role,
            ref=move.ref,
            input=move.answer,
            reason=move.reason,
            actor=member.name,
        )
        actions.command(team, event, participant=member)


def _minutes_needed(move: Move, rng: random.Random) -> float:
    """How long a move plausibly took at the table: reading, arguing, typing."""
    if move.type in ("approve", "refuse", "wait"):
        return rng.uniform(1.0, 3.0)
    if move.type in ("grade", "end"):
        return rng.uniform(2.0, 5.0)
    if isinstance(move.answer, str):
        return rng.uniform(10.0, 15.0)  # free text
    if move.answer is not None:
        return rng.uniform(4.0, 8.0)
    return rng.uniform(2.0, 6.0)


def _timeline(
    moves: Sequence[Move], start: dt.datetime, finish: dt.datetime, seed: int
) -> list[dt.datetime]:
    """Increasing wall-clock times for the moves, from `start` to exactly `finish`."""
    rng = random.Random(seed)
    gaps = [_minutes_needed(move, rng) for move in moves]
    scale = (finish - start).total_seconds() / sum(gaps)
    times: list[dt.datetime] = []
    elapsed = 0.0
    for gap in gaps:
        elapsed += gap * scale
        times.append(start + dt.timedelta(seconds=round(elapsed)))
    return times


def _restamp(team: Team, times: Sequence[dt.datetime]) -> None:
    """Give the stored events the morning's times, in seq order, in the log and the rows."""
    events = list(TeamEvent.objects.filter(team=team).order_by("seq"))
    assert len(events) == len(times), (team.name, len(events), len(times))
    for event, when in zip(events, times, strict=True):
        event.created_at = when
        event.payload = {**event.payload, "time": when.astimezone(dt.UTC).isoformat("T", "seconds")}
    TeamEvent.objects.bulk_update(events, ["created_at", "payload"])
    forget(team.pk)  # the cached session holds the play-time stamps


def _session_day(today: dt.date) -> dt.date:
    """A weekday a few weeks back: courses do not run at weekends."""
    day = today - dt.timedelta(weeks=WEEKS_AGO)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _annotate(
    team: Team, session: Session, notes: Iterable[Note], user: User, when: dt.datetime
) -> None:
    for number, note in enumerate(notes):
        annotation = Annotation.objects.create(
            team=team,
            step=_step_index(session, note.step_kind, note.ref),
            kind=note.kind,
            misconception=note.misconception,
            body=note.body,
            author=user,
        )
        stamp = when + dt.timedelta(minutes=3 * number)
        Annotation.objects.filter(pk=annotation.pk).update(created_at=stamp, updated_at=stamp)


def finished_exercise() -> Exercise | None:
    return Exercise.objects.filter(title=FINISHED_TITLE).first()


def ensure_finished_exercise(
    version: ScenarioVersion, facilitator: User, *, today: dt.date | None = None
) -> tuple[Exercise, bool]:
    """The finished demo exercise, built and played once; (exercise, created)."""
    existing = finished_exercise()
    if existing is not None:
        return existing, False
    scenario = load(version)
    day = _session_day(today or timezone.localdate())
    start = _at(day, SESSION_START)
    with transaction.atomic():
        exercise = actions.create_exercise(
            facilitator,
            title=FINISHED_TITLE,
            scenario=version,
            date=day,
            location=LOCATION,
            status=Exercise.Status.RUNNING,
        )
        for number, script in enumerate(TEAMS):
            team = Team.objects.create(exercise=exercise, name=script.name)
            cast: dict[str, Participant] = {}
            for member in script.members:
                participant = actions.join(
                    exercise,
                    name=member.name,
                    agency=member.agency,
                    country=member.country,
                    roles=list(member.roles),
                    team=team,
                )
                cast.update(dict.fromkeys(member.roles, participant))
            moves = script.moves or tuple(_expert_moves(scenario, script.overrides, script.skipped))
            _play(team, moves, cast, facilitator)
            _annotate(
                team,
                session_for(team),
                script.notes,
                facilitator,
                _at(day, dt.time(13, 30)) + dt.timedelta(minutes=10 * number),
            )
            # Teams settle in at slightly different times after the briefing.
            first = start + dt.timedelta(minutes=2 + 2 * number)
            _restamp(team, _timeline(moves, first, _at(day, script.finished), seed=number))
            Team.objects.filter(pk=team.pk).update(created_at=start - dt.timedelta(minutes=40))
            Participant.objects.filter(team=team).update(
                joined_at=start - dt.timedelta(minutes=25 - number)
            )
        actions.set_status(exercise, Exercise.Status.ENDED)
        Exercise.objects.filter(pk=exercise.pk).update(created_at=start - dt.timedelta(days=10))
        debrief = debrief_of(exercise)
        debrief.notes = DEBRIEF_NOTES
        debrief.recommendations = DEBRIEF_RECOMMENDATIONS
        debrief.released_at = _at(day, dt.time(15, 0))
        debrief.save()
        # Written that afternoon, not today: the page shows when the notes were last changed.
        ExerciseDebrief.objects.filter(pk=debrief.pk).update(updated_at=debrief.released_at)
    return exercise, True

"""The five teams of the finished demo exercise, as data: members, moves and annotations.

Each team took a different road through the Vardar corridor case (the comment above it
says which); `play.py` sends these moves through `actions.command`, so a script that no
longer fits the scenario is refused there, not here. All people here are fictional;
agencies are generic.
"""

from __future__ import annotations

import datetime as dt

from caseroom.demo.moves import Member, Note, TeamScript, approve, do, end, grade, refuse, wait

__all__ = [
    "BORDER",
    "DEBRIEF_NOTES",
    "DEBRIEF_RECOMMENDATIONS",
    "FINANCE",
    "MK",
    "POLICE",
    "PROSECUTOR",
    "PROSECUTOR_MK",
    "PROTECTION",
    "RS",
    "TEAMS",
]

RS, MK = "Serbia", "North Macedonia"
POLICE, BORDER, PROSECUTOR = "police-rs", "border-police-mk", "prosecutor-rs"
PROSECUTOR_MK, FINANCE, PROTECTION = (
    "prosecutor-mk",
    "financial-investigator-rs",
    "protection-worker-rs",
)

FREEZING_GROUNDS_A = (
    "Reasonable suspicion of smuggling (Art. 350) and trafficking (Art. 388) against the owner "
    "of Brzoteg-Trans and the drivers. The company and the wife's accounts received round cash "
    "deposits and transfers from Athens within a day of each documented crossing; the seized "
    "ledger records six paid runs of 78 persons at EUR 1,800, about EUR 140,400. The apartment "
    "was paid from the wife's account; the lorries are instrumentalities. The network knows of "
    "the arrests: the money can move any day. We ask to freeze only up to the estimate and the "
    "vehicles used for the offence."
)
FREEZING_GROUNDS_B = (
    "The owner of Brzoteg-Trans is suspected of smuggling. His company declares losses but has "
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

"""What the demo programme is made of: fixed texts and the plan of its sessions.

Every person, place and institution here is invented; the shape (three modules, 8 + 6 + 4
sessions, ~267 + ~120 + ~100 people, a training of trainers) follows
`shared/domain/programmes.md`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

GIVEN_F = (
    "Ana",
    "Biljana",
    "Dragana",
    "Elena",
    "Ivana",
    "Jasmina",
    "Jelena",
    "Katerina",
    "Lidija",
    "Marija",
    "Milena",
    "Natasha",
    "Sanja",
    "Snezhana",
    "Tanja",
    "Vesna",
    "Arta",
    "Blerta",
    "Drita",
    "Elira",
    "Fatime",
    "Lirije",
    "Mimoza",
    "Teuta",
    "Ajla",
    "Emina",
    "Selma",
)
GIVEN_M = (
    "Aleksandar",
    "Bojan",
    "Darko",
    "Dejan",
    "Dimitar",
    "Goran",
    "Igor",
    "Ivan",
    "Marko",
    "Milan",
    "Nikola",
    "Petar",
    "Stefan",
    "Vladimir",
    "Zoran",
    "Agron",
    "Arben",
    "Besim",
    "Driton",
    "Ilir",
    "Luan",
    "Valon",
    "Adnan",
    "Emir",
    "Kenan",
    "Orhan",
    "Sead",
)
FAMILY = (
    "Andonov",
    "Angelovski",
    "Atanasov",
    "Bogdanović",
    "Dimovski",
    "Đorđević",
    "Georgiev",
    "Ilievski",
    "Jovanović",
    "Kostovski",
    "Lazarević",
    "Mitrevski",
    "Nikolić",
    "Pavlović",
    "Petkovski",
    "Popović",
    "Ristovski",
    "Savić",
    "Stojanovski",
    "Todorović",
    "Trajkov",
    "Vasilev",
    "Zdravkovski",
    "Ahmeti",
    "Berisha",
    "Dauti",
    "Hoxha",
    "Krasniqi",
    "Rexhepi",
    "Selimi",
    "Shala",
    "Zeqiri",
    "Hasani",
    "Demiri",
    "Osmani",
    "Mehmedović",
    "Begović",
)
# The given names of the finished demo exercise's players (demo/script.py) that are women's.
PLAYERS_FEMALE = frozenset(
    {"Ana", "Ardita", "Biljana", "Dragana", "Elena", "Jelena", "Marija", "Milica", "Snežana",
     "Tamara", "Vesna"}
)  # fmt: skip
# Self-identified community, asked with consent in Module 1 (the seed reports ">30 %
# Albanian or other groups"); the weights give about that share.
COMMUNITIES = (("Majority", 62), ("Albanian", 26), ("Roma", 5), ("Turkish", 4), ("Other", 3))
CONSENT_TEXT = (
    "I agree that the community I identify with is recorded for the programme's statistics. "
    "It is never shown with my name, only in totals of five people or more, and I can withdraw "
    "this at any time."
)


@dataclass(frozen=True)
class ModulePlan:
    number: int
    title: str
    audience: str
    objectives: str
    agencies: tuple[str, ...]
    share_female: float
    days: int
    topics: tuple[str, ...]
    # (title, place, country, first day, participants, is ToT)
    sessions: tuple[tuple[str, str, str, dt.date, int, bool], ...]
    planned_people: int


D = dt.date
MODULES = (
    ModulePlan(
        1,
        "Fundamentals of the response to trafficking and smuggling",
        "Front-line police officers (border, uniformed, crime and traffic police)",
        "Recognise indicators of trafficking at first contact; apply the law and the "
        "conventions; protect and refer victims and asylum seekers; respect human-rights "
        "standards.",
        ("Border police", "Uniformed police", "Crime police", "Traffic police"),
        0.24,
        2,
        (
            "Fundamentals and trends",
            "Applicable law and international conventions",
            "Indicators for early identification of victims",
            "Victim protection and human-rights standards",
            "Roles of the parties and of NGOs in victim assistance",
            "Identification, referral and protection of asylum seekers",
        ),
        tuple(
            (f"Module 1, session {n}", place, "MK", day, size, False)
            for n, (place, day, size) in enumerate(
                [
                    ("Kalinovo", D(2026, 2, 9), 34),
                    ("Brezani", D(2026, 2, 23), 33),
                    ("Lipkovac", D(2026, 3, 9), 33),
                    ("Kalinovo", D(2026, 3, 23), 34),
                    ("Brezani", D(2026, 4, 13), 33),
                    ("Lipkovac", D(2026, 4, 27), 33),
                    ("Kalinovo", D(2026, 5, 11), 34),
                    ("Brezani", D(2026, 5, 25), 33),
                ],
                start=1,
            )
        ),
        267,
    ),
    ModulePlan(
        2,
        "Specialised investigation and prosecution",
        "Specialised police units, prosecutors and social-policy officials",
        "Apply the legislative framework; investigate child trafficking and labour "
        "exploitation; map criminal networks; use special investigative techniques; train "
        "colleagues at home (training of trainers).",
        ("Anti-trafficking unit", "Public prosecution", "Centre for social work"),
        0.48,
        3,
        (
            "Legislative framework",
            "Child trafficking",
            "Labour exploitation",
            "Criminal networks and investigation techniques",
            "Joint simulation exercise and debriefing",
            "Facilitating a simulation (trainers)",
        ),
        (
            ("Regional training of trainers", "Kalinovo", "MK", D(2026, 3, 16), 12, True),
            ("Joint simulation course (RS-MK)", "Dubrava", "RS", D(2026, 4, 20), 30, False),
            ("National roll-out, Serbia", "Dubrava", "RS", D(2026, 6, 8), 20, False),
            ("National roll-out, North Macedonia", "Brezani", "MK", D(2026, 6, 15), 20, False),
            ("National roll-out, Albania", "Qytezë", "AL", D(2026, 9, 14), 20, False),
            ("National roll-out, North Macedonia II", "Lipkovac", "MK", D(2026, 10, 5), 18, False),
        ),
        120,
    ),
    ModulePlan(
        3,
        "Migration management and referral",
        "Migration-management practitioners",
        "Coordinate between agencies; identify and refer victims and vulnerable migrants.",
        ("Asylum and migration service", "Reception centre", "Labour inspectorate", "NGO"),
        0.58,
        2,
        (
            "Inter-agency coordination",
            "Identifying victims among migrants",
            "Referral to protection and assistance",
        ),
        tuple(
            (f"Module 3, session {n}", place, country, day, 25, False)
            for n, (place, country, day) in enumerate(
                [
                    ("Kalinovo", "MK", D(2026, 9, 21)),
                    ("Dubrava", "RS", D(2026, 10, 12)),
                    ("Brezani", "MK", D(2026, 11, 2)),
                    ("Dubrava", "RS", D(2026, 11, 16)),
                ],
                start=1,
            )
        ),
        100,
    ),
)

FINDINGS = (
    (
        "Early identification at the border",
        "Front-line officers know the offences but few can name the indicators of "
        "trafficking among smuggled migrants; referrals start late.",
        (1,),
    ),
    (
        "Financial investigation",
        "Parallel financial investigations are opened in fewer than one case in five; "
        "prosecutors ask for training together with the police.",
        (2,),
    ),
    (
        "Cross-border cooperation",
        "Requests to neighbouring countries go through formal channels only; informal "
        "police-to-police exchange and joint investigation teams are rarely used.",
        (2,),
    ),
    (
        "Referral of vulnerable migrants",
        "Reception staff and labour inspectors do not know whom to call; the referral "
        "mechanism is known on paper.",
        (3, 1),
    ),
    (
        "Child victims",
        "Unaccompanied children are interviewed like adults; age assessment is inconsistent.",
        (2, 3),
    ),
)

WORKING_GROUP = (
    ("Mirjana Kostadinova", "Ministry of Interior", "Head of training department"),
    ("Arben Rexha", "Ministry of Justice", "Adviser, international cooperation"),
    ("Dušica Lalevska", "Ministry of Labour and Social Policy", "Head of social protection unit"),
    ("Bojan Arsov", "Labour Inspectorate", "Senior inspector"),
    ("Clara Wendt", "Donor delegation", "Programme officer"),
    ("Lena Osterhaus", "Project team", "Programme manager"),
    ("Tome Velkov", "Public Prosecution Office", "Prosecutor"),
)

MEETINGS = (
    (
        D(2026, 1, 20),
        "Ministry of Interior, Kalinovo",
        "1. Results of the needs assessment\n2. Audiences and modules\n3. Training locations",
        "The group reviewed the assessment's findings per audience and agreed on three "
        "modules. Module 1 goes to three locations so that officers need not travel far.",
        ("Three modules for three audiences.", "Module 1 in three locations."),
        (("Draft the Module 1 agenda", 5, D(2026, 1, 31), "done"),),
        (1, 2, 3),
    ),
    (
        D(2026, 3, 2),
        "Project office",
        "1. Module 1 first sessions: feedback\n2. Module 2 and its training of trainers",
        "Trainers asked for more time on indicators; the agenda moves human-rights standards "
        "to day two. Module 2 starts with a regional training of trainers.",
        ("More time on indicators in Module 1.", "A regional ToT opens Module 2."),
        (
            ("Select ToT candidates in each country", 0, D(2026, 3, 10), "done"),
            ("Update the Module 1 agenda", 5, D(2026, 3, 9), "done"),
        ),
        (1, 2),
    ),
    (
        D(2026, 6, 30),
        "Ministry of Labour and Social Policy",
        "1. National roll-outs so far\n2. Module 3 content\n3. Reference material",
        "Roll-outs in two countries are done; the third follows in September. Module 3 "
        "puts inter-agency coordination first.",
        ("Module 3 opens with inter-agency coordination.",),
        (
            ("Collect referral contacts for the reference material", 2, D(2026, 8, 31), "open"),
            ("Agree the follow-up questionnaire", 4, D(2026, 12, 15), "open"),
        ),
        (3,),
    ),
)

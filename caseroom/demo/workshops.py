"""The demo's regional workshop: a finished two-day workshop in Ohrid with 30 fictional
participants from the region's seven places, 60 cards on the five themes (one duplicate
merged on each), clusters, dot votes and five recommendations, tracked as measures of the
demo coordination when the facilitator may record measures there.

Every name and text is invented. Safe to run again: a workshop of the same title and
facilitator is returned as it is.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction

from caseroom.cooperation.models import Coordination
from caseroom.demo.cooperation import TITLE as COORDINATION
from caseroom.workshops import access, actions
from caseroom.workshops.models import Card, Participant, Theme, Vote, Workshop

__all__ = ["TITLE", "load_demo_workshop"]

TITLE = "Regional workshop: gaps and good practices against trafficking (demo data)"
PLACES = (
    "Albania",
    "Bosnia and Herzegovina",
    "Croatia",
    "Kosovo*",
    "Montenegro",
    "North Macedonia",
    "Serbia",
)
AGENCIES = ("Police", "Prosecution", "Labour inspectorate", "Social services", "NGO shelter")
GIVEN = ("Ana", "Besa", "Dario", "Elma", "Filip", "Goran", "Hana", "Ilir", "Jelena", "Kemal")
FAMILY = ("Demo", "Example", "Sample")

# Per theme (in actions' order): gaps, then good practices; each card's cluster by number.
CARDS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("Awareness campaigns", "Labour recruitment"),
        (
            "Campaigns reach cities, not villages",
            "No budget line for prevention in schools",
            "Online job ads are not checked",
            "Recruitment agencies are not licensed",
            "Campaign materials only in one language",
            "Online job adverts go unchecked",
        ),
        (
            "Peer educators in secondary schools",
            "Hotline number printed on bus tickets",
            "Joint inspections of recruitment agencies",
            "Roma mediators in awareness sessions",
            "Campaigns co-designed with survivors",
            "A register of licensed agencies online",
        ),
    ),
    (
        ("Evidence beyond testimony", "Sentencing"),
        (
            "Cases rest on the victim's statement alone",
            "Financial investigations rarely opened",
            "Sentences vary widely between courts",
            "Few prosecutors specialised in trafficking",
            "Digital evidence lost before requests arrive",
            "Cases depend only on victim testimony",
        ),
        (
            "Parallel financial investigation as routine",
            "Specialised prosecutor in each district",
            "Sentencing guidelines discussed in judges' training",
            "Video-recorded statements used in court",
            "Quick preservation requests to providers",
            "Case law digest shared yearly",
        ),
    ),
    (
        ("Joint investigation teams", "Information exchange"),
        (
            "JIT set-up takes months",
            "No contact list of counterparts",
            "Requests wait for translation",
            "Liaison officers too few",
            "Police data exchange needs paper requests",
            "Setting up a JIT takes months",
        ),
        (
            "JIT model agreement agreed in advance",
            "Regional contact points meet twice a year",
            "Secure channel for police information",
            "Joint training of prosecutors across borders",
            "Funding for JIT meetings from the regional programme",
            "Bilateral protocol on urgent requests",
        ),
    ),
    (
        ("Identification and referral", "Long-term support"),
        (
            "Victims identified only through criminal cases",
            "Shelters lack interpreters",
            "Support ends when the case ends",
            "Referral roles unclear between agencies",
            "No reflection period in practice",
            "Interpreters missing in shelters",
        ),
        (
            "National referral mechanism with named focal points",
            "Mobile teams for identification",
            "Reintegration grants for small businesses",
            "Psychological support before testimony",
            "Indicators card for first-line officers",
            "Case manager follows each victim for a year",
        ),
    ),
    (
        ("Screening at borders", "Children on the move"),
        (
            "Screening for trafficking rarely done at borders",
            "Unaccompanied children leave reception centres",
            "Guardians appointed late",
            "Smuggling and trafficking confused in records",
            "No interpreters at reception",
            "Children vanish from reception centres",
        ),
        (
            "Joint screening by police and social workers",
            "Child-friendly information leaflets",
            "Guardian appointed within 24 hours",
            "Cultural mediators at reception centres",
            "Training on telling smuggling from trafficking",
            "Cross-border tracing of missing children",
        ),
    ),
)
REPEATED = (2, 0, 0, 1, 1)  # which gap of each theme the sixth repeats
# (theme position, text, institution, country, priority, timeframe)
RECOMMENDATIONS = (
    (
        0,
        "Fund prevention in schools in every national action plan",
        "Ministries of Education",
        "",
        "high",
        "medium",
    ),
    (
        1,
        "Open a financial investigation in every trafficking case",
        "Public Prosecutor's Offices",
        "",
        "high",
        "short",
    ),
    (
        2,
        "Adopt a regional JIT model agreement and contact list",
        "Ministries of Justice",
        "",
        "high",
        "short",
    ),
    (
        3,
        "Fund interpreters and long-term support in shelters",
        "Ministry of Social Policy",
        "Montenegro",
        "medium",
        "medium",
    ),
    (
        4,
        "Appoint guardians for unaccompanied children within 24 hours",
        "Centres for Social Work",
        "Serbia",
        "high",
        "short",
    ),
)


def load_demo_workshop(facilitator: User) -> Workshop:
    """The finished demo workshop of `facilitator` (made once)."""
    found = Workshop.objects.filter(title=TITLE, facilitator=facilitator).first()
    if found is not None:
        return found
    rng = random.Random(12)
    with transaction.atomic():
        workshop = actions.create_workshop(
            facilitator,
            title=TITLE,
            starts_on=dt.date(2026, 3, 17),
            ends_on=dt.date(2026, 3, 18),
            place="Ohrid",
        )
        people = _participants(workshop)
        coordination = _coordination(facilitator)
        for theme, (titles, gaps, practices) in zip(workshop.themes.all(), CARDS, strict=True):
            _board(theme, titles, gaps, practices, people, rng)
        for position, text, institution, country, priority, timeframe in RECOMMENDATIONS:
            theme = workshop.themes.get(position=position)
            actions.draft_recommendation(
                theme,
                text=text,
                institution=institution,
                country=country,
                priority=priority,
                timeframe=timeframe,
                clusters=list(theme.clusters.order_by("pk")[:1]),
                coordination=coordination,
                due_on=dt.date(2027, 3, 31),
                key=f"demo-workshop-{workshop.pk}-{position}",
                by=facilitator,
            )
        return workshop


def _participants(workshop: Workshop) -> list[Participant]:
    people = []
    for i in range(30):
        people.append(
            actions.join(
                workshop,
                name=f"{GIVEN[i % len(GIVEN)]} {FAMILY[i // len(GIVEN)]}",
                country=PLACES[i % len(PLACES)],
                agency=AGENCIES[i % len(AGENCIES)],
                language="en",
            )
        )
    return people


def _coordination(facilitator: User) -> Coordination | None:
    """The demo coordination, when the facilitator may record its measures for all countries."""
    coordination = Coordination.objects.filter(title=COORDINATION).first()
    if coordination is None:
        return None
    return coordination if access.tracks_measures(facilitator, coordination) else None


def _board(
    theme: Theme,
    titles: tuple[str, ...],
    gaps: tuple[str, ...],
    practices: tuple[str, ...],
    people: list[Participant],
    rng: random.Random,
) -> None:
    cards = [
        actions.post_card(
            people[(theme.position * 12 + i) % len(people)],
            theme,
            kind=kind,
            text=text,
            language="en",
        )
        for i, (kind, text) in enumerate(
            [*(("gap", t) for t in gaps), *(("practice", t) for t in practices)]
        )
    ]
    # The sixth gap of each theme repeats an earlier one in other words: merged.
    duplicate, original = cards[5], cards[REPEATED[theme.position]]
    actions.merge_cards(duplicate, original)
    kept = [card for card in cards if card is not duplicate]
    halves = (kept[0::2], kept[1::2])
    clusters = [
        actions.cluster_cards(theme, title, half)
        for title, half in zip(titles, halves, strict=True)
    ]
    actions.set_voting(theme, True)
    votes = [
        Vote(participant=person, cluster=rng.choice(clusters))
        for person in people
        for _ in range(theme.workshop.votes_per_theme)
    ]
    Vote.objects.bulk_create(votes)
    actions.set_voting(theme, False)
    assert Card.objects.filter(theme=theme).count() == 12

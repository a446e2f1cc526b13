"""The demo's JIT legislation assessment: thirteen criteria written by us from the
international standards (cited by instrument and article, no text copied) and a fictional
assessment of the region's seven places. Every provision, rating and recommendation is
invented: the matrix is flagged `demo`, and its pages say "demo data".

It belongs to the demo coordination (demo.cooperation.TITLE), so its recommendations join
that coordination's measures. Safe to run again: an assessed cell is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction

from caseroom.cooperation.models import Coordination, Membership
from caseroom.legislation import actions
from caseroom.legislation.models import COUNTRIES, Assessment, Criterion, Matrix, Rating

from .cooperation import TITLE as COORDINATION_TITLE

__all__ = ["CRITERIA", "MATRIX_TITLE", "load_demo_legislation"]

MATRIX_TITLE = "JIT legislation assessment (demo)"
S = Criterion.Source
# (code, question, source, article). The questions are ours; check the articles against the
# instruments' official texts before using them outside the demo.
CRITERIA = (
    (
        "JIT-01",
        "May the authorities agree with other states to set up joint investigative bodies?",
        S.UNTOC,
        "Art. 19",
    ),
    (
        "JIT-02",
        "Can a joint investigation be agreed case by case where no treaty provides for one?",
        S.UNTOC,
        "Art. 19",
    ),
    (
        "JIT-03",
        "Is a JIT set up by a written agreement for a stated purpose and a limited period?",
        S.FD_2002_465,
        "Art. 1(1)",
    ),
    (
        "JIT-04",
        "Does the law name the authority that may request, sign and extend a JIT agreement?",
        S.FD_2002_465,
        "Art. 1(1)-(2)",
    ),
    (
        "JIT-05",
        "Is the team led by an official of the state where it operates, under that state's law?",
        S.FD_2002_465,
        "Art. 1(3)",
    ),
    (
        "JIT-06",
        "May seconded foreign members be present when investigative measures are taken?",
        S.FD_2002_465,
        "Art. 1(5)",
    ),
    (
        "JIT-07",
        "May the team leader entrust seconded members with investigative measures?",
        S.FD_2002_465,
        "Art. 1(6)",
    ),
    (
        "JIT-08",
        "Can a seconded member have measures taken at home without a separate MLA request?",
        S.FD_2002_465,
        "Art. 1(7)",
    ),
    (
        "JIT-09",
        "Does the law say for which purposes information gathered by the team may be used?",
        S.FD_2002_465,
        "Art. 1(10)",
    ),
    (
        "JIT-10",
        "Are the criminal and civil liability of seconded officials settled?",
        S.FD_2002_465,
        "Arts. 2-3",
    ),
    (
        "JIT-11",
        "May persons other than national officials (e.g. Eurojust, Europol) take part?",
        S.EU_MLA_2000,
        "Art. 13(12)",
    ),
    (
        "JIT-12",
        "Do the same JIT rules apply with Council of Europe states outside the EU?",
        S.ETS_182,
        "Art. 20",
    ),
    (
        "JIT-13",
        "Can police set up joint teams with neighbours under the regional police convention?",
        S.PCC_SEE,
        "Art. 27",
    ),
)
# Each place's chance of a provision fully in line (invented; Croatia applies the EU acquis).
LEVELS = {"AL": 0.5, "BA": 0.35, "HR": 0.85, "ME": 0.55, "MK": 0.6, "RS": 0.55, "XK": 0.3}
ASSESSED_ON = dt.date(2027, 3, 15)
REVISED_ON = dt.date(2027, 9, 20)
RECOMMEND = {
    Rating.PARTLY: "Amend the provision so that it covers the criterion in full (fictional).",
    Rating.NOT: "Revise the provision to bring it in line with the standard (fictional).",
    Rating.NO_PROVISION: "Adopt a provision in the law on mutual legal assistance (fictional).",
    Rating.UNKNOWN: "Ask the ministry of justice for the applicable provision (fictional).",
}


def _rating(rng: random.Random, level: float) -> Rating:
    draw = rng.random()
    if draw < level:
        return Rating.IN_LINE
    if draw < level + (1 - level) * 0.5:
        return Rating.PARTLY
    if draw < level + (1 - level) * 0.75:
        return Rating.NOT
    if draw < level + (1 - level) * 0.93:
        return Rating.NO_PROVISION
    return Rating.UNKNOWN


def _values(number: int, rating: Rating) -> dict[str, str]:
    if rating in (Rating.NO_PROVISION, Rating.UNKNOWN):
        ref, summary = "", ""
    else:
        law = "Law on International Legal Assistance in Criminal Matters"
        ref = f"{law}, Art. {40 + number} (fictional)"
        summary = "Demo data: an invented summary of an invented provision."
    return {
        "provision_ref": ref,
        "provision_summary": summary,
        "rating": rating.value,
        "evidence": "Demo data: desk review of the (fictional) consolidated text.",
        "recommendation": RECOMMEND.get(rating, ""),
    }


def load_demo_legislation(coordinator: User) -> Matrix:
    """The demo matrix of the demo coordination, `coordinator` its assessor (see the module)."""
    with transaction.atomic():
        coordination, _made = Coordination.objects.get_or_create(title=COORDINATION_TITLE)
        Membership.objects.get_or_create(
            user=coordinator, coordination=coordination,
            defaults={"role": Membership.Role.COORDINATOR},
        )  # fmt: skip
        matrix = actions.create_matrix(coordination, MATRIX_TITLE, demo=True)
        if not matrix.demo:
            matrix.demo = True
            matrix.save(update_fields=["demo"])
        criteria = [
            actions.add_criterion(
                matrix,
                code=code,
                question=question,
                source=source,
                article=article,
                position=number,
            )  # fmt: skip
            for number, (code, question, source, article) in enumerate(CRITERIA, 1)
        ]
        done = set(
            Assessment.objects.filter(criterion__matrix=matrix).values_list(
                "criterion_id", "country"
            )
        )
        rng = random.Random(2027)
        for number, criterion in enumerate(criteria, 1):
            for country, _name in COUNTRIES:
                rating = _rating(rng, LEVELS[country])
                if (criterion.pk, country) in done:
                    continue
                _assess(criterion, country, number, rating, coordinator)
        return matrix


def _assess(criterion: Criterion, country: str, number: int, rating: Rating, by: User) -> None:
    """One cell; a partly-in-line cell of JIT-04 was first read as not in line (a history to
    show), and every no-provision cell's recommendation became a measure."""
    first = Rating.NOT if criterion.code == "JIT-04" and rating == Rating.PARTLY else rating
    cell, _ = actions.assess(criterion, country, _values(number, first), by=by, today=ASSESSED_ON)
    if first != rating:
        cell, _ = actions.assess(
            criterion, country, _values(number, rating), by=by, today=REVISED_ON
        )
    if rating == Rating.NO_PROVISION:
        actions.make_measure(
            cell, institution="Ministry of Justice",
            responsible="Head of the international legal assistance department",
            due_on=dt.date(2028, 6, 30), by=by,
        )  # fmt: skip

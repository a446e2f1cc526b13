"""Pairs of registry rows that are likely one person entered twice, for a manager to decide.

A pair is suggested when the two rows have
  - the same `match_key` (names equal without case, accents or script), or
  - the same family name and a similar given name (difflib ratio ≥ 0.85: "Jovana"/"Jovanka",
    "Aleksandar"/"Aleksander") with the same agency or the same country, or
  - the same e-mail address or phone number,
unless a manager already said they are different people (`NotTheSamePerson`).

50,000 people are 1.25 billion pairs, so rows are never compared pairwise: they are grouped
first (blocking) by match_key, by family name with country and with agency, by e-mail and by
phone, and compared only within a group. Within a family-name block, distinct given names are
compared rather than rows, and each comparison is cached (a registry has far fewer distinct
given names than rows). A name shared by more than `COMMON_NAME` rows pairs only rows that
also share country and agency, while those are few: "Marko Petrović" twenty times is not
twenty suggestions each. A block with more than `WINDOW_FROM` distinct given names is sorted
and each compared with its `WINDOW` neighbours (the sorted-neighbourhood method). An e-mail
or phone shared by more than `SHARED_CONTACT` rows (an office's address) says nothing about
identity and is skipped. The time on 50,000 generated people is measured by
tests/programmes/test_people_lookalikes.py (about 4 s on a laptop, most of it the query and
the name keys: see that test).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

from caseroom.programmes.models import NotTheSamePerson, Person, Programme

from .names import email_key, phone_key, plain

__all__ = ["Reason", "Suggestion", "find", "suggestions"]

SIMILAR = 0.85
WINDOW_FROM = 200
WINDOW = 30
SHARED_CONTACT = 10
COMMON_NAME = 10


class Reason(enum.Enum):
    SAME_NAME = "same_name"
    SIMILAR_NAME = "similar_name"
    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"


@dataclass(frozen=True)
class Row:
    """What the comparison needs of a person (loaded with one `values_list`)."""

    pk: int
    given: str
    family: str
    agency: str
    country: str
    key: str
    email: str
    phone: str


@dataclass(frozen=True)
class Suggestion:
    first: int  # the lower record number
    second: int
    reasons: frozenset[Reason]

    @property
    def rank(self) -> tuple[int, int, int, int]:
        # Most reasons first; a same name before a merely similar one; older rows first.
        return (-len(self.reasons), Reason.SAME_NAME not in self.reasons, self.first, self.second)


def suggestions(programme: Programme) -> list[Suggestion]:
    """The programme's look-alike pairs, best first (two queries)."""
    fields = ("pk", "given_name", "family_name", "agency", "country", "match_key", "email", "phone")
    rows = [
        Row(
            pk=pk,
            given=plain(given),
            family=plain(family),
            agency=plain(agency),
            country=country,
            key=key,
            email=email_key(email),
            phone=phone_key(phone),
        )
        for pk, given, family, agency, country, key, email, phone in Person.objects.filter(
            programme=programme
        ).values_list(*fields)
    ]
    decided = set(
        NotTheSamePerson.objects.filter(first__programme=programme).values_list("first", "second")
    )
    return find(rows, decided)


def find(rows: Sequence[Row], decided: Iterable[tuple[int, int]] = ()) -> list[Suggestion]:
    """Look-alike pairs among `rows`, leaving out the `decided` (lower, higher) pairs."""
    found: dict[tuple[int, int], set[Reason]] = defaultdict(set)

    def add(a: Row, b: Row, reason: Reason) -> None:
        found[(a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)].add(reason)

    for group in _groups(rows, lambda r: r.key):
        if len(group) > COMMON_NAME:
            # "Marko Petrović" twenty times: the name alone says little, so only rows that
            # also share country and agency are paired, and only while they are few.
            parts = _groups(group, lambda r: (r.country, r.agency))
            group_pairs = [
                pair for part in parts if len(part) <= COMMON_NAME for pair in combinations(part, 2)
            ]
        else:
            group_pairs = list(combinations(group, 2))
        for a, b in group_pairs:
            add(a, b, Reason.SAME_NAME)
    blocks: list[Callable[[Row], tuple[str, str]]] = [
        lambda r: (r.family, r.country),
        lambda r: (r.family, r.agency),
    ]
    for block in blocks:
        for group in _groups(rows, block):
            for a, b in _similar_pairs(group):
                add(a, b, Reason.SIMILAR_NAME)
    contacts: list[tuple[Callable[[Row], str], Reason]] = [
        (lambda r: r.email, Reason.SAME_EMAIL),
        (lambda r: r.phone, Reason.SAME_PHONE),
    ]
    for contact, reason in contacts:
        for group in _groups(rows, contact):
            if len(group) <= SHARED_CONTACT:
                for a, b in combinations(group, 2):
                    add(a, b, reason)
    skip = set(decided)
    return sorted(
        (
            Suggestion(a, b, frozenset(reasons))
            for (a, b), reasons in found.items()
            if (a, b) not in skip
        ),
        key=lambda s: s.rank,
    )


def _groups(rows: Iterable[Row], key: Callable[[Row], str | tuple[str, str]]) -> list[list[Row]]:
    """Rows sharing a key with no empty part, in groups of two or more."""
    groups: dict[str | tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if all(value) if isinstance(value, tuple) else value:
            groups[value].append(row)
    return [group for group in groups.values() if len(group) > 1]


def _similar_pairs(group: list[Row]) -> Iterable[tuple[Row, Row]]:
    """Rows of a block whose given names differ but are similar. Names are compared, not
    rows: a block of 300 people has a few dozen distinct given names."""
    by_given: dict[str, list[Row]] = defaultdict(list)
    for row in group:
        by_given[row.given].append(row)
    names = sorted(by_given)
    if len(names) <= WINDOW_FROM:
        name_pairs: Iterable[tuple[str, str]] = combinations(names, 2)
    else:
        name_pairs = (
            (names[i], names[j])
            for i in range(len(names))
            for j in range(i + 1, min(i + 1 + WINDOW, len(names)))
        )
    for a, b in name_pairs:
        if _similar(a, b):
            yield from ((x, y) for x in by_given[a] for y in by_given[b])


@lru_cache(maxsize=200_000)
def _similar(a: str, b: str) -> bool:
    """difflib's ratio ≥ SIMILAR. Cached: a registry has far fewer distinct given names than
    rows (the same "Marko"/"Marija" pair comes up in every block), which took 50,000 people
    from 2 million SequenceMatcher runs to a few thousand."""
    if 2 * min(len(a), len(b)) < SIMILAR * (len(a) + len(b)):
        return False  # difflib's real_quick_ratio, without building a matcher
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR

"""The learning results of a session, a module or a whole programme, from one builder.

Scores are compared as shares of each test's maximum (Hake's g is a ratio of shares; a pre-
and post-test of different lengths then still compare). Both class figures are given and
labelled, as results/gain.py explains: Hake's class gain from the class means, and the mean
of the individual gains. Every breakdown of people goes through `disclosure.count_list`
with the programme's `min_cell`; a group's mean gain is shown only where its count is (so a
hidden group's mean cannot be worked out from the others and the total either). Without
Can.SEE_PEOPLE, fewer than `min_cell` tested people show no score at all, and no names.
A fixed number of queries whatever the number of sessions (tests count them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caseroom.surveys.models import QuestionnaireVersion, Response
from caseroom.surveys.results import summarise

from ..disclosure import CountTable, count_list
from ..models import COUNTRIES, FollowUpRound, Person, Programme, Purpose, Session, SessionRound
from ..results.gain import GroupGain, group_gain
from .gains import PersonGain, gains_of_sessions
from .teams import TeamResult, team_results

__all__ = [
    "GroupBreakdown",
    "GroupLine",
    "LearningResults",
    "PersonLine",
    "QuestionLine",
    "QuestionnaireResults",
    "Scores",
    "learning_results",
]


@dataclass(frozen=True)
class Scores:
    tested_pre: int
    tested_post: int
    tested_both: int
    mean_pre: float | None  # share of the maximum, over everyone who took the pre-test
    mean_post: float | None  # ... the post-test
    matched: GroupGain  # the people with both tests: Hake's class gain and the mean of theirs
    reached: int  # people whose own gain reaches their module's threshold
    thresholds: tuple[float, ...]
    hidden: bool  # too few people tested to show scores to a reader who sees no names

    @property
    def share_reached(self) -> float | None:
        with_gain = self.matched.with_gain
        return self.reached / with_gain if with_gain else None


@dataclass(frozen=True)
class GroupLine:
    label: str
    people: int | None  # tested before and after; None: suppressed
    mean_gain: float | None  # mean individual gain; None when hidden or none to compute


@dataclass(frozen=True)
class GroupBreakdown:
    key: str
    title: str
    lines: tuple[GroupLine, ...]
    total: int
    withheld: bool
    hidden: int  # lines whose count (and so mean) is suppressed


@dataclass(frozen=True)
class QuestionLine:
    label: str
    answered: int
    mean: float | None  # of a 1-5 scale or a number
    choices: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class QuestionnaireResults:
    title: str
    rounds: int
    responses: int
    questions: tuple[QuestionLine, ...]


@dataclass(frozen=True)
class PersonLine:
    person_id: int
    name: str
    agency: str
    country: str
    session: str
    pre: str  # "4/10" or ""
    post: str
    gain: float | None
    reached: bool | None
    teams: tuple[TeamResult, ...]


@dataclass(frozen=True)
class LearningResults:
    min_cell: int
    scores: Scores
    distribution: GroupBreakdown
    breakdowns: tuple[GroupBreakdown, ...]
    evaluation: tuple[QuestionnaireResults, ...]
    follow_up: tuple[QuestionnaireResults, ...]
    teams: tuple[TeamResult, ...]
    people: tuple[PersonLine, ...]  # empty unless the reader may see people and they are listed
    with_people: bool
    # A module's or the programme's page does not list every tested person (28,667 rows and
    # 7 MB for the benchmark's programme): each session's page does.
    people_listed: bool = True


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _scores(rows: Sequence[PersonGain], min_cell: int, with_people: bool) -> Scores:
    pre = [s for r in rows if (s := r.pre_share) is not None]
    post = [s for r in rows if (s := r.post_share) is not None]
    pairs = [(r.pre_share or 0.0, r.post_share or 0.0) for r in rows if r.both]
    return Scores(
        tested_pre=len(pre),
        tested_post=len(post),
        tested_both=len(pairs),
        mean_pre=_mean(pre),
        mean_post=_mean(post),
        matched=group_gain(pairs, 1.0),
        reached=sum(1 for r in rows if r.reached),
        thresholds=tuple(sorted({r.threshold for r in rows if r.both})),
        hidden=not with_people and 0 < max(len(pre), len(post)) < min_cell,
    )


def _breakdown(
    key: str,
    title: str,
    rows: Sequence[PersonGain],
    group: Callable[[PersonGain], str],
    labels: dict[str, str],
    min_cell: int,
) -> GroupBreakdown:
    both = [r for r in rows if r.both]
    gains: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for row in both:
        counts[group(row)] += 1
        if (g := row.gain) is not None:
            gains[group(row)].append(g)
    keys = sorted(counts, key=lambda k: (labels.get(k, k) or "~").casefold())
    table: CountTable = count_list(
        counts, [labels.get(k, k) or _("Not said") for k in keys], min_cell=min_cell, keys=keys
    )
    lines = tuple(
        GroupLine(
            label=label,
            people=cell[0],
            # Shown only beside a shown count (≥ min_cell): hidden counts come at least in
            # pairs, so hidden means do too and the total's mean cannot single one out.
            mean_gain=_mean(gains[k]) if cell[0] is not None and cell[0] >= min_cell else None,
        )
        for k, label, cell in zip(keys, table.rows, table.cells, strict=True)
    )
    return GroupBreakdown(key, title, lines, table.total, table.withheld, table.hidden)


# Hake's classes of a normalised gain; a learner with the full pre-test score has none.
_CLASSES = ("negative", "low", "medium", "high", "none")


def _gain_class(row: PersonGain) -> str:
    g = row.gain
    if g is None:
        return "none"
    return "negative" if g < 0 else "low" if g < 0.3 else "medium" if g < 0.7 else "high"


def _distribution(rows: Sequence[PersonGain], min_cell: int) -> GroupBreakdown:
    labels = {
        "negative": _("lower after than before (g < 0)"),
        "low": _("low (0 ≤ g < 0.3)"),
        "medium": _("medium (0.3 ≤ g < 0.7)"),
        "high": _("high (g ≥ 0.7)"),
        "none": _("full score before: no room to gain"),
    }
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.both:
            counts[_gain_class(row)] += 1
    keys = [k for k in _CLASSES if counts[k]]
    table = count_list(counts, [labels[k] for k in keys], min_cell=min_cell, keys=keys)
    lines = tuple(
        GroupLine(label, cell[0], None) for label, cell in zip(table.rows, table.cells, strict=True)
    )
    return GroupBreakdown(
        "gain-distribution",
        _("People by gain"),
        lines,
        table.total,
        table.withheld,
        table.hidden,
    )


def _questionnaires(version_rounds: dict[int, list[int]]) -> tuple[QuestionnaireResults, ...]:
    """One summary per questionnaire version over its rounds: two queries and one per version."""
    if not version_rounds:
        return ()
    versions = QuestionnaireVersion.objects.select_related("questionnaire").defer("source")
    found = []
    for version in versions.filter(pk__in=version_rounds).order_by("pk"):
        rounds = version_rounds[version.pk]
        summary = summarise(version, Response.objects.filter(round_id__in=rounds))
        found.append(
            QuestionnaireResults(
                title=version.questionnaire.title,
                rounds=len(rounds),
                responses=summary.responses,
                questions=tuple(
                    QuestionLine(
                        label=q.label,
                        answered=q.answered,
                        mean=q.numbers.mean if q.numbers else None,
                        choices=tuple((c.label, c.count) for c in q.choices),
                    )
                    for q in summary.questions
                    if q.type != "text"  # comments could name someone: not on this page
                ),
            )
        )
    return tuple(found)


def _by_version(pairs: QuerySet[SessionRound] | QuerySet[FollowUpRound]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for round_id, version_id in pairs.values_list("round_id", "round__version_id"):
        grouped[version_id].append(round_id)
    return dict(grouped)


def _people(
    rows: Sequence[PersonGain],
    sessions: dict[int, str],
    teams: dict[int, tuple[TeamResult, ...]],
    countries: dict[str, str],
) -> tuple[PersonLine, ...]:
    # `countries`: each name translated once, not once a row (28,000 rows: half a second).
    return tuple(
        PersonLine(
            person_id=r.person_id,
            name=f"{r.given_name} {r.family_name}",
            agency=r.agency,
            country=countries.get(r.country, r.country),
            session=sessions.get(r.session_id, ""),
            pre=f"{r.pre}/{r.pre_max}" if r.pre is not None else "",
            post=f"{r.post}/{r.post_max}" if r.post is not None else "",
            gain=r.gain,
            reached=r.reached,
            teams=teams.get(r.person_id, ()),
        )
        for r in rows
    )


def learning_results(
    programme: Programme,
    sessions: QuerySet[Session],
    *,
    follow_ups: QuerySet[FollowUpRound] | None = None,
    with_people: bool,
    list_people: bool = True,
) -> LearningResults:
    """The results over `sessions` (one session, a module's, the programme's), with the
    follow-up rounds given (a module's or the programme's; none for a session); each
    tested person's line only when `list_people` (a session's page) and the reader may."""
    min_cell = programme.min_cell
    rows = gains_of_sessions(sessions)
    sexes = {str(k): str(v) for k, v in Person.Sex.choices}
    countries = {k: str(v) for k, v in COUNTRIES}
    evaluation_rounds = SessionRound.objects.filter(
        session__in=sessions.values("pk"), purpose=Purpose.EVALUATION
    )
    teams = team_results(sessions)
    listed = with_people and list_people
    titles = dict(sessions.values_list("pk", "title")) if listed else {}
    return LearningResults(
        min_cell=min_cell,
        scores=_scores(rows, min_cell, with_people),
        distribution=_distribution(rows, min_cell),
        breakdowns=(
            _breakdown("by-sex", _("By sex"), rows, lambda r: r.sex, sexes, min_cell),
            _breakdown("by-agency", _("By agency"), rows, lambda r: r.agency, {}, min_cell),
            _breakdown(
                "by-country", _("By country"), rows, lambda r: r.country, countries, min_cell
            ),
        ),
        evaluation=_questionnaires(_by_version(evaluation_rounds)),
        follow_up=_questionnaires(_by_version(follow_ups)) if follow_ups is not None else (),
        teams=teams.teams,
        people=_people(rows, titles, dict(teams.by_person), countries) if listed else (),
        with_people=with_people,
        people_listed=list_people,
    )

"""The needs assessment's results page: topics by self-rated competence, and by group.

`build_results(assessment)` returns one frozen `NeedsResults` for the page and the exports.
Two passes over the responses (surveys.results: `summarise` for everyone and the questions,
`summarise_by` once over every combination of the grouping questions, summed per dimension
here) and two queries for the findings and their modules, whatever the number of responses,
topics or groups.

What is shown about a group: how many responded goes through `disclosure.count_list` with
the programme's `min_cell`; a group's mean is shown only when its count is shown, is at least
`min_cell`, and the topic has at least `min_cell` ratings in it. Where that hides exactly one
group of a topic's line, the next smallest is hidden too: otherwise the overall mean and the
other groups' means would give the hidden one away by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseroom.surveys.models import Response
from caseroom.surveys.registry import form_of
from caseroom.surveys.results import summarise, summarise_by
from caseroom.xlsform import Form

from ..disclosure import CountTable, count_list
from ..models import Finding, NeedsAssessment
from .questions import QuestionSummary, question_summaries
from .ratings import RatingQuestion, Tally, rating_questions, tally_topics

__all__ = ["Breakdown", "Group", "Link", "NeedsResults", "Rating", "TopicResult", "build_results"]

NO_ANSWER = ""


@dataclass(frozen=True)
class Rating:
    """A mean self-rating and the share of low ratings; both None where hidden."""

    mean: float | None
    low_share: float | None

    @property
    def shown(self) -> bool:
        return self.mean is not None


HIDDEN = Rating(None, None)


@dataclass(frozen=True)
class Link:
    pk: int
    label: str


@dataclass(frozen=True)
class TopicResult:
    topic: str
    rank: int  # 1 is the most needed (lowest competence); hidden means come last
    ratings: int
    overall: Rating
    findings: tuple[Link, ...]  # written for this topic (Finding.topic, case-insensitive)
    modules: tuple[Link, ...]  # the modules that answer those findings


@dataclass(frozen=True)
class Group:
    key: str  # the choice name ("" for respondents who did not answer)
    label: str
    respondents: int | None  # None: suppressed


@dataclass(frozen=True)
class BreakdownRow:
    topic: str
    ratings: tuple[Rating, ...]  # one per group, in the groups' order


@dataclass(frozen=True)
class Breakdown:
    role: str  # "audience", "agency", "country"
    title: str
    question: str
    groups: tuple[Group, ...]
    table: CountTable  # respondents per group, small cells suppressed
    rows: tuple[BreakdownRow, ...]  # topics in priority order


@dataclass(frozen=True)
class NeedsResults:
    responses: int
    min_cell: int
    topics: tuple[TopicResult, ...]  # priority order
    breakdowns: tuple[Breakdown, ...]
    questions: tuple[QuestionSummary, ...]

    @property
    def too_few(self) -> bool:
        return self.responses < self.min_cell


_TITLES = {
    "audience": gettext_lazy("By audience"),
    "agency": gettext_lazy("By agency"),
    "country": gettext_lazy("By country"),
}


def build_results(assessment: NeedsAssessment, *, language: str = "") -> NeedsResults:
    """Everything the results page and its exports show (4 queries; none without a round)."""
    version, min_cell = assessment.version, assessment.programme.min_cell
    form = form_of(version)
    responses = (
        Response.objects.filter(round_id=assessment.round_id)
        if assessment.round_id is not None
        else Response.objects.none()
    )
    summary = summarise(version, responses, language=language)
    topics = rating_questions(form, summary)
    overall = tally_topics(summary, topics)
    ranked = sorted(
        topics,
        key=lambda t: (overall[t].mean is None or overall[t].ratings < min_cell, overall[t].mean),
    )
    links = _links(assessment)
    topic_results = tuple(
        TopicResult(
            topic=topic,
            rank=rank,
            ratings=overall[topic].ratings,
            overall=_rating(overall[topic], min_cell),
            findings=links.get(topic.casefold(), ((), ()))[0],
            modules=links.get(topic.casefold(), ((), ()))[1],
        )
        for rank, topic in enumerate(ranked, start=1)
    )
    breakdowns = _breakdowns(assessment, form, responses, topics, ranked, min_cell, language)
    return NeedsResults(
        responses=summary.responses,
        min_cell=min_cell,
        topics=topic_results,
        breakdowns=breakdowns,
        questions=question_summaries(summary, min_cell),
    )


def _rating(tally: Tally, min_cell: int) -> Rating:
    if tally.ratings < min_cell:
        return HIDDEN
    return Rating(tally.mean, tally.low_share)


def _links(assessment: NeedsAssessment) -> dict[str, tuple[tuple[Link, ...], tuple[Link, ...]]]:
    """Topic (case-folded) → (its findings, the modules answering them): 2 queries."""
    found: dict[str, tuple[list[Link], dict[int, tuple[int, Link]]]] = {}
    rows = Finding.objects.filter(programme_id=assessment.programme_id).prefetch_related("modules")
    for finding in rows.order_by("topic", "pk"):
        findings, modules = found.setdefault(finding.topic.strip().casefold(), ([], {}))
        findings.append(Link(finding.pk, finding.topic))
        for module in finding.modules.all():
            modules[module.pk] = (module.number, Link(module.pk, str(module)))
    return {
        topic: (tuple(findings), tuple(link for _n, link in sorted(modules.values(), key=_first)))
        for topic, (findings, modules) in found.items()
    }


def _first(pair: tuple[int, Link]) -> int:
    return pair[0]


def _breakdowns(
    assessment: NeedsAssessment,
    form: Form,
    responses: QuerySet[Response],
    topics: dict[str, tuple[RatingQuestion, ...]],
    ranked: Sequence[str],
    min_cell: int,
    language: str,
) -> tuple[Breakdown, ...]:
    roles = assessment.breakdowns
    if not roles:
        return ()
    names = [name for _role, name in roles]
    # One pass over every combination; each dimension's groups are sums over the others.
    combos = summarise_by(assessment.version, responses, names, language=language)
    built = []
    for index, (role, name) in enumerate(roles):
        sizes: dict[str, int] = {}
        labels: dict[str, str] = {}
        tallies: dict[str, dict[str, Tally]] = {}
        for combo in combos:
            key = combo.key[index]
            sizes[key] = sizes.get(key, 0) + combo.summary.responses
            labels[key] = combo.labels[index] or _("No answer")
            _add(tallies.setdefault(key, {}), tally_topics(combo.summary, topics))
        keys = _ordered(form, name, sizes)
        table = count_list(sizes, [labels[k] for k in keys], keys=keys, min_cell=min_cell)
        groups = tuple(Group(k, labels[k], table.cells[i][0]) for i, k in enumerate(keys))
        rows = tuple(
            BreakdownRow(
                topic, _line(groups, [tallies[k].get(topic, Tally()) for k in keys], min_cell)
            )
            for topic in ranked
        )
        built.append(Breakdown(role, str(_TITLES[role]), name, groups, table, rows))
    return tuple(built)


def _add(into: dict[str, Tally], more: dict[str, Tally]) -> None:
    for topic, tally in more.items():
        into.setdefault(topic, Tally()).add(tally)


def _ordered(form: Form, name: str, sizes: dict[str, int]) -> list[str]:
    """Groups with respondents, in the choice list's order; "no answer" last."""
    order = [c.name for c in form.choices_of(form.question(name))]
    known = [k for k in order if sizes.get(k)]
    other = sorted(k for k in sizes if k not in set(order) and k != NO_ANSWER and sizes[k])
    last = [NO_ANSWER] if sizes.get(NO_ANSWER) else []
    return known + other + last


def _line(groups: Sequence[Group], tallies: Sequence[Tally], min_cell: int) -> tuple[Rating, ...]:
    """The ratings of one topic across a dimension's groups, protected against subtraction."""
    shown = [
        g.respondents is not None and g.respondents >= min_cell and t.ratings >= min_cell
        for g, t in zip(groups, tallies, strict=True)
    ]
    rated = [i for i, t in enumerate(tallies) if t.ratings]
    hidden = [i for i in rated if not shown[i]]
    if len(hidden) == 1:
        # One hidden mean is the overall sum minus the shown ones: hide the next smallest.
        candidates = [i for i in rated if shown[i]]
        if candidates:
            shown[min(candidates, key=lambda i: (tallies[i].ratings, i))] = False
    return tuple(Rating(t.mean, t.low_share) if shown[i] else HIDDEN for i, t in enumerate(tallies))

"""Every write of a workshop: creating it, joining, posting cards, merging and clustering,
voting, drafting recommendations (which become cooperation measures through
`cooperation.actions.record_measure`, so measure tracking has one home).

Each write is one transaction; a write to a board locks its theme row, raises the theme's
version and nudges the board's phones after the commit. A refused write raises
`Refused(message, code=...)` with the words to show, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import override

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Coordination, Measure
from caseroom.lib import codes

from . import live
from .models import (
    CARD_CHARS,
    CODE_LENGTH,
    DEFAULT_THEMES,
    Card,
    Cluster,
    Participant,
    Recommendation,
    Theme,
    Vote,
    Workshop,
)

__all__ = [
    "Refused",
    "cluster_cards",
    "create_workshop",
    "delete_cluster",
    "draft_recommendation",
    "edit_recommendation",
    "join",
    "move_card",
    "remove_card",
    "unmerge_card",
    "withdraw_recommendation",
    "rename_theme",
    "add_theme",
    "merge_cards",
    "post_card",
    "set_voting",
    "vote",
]


class Refused(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def create_workshop(
    facilitator: User,
    *,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    themes: Iterable[object] = DEFAULT_THEMES,  # strings or lazy translations
    votes_per_theme: int = 3,
) -> Workshop:
    if ends_on < starts_on:
        raise Refused(_("The last day comes before the first."), code="dates")
    with override("en"):  # stored in English, shown in the reader's language ({% translate %})
        names = list(dict.fromkeys(str(name) for name in themes))
    with transaction.atomic():
        code = codes.new_code(CODE_LENGTH)
        while Workshop.objects.filter(code=code).exists():  # 31^8 codes: a clash is rare
            code = codes.new_code(CODE_LENGTH)
        workshop = Workshop.objects.create(
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place,
            code=code,
            facilitator=facilitator,
            votes_per_theme=votes_per_theme,
        )
        Theme.objects.bulk_create(
            Theme(workshop=workshop, title=name, position=i) for i, name in enumerate(names)
        )
        return workshop


def _theme_title(title: str) -> str:
    title = title.strip()[:120]
    if not title:
        raise Refused(_("Give the theme a title."), code="no_title")
    return title


def add_theme(workshop: Workshop, title: str) -> Theme:
    """A further theme at the end of the workshop's list."""
    title = _theme_title(title)
    with transaction.atomic():
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        if workshop.themes.filter(title=title).exists():
            raise Refused(_("The workshop has a theme of that title."), code="taken")
        last = workshop.themes.order_by("-position").values_list("position", flat=True).first()
        return Theme.objects.create(workshop=workshop, title=title, position=(last or 0) + 1)


def rename_theme(theme: Theme, title: str) -> Theme:
    title = _theme_title(title)
    with transaction.atomic():
        locked = _bump(theme.pk)
        if (
            Theme.objects.filter(workshop_id=locked.workshop_id, title=title)
            .exclude(pk=theme.pk)
            .exists()
        ):
            raise Refused(_("The workshop has a theme of that title."), code="taken")
        locked.title = title
        locked.save(update_fields=["title"])
        return locked


def join(
    workshop: Workshop, *, name: str, country: str, agency: str, language: str = ""
) -> Participant:
    return Participant.objects.create(
        workshop=workshop, name=name, country=country, agency=agency, language=language
    )


def _bump(theme_id: int) -> Theme:
    """Lock the theme, raise its version, nudge its board after the commit."""
    Theme.objects.filter(pk=theme_id).update(version=F("version") + 1, stamp=secrets.token_hex(8))
    theme = Theme.objects.select_for_update().get(pk=theme_id)
    live.after_commit(theme.pk, theme.version)
    return theme


def post_card(
    participant: Participant,
    theme: Theme,
    *,
    kind: str,
    text: str,
    language: str = "",
    key: str | None = None,
) -> Card:
    """A card on the theme's board; a repeated `key` (a double tap) returns the stored one."""
    text = text.strip()
    if theme.workshop_id != participant.workshop_id:
        raise Refused(_("That board belongs to another workshop."), code="foreign_theme")
    if not text:
        raise Refused(_("Write something on the card first."), code="empty")
    if len(text) > CARD_CHARS:
        raise Refused(
            _("A card holds at most %(n)d characters; this one has %(m)d.")
            % {"n": CARD_CHARS, "m": len(text)},
            code="too_long",
        )
    if kind not in Card.Kind.values:
        raise Refused(_("Choose a gap or a good practice."), code="kind")
    key = key or None
    with transaction.atomic():
        if key is not None:
            found = Card.objects.filter(author=participant, key=key).first()
            if found is not None:
                return found
        _bump(theme.pk)
        try:
            with transaction.atomic():
                return Card.objects.create(
                    theme=theme,
                    kind=kind,
                    text=text,
                    author=participant,
                    language=language[:10],
                    key=key,
                )
        except IntegrityError:
            raced = Card.objects.filter(author=participant, key=key).first()
            if key is None or raced is None:
                raise
            return raced


def merge_cards(duplicate: Card, into: Card) -> Card:
    """Marks `duplicate` as a copy of `into` (and the duplicate's own copies with it)."""
    if duplicate.pk == into.pk:
        raise Refused(_("A card cannot be merged into itself."), code="self")
    if duplicate.theme_id != into.theme_id:
        raise Refused(_("Only cards of the same theme can be merged."), code="other_theme")
    with transaction.atomic():
        _bump(into.theme_id)
        target = into.merged_into_id or into.pk  # keep one level: merge into the original
        if target == duplicate.pk:
            raise Refused(_("That card is already merged into this one."), code="cycle")
        Card.objects.filter(merged_into=duplicate).update(merged_into_id=target)
        Card.objects.filter(pk=duplicate.pk).update(merged_into_id=target, cluster=None)
        duplicate.refresh_from_db()
        return duplicate


def unmerge_card(duplicate: Card) -> Card:
    """Undoes a merge: the card stands on its own again (outside any cluster)."""
    with transaction.atomic():
        _bump(duplicate.theme_id)
        Card.objects.filter(pk=duplicate.pk).update(merged_into=None)
        duplicate.refresh_from_db()
        return duplicate


def move_card(card: Card, cluster: Cluster | None) -> Card:
    """Puts a card in another cluster of its theme, or out of every cluster (None)."""
    if cluster is not None and cluster.theme_id != card.theme_id:
        raise Refused(_("Only cards of this theme can be clustered here."), code="other_theme")
    if card.merged_into_id is not None:
        raise Refused(_("That card is merged into another; unmerge it first."), code="merged")
    with transaction.atomic():
        _bump(card.theme_id)
        Card.objects.filter(pk=card.pk).update(cluster=cluster)
        card.refresh_from_db()
        return card


def remove_card(card: Card) -> None:
    """Takes a card off the board (personal data posted by mistake, an off-topic post); its
    duplicates stand on their own again (merged_into is SET_NULL)."""
    with transaction.atomic():
        _bump(card.theme_id)
        Card.objects.filter(pk=card.pk).delete()


def delete_cluster(cluster: Cluster) -> None:
    """A cluster nobody voted for; its cards go back to the unclustered ones."""
    with transaction.atomic():
        _bump(cluster.theme_id)
        if Vote.objects.filter(cluster=cluster).exists():
            raise Refused(
                _("Votes were cast on this cluster: it stays, so that no vote is lost."),
                code="voted",
            )
        Card.objects.filter(cluster=cluster).update(cluster=None)
        Cluster.objects.filter(pk=cluster.pk).delete()


def cluster_cards(theme: Theme, title: str, cards: Sequence[Card]) -> Cluster:
    """Puts the cards in the theme's cluster of that title (made if new)."""
    title = title.strip()
    if not title:
        raise Refused(_("Give the cluster a title."), code="no_title")
    if any(card.theme_id != theme.pk for card in cards):
        raise Refused(_("Only cards of this theme can be clustered here."), code="other_theme")
    with transaction.atomic():
        _bump(theme.pk)
        cluster, _made = Cluster.objects.get_or_create(theme=theme, title=title[:200])
        Card.objects.filter(pk__in=[card.pk for card in cards]).update(cluster=cluster)
        return cluster


def set_voting(theme: Theme, open_: bool) -> Theme:
    with transaction.atomic():
        locked = _bump(theme.pk)
        locked.voting_open = open_
        locked.save(update_fields=["voting_open"])
        return locked


def vote(participant: Participant, cluster: Cluster, *, key: str | None = None) -> Vote:
    """One dot on the cluster, while the theme's voting is open and the participant has dots
    left for the theme (counted under a lock on the participant, so two taps at once cannot
    both take the last one)."""
    key = key or None
    with transaction.atomic():
        theme = Theme.objects.select_related("workshop").get(pk=cluster.theme_id)
        if theme.workshop_id != participant.workshop_id:
            raise Refused(_("That board belongs to another workshop."), code="foreign_theme")
        Participant.objects.select_for_update().get(pk=participant.pk)
        if key is not None:
            found = Vote.objects.filter(participant=participant, key=key).first()
            if found is not None:
                return found
        if not theme.voting_open:
            raise Refused(_("Voting on this theme is not open."), code="closed")
        used = Vote.objects.filter(participant=participant, cluster__theme=theme).count()
        if used >= theme.workshop.votes_per_theme:
            raise Refused(
                _("You have used all %(n)d of your votes on this theme.")
                % {"n": theme.workshop.votes_per_theme},
                code="no_votes_left",
            )
        _bump(theme.pk)
        return Vote.objects.create(participant=participant, cluster=cluster, key=key)


def draft_recommendation(
    theme: Theme,
    *,
    text: str,
    institution: str,
    country: str,
    priority: str,
    timeframe: str,
    clusters: Sequence[Cluster],
    coordination: Coordination | None,
    due_on: dt.date,
    citation: str = "",
    key: str | None = None,
    by: User | None = None,
) -> Recommendation:
    """A recommendation and its measure in the coordination's tracking (none without a
    coordination), in one transaction; a repeated `key` returns the recommendation already
    drafted."""
    text = text.strip()
    if not text:
        raise Refused(_("Write the recommendation first."), code="empty")
    if any(cluster.theme_id != theme.pk for cluster in clusters):
        raise Refused(_("Only clusters of this theme can be drafted here."), code="other_theme")
    key = key or None
    with transaction.atomic():
        if key is not None:
            found = Recommendation.objects.filter(key=key).first()
            if found is not None:
                return found
        workshop = Workshop.objects.get(pk=theme.workshop_id)
        measure = (
            None
            if coordination is None
            else cooperation.record_measure(
                coordination,
                what=text,
                # The measure's country is a questionnaire's country code and its section a
                # questionnaire section; a workshop addresses a country by name, so it goes
                # with the institution and the library citation stays on the recommendation.
                institution=f"{institution} ({country})" if country else institution,
                responsible=institution,
                due_on=due_on,
                origin_label=f"Workshop: {workshop.title}",
                key=f"workshop-{key}" if key else None,
                by=by,
            )
        )
        recommendation = Recommendation.objects.create(
            theme=theme,
            text=text,
            institution=institution,
            country=country,
            priority=priority,
            timeframe=timeframe,
            citation=citation,
            measure=measure,
            key=key,
        )
        recommendation.clusters.set(clusters)
        _bump(theme.pk)
        return recommendation


def edit_recommendation(
    recommendation: Recommendation,
    *,
    text: str,
    institution: str,
    country: str,
    priority: str,
    timeframe: str,
    clusters: Sequence[Cluster],
    citation: str = "",
) -> tuple[Recommendation, bool]:
    """Changes a drafted recommendation; its measure follows while it is still only planned.
    Returns the recommendation and whether the measure was changed too (a measure under way
    or done keeps its wording: its tracking is reported on, and the coordinator edits it)."""
    text = text.strip()
    if not text:
        raise Refused(_("Write the recommendation first."), code="empty")
    if any(cluster.theme_id != recommendation.theme_id for cluster in clusters):
        raise Refused(_("Only clusters of this theme can be drafted here."), code="other_theme")
    with transaction.atomic():
        _bump(recommendation.theme_id)
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        locked.text, locked.institution, locked.country = text, institution, country
        locked.priority, locked.timeframe, locked.citation = priority, timeframe, citation
        locked.save(
            update_fields=["text", "institution", "country", "priority", "timeframe", "citation"]
        )
        locked.clusters.set(clusters)
        measure = (
            Measure.objects.select_for_update().filter(pk=locked.measure_id).first()
            if locked.measure_id
            else None
        )
        followed = measure is not None and measure.status == Measure.Status.PLANNED
        if measure is not None and followed:
            cooperation.update_measure(
                measure,
                what=text,
                institution=f"{institution} ({country})" if country else institution,
                responsible=institution,
            )
        return locked, followed


def withdraw_recommendation(recommendation: Recommendation, *, by: User | None = None) -> bool:
    """Deletes a recommendation. Its measure is kept for the record: marked dropped while it
    was only planned (returns True), left as it is once under way or done (returns False)."""
    with transaction.atomic():
        _bump(recommendation.theme_id)
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        measure = (
            Measure.objects.select_for_update().filter(pk=locked.measure_id).first()
            if locked.measure_id
            else None
        )
        dropped = measure is not None and measure.status == Measure.Status.PLANNED
        if measure is not None and dropped:
            who = f" ({by.get_username()})" if by is not None else ""
            cooperation.update_measure(
                measure,
                status=Measure.Status.DROPPED,
                evidence=(f"{measure.evidence}\n" if measure.evidence else "")
                + f"Recommendation withdrawn at the workshop{who}.",
            )
        locked.delete()
        return dropped

"""The board of one theme as pages show it: cards (duplicates folded under their original),
clusters with their votes, and what a participant has left to vote with."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from .models import Card, Cluster, Participant, Theme, Vote


@dataclass(frozen=True)
class ClusterLine:
    cluster: Cluster
    votes: int
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Board:
    theme: Theme
    gaps: tuple[Card, ...]
    practices: tuple[Card, ...]
    unclustered: tuple[Card, ...]
    clusters: tuple[ClusterLine, ...]  # most votes first
    merged: tuple[Card, ...]  # duplicates, each pointing at its original (merged_into)
    votes_left: int | None  # for a participant; None for the facilitator

    @property
    def duplicates(self) -> int:
        return len(self.merged)


def board_of(theme: Theme, participant: Participant | None = None) -> Board:
    cards = list(Card.objects.filter(theme=theme).select_related("author"))
    originals = [card for card in cards if card.merged_into_id is None]
    clusters = list(
        Cluster.objects.filter(theme=theme).annotate(n=Count("votes")).order_by("-n", "pk")
    )
    lines = tuple(
        ClusterLine(
            cluster,
            getattr(cluster, "n", 0),
            tuple(card for card in originals if card.cluster_id == cluster.pk),
        )
        for cluster in clusters
    )
    left = None
    if participant is not None:
        used = Vote.objects.filter(participant=participant, cluster__theme=theme).count()
        left = max(0, theme.workshop.votes_per_theme - used)
    return Board(
        theme=theme,
        gaps=tuple(card for card in originals if card.kind == Card.Kind.GAP),
        practices=tuple(card for card in originals if card.kind == Card.Kind.PRACTICE),
        unclustered=tuple(card for card in originals if card.cluster_id is None),
        clusters=lines,
        merged=tuple(card for card in cards if card.merged_into_id is not None),
        votes_left=left,
    )

"""The board of one theme as pages show it: cards (duplicates folded under their original),
clusters with their votes, and what a participant has left to vote with."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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

    @property
    def duplicates(self) -> int:
        return len(self.merged)


def board_of(theme: Theme) -> Board:
    cards = list(Card.objects.filter(theme=theme))
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
    return Board(
        theme=theme,
        gaps=tuple(card for card in originals if card.kind == Card.Kind.GAP),
        practices=tuple(card for card in originals if card.kind == Card.Kind.PRACTICE),
        unclustered=tuple(card for card in originals if card.cluster_id is None),
        clusters=lines,
        merged=tuple(card for card in cards if card.merged_into_id is not None),
    )


# The shared part of a phone's board (shared_html): cached per theme version and language, so
# a burst of posts costs one render per version however many phones ask for it.
# Not guessable, so a card's text cannot ask for the reader's token; the same in every worker
# (they share the cache).
_CSRF_SENTINEL = (
    "csrf-" + hashlib.sha256(f"workshop-board:{settings.SECRET_KEY}".encode()).hexdigest()[:24]
)
_VOTE_FORMS = re.compile(r"<!--vote-->.*?<!--/vote-->", re.DOTALL)
CACHE_SECONDS = 600


def shared_html(theme: Theme) -> str:
    """The board as every phone sees it at the theme's version, in the active language."""
    key = f"workshop-board:{theme.pk}:{theme.version}:{theme.stamp}:{get_language() or ''}"
    found = cache.get(key)
    if isinstance(found, str):
        return found
    html = render_to_string(
        "workshops/board/_shared.html",
        {"theme": theme, "board": board_of(theme), "csrf_sentinel": _CSRF_SENTINEL},
    )
    cache.set(key, html, CACHE_SECONDS)
    return html


def personal_html(shared: str, csrf_token: str, votes_left: int) -> SafeString:
    """One phone's copy: its CSRF token in the vote forms, none of them without votes left."""
    html = shared if votes_left > 0 else _VOTE_FORMS.sub("", shared)
    return mark_safe(html.replace(_CSRF_SENTINEL, csrf_token))  # noqa: S308 (our own render)


# The pushed copies of one version travel to every phone in one channel-layer message; a board
# larger than this goes out as a bare nudge and phones fetch it as before.
MAX_PUSH_CHARS = 400_000


@dataclass(frozen=True)
class Pushed:
    """The board as the socket carries it to phones (see live.ChannelPublisher)."""

    version: int
    voting: bool  # a phone whose page shows another voting state fetches its part instead
    html: dict[str, str]  # language → the shared board, with no token in its vote forms


def pushed(theme_id: int) -> Pushed | None:
    """The theme's board at its current version in each language its participants read.

    The token placeholder is emptied rather than sent: app.js sets each phone's own token in
    the vote forms by name, so the placeholder never leaves the server (a card quoting it
    would otherwise be filled with the reader's token)."""
    theme = Theme.objects.select_related("workshop").filter(pk=theme_id).first()
    if theme is None:
        return None
    supported = {code for code, _name in settings.LANGUAGES}
    read = Participant.objects.filter(workshop_id=theme.workshop_id).values_list(
        "language", flat=True
    )
    languages = {lang for lang in read.distinct() if lang in supported}
    html: dict[str, str] = {}
    total = 0
    for language in sorted(languages | {settings.LANGUAGE_CODE}):
        with translation.override(language):
            text = shared_html(theme).replace(_CSRF_SENTINEL, "")
        total += len(text)
        if total > MAX_PUSH_CHARS:
            break
        html[language] = text
    return Pushed(theme.version, theme.voting_open, html)


def votes_left(theme: Theme, participant: Participant) -> int:
    used = Vote.objects.filter(participant=participant, cluster__theme=theme).count()
    return max(0, theme.workshop.votes_per_theme - used)

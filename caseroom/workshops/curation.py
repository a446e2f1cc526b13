"""The facilitator's curation of a theme's board: merging duplicates (and undoing it),
grouping cards into clusters, moving a card between clusters, taking a card off the board,
removing a cluster nobody voted for. Every view posts, then returns to the console."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions
from .access import Can
from .board import board_of
from .forms import ClusterForm, MergeForm, MoveForm
from .models import Card, Theme


def board_context(theme: Theme) -> dict[str, Any]:
    """What the console's board part shows and its forms offer."""
    board = board_of(theme)
    originals = [*board.gaps, *board.practices]
    clusters = [line.cluster for line in board.clusters]
    return {
        "board": board,
        "merge": MergeForm(
            card_choices=[(card.pk, f"#{card.pk} {card.text[:80]}") for card in originals]
        ),
        "cluster": ClusterForm(
            card_choices=[(card.pk, card.text[:80]) for card in board.unclustered]
        ),
        "move_choices": [(c.pk, c.title) for c in clusters],
    }


def _refused(request: HttpRequest, refused: actions.Refused) -> None:
    messages.error(request, refused.message)


@access.needs(Can.FACILITATE)
@require_POST
def merge(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    ids = list(Card.objects.filter(theme=theme).values_list("pk", flat=True))
    form = MergeForm(request.POST, card_choices=[(pk, str(pk)) for pk in ids])
    if not form.is_valid():
        messages.error(request, _("Choose two cards of this theme."))
        return redirect("workshops:console", theme.pk)
    found = {card.pk: card for card in access.cards_of(theme, list(form.cleaned_data.values()))}
    try:
        actions.merge_cards(found[form.cleaned_data["duplicate"]], found[form.cleaned_data["into"]])
    except actions.Refused as refused:
        _refused(request, refused)
    return redirect("workshops:console", theme.pk)


@access.needs(Can.FACILITATE)
@require_POST
def unmerge(request: HttpRequest, card_id: int) -> HttpResponse:
    card = access.card_for(request, card_id)
    actions.unmerge_card(card)
    messages.success(request, _("The card stands on its own again."))
    return redirect("workshops:console", card.theme_id)


@access.needs(Can.FACILITATE)
@require_POST
def cluster(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    ids = list(Card.objects.filter(theme=theme).values_list("pk", flat=True))
    form = ClusterForm(request.POST, card_choices=[(pk, str(pk)) for pk in ids])
    if form.is_valid():
        cards = access.cards_of(theme, form.cleaned_data["cards"])
        try:
            actions.cluster_cards(theme, form.cleaned_data["title"], cards)
        except actions.Refused as refused:
            _refused(request, refused)
    else:
        messages.error(request, _("Give the cluster a title and choose its cards."))
    return redirect("workshops:console", theme.pk)


@access.needs(Can.FACILITATE)
@require_POST
def move(request: HttpRequest, card_id: int) -> HttpResponse:
    card = access.card_for(request, card_id)
    form = MoveForm(request.POST, theme_id=card.theme_id)
    if not form.is_valid():
        messages.error(request, _("Choose a cluster of this theme, or none."))
        return redirect("workshops:console", card.theme_id)
    try:
        actions.move_card(card, form.cleaned_data["cluster"])
    except actions.Refused as refused:
        _refused(request, refused)
    return redirect("workshops:console", card.theme_id)


@access.needs(Can.FACILITATE)
@require_POST
def remove(request: HttpRequest, card_id: int) -> HttpResponse:
    card = access.card_for(request, card_id)
    actions.remove_card(card)
    messages.success(request, _("The card is off the board."))
    return redirect("workshops:console", card.theme_id)


@access.needs(Can.FACILITATE)
@require_POST
def delete_cluster(request: HttpRequest, cluster_id: int) -> HttpResponse:
    found = access.cluster_for(request, cluster_id)
    try:
        actions.delete_cluster(found)
    except actions.Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("The cluster is removed; its cards are unclustered."))
    return redirect("workshops:console", found.theme_id)

"""Personal links: invitations made in bulk by the round's owner, withdrawn one by one.

`invite` is what a using app (cooperation) calls: it gets each invitation with its raw token,
which exists nowhere else afterwards (only its hash is stored), so the app shows or exports
the links at once (`links_csv`, through lib/tables like every table). A link opens the form
bound to its invitation (`/answer/i/<token>/`): one response per invitation, its country and
agency taken from the invitation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.lib.tables import write_csv

from .actions import Refused
from .models import Invitation, Round
from .tokens import new_invitation_token, token_hash

__all__ = [
    "MAX_INVITATIONS",
    "InvitationRow",
    "Status",
    "invite",
    "links_csv",
    "revoke",
    "status_of",
]

MAX_INVITATIONS = 5000  # at one call: a round of 20,000 respondents is made in four
LABEL_CHARS = 200
CODE_CHARS = 64  # a country or agency is a choice name of the form (limits.MAX_NAME_CHARS)

InvitationRow = tuple[str, str, str]  # (label, country, agency)


def _checked(rows: Sequence[InvitationRow]) -> list[InvitationRow]:
    if len(rows) > MAX_INVITATIONS:
        raise Refused(
            _("At most %(count)s invitations at once.") % {"count": f"{MAX_INVITATIONS:,}"},
            code="too_many",
        )
    found = []
    for number, (label, country, agency) in enumerate(rows, start=1):
        label, country, agency = label.strip(), country.strip(), agency.strip()
        if not label or len(label) > LABEL_CHARS:
            message = _("Row %(row)s: a label of 1 to %(count)s characters is needed.")
            raise Refused(message % {"row": number, "count": LABEL_CHARS}, code="bad_row")
        if len(country) > CODE_CHARS or len(agency) > CODE_CHARS:
            message = _(
                "Row %(row)s: a country or agency is a code of at most %(count)s characters."
            )
            raise Refused(message % {"row": number, "count": CODE_CHARS}, code="bad_row")
        found.append((label, country, agency))
    return found


def invite(round_: Round, rows: Sequence[InvitationRow]) -> list[tuple[Invitation, str]]:
    """One invitation per (label, country, agency), with its raw token: show or export it
    now, it is not stored. All or none are made (Refused names the first bad row)."""
    checked = _checked(rows)
    made = [(new_invitation_token(), row) for row in checked]
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            Invitation(
                round=round_,
                token_hash=token_hash(token),
                label=label,
                country=country,
                agency=agency,
            )
            for token, (label, country, agency) in made
        )
    return [
        (invitation, token) for invitation, (token, _row) in zip(invitations, made, strict=True)
    ]


def revoke(invitation: Invitation) -> None:
    """The link stops working; a response already sent stays. Revoking twice keeps the
    first time."""
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            invitation.refresh_from_db(fields=["revoked_at"])
        else:
            invitation.revoked_at = Invitation.objects.values_list("revoked_at", flat=True).get(
                pk=invitation.pk
            )


@dataclass(frozen=True)
class Status:
    code: str  # not_started | draft | submitted | revoked
    label: str


def status_of(invitation: Invitation) -> Status:
    """Where an invitation stands (load with select_related("response") for a list)."""
    response = getattr(invitation, "response", None) if _has_response(invitation) else None
    if response is not None and response.submitted_at is not None:
        return Status("submitted", _("answers sent"))
    if invitation.revoked_at is not None:
        return Status("revoked", _("withdrawn"))
    if response is not None:
        return Status("draft", _("started"))
    return Status("not_started", _("not started"))


def _has_response(invitation: Invitation) -> bool:
    try:
        invitation.response  # noqa: B018 - the reverse one-to-one raises when there is none
    except Invitation.response.RelatedObjectDoesNotExist:
        return False
    return True


def links_csv(made: Iterable[tuple[Invitation, str]], link_for: Callable[[str], str]) -> str:
    """The links of invitations just made as CSV (label, country, agency, link);
    `link_for(token)` builds the absolute URL, e.g. from
    request.build_absolute_uri(reverse("surveys:invitation", args=[token]))."""
    rows = (
        {
            "label": invitation.label,
            "country": invitation.country,
            "agency": invitation.agency,
            "link": link_for(token),
        }
        for invitation, token in made
    )
    return write_csv(rows, ["label", "country", "agency", "link"])

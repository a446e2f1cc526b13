"""The setup pages' `<thing>_for(request, pk, need)`: one query for the row, then access's rule.

Findings, indicators and meetings hang off a programme; each is loaded with its programme in
one query and checked through `access.role_in`/`access.may` (the rule itself is written once
in `access.ALLOWED`): a stranger gets 404, a member whose role lacks `need` 403. They would sit
well in `programmes/access.py` beside `module_for` once the lead takes them there.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Finding, Indicator, Meeting


def _check(request: HttpRequest, programme_id: int, need: Can) -> None:
    role = access.role_in(request.user, programme_id)
    if role is None:
        raise Http404
    if not access.may(role, need):
        raise PermissionDenied


def indicator_for(request: HttpRequest, indicator_id: int, need: Can = Can.READ) -> Indicator:
    indicator = (
        Indicator.objects.select_related("output__outcome__programme")
        .filter(pk=indicator_id)
        .first()
    )
    if indicator is None:
        raise Http404
    _check(request, indicator.output.outcome.programme_id, need)
    return indicator


def finding_for(request: HttpRequest, finding_id: int, need: Can = Can.READ) -> Finding:
    finding = Finding.objects.select_related("programme").filter(pk=finding_id).first()
    if finding is None:
        raise Http404
    _check(request, finding.programme_id, need)
    return finding


def meeting_for(request: HttpRequest, meeting_id: int, need: Can = Can.READ) -> Meeting:
    meeting = Meeting.objects.select_related("programme").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    _check(request, meeting.programme_id, need)
    return meeting

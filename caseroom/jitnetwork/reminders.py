"""The yearly reminder: a confirmed expert whose profile was last confirmed over a year ago
is asked, once a year, to check it (`manage.py jitreminders`, run daily by cron)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Expert

YEAR = dt.timedelta(days=365)


def due(now: dt.datetime) -> QuerySet[Expert]:
    """Confirmed experts not reviewed for a year and not reminded in the last year."""
    return Expert.objects.filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - YEAR),
        state=Expert.State.CONFIRMED,
        reviewed_at__lt=now - YEAR,
    ).exclude(email="")


def send(now: dt.datetime, profile_url: str) -> int:
    """Sends each due expert one e-mail and notes it; returns how many were sent."""
    sent = 0
    for expert in due(now):
        send_mail(
            _("Caseroom JIT network: is your profile still current?"),
            _(
                "Once a year we ask network members to check their profile (function, "
                "institution, languages, expertise, contact details). Sign in and save it, "
                "or leave the network, here: %(url)s"
            )
            % {"url": profile_url},
            settings.DEFAULT_FROM_EMAIL,
            [expert.email],
        )
        Expert.objects.filter(pk=expert.pk).update(reminded_at=now)
        sent += 1
    return sent

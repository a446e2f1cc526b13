"""Certificate pages: a session's list, issuing, printing, revoking, and the public check.

The public page (`verify`) answers anyone holding a certificate's QR code. It shows whether
the certificate is valid or revoked, its number, the module's title and the session's dates:
nothing else. In particular it does not show the holder's name. The issue asks for "valid /
revoked, nothing else personal", and a name on a page anyone with the link may open (a photo
of the certificate on social media, a forwarded scan) would tie a person to a training
about trafficking and smuggling, which can endanger officers and NGO staff. The verifier
compares the number on the page with the number on the paper they hold, which already
carries the name. Unknown tokens get the same page with 404 and count as failures for the
throttle, so tokens cannot be tried at speed (they are unguessable anyway: 192 bits).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from caseroom.lib import throttle
from caseroom.lib.pdf import ReportUnavailable

from .. import access
from ..access import Can
from ..counting import has_completed
from ..models import Certificate, Enrolment, Session
from ..pages import render_page
from . import certificate_pdf, certificates
from .forms import RevokeForm

# A verifier checks one certificate, maybe a few; a script trying tokens meets this soon.
VERIFY = throttle.Limit("caseroom.certificate-token", "30/10m")
_LONGEST_TOKEN = 40  # Certificate.token's max_length: anything longer is not a token


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # @access.needs lets only signed-in users through
    return user


def _list_page(
    request: HttpRequest,
    session: Session,
    *,
    revoke_form: RevokeForm | None = None,
    revoking: int | None = None,
) -> HttpResponse:
    module = session.module
    rows = []
    enrolments = (
        Enrolment.objects.filter(session=session, role=Enrolment.Role.PARTICIPANT)
        .select_related("person", "certificate")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    for enrolment in enrolments:
        certificate = getattr(enrolment, "certificate", None)
        done = has_completed(enrolment, days=session.days, rule=module.attendance_rule)
        rows.append((enrolment, done, certificate))
    return render_page(
        request,
        "programmes/results/certificates.html",
        module.programme,
        session=session,
        rows=rows,
        waiting=sum(1 for _e, done, c in rows if done and c is None),
        revoke_form=revoke_form,
        revoking=revoking,
    )


@access.needs(Can.SEE_PEOPLE)
@require_GET
def session_certificates(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_for(request, session_id, Can.SEE_PEOPLE)
    return _list_page(request, session)


@access.needs(Can.DELIVER)
@require_POST
def issue(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_for(request, session_id, Can.DELIVER)
    try:
        done = certificates.issue_for_session(session, by=_user(request))
    except certificates.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(n)s certificate issued.", "%(n)s certificates issued.", done.issued)
            % {"n": done.issued},
        )
    return redirect(reverse("programmes:certificates", args=[session.pk]))


def _pdf(
    request: HttpRequest, found: list[Certificate], identifier: str, back: str
) -> HttpResponse:
    try:
        data = certificate_pdf.render_pdf(
            certificate_pdf.printable(found, request), identifier=identifier
        )
    except ReportUnavailable as error:
        messages.error(request, str(error))
        return redirect(back)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{identifier}.pdf"'
    return response


@access.needs(Can.DELIVER)
@require_GET
def session_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    """Every valid certificate of the session, one page each, in one PDF."""
    session = access.session_for(request, session_id, Can.DELIVER)
    back = reverse("programmes:certificates", args=[session.pk])
    found = list(certificate_pdf.session_certificates(session.pk))
    if not found:
        messages.error(request, _("This session has no valid certificate to print yet."))
        return redirect(back)
    return _pdf(request, found, f"caseroom-certificates-session-{session.pk}", back)


@access.needs(Can.DELIVER)
@require_GET
def certificate_pdf_view(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access.enrolment_for(request, enrolment_id, Can.DELIVER)
    back = reverse("programmes:certificates", args=[enrolment.session_id])
    certificate = getattr(enrolment, "certificate", None)
    if certificate is None or not certificate.valid:
        messages.error(request, _("This participant has no valid certificate."))
        return redirect(back)
    return _pdf(request, [certificate], f"caseroom-certificate-{certificate.number}", back)


@access.needs(Can.MANAGE)
@require_POST
def revoke(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access.enrolment_for(request, enrolment_id, Can.MANAGE)
    certificate = getattr(enrolment, "certificate", None)
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificates.revoke(
                certificate,
                reason=form.cleaned_data["reason"],
                by=_user(request),
            )
        except certificates.Refused as error:
            form.add_error("reason", str(error))
    if form.errors:
        return _list_page(request, enrolment.session, revoke_form=form, revoking=enrolment.pk)
    messages.success(request, _("Certificate %(n)s revoked.") % {"n": certificate.number})
    return redirect(reverse("programmes:certificates", args=[enrolment.session_id]))


@access.public
@require_GET
@throttle.guard(VERIFY)
def verify(request: HttpRequest, token: str) -> HttpResponse:
    certificate = None
    if len(token) <= _LONGEST_TOKEN:
        certificate = (
            Certificate.objects.select_related("enrolment__session__module")
            .filter(token=token)
            .first()
        )
    if certificate is None:
        throttle.count_failure(request, VERIFY)
        page = render(request, "programmes/results/verify.html", {"found": False}, status=404)
    else:
        session = certificate.enrolment.session
        page = render(
            request,
            "programmes/results/verify.html",
            {
                "found": True,
                "valid": certificate.valid,
                "number": certificate.number,
                "module_title": session.module.title,
                "starts_on": session.starts_on,
                "ends_on": session.ends_on,
            },
        )
    # A photographed certificate's link may end up on a public page: keep search engines
    # from listing who trained where.
    page["X-Robots-Tag"] = "noindex, nofollow"
    return page

"""Results: certificates (staff pages and the public check) and the donor report."""

from django.urls import URLPattern, URLResolver, path

from . import certificate_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<int:programme_id>/report/", views.report, name="report"),
    path("programmes/<int:programme_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("programmes/<int:programme_id>/report.docx", views.report_docx, name="report_docx"),
    path("programmes/<int:programme_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("programmes/<int:programme_id>/trace/", views.trace, name="trace"),
    path(
        "programmes/sessions/<int:session_id>/certificates/",
        certificate_views.session_certificates,
        name="certificates",
    ),
    path(
        "programmes/sessions/<int:session_id>/certificates/issue/",
        certificate_views.issue,
        name="issue_certificates",
    ),
    path(
        "programmes/sessions/<int:session_id>/certificates.pdf",
        certificate_views.session_pdf,
        name="session_certificates_pdf",
    ),
    path(
        "programmes/enrolments/<int:enrolment_id>/certificate.pdf",
        certificate_views.certificate_pdf_view,
        name="certificate_pdf",
    ),
    path(
        "programmes/enrolments/<int:enrolment_id>/certificate/revoke/",
        certificate_views.revoke,
        name="revoke_certificate",
    ),
    # Short: it is what the QR code on a printed certificate holds.
    path("verify/<str:token>/", certificate_views.verify, name="verify"),
]

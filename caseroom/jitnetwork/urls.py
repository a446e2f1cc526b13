from django.urls import URLPattern, URLResolver, path

from . import board, views

app_name = "jitnetwork"
urlpatterns: list[URLPattern | URLResolver] = [
    path("network/", views.home, name="home"),
    path("network/enrol/", views.enrol, name="enrol"),
    path("network/enrol/start/", views.enrol_start, name="enrol_start"),
    path("network/verify/", views.verify, name="verify"),
    path("network/directory/", views.search, name="search"),
    path("network/experts/<int:expert_id>/", views.expert, name="expert"),
    path("network/experts/<int:expert_id>/contact/", views.contact, name="contact"),
    path("network/experts/<int:expert_id>/confirm/", views.confirm, name="confirm"),
    path("network/propose/", views.propose, name="propose"),
    path("network/profile/", views.profile, name="profile"),
    path("network/leave/", views.leave, name="leave"),
    path("network/audit/", views.audit, name="audit"),
    path("network/audit.csv", views.audit_csv, name="audit_csv"),
    path("network/audit.xlsx", views.audit_xlsx, name="audit_xlsx"),
    path("network/board/", board.board, name="board"),
    path("network/board/<int:request_id>/", board.request_page, name="request"),
    path("network/board/<int:request_id>/close/", board.close, name="close"),
]

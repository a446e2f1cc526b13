from django.urls import URLPattern, URLResolver, path

from . import console, phone

app_name = "workshops"
urlpatterns: list[URLPattern | URLResolver] = [
    path("workshops/", console.workshops, name="list"),
    path("workshops/<int:workshop_id>/", console.manage, name="manage"),
    path("workshops/<int:workshop_id>/report.pdf", console.report_pdf, name="report_pdf"),
    path("workshops/<int:workshop_id>/report.docx", console.report_docx, name="report_docx"),
    path("workshops/<int:workshop_id>/themes/new/", console.theme_add, name="theme_add"),
    path("workshops/themes/<int:theme_id>/rename/", console.theme_rename, name="theme_rename"),
    path("workshops/themes/<int:theme_id>/console/", console.console, name="console"),
    path("workshops/themes/<int:theme_id>/merge/", console.merge, name="merge"),
    path("workshops/themes/<int:theme_id>/cluster/", console.cluster, name="cluster"),
    path("workshops/themes/<int:theme_id>/voting/", console.voting, name="voting"),
    path("workshops/themes/<int:theme_id>/recommend/", console.recommend, name="recommend"),
    path("workshops/join/", phone.join, name="join"),
    path("workshops/<int:workshop_id>/phone/", phone.home, name="home"),
    path("workshops/themes/<int:theme_id>/", phone.board, name="board"),
    path("workshops/themes/<int:theme_id>/part/", phone.board_part, name="board_part"),
    path("workshops/themes/<int:theme_id>/post/", phone.post, name="post"),
    path("workshops/clusters/<int:cluster_id>/vote/", phone.vote, name="vote"),
]

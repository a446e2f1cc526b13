from django.urls import URLPattern, URLResolver, path

from . import console, curation, phone, recommendations

app_name = "workshops"
urlpatterns: list[URLPattern | URLResolver] = [
    path("workshops/", console.workshops, name="list"),
    path("workshops/<int:workshop_id>/", console.manage, name="manage"),
    path("workshops/<int:workshop_id>/report.pdf", console.report_pdf, name="report_pdf"),
    path("workshops/<int:workshop_id>/report.docx", console.report_docx, name="report_docx"),
    path("workshops/<int:workshop_id>/themes/new/", console.theme_add, name="theme_add"),
    path("workshops/themes/<int:theme_id>/rename/", console.theme_rename, name="theme_rename"),
    path("workshops/themes/<int:theme_id>/console/", console.console, name="console"),
    path(
        "workshops/themes/<int:theme_id>/console/part/", console.console_part, name="console_part"
    ),
    path("workshops/themes/<int:theme_id>/merge/", curation.merge, name="merge"),
    path("workshops/themes/<int:theme_id>/cluster/", curation.cluster, name="cluster"),
    path("workshops/cards/<int:card_id>/unmerge/", curation.unmerge, name="unmerge"),
    path("workshops/cards/<int:card_id>/move/", curation.move, name="move"),
    path("workshops/cards/<int:card_id>/remove/", curation.remove, name="remove"),
    path(
        "workshops/clusters/<int:cluster_id>/delete/",
        curation.delete_cluster,
        name="delete_cluster",
    ),
    path("workshops/themes/<int:theme_id>/voting/", console.voting, name="voting"),
    path("workshops/themes/<int:theme_id>/recommend/", recommendations.recommend, name="recommend"),
    path(
        "workshops/recommendations/<int:recommendation_id>/edit/",
        recommendations.edit,
        name="recommendation_edit",
    ),
    path(
        "workshops/recommendations/<int:recommendation_id>/withdraw/",
        recommendations.withdraw,
        name="recommendation_withdraw",
    ),
    path("workshops/join/", phone.join, name="join"),
    path("workshops/<int:workshop_id>/phone/", phone.home, name="home"),
    path("workshops/themes/<int:theme_id>/", phone.board, name="board"),
    path("workshops/themes/<int:theme_id>/part/", phone.board_part, name="board_part"),
    path("workshops/themes/<int:theme_id>/post/", phone.post, name="post"),
    path("workshops/clusters/<int:cluster_id>/vote/", phone.vote, name="vote"),
]

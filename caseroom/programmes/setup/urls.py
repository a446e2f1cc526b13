"""The programme itself: list, dashboard, logframe, staff, needs findings, working group."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_logframe, views_needs, views_working_group

P = "programmes/<int:programme_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path(P, views.dashboard, name="dashboard"),
    path(P + "edit/", views.edit, name="edit"),
    path(P + "staff/", views.staff, name="staff"),
    path(P + "staff/add/", views.staff_add, name="staff_add"),
    path(P + "staff/role/", views.staff_role, name="staff_role"),
    path(P + "staff/remove/", views.staff_remove, name="staff_remove"),
    # Logframe
    path(P + "logframe/", views_logframe.logframe, name="logframe"),
    path(P + "logframe/outcome/", views_logframe.outcome_save, name="outcome_save"),
    path(P + "logframe/output/", views_logframe.output_save, name="output_save"),
    path(P + "logframe/remove/", views_logframe.logframe_remove, name="logframe_remove"),
    path(P + "logframe/indicators/new/", views_logframe.indicator_add, name="indicator_add"),
    path(
        "programmes/indicators/<int:indicator_id>/",
        views_logframe.indicator_edit,
        name="indicator",
    ),
    path(
        "programmes/indicators/<int:indicator_id>/delete/",
        views_logframe.indicator_delete,
        name="indicator_delete",
    ),
    # Needs findings
    path(P + "needs/", views_needs.needs, name="needs"),
    path(P + "needs/add/", views_needs.finding_add, name="finding_add"),
    path("programmes/findings/<int:finding_id>/", views_needs.finding_edit, name="finding"),
    path(
        "programmes/findings/<int:finding_id>/delete/",
        views_needs.finding_delete,
        name="finding_delete",
    ),
    # Technical working group
    path(P + "working-group/", views_working_group.working_group, name="working_group"),
    path(P + "working-group/members/add/", views_working_group.member_add, name="wg_member_add"),
    path(
        P + "working-group/members/remove/",
        views_working_group.member_remove,
        name="wg_member_remove",
    ),
    path(P + "working-group/meetings/new/", views_working_group.meeting_add, name="meeting_add"),
    path("programmes/meetings/<int:meeting_id>/", views_working_group.meeting, name="meeting"),
    path(
        "programmes/meetings/<int:meeting_id>/edit/",
        views_working_group.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "programmes/meetings/<int:meeting_id>/delete/",
        views_working_group.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "programmes/meetings/<int:meeting_id>/decisions/add/",
        views_working_group.decision_add,
        name="decision_add",
    ),
    path(
        "programmes/meetings/<int:meeting_id>/decisions/remove/",
        views_working_group.decision_remove,
        name="decision_remove",
    ),
    path(
        "programmes/meetings/<int:meeting_id>/actions/add/",
        views_working_group.action_item_add,
        name="action_item_add",
    ),
    path(
        "programmes/meetings/<int:meeting_id>/actions/status/",
        views_working_group.action_item_status,
        name="action_item_status",
    ),
]

"""The people registry: entry, import with a row report, look-alikes, consent, erasure."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_import, views_lookalikes

P = "programmes/<int:programme_id>/"
R = "programmes/people/<int:person_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P + "people/", views.people, name="people"),
    path(P + "people/new/", views.person_add, name="person_add"),
    path(P + "people/import/", views_import.people_import, name="people_import"),
    path(
        P + "people/import/confirm/",
        views_import.people_import_confirm,
        name="people_import_confirm",
    ),
    path(P + "people/look-alikes/", views_lookalikes.lookalikes, name="lookalikes"),
    path(
        P + "people/look-alikes/merge/", views_lookalikes.lookalikes_merge, name="lookalikes_merge"
    ),
    path(
        P + "people/look-alikes/different/",
        views_lookalikes.lookalikes_different,
        name="lookalikes_different",
    ),
    path(P + "communities/", views_lookalikes.communities, name="communities"),
    path(R, views.person, name="person"),
    path(R + "edit/", views.person_edit, name="person_edit"),
    path(R + "consent/", views.person_consent, name="person_consent"),
    path(R + "consent/withdraw/", views.person_withdraw, name="person_withdraw"),
    path(R + "export/", views.person_export, name="person_export"),
    path(R + "erase/", views.person_erase, name="person_erase"),
]

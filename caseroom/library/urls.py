"""The library's pages under /library/: reading (open to anyone for published documents)
and editing (staff). Section URLs are what citations link to: /library/<slug>/s/<key>/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "library"
urlpatterns: list[URLPattern | URLResolver] = [
    path("library/", views.index, name="index"),
    path("library/new/", views.create, name="create"),
    path("library/pack/<slug:audience>/", views.pack, name="pack"),
    path("library/<slug:slug>/", views.document, name="document"),
    path("library/<slug:slug>/s/<str:key>/", views.section, name="section"),
    path("library/<slug:slug>/file/<str:language>/", views.download, name="download"),
    path("library/<slug:slug>/edit/", views.edit, name="edit"),
    path("library/<slug:slug>/version/", views.version, name="version"),
    path("library/<slug:slug>/publish/", views.publish, name="publish"),
]

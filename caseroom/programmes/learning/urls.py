"""Learning results' URLs: staff pages under programmes/, the participants' under t/."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_take

M = "programmes/modules/<int:module_id>/"
S = "programmes/sessions/<int:session_id>/"
# Short: typed from a slide or opened from the room's QR code.
TAKE = "t/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(M + "tests/", views.module_tests, name="module_tests"),
    path(M + "tests/threshold/", views.module_threshold, name="module_threshold"),
    path(M + "tests/follow-up/", views.module_follow_up, name="module_follow_up"),
    path(M + "results/", views.module_results, name="module_results"),
    path(S + "tests/", views.session_tests, name="session_tests"),
    path(S + "results/", views.session_results, name="session_results"),
    path("programmes/<int:programme_id>/results/", views.results, name="results"),
    path("t/", views_take.take, name="take"),
    path(TAKE + "who/", views_take.take_who, name="take_who"),
    path(TAKE, views_take.take_home, name="take_home"),
    path(TAKE + "pre/", views_take.take_test, {"purpose": "pre"}, name="take_pre"),
    path(TAKE + "post/", views_take.take_test, {"purpose": "post"}, name="take_post"),
    path(TAKE + "pre/part/", views_take.take_test_part, {"purpose": "pre"}, name="take_pre_part"),
    path(
        TAKE + "post/part/", views_take.take_test_part, {"purpose": "post"}, name="take_post_part"
    ),
]

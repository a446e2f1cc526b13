"""The programmes app's URLs, one list per part of the work (each part owns its own)."""

from django.urls import URLPattern, URLResolver, include, path

from .delivery import urls as delivery
from .learning import urls as learning
from .needs import urls as needs
from .people import urls as people
from .results import urls as results
from .setup import urls as setup

app_name = "programmes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(setup.urlpatterns)),
    path("", include(people.urlpatterns)),
    path("", include(delivery.urlpatterns)),
    path("", include(needs.urlpatterns)),
    path("", include(results.urlpatterns)),
    path("", include(learning.urlpatterns)),
]

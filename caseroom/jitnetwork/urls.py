from django.urls import URLPattern, URLResolver

app_name = "jitnetwork"
urlpatterns: list[URLPattern | URLResolver] = []

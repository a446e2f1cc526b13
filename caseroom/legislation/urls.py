from django.urls import URLPattern, URLResolver

app_name = "legislation"
urlpatterns: list[URLPattern | URLResolver] = []

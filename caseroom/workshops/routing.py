"""The workshop's WebSocket route; caseroom/asgi.py adds it to the exercises' routes."""

from django.urls import path

from .consumers import ThemeConsumer

websocket_urlpatterns = [
    path("ws/workshop/theme/<int:pk>/", ThemeConsumer.as_asgi()),
]

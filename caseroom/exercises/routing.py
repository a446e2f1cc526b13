from django.urls import path

from .consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/<str:kind>/<int:pk>/", LiveConsumer.as_asgi()),
]

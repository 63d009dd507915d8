"""Websocket routes, gathered from the apps like the URL configuration."""

from django.urls import path

from glimpse.realtime.consumers import EventsConsumer

websocket_urlpatterns = [path("ws/", EventsConsumer.as_asgi())]

"""Web forms of push, under the ``push`` namespace."""

from django.urls import path

from glimpse.push import views

app_name = "push"

urlpatterns = [
    path("push/devices/<int:subscription_id>/delete/", views.device_delete, name="device_delete"),
    path("push/devices/delete/", views.devices_delete_all, name="devices_delete_all"),
]

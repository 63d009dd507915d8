"""Web pages of the media pipeline, under the ``media`` namespace.

The composer lives at ``create/`` and the viewer's unposted uploads at ``uploads/``; the
``media/`` prefix belongs to the uploaded files themselves on the embedded default.
"""

from django.urls import path

from glimpse.media import views

app_name = "media"

urlpatterns = [
    path("create/", views.composer, name="composer"),
    path("uploads/", views.uploads, name="uploads"),
]

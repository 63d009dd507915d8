"""The Celery app. On the embedded default (no broker) every job runs eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("glimpse", task_cls="glimpse.core.jobs:Job")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Federation's jobs live in its packages, not in an app's own tasks module.
app.autodiscover_tasks(
    [
        "glimpse.federation.delivery",
        "glimpse.federation.domain_blocks",
        "glimpse.federation.follows",
        "glimpse.federation.inbox",
        "glimpse.federation.outgoing",
        "glimpse.federation.remote",
        "glimpse.federation.reports",
    ]
)

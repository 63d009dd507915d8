from celery import signals
from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "glimpse.core"
    label = "core"

    def ready(self) -> None:
        """Connect the job receivers of metrics, request ids and logging; register checks."""
        from glimpse.core import logs, metrics, request_id, storage

        signals.before_task_publish.connect(request_id.job_publishing, dispatch_uid="rid-pub")
        signals.task_prerun.connect(request_id.job_started, dispatch_uid="rid-prerun")
        signals.task_postrun.connect(request_id.job_finished, dispatch_uid="rid-postrun")
        signals.task_prerun.connect(metrics.job_started, dispatch_uid="metrics-prerun")
        signals.task_postrun.connect(metrics.job_finished, dispatch_uid="metrics-postrun")
        signals.task_failure.connect(metrics.job_failed, dispatch_uid="metrics-failure")
        signals.setup_logging.connect(logs.keep_settings_logging, dispatch_uid="logs-setup")
        checks.register(metrics.check_allowed_ips)
        checks.register(storage.check_media_url_lifetime)

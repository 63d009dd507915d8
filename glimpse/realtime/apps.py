from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "glimpse.realtime"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Close a session's sockets when it logs out, whichever view logged it out."""
        from django.contrib.auth.signals import user_logged_out

        from glimpse.realtime.events import session_logged_out

        user_logged_out.connect(session_logged_out, dispatch_uid="glimpse.realtime.logout")

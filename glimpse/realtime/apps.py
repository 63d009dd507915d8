from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "glimpse.realtime"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Close sockets whose session logs out, or whose account or token is no longer valid."""
        from django.contrib.auth.signals import user_logged_out

        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.realtime import subscribers
        from glimpse.realtime.sockets import session_logged_out

        user_logged_out.connect(session_logged_out, dispatch_uid="glimpse.realtime.logout")
        subscribe(events.AccountSuspended, subscribers.account_deactivated)
        subscribe(events.AccountBanned, subscribers.account_deactivated)
        subscribe(events.AccountDeactivated, subscribers.account_deactivated)
        subscribe(events.TokensRevoked, subscribers.tokens_revoked)
        subscribe(events.PasswordReset, subscribers.password_reset)

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "glimpse.moderation"
    label = "moderation"

    def ready(self) -> None:
        """Forget the cached moderators whenever a grant of permissions or groups changes."""
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete

        from glimpse.accounts.models import User
        from glimpse.moderation.roles import grants_changed

        for through in (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(
                grants_changed, sender=through, dispatch_uid=f"moderators:{through}"
            )
        for model in (Group, Permission):
            post_delete.connect(grants_changed, sender=model, dispatch_uid=f"mods:{model}")

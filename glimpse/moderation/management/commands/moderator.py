"""Make an account a moderator, or take the role back: ``manage.py moderator ana [--remove]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from glimpse.accounts.models import User
from glimpse.moderation.roles import is_moderator, moderator_grant, moderator_revoke


class Command(BaseCommand):
    help = "Grant an account the moderator role (moderation.moderate), or remove it with --remove."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take a username and an optional --remove."""
        parser.add_argument("username", help="the account's username")
        parser.add_argument(
            "--remove", action="store_true", help="take the role back instead of granting it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Grant or take back the role and say what changed."""
        username = str(options["username"]).strip().lstrip("@").lower()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        if options["remove"]:
            changed = moderator_revoke(user=user)
            said = "is no longer a moderator" if changed else "was not made a moderator here"
            self.stdout.write(self.style.SUCCESS(f"@{username} {said}."))
            if is_moderator(user):
                self.stdout.write(
                    self.style.WARNING(
                        f"@{username} still moderates through a group or as a superuser "
                        "(see the admin, /admin/)."
                    )
                )
            return
        changed = moderator_grant(user=user)
        said = "is now a moderator" if changed else "was already a moderator"
        self.stdout.write(self.style.SUCCESS(f"@{username} {said}: the queue is at /moderation/."))
        if not user.is_active:
            self.stdout.write(
                self.style.WARNING(f"@{username} is not active: the role counts once it is.")
            )

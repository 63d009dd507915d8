"""Load the demo data (safe to run again: what exists is kept)."""

from typing import Any

from django.core.management.base import BaseCommand

from glimpse.accounts.demo import DEMO_MODERATOR, DEMO_PASSWORD, demo_seed
from glimpse.accounts.models import User
from glimpse.demo.messages import demo_messages_seed
from glimpse.demo.stories import demo_stories_seed
from glimpse.moderation.roles import moderator_grant
from glimpse.posts.demo import demo_posts_seed
from glimpse.posts.demo_reels import demo_reels_seed


class Command(BaseCommand):
    help = (
        "Create demo accounts, follows, posts, reels, likes, comments, stories and direct "
        "messages, once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed the demo accounts and say how to log in."""
        created = demo_seed(report=self.stdout.write)
        posts = demo_posts_seed(report=self.stdout.write)
        posts += demo_reels_seed(report=self.stdout.write)
        stories = demo_stories_seed(report=self.stdout.write)
        sent = demo_messages_seed(report=self.stdout.write)
        if moderator_grant(user=User.objects.get(username=DEMO_MODERATOR)):
            self.stdout.write(f"{DEMO_MODERATOR}: made a moderator")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} new accounts, {posts} new posts, "
                f"{stories} new stories, {sent} new messages). "
                f"Log in as ana.lima / {DEMO_PASSWORD} "
                f"(or as the moderator {DEMO_MODERATOR}, same password)"
            )
        )

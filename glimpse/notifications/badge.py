"""The unread count of the navigation's badge, cached per recipient.

Every page shows the badge, so its count is read from the cache (one round trip, no query)
and counted with ``selectors.unread_count`` only when the cache lacks it. It is a versioned
card (``glimpse.core.cards``): a reader that counted just before a change committed cannot
put its old count back. Whatever can change a recipient's visible unread count forgets it
through ``services.unread_counts_forget``: the services' writes (``_publish_count``), and
the subscribers to the events that change what a recipient may see (a block, an ended
follow, a post deleted or archived, an account closed or made public) and moderation hiding
a post or comment. ``GLIMPSE_NOTIFICATIONS_UNREAD_TTL`` bounds anything missed.

The services keep counting fresh (``selectors.unread_count``) for their before and after.
"""

from __future__ import annotations

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.cards import cards_get
from glimpse.notifications import selectors

KEY = "notifications:unread:{}"


def unread_badge(*, viewer: User) -> int:
    """Return how many of the viewer's visible notifications are unread, from the cache."""
    counts = cards_get(
        KEY,
        [viewer.pk],
        lambda ids: {viewer.pk: selectors.unread_count(viewer=viewer)},
        ttl=settings.GLIMPSE_NOTIFICATIONS_UNREAD_TTL,
    )
    return counts[viewer.pk]

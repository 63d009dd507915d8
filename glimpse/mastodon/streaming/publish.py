"""Tell the streams' groups what happened, by ids, once it is committed.

Called by the client API's jobs (``glimpse.mastodon.tasks``), which its subscribers to the
lower apps' events queue. A post reaches its author's ``user`` streams, the ``user`` streams
of its author's followers that have a socket open (those who muted the author left out, as
the feed fan-out leaves them out), and, when its author is public, the public and hashtag
streams. Nothing here decides what a viewer may see: each connection renders the post for
its own viewer through the visibility policy, and skips what it may not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.graph.audience import follower_id_batches, muter_ids
from glimpse.mastodon.streaming.streams import (
    DELETE,
    PUBLIC_GROUP,
    tag_group,
    user_group,
)
from glimpse.posts.models import Post, PostHashtag
from glimpse.realtime.presence import get_presence
from glimpse.realtime.sockets import group_send


def post_tags(*, post_id: int) -> list[str]:
    """Return the names of a post's hashtags."""
    return list(PostHashtag.objects.filter(post_id=post_id).values_list("hashtag__name", flat=True))


def post_reach_before_delete(*, post_id: int) -> tuple[list[str], bool]:
    """Return a post's hashtags and whether its author is public (read before it goes)."""
    public = Post.objects.filter(
        pk=post_id, author__is_private=False, author__is_active=True
    ).exists()
    return post_tags(post_id=post_id), public


def post_streamed(
    *,
    post_id: int,
    author_id: int,
    event: str,
    tags: Iterable[str] | None = None,
    public: bool | None = None,
) -> int:
    """Send a post's event (``update``, ``status.update``, ``delete``) to the groups it
    reaches; return how many groups were sent to.

    ``tags`` and ``public`` are read now unless given (a deleted post's are taken before it
    goes).
    """
    author = User.objects.filter(pk=author_id).only("is_private", "is_active").first()
    if author is None:
        return 0
    if public is None:
        public = author.is_active and not author.is_private
    names = post_tags(post_id=post_id) if tags is None else list(tags)
    groups = [user_group(author_id)]
    muters = muter_ids(author_id) if event != DELETE else set()
    presence = get_presence()
    for batch in follower_id_batches(author_id, settings.GLIMPSE_FEED_FANOUT_BATCH):
        listeners = [pk for pk in batch if pk not in muters]
        groups += [user_group(pk) for pk in presence.present(listeners)]
    if public:
        groups.append(PUBLIC_GROUP)
        groups += sorted({tag_group(name) for name in names})
    for group in groups:
        message: dict[str, Any] = {
            "type": "mastodon.post",
            "group": group,
            "event": event,
            "post_id": post_id,
            "author_id": author_id,
        }
        group_send(group, message)
    return len(groups)


def notification_streamed(*, recipient_id: int, notification_id: int) -> None:
    """Send a new (or bumped) notification to its recipient's ``user`` streams."""
    group = user_group(recipient_id)
    message = {"type": "mastodon.notification", "group": group, "notification_id": notification_id}
    group_send(group, message)

"""Removing reported content for the moderators, through the services of the apps that own
it (the same bookkeeping as its author's own delete), its images blocked from coming back.
"""

from __future__ import annotations

from glimpse.media.blocklist import media_hashes
from glimpse.media.services import media_block_add
from glimpse.messages.models import MessageMedia
from glimpse.messages.services import message_remove_by_moderator
from glimpse.moderation.models import TargetType
from glimpse.moderation.reported import Target
from glimpse.posts.services import comment_remove_by_moderator, post_remove_by_moderator
from glimpse.stories.services import story_remove_by_moderator


def target_remove(*, target: Target, action_id: int) -> bool:
    """Delete a post, comment, story or message and block its images; return whether it was
    there."""
    # Hashed before the removal: the media rows go with the content, the files after commit.
    hashes = media_hashes(media_ids=_media_ids(target))
    if target.type == TargetType.POST:
        removed = post_remove_by_moderator(post_id=target.id)
    elif target.type == TargetType.COMMENT:
        removed = comment_remove_by_moderator(comment_id=target.id)
    elif target.type == TargetType.STORY:
        removed = story_remove_by_moderator(story_id=target.id)
    elif target.type == TargetType.MESSAGE:
        removed = message_remove_by_moderator(message_id=target.id)
    else:
        return False
    if removed:
        source = f"{target.type} {target.id} removed"
        media_block_add(phashes=hashes, source=source, action_id=action_id)
    return removed


def _media_ids(target: Target) -> list[int]:
    """Return the ids of the media items of a post, story or message (none for a comment)."""
    if target.type == TargetType.POST:
        return list(target.obj.items.values_list("media_id", flat=True))
    if target.type == TargetType.STORY:
        return [target.obj.media_id]
    if target.type == TargetType.MESSAGE:
        rows = MessageMedia.objects.filter(message_id=target.id)
        return list(rows.values_list("media_id", flat=True))
    return []

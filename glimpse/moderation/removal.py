"""Removing reported content for the moderators, through the services of the apps that own
it (the same bookkeeping as its author's own delete), and the hashes of its images.
"""

from __future__ import annotations

from glimpse.media.models import MediaItem
from glimpse.moderation.blocklist import stored_hash
from glimpse.moderation.models import TargetType
from glimpse.moderation.reported import Target
from glimpse.posts.services import comment_remove_by_moderator, post_remove_by_moderator
from glimpse.stories.services import story_remove_by_moderator


def target_remove(*, target: Target) -> list[int] | None:
    """Delete a post, comment or story; return its images' hashes (None when it was gone)."""
    # Hashed before the removal: the media rows go with the content, the files after commit.
    hashes = _hashes(_media_ids(target))
    if target.type == TargetType.POST:
        removed = post_remove_by_moderator(post_id=target.id)
    elif target.type == TargetType.COMMENT:
        removed = comment_remove_by_moderator(comment_id=target.id)
    elif target.type == TargetType.STORY:
        removed = story_remove_by_moderator(story_id=target.id)
    else:
        return None
    return hashes if removed else None


def _media_ids(target: Target) -> list[int]:
    """Return the ids of the media items of a post or story (none for a comment)."""
    if target.type == TargetType.POST:
        return list(target.obj.items.values_list("media_id", flat=True))
    if target.type == TargetType.STORY:
        return [target.obj.media_id]
    return []


def _hashes(media_ids: list[int]) -> list[int]:
    names = MediaItem.objects.filter(pk__in=media_ids).values_list("original_name", flat=True)
    found = []
    for name in names:
        value = stored_hash(name) if name else None
        if value is not None:
            found.append(value)
    return found

"""Every write to stories: post, delete, seen, reactions, replies, highlights, the expiry job.

Each service checks everything first and writes in one transaction: a refusal writes nothing.
A reaction or a reply tells the story's author, and a new story the accounts its mention
stickers name (those allowed to see it), after commit, through the notifications; a reaction
or a reply is also published as an event (direct messages put it in the conversation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_json, account_view_of
from glimpse.accounts.services.moves import account_publish_check
from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.core.event_bus import publish
from glimpse.core.events import StoryReacted, StoryReplied
from glimpse.core.jobs import enqueue_on_commit
from glimpse.graph.audience import follower_id_batches, muter_ids
from glimpse.graph.models import CloseFriend
from glimpse.media.models import MediaItem
from glimpse.media.services import media_attach
from glimpse.media.storage import media_path, storage_delete_prefix
from glimpse.notifications import services as notifications
from glimpse.notifications.activity import Activity
from glimpse.realtime.sockets import publish_to_present
from glimpse.stories import selectors
from glimpse.stories.models import (
    Highlight,
    HighlightItem,
    Story,
    StoryReaction,
    StoryReply,
    StorySticker,
    StoryView,
)
from glimpse.stories.stickers import stickers_read

MISSING_HIGHLIGHT = "No highlight with this id."


def story_create(
    *,
    author: User,
    media_id: int,
    audience: str = "everyone",
    caption: str = "",
    stickers: Sequence[Mapping[str, Any]] | None = None,
) -> Story:
    """Post one of the author's ready, unattached media items as a story for a day, with
    its stickers (``stories.stickers`` says their shape); tell the mentioned accounts."""
    account_publish_check(user=author)
    if audience not in Story.Audience.values:
        raise InvalidInput(fields={"audience": ['Choose "everyone" or "close_friends".']})
    caption = caption.strip()
    if len(caption) > settings.GLIMPSE_STORY_CAPTION_MAX:
        limit = settings.GLIMPSE_STORY_CAPTION_MAX
        raise InvalidInput(fields={"caption": [f"A caption has at most {limit} characters."]})
    drawn = stickers_read(author=author, raw=stickers)
    now = timezone.now()
    with transaction.atomic():
        # Locks the author's row: two posts at once cannot both pass the limit.
        User.objects.select_for_update(no_key=True).filter(pk=author.pk).first()
        live = Story.objects.filter(author=author, expires_at__gt=now).count()
        if live >= settings.GLIMPSE_STORY_LIVE_MAX:
            raise Conflict(
                f"You can have at most {settings.GLIMPSE_STORY_LIVE_MAX} stories at once.",
                code="too_many_stories",
            )
        (media,) = media_attach(owner=author, media_ids=[media_id])
        if media.attached_at is not None:
            raise Conflict("This item is already part of a post or story.", code="attached")
        lifetime = timedelta(seconds=settings.GLIMPSE_STORY_LIFETIME)
        story = Story.objects.create(
            author=author,
            media=media,
            audience=audience,
            caption=caption,
            created_at=now,
            expires_at=now + lifetime,
        )
        for sticker in drawn:
            sticker.story = story
        StorySticker.objects.bulk_create(drawn)
        _mentions_notify(story, drawn)
        _queue_announce(story.pk)
    return story


def story_import(*, author: User, media_id: int, created_at: datetime, caption: str = "") -> Story:
    """Keep one of the author's ready media items as a story of the past, straight in the
    archive (imports): it never reaches the tray, the followers or the mentioned."""
    caption = caption.strip()[: settings.GLIMPSE_STORY_CAPTION_MAX]
    created_at = min(created_at, timezone.now())
    lifetime = timedelta(seconds=settings.GLIMPSE_STORY_LIFETIME)
    with transaction.atomic():
        (media,) = media_attach(owner=author, media_ids=[media_id])
        if media.attached_at is not None:
            raise Conflict("This item is already part of a post or story.", code="attached")
        expires_at = min(created_at + lifetime, timezone.now())
        return Story.objects.create(
            author=author,
            media=media,
            caption=caption,
            created_at=created_at,
            expires_at=expires_at,
            archived=True,
        )


def _mentions_notify(story: Story, stickers: Sequence[StorySticker]) -> None:
    """Tell each account a new story mentions, once, after commit: never its author, nor
    an account the story rule keeps it from (a block, a private author it does not follow,
    a Close Friends story it is not on the list of)."""
    mentioned = {s.account_id for s in stickers if s.account_id is not None}
    mentioned.discard(story.author_id)
    if not mentioned:
        return
    for account in User.objects.filter(pk__in=mentioned).order_by("pk"):
        if not Story.objects.live_to(account).filter(pk=story.pk).exists():
            continue
        notifications.notify_on_commit(
            activity=Activity(
                kind="story_mention",
                actor_id=story.author_id,
                recipient_id=account.pk,
                story_id=story.pk,
            )
        )


def story_announce(*, story_id: int) -> int:
    """Tell the author's followers with a socket open that the tray has a new story
    (``stories.tray``): the Close Friends on the list only, for such a story; never those
    who muted the author. Return how many accounts were told."""
    story = Story.objects.select_related("author").filter(pk=story_id).first()
    if story is None or story.expires_at <= timezone.now():
        return 0
    author = story.author
    friends = None
    if story.audience == Story.Audience.CLOSE_FRIENDS:
        friends = set(CloseFriend.objects.filter(owner=author).values_list("friend_id", flat=True))
    muters = muter_ids(author.pk)
    data = {
        "account": account_json(account_view_of(author)),
        "story_id": str(story.pk),
        "close_friends": friends is not None,
    }
    told = 0
    for batch in follower_id_batches(author.pk, settings.GLIMPSE_FEED_FANOUT_BATCH):
        listeners = [pk for pk in batch if pk not in muters and (friends is None or pk in friends)]
        told += publish_to_present(listeners, "stories.tray", data)
    return told


def _queue_announce(story_id: int) -> None:
    from glimpse.stories.tasks import story_announce_job  # the task module imports this one

    enqueue_on_commit(story_announce_job, story_id)


def story_delete(*, actor: User, story_id: int) -> None:
    """Delete one of the actor's stories with its media: it leaves the tray and highlights."""
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(pk=story_id, author=actor).first()
        if story is None:
            raise NotFound(selectors.MISSING_STORY)
        _story_destroy(story)


def story_remove_by_moderator(*, story_id: int) -> bool:
    """Delete any story with its media for the moderators; return whether it was there."""
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(pk=story_id).first()
        if story is None:
            return False
        _story_destroy(story)
    return True


def _story_destroy(story: Story) -> None:
    """Delete a locked story with its media; its files go after commit."""
    key = story.media.storage_key
    # The media row cascades to the story, its views, reactions, replies and places in
    # highlights; a highlight whose cover it was falls back to its first story.
    MediaItem.objects.filter(pk=story.media_id).delete()
    Highlight.objects.filter(owner_id=story.author_id, items__isnull=True).delete()
    transaction.on_commit(lambda: storage_delete_prefix(media_path(key)))


def story_mark_seen(*, viewer: User, story_id: int) -> bool:
    """Record that the viewer saw a story; return whether this view was new (the author's
    own views never count)."""
    story = selectors.story_get(viewer=viewer, story_id=story_id)
    if story.author_id == viewer.pk:
        return False
    try:
        with transaction.atomic():
            StoryView.objects.create(story_id=story.pk, viewer=viewer)
            Story.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1)
    except IntegrityError:
        return False  # seen already: the unique pair keeps it counted once
    return True


def story_react(*, viewer: User, story_id: int, emoji: str) -> StoryReaction:
    """React to a story the viewer may see with one emoji, replacing an earlier reaction."""
    if emoji not in StoryReaction.EMOJIS:
        choices = " ".join(StoryReaction.EMOJIS)
        raise InvalidInput(fields={"emoji": [f"Choose one of {choices}"]})
    story = selectors.story_get(viewer=viewer, story_id=story_id)
    _refuse_own(viewer, story, "You can't react to your own story.")
    with transaction.atomic():
        reaction, _ = StoryReaction.objects.update_or_create(
            story=story, account=viewer, defaults={"emoji": emoji, "created_at": timezone.now()}
        )
        notifications.notify_on_commit(
            activity=Activity(
                kind="story_reaction",
                actor_id=viewer.pk,
                recipient_id=story.author_id,
                story_id=story.pk,
                text=emoji,
            )
        )
        publish(StoryReacted(reaction_id=reaction.pk))
    return reaction


def story_reply(*, viewer: User, story_id: int, text: str) -> StoryReply:
    """Send the author of a story the viewer may see a private text reply."""
    text = text.strip()
    limit = settings.GLIMPSE_STORY_REPLY_MAX
    if not text:
        raise InvalidInput(fields={"text": ["Write something."]})
    if len(text) > limit:
        raise InvalidInput(fields={"text": [f"A reply has at most {limit} characters."]})
    story = selectors.story_get(viewer=viewer, story_id=story_id)
    _refuse_own(viewer, story, "You can't reply to your own story.")
    with transaction.atomic():
        reply = StoryReply.objects.create(story=story, author=viewer, text=text)
        notifications.notify_on_commit(
            activity=Activity(
                kind="story_reply",
                actor_id=viewer.pk,
                recipient_id=story.author_id,
                story_id=story.pk,
                text=text,
            )
        )
        publish(StoryReplied(reply_id=reply.pk))
    return reply


def stories_expire() -> int:
    """Move the stories past their time to the archive; return how many (safe to run twice).

    Selectors never show an expired story whatever this job did; it only marks them, so that
    the author keeps them in the archive and highlights keep their stories and media.
    """
    return Story.objects.filter(archived=False, expires_at__lte=timezone.now()).update(
        archived=True
    )


# --- Highlights -----------------------------------------------------------------------------


def highlight_create(
    *, owner: User, title: str, story_ids: Sequence[int], cover_story_id: int | None = None
) -> Highlight:
    """Make a highlight of the owner's stories (expired ones too), in the order given, with
    one of them as its cover (the first one when none is chosen)."""
    title = _checked_title(title)
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=owner.pk).first()
        if Highlight.objects.filter(owner=owner).count() >= settings.GLIMPSE_HIGHLIGHT_MAX:
            raise Conflict(
                f"You can have at most {settings.GLIMPSE_HIGHLIGHT_MAX} highlights.",
                code="too_many_highlights",
            )
        stories = _own_stories(owner, story_ids, required=True)
        if cover_story_id is not None and cover_story_id not in story_ids:
            raise InvalidInput(
                fields={"cover_story_id": ["The cover must be one of the highlight's stories."]}
            )
        highlight = Highlight.objects.create(owner=owner, title=title, cover_id=cover_story_id)
        _items_set(highlight, stories)
    return highlight


def highlight_update(
    *,
    owner: User,
    highlight_id: int,
    title: str | None = None,
    cover_story_id: int | None = None,
    story_ids: Sequence[int] | None = None,
) -> Highlight:
    """Rename a highlight, set its stories and their order, or change its cover."""
    with transaction.atomic():
        highlight = _own_highlight(owner, highlight_id)
        if title is not None:
            highlight.title = _checked_title(title)
        if story_ids is not None:
            HighlightItem.objects.filter(highlight=highlight).delete()
            _items_set(highlight, _own_stories(owner, story_ids, required=True))
        if cover_story_id is not None:
            if not highlight.items.filter(story_id=cover_story_id).exists():
                raise InvalidInput(
                    fields={"cover_story_id": ["The cover must be one of the highlight's stories."]}
                )
            highlight.cover_id = cover_story_id
        elif story_ids is not None and highlight.cover_id not in set(story_ids):
            highlight.cover_id = None
        highlight.updated_at = timezone.now()
        highlight.save()
    return highlight


def highlight_story_add(*, owner: User, highlight_id: int, story_id: int) -> Highlight:
    """Add one of the owner's stories at the end of a highlight; twice changes nothing."""
    with transaction.atomic():
        highlight = _own_highlight(owner, highlight_id)
        (story,) = _own_stories(owner, [story_id], required=True)
        if not highlight.items.filter(story=story).exists():
            count = highlight.items.count()
            if count >= settings.GLIMPSE_HIGHLIGHT_STORIES_MAX:
                limit = settings.GLIMPSE_HIGHLIGHT_STORIES_MAX
                raise Conflict(f"A highlight holds at most {limit} stories.", code="full")
            last = highlight.items.order_by("-position").values_list("position", flat=True)
            HighlightItem.objects.create(
                highlight=highlight, story=story, position=(last.first() or 0) + 1
            )
            Highlight.objects.filter(pk=highlight.pk).update(updated_at=timezone.now())
    return highlight


def highlight_story_remove(*, owner: User, highlight_id: int, story_id: int) -> None:
    """Take a story out of a highlight; the last one out removes the highlight."""
    with transaction.atomic():
        highlight = _own_highlight(owner, highlight_id)
        if not highlight.items.filter(story_id=story_id).delete()[0]:
            raise NotFound(selectors.MISSING_STORY)
        if highlight.cover_id == story_id:
            highlight.cover_id = None
        if not highlight.items.exists():
            highlight.delete()
            return
        highlight.updated_at = timezone.now()
        highlight.save(update_fields=["cover", "updated_at"])


def highlight_delete(*, owner: User, highlight_id: int) -> None:
    """Delete a highlight; its stories stay in the archive."""
    with transaction.atomic():
        _own_highlight(owner, highlight_id).delete()


# --- Helpers --------------------------------------------------------------------------------


def _refuse_own(viewer: User, story: Story, message: str) -> None:
    if story.author_id == viewer.pk:
        raise PermissionDenied(message, code="own_story")


def _checked_title(title: str) -> str:
    title = title.strip()
    limit = settings.GLIMPSE_HIGHLIGHT_TITLE_MAX
    if not title:
        raise InvalidInput(fields={"title": ["Give the highlight a name."]})
    if len(title) > limit:
        raise InvalidInput(fields={"title": [f"A name has at most {limit} characters."]})
    return title


def _own_highlight(owner: User, highlight_id: int) -> Highlight:
    highlight = Highlight.objects.select_for_update().filter(pk=highlight_id, owner=owner).first()
    if highlight is None:
        raise NotFound(MISSING_HIGHLIGHT)
    return highlight


def _own_stories(owner: User, story_ids: Sequence[int], *, required: bool) -> list[Story]:
    """Return the owner's stories in the order given; others' answer like missing ones."""
    ids = list(story_ids)
    if required and not ids:
        raise InvalidInput(fields={"story_ids": ["Pick at least one story."]})
    if len(set(ids)) != len(ids):
        raise InvalidInput(fields={"story_ids": ["A story can appear only once."]})
    if len(ids) > settings.GLIMPSE_HIGHLIGHT_STORIES_MAX:
        limit = settings.GLIMPSE_HIGHLIGHT_STORIES_MAX
        raise InvalidInput(fields={"story_ids": [f"A highlight holds at most {limit} stories."]})
    found = {story.pk: story for story in Story.objects.filter(author=owner, pk__in=ids)}
    if missing := [str(pk) for pk in ids if pk not in found]:
        raise NotFound("No story with id " + ", ".join(missing) + ".")
    return [found[pk] for pk in ids]


def _items_set(highlight: Highlight, stories: list[Story]) -> None:
    HighlightItem.objects.bulk_create(
        HighlightItem(highlight=highlight, story=story, position=index)
        for index, story in enumerate(stories)
    )

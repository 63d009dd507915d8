"""Publishing posts, deleting them, archiving them and pinning them to the profile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services.moves import account_publish_check
from glimpse.core.errors import Conflict
from glimpse.core.event_bus import publish
from glimpse.core.events import PostArchived, PostDeleted, PostPublished, PostUnarchived
from glimpse.media.models import MediaItem
from glimpse.media.services import media_attach
from glimpse.media.storage import media_path, storage_delete_prefix
from glimpse.posts.models import PeopleTag, Place, Post, PostItem
from glimpse.posts.services.common import count_add, own_post
from glimpse.posts.services.items import alt_text, items_check, people_tags_build
from glimpse.posts.services.links import hashtag_counts_add, post_links_set, text_read
from glimpse.posts.services.places import place_check, place_resolve
from glimpse.posts.services.reels import reel_media_check
from glimpse.posts.services.specs import ItemSpec, PlaceInput, PlaceSpec, Problems


def post_create(
    *,
    author: User,
    media_ids: Sequence[int],
    caption: str = "",
    items: Sequence[ItemSpec] | None = None,
    place: PlaceInput = None,
    comments_enabled: bool = True,
    hide_like_count: bool = False,
    kind: str = Post.Kind.POST,
    created_at: datetime | None = None,
    imported_from: str = "",
) -> Post:
    """Publish the author's ready media items, in the order given, as one post.

    ``kind="reel"`` publishes one vertical video as a Reel (``reels.reel_media_check``).
    ``created_at`` keeps the time a post of another server was published there (never
    later than now). ``imported_from`` names the service an archive came from (imports):
    the post keeps its original ``created_at`` and stays out of feeds and notifications.
    Everything is checked first and written in one transaction: a refusal writes nothing.
    """
    account_publish_check(user=author)
    problems = Problems()
    media_ids = list(media_ids)
    _check_media_ids(media_ids, problems)
    if kind not in Post.Kind.values:
        problems.add("kind", "A post is published as a post or as a reel.")
    elif kind == Post.Kind.REEL:
        reel_media_check(owner=author, media_ids=media_ids, problems=problems)
    specs = list(items or ())
    if specs and len(specs) != len(media_ids):
        problems.add("items", "Give one entry per media item, in the same order, or none.")
    specs = specs or [ItemSpec()] * len(media_ids)
    parsed = text_read(
        caption, field="caption", max_length=settings.GLIMPSE_CAPTION_MAX, problems=problems
    )
    if isinstance(place, PlaceSpec):
        place_check(place, field="place", problems=problems)
    with transaction.atomic():
        paths = {f"items.{i}": spec for i, spec in enumerate(specs)}
        accounts = items_check(paths, actor=author, problems=problems)
        problems.raise_if_any()
        media = media_attach(owner=author, media_ids=media_ids)
        if taken := [str(m.pk) for m in media if m.attached_at is not None]:
            raise Conflict(
                "These items are already part of a post or story: " + ", ".join(taken) + ".",
                code="attached",
            )
        post = Post.objects.create(
            author=author,
            caption=parsed.text,
            place=place_resolve(place, actor=author),
            comments_enabled=comments_enabled,
            hide_like_count=hide_like_count,
            kind=kind,
            created_at=min(created_at, timezone.now()) if created_at else timezone.now(),
            imported_from=imported_from,
            imported_at=timezone.now() if imported_from else None,
        )
        made = PostItem.objects.bulk_create(
            PostItem(post=post, media=m, position=i, alt_text=alt_text(spec, m.alt_text))
            for i, (m, spec) in enumerate(zip(media, specs, strict=True))
        )
        PeopleTag.objects.bulk_create(
            tag
            for item, spec in zip(made, specs, strict=True)
            for tag in people_tags_build(post=post, item=item, spec=spec, accounts=accounts)
        )
        post_links_set(post=post, parsed=parsed, actor=author, live=True)
        count_live(post, +1, hashtags=False)
        publish(PostPublished(post_id=post.pk, author_id=author.pk, imported=bool(imported_from)))
    return post


def post_delete(*, actor: User, post_id: int) -> None:
    """Delete one of the actor's posts with its media files, comments, likes and saves."""
    with transaction.atomic():
        _post_destroy(own_post(actor, post_id))


def post_remove_by_moderator(*, post_id: int) -> bool:
    """Delete any post for the moderators, as its author would; return whether it was there.

    The author's delete finds the post through the author's own view of it, which a
    suspended author no longer has; this one looks through no one's view.
    """
    with transaction.atomic():
        post = Post.objects.select_for_update(of=("self",)).filter(pk=post_id).first()
        if post is None:
            return False
        _post_destroy(post)
    return True


def post_archive(*, actor: User, post_id: int) -> Post:
    """Hide one of the actor's posts from everyone else (and unpin it); twice is fine."""
    with transaction.atomic():
        post = own_post(actor, post_id)
        if not post.is_archived:
            post.is_archived, post.pinned_at = True, None
            post.save(update_fields=["is_archived", "pinned_at"])
            count_live(post, -1, hashtags=True)
            publish(PostArchived(post_id=post.pk, author_id=post.author_id))
    return post


def post_unarchive(*, actor: User, post_id: int) -> Post:
    """Show an archived post again where it was; twice is fine."""
    with transaction.atomic():
        post = own_post(actor, post_id)
        if post.is_archived:
            post.is_archived = False
            post.save(update_fields=["is_archived"])
            count_live(post, +1, hashtags=True)
            publish(PostUnarchived(post_id=post.pk, author_id=post.author_id))
    return post


def post_pin(*, actor: User, post_id: int) -> Post:
    """Pin one of the actor's posts to the top of the profile (at most 3); twice is fine."""
    with transaction.atomic():
        # Lock the author first: two pins at once must not both pass the limit.
        list(User.objects.select_for_update(no_key=True).filter(pk=actor.pk).values_list("pk"))
        post = own_post(actor, post_id)
        if post.is_archived:
            raise Conflict("Unarchive this post before pinning it.", code="archived")
        if post.pinned_at is None:
            most = settings.GLIMPSE_PINNED_POSTS_MAX
            if Post.objects.filter(author=actor, pinned_at__isnull=False).count() >= most:
                raise Conflict(
                    f"At most {most} posts can be pinned. Unpin one first.", code="pin_limit"
                )
            post.pinned_at = timezone.now()
            post.save(update_fields=["pinned_at"])
    return post


def post_unpin(*, actor: User, post_id: int) -> Post:
    """Unpin one of the actor's posts; twice is fine."""
    with transaction.atomic():
        post = own_post(actor, post_id)
        if post.pinned_at is not None:
            post.pinned_at = None
            post.save(update_fields=["pinned_at"])
    return post


def count_live(post: Post, delta: int, *, hashtags: bool) -> None:
    """Count a post in or out of its author's, place's (and hashtags') post counts."""
    count_add(User.objects.filter(pk=post.author_id), "post_count", delta)
    if post.place_id:
        count_add(Place.objects.filter(pk=post.place_id), "post_count", delta)
    if hashtags:
        tags = set(post.post_hashtags.values_list("hashtag_id", flat=True))
        hashtag_counts_add(added=tags if delta > 0 else set(), removed=tags if delta < 0 else set())


def media_files_delete(keys: Sequence[str]) -> None:
    """Delete the stored files of media items whose rows are gone."""
    for key in keys:
        storage_delete_prefix(media_path(key))


def _post_destroy(post: Post) -> None:
    """Delete a locked post with its media, out of the counts and feeds; files after commit."""
    # Published before the rows go: subscribers may note what they held about them.
    publish(PostDeleted(post_id=post.pk, author_id=post.author_id))
    if not post.is_archived:
        count_live(post, -1, hashtags=True)
    media = MediaItem.objects.filter(post_item__post=post)
    keys = list(media.values_list("storage_key", flat=True))
    media.delete()
    post.delete()
    transaction.on_commit(lambda: media_files_delete(keys))


def _check_media_ids(media_ids: list[int], problems: Problems) -> None:
    most = settings.GLIMPSE_POST_ITEMS_MAX
    if not media_ids:
        problems.add("media_ids", "A post has at least one photo or video.")
    elif len(media_ids) > most:
        problems.add("media_ids", f"A post has at most {most} items (this has {len(media_ids)}).")
    if len(set(media_ids)) != len(media_ids):
        problems.add("media_ids", "An item can appear only once.")

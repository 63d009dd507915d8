"""Posting through the client API: Mastodon's uploads and statuses mapped onto Glimpse's
media, post and comment services, with Mastodon's answers where the two disagree.

A status with media is a post; a status in reply to a post or a comment is a comment (a
reply in that comment's thread); a status with ``scheduled_at`` is a scheduled post
(docs/drafts.md). Nothing here writes a row itself: it checks what only
Mastodon's fields can get wrong, then calls the one service that does the work.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import IO

from django.core.cache import cache
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType
from glimpse.core.ratelimit import upload_rate_hit
from glimpse.mastodon.errors import MastodonError
from glimpse.mastodon.schemas import MediaAttributeIn, StatusCreateIn, StatusEditIn
from glimpse.media import selectors as media_selectors
from glimpse.media import services as media_services
from glimpse.media.models import MediaItem
from glimpse.posts import selectors as post_selectors
from glimpse.posts import services as post_services
from glimpse.posts.models import Draft
from glimpse.posts.presenters import PostView
from glimpse.posts.services import UNSET, ItemSpec
from glimpse.posts.shown import post_shown

NOT_ALLOWED = "This action is not allowed"
NOT_READY = "Cannot attach files that have not finished processing. Try again in a moment!"
# Mastodon keeps an Idempotency-Key's status for an hour; a request still being handled
# holds the key a little while, so that a retry sent meanwhile does not post twice.
IDEMPOTENCY_SECONDS = 3600
PENDING_SECONDS = 60
_PENDING = "pending"


def client_media_upload(
    *, account: User, upload: IO[bytes], size_bytes: int, description: str, focus: str | None
) -> MediaItem:
    """Store an upload as Glimpse's media pipeline takes it; its processing is queued."""
    point = focus_parse(focus)
    upload_rate_hit(account_id=account.pk)
    try:
        item = media_services.media_upload(
            owner=account, upload=upload, size_bytes=size_bytes, alt_text=description, focus=point
        )
    except (UnsupportedMediaType, PayloadTooLarge) as error:
        # Mastodon answers both as a validation failure of the file.
        raise MastodonError(422, f"Validation failed: {error.message}") from error
    item.refresh_from_db()  # jobs run at once in-process may have processed it already
    return item


def client_media_update(
    *, account: User, media_id: int, description: str | None, focus: str | None
) -> MediaItem:
    """Change an upload's alt text or focal point, until it is part of a post (then: 404)."""
    point = focus_parse(focus)
    media_selectors.media_get_own_unattached(viewer=account, media_id=media_id)
    return media_services.media_update(
        owner=account, media_id=media_id, alt_text=description, focus=point
    )


def client_status_post(
    *, account: User, fields: StatusCreateIn, idempotency_key: str | None
) -> int:
    """Publish a status and return its id; the same Idempotency-Key within the hour returns
    the id of the status it made instead of posting again."""
    _refuse_unsupported(account, fields)
    if not idempotency_key:
        return _status_publish(account, fields)
    key = _idempotency_cache_key(account, idempotency_key)
    if not cache.add(key, _PENDING, timeout=PENDING_SECONDS):
        made = cache.get(key)
        if made is None or made == _PENDING:
            raise MastodonError(
                409, "A request with this Idempotency-Key is still being handled; try again"
            )
        return int(made)
    try:
        made = _status_publish(account, fields)
    except BaseException:
        cache.delete(key)
        raise
    cache.set(key, made, timeout=IDEMPOTENCY_SECONDS)
    return made


def client_status_schedule(*, account: User, fields: StatusCreateIn) -> Draft:
    """Schedule a post for ``scheduled_at``; return it with its items."""
    _refuse_unsupported(account, fields)
    if fields.in_reply_to_id is not None:
        raise MastodonError(422, "Validation failed: a reply cannot be scheduled on Glimpse")
    if not fields.media_ids:
        raise MastodonError(
            422, "Validation failed: a post needs at least one photo or video (media_ids)"
        )
    assert fields.scheduled_at is not None
    draft = post_services.draft_create(
        author=account,
        media_ids=fields.media_ids,
        caption=fields.status or "",
        publish_at=scheduled_at_parse(fields.scheduled_at),
    )
    return post_selectors.draft_get(viewer=account, draft_id=draft.pk)


def scheduled_at_parse(raw: str) -> datetime:
    """Read a client's ``scheduled_at`` (ISO 8601; without an offset, UTC, as Mastodon does)."""
    try:
        when = datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise MastodonError(422, "Validation failed: scheduled_at: give an ISO 8601 time") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def client_status_edit(*, account: User, status_id: int, fields: StatusEditIn) -> None:
    """Edit one of the account's posts: caption, the order or removal of its media, and each
    item's alt text and focal point, as one edit."""
    if fields.poll:
        raise MastodonError(422, "Polls are not supported")
    post = _own_post(account, status_id)
    attributes = fields.media_attributes or []
    items = {item.media.id for item in post.items}
    if strangers := [str(a.id) for a in attributes if a.id not in items]:
        raise MastodonError(
            422,
            "Validation failed: media_attributes: not media of this status: "
            + ", ".join(strangers),
        )
    points = {a.id: focus_parse(a.focus) for a in attributes}
    with transaction.atomic():
        for media_id, point in points.items():
            if point is not None:
                media_services.media_update(owner=account, media_id=media_id, focus=point)
        post_services.post_update(
            actor=account,
            post_id=post.id,
            caption=UNSET if fields.status is None else fields.status,
            media_ids=UNSET if fields.media_ids is None else fields.media_ids,
            items=_item_specs(attributes) if attributes else UNSET,
        )


def client_status_delete(*, account: User, status_id: int) -> None:
    """Delete one of the account's posts, or one of its own comments."""
    try:
        post = post_shown(viewer=account, post_id=status_id)
    except NotFound:
        comment = post_selectors.comment_get(viewer=account, comment_id=status_id)
        if comment.author_id != account.pk:
            raise MastodonError(403, NOT_ALLOWED) from None
        post_services.comment_delete(actor=account, comment_id=comment.pk)
        return
    if post.author.id != account.pk:
        raise MastodonError(403, NOT_ALLOWED)
    post_services.post_delete(actor=account, post_id=post.id)


def focus_parse(focus: str | None) -> tuple[float, float] | None:
    """Read a focal point sent as ``"x,y"``; the media service checks its range."""
    if focus is None or focus == "":
        return None
    parts = str(focus).split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise MastodonError(
            422, "Validation failed: focus: give two numbers between -1 and 1, as x,y"
        ) from None
    return (x, y)


def _refuse_unsupported(account: User, fields: StatusCreateIn) -> None:
    """Refuse what Glimpse cannot post (yet), before anything is written.

    A post is seen by whoever may see its account: a public account cannot post to its
    followers only, and asking to is refused rather than posted publicly.
    """
    if fields.visibility == "private" and not account.is_private:
        raise MastodonError(
            422,
            "A public account's posts are seen by everyone: make the account private to post "
            "to followers only, or post as public",
        )
    if fields.visibility == "direct":
        raise MastodonError(
            422, "Direct messages are not posted through this API: use Glimpse's messages"
        )
    if fields.visibility not in (None, "public", "unlisted", "private"):
        raise MastodonError(
            422, "Validation failed: visibility: choose public, unlisted, private or direct"
        )
    if fields.poll:
        raise MastodonError(422, "Polls are not supported")


def _status_publish(account: User, fields: StatusCreateIn) -> int:
    """Publish a post, or a comment for a reply; return its id."""
    text = fields.status or ""
    if fields.in_reply_to_id is not None:
        if fields.media_ids:
            raise MastodonError(422, "A reply is a comment on Glimpse, and comments carry no media")
        return _reply(account, text, fields.in_reply_to_id)
    if not fields.media_ids:
        raise MastodonError(
            422, "Validation failed: a post needs at least one photo or video (media_ids)"
        )
    try:
        post = post_services.post_create(author=account, media_ids=fields.media_ids, caption=text)
    except NotFound as error:
        # Another account's media, or none at all: as Mastodon words it.
        ids = ", ".join(str(pk) for pk in fields.media_ids)
        raise MastodonError(
            422, f"Media {ids}: not found or already attached to another post"
        ) from error
    except Conflict as error:
        if error.code == "not_ready":
            raise MastodonError(422, NOT_READY) from error
        raise MastodonError(422, f"Validation failed: {error.message}") from error
    return post.pk


def _reply(account: User, text: str, in_reply_to: int) -> int:
    """Comment on the post ``in_reply_to`` names, or reply in the comment's thread."""
    try:
        post = post_shown(viewer=account, post_id=in_reply_to)
    except NotFound:
        parent = post_selectors.comment_get(viewer=account, comment_id=in_reply_to)
        comment = post_services.comment_create(
            author=account, post_id=parent.post_id, text=text, parent_id=parent.pk
        )
        return comment.pk
    return post_services.comment_create(author=account, post_id=post.id, text=text).pk


def _own_post(account: User, status_id: int) -> PostView:
    """Return one of the account's posts; another's status it may see is a 403."""
    try:
        post = post_shown(viewer=account, post_id=status_id)
    except NotFound:
        comment = post_selectors.comment_get(viewer=account, comment_id=status_id)
        if comment.author_id != account.pk:
            raise MastodonError(403, NOT_ALLOWED) from None
        raise MastodonError(422, "A reply cannot be edited: comments are never edited") from None
    if post.author.id != account.pk:
        raise MastodonError(403, NOT_ALLOWED)
    return post


def _item_specs(attributes: list[MediaAttributeIn]) -> dict[int, ItemSpec]:
    return {a.id: ItemSpec(alt_text=a.description) for a in attributes}


def _idempotency_cache_key(account: User, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"mastodon:idempotency:status:{account.pk}:{digest}"

"""Drafts and scheduled posts: save, edit, delete, publish now, and publish when due.

A draft holds its media items (``media_hold``) so that the clean-up of unposted uploads
leaves them alone; deleting the draft deletes them, publishing it attaches them to the post.
Publishing goes through ``post_create``, so that fan-out, notifications and federation
happen as for any post, and removes the draft in the same transaction: a post is published
once, or not at all and its draft is still there.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict, GlimpseError, NotFound
from glimpse.core.event_bus import publish
from glimpse.core.events import ScheduledPostFailed
from glimpse.media.services import media_hold, media_release
from glimpse.posts.models import Draft, DraftItem, Place, Post
from glimpse.posts.models.draft import TIME_ZONE_MAX
from glimpse.posts.services.items import items_check
from glimpse.posts.services.links import text_read
from glimpse.posts.services.places import place_check, place_resolve
from glimpse.posts.services.posts import post_create
from glimpse.posts.services.reels import reel_media_check
from glimpse.posts.services.specs import (
    UNSET,
    ItemSpec,
    PeopleTagSpec,
    PlaceInput,
    PlaceSpec,
    Problems,
    Unset,
)
from glimpse.posts.text import clean_text

logger = logging.getLogger(__name__)

MISSING_DRAFT = "No draft with this id."
# A scheduled post published later than this after its time is logged as late.
LATE = timedelta(minutes=2)


def draft_create(
    *,
    author: User,
    media_ids: Sequence[int] = (),
    caption: str = "",
    items: Sequence[ItemSpec] | None = None,
    place: PlaceInput = None,
    comments_enabled: bool = True,
    hide_like_count: bool = False,
    kind: str = Post.Kind.POST,
    publish_at: datetime | None = None,
    time_zone: str = "UTC",
) -> Draft:
    """Save a post in waiting: a draft, or a post scheduled for ``publish_at`` (aware).

    Everything is checked first; the draft holds its media items until it is published or
    deleted. At most GLIMPSE_DRAFTS_MAX drafts and scheduled posts together per account.
    """
    media_ids = list(media_ids)
    specs = list(items) if items is not None else [ItemSpec()] * len(media_ids)
    with transaction.atomic():
        caption = _checked(
            author=author,
            media_ids=media_ids,
            caption=caption,
            specs=specs,
            place=place,
            kind=kind,
            publish_at=publish_at,
            time_zone=time_zone,
        )
        # Lock the author first: two saves at once must not both pass the limit.
        list(User.objects.select_for_update(no_key=True).filter(pk=author.pk).values_list("pk"))
        most = settings.GLIMPSE_DRAFTS_MAX
        if Draft.objects.filter(author=author).count() >= most:
            raise Conflict(
                f"You can keep at most {most} drafts and scheduled posts. Publish or delete "
                "some first.",
                code="draft_limit",
            )
        now = timezone.now()
        draft = Draft.objects.create(
            author=author,
            caption=caption,
            place=place_resolve(place, actor=author),
            kind=kind,
            comments_enabled=comments_enabled,
            hide_like_count=hide_like_count,
            publish_at=publish_at,
            time_zone=time_zone,
            created_at=now,
            updated_at=now,
        )
        _items_set(draft, media_ids, specs)
    return draft


def draft_update(
    *,
    actor: User,
    draft_id: int,
    media_ids: Sequence[int] | Unset = UNSET,
    caption: str | Unset = UNSET,
    items: Sequence[ItemSpec] | Unset = UNSET,
    place: PlaceInput | Unset = UNSET,
    comments_enabled: bool | Unset = UNSET,
    hide_like_count: bool | Unset = UNSET,
    kind: str | Unset = UNSET,
    publish_at: datetime | Unset | None = UNSET,
    time_zone: str | Unset = UNSET,
) -> Draft:
    """Change a draft or a scheduled post; UNSET fields keep their value.

    ``publish_at=None`` turns a scheduled post back into a draft; a time schedules (or
    reschedules) it. A change clears a failure, so that the job tries it again.
    """
    with transaction.atomic():
        draft = _own_draft(actor, draft_id)
        current = list(draft.items.all())
        new_ids = [i.media_id for i in current] if isinstance(media_ids, Unset) else list(media_ids)
        if isinstance(items, Unset):
            # Items kept keep what was said about them; new ones start blank.
            said = {i.media_id: _item_spec(i) for i in current}
            specs = [said.get(media_id, ItemSpec()) for media_id in new_ids]
        else:
            specs = list(items)
        when = draft.publish_at if isinstance(publish_at, Unset) else publish_at
        draft.caption = _checked(
            author=actor,
            media_ids=new_ids,
            caption=draft.caption if isinstance(caption, Unset) else caption,
            specs=specs,
            place=None if isinstance(place, Unset) else place,
            kind=draft.kind if isinstance(kind, Unset) else kind,
            publish_at=when,
            time_zone=draft.time_zone if isinstance(time_zone, Unset) else time_zone,
            # An unchanged time may have come meanwhile: only a new one must lie ahead.
            check_window=not isinstance(publish_at, Unset),
        )
        if not isinstance(place, Unset):
            draft.place = place_resolve(place, actor=actor)
        for field, value in (
            ("comments_enabled", comments_enabled),
            ("hide_like_count", hide_like_count),
            ("kind", kind),
            ("publish_at", publish_at),
            ("time_zone", time_zone),
        ):
            if not isinstance(value, Unset):
                setattr(draft, field, value)
        draft.failure, draft.failed_at, draft.updated_at = "", None, timezone.now()
        draft.save()
        dropped = [i.media_id for i in current if i.media_id not in set(new_ids)]
        draft.items.all().delete()
        # Items taken out of the draft are plain uploads again (listed with the others).
        media_release(owner=actor, media_ids=dropped)
        _items_set(draft, new_ids, specs)
    return draft


def draft_delete(*, actor: User, draft_id: int) -> None:
    """Delete a draft or cancel a scheduled post, with the media items it held."""
    with transaction.atomic():
        draft = _own_draft(actor, draft_id)
        media_ids = list(draft.items.values_list("media_id", flat=True))
        draft.delete()
        media_release(owner=actor, media_ids=media_ids, delete=True)


def draft_publish(*, actor: User, draft_id: int) -> Post:
    """Publish a draft or a scheduled post now; a refusal leaves the draft as it was."""
    with transaction.atomic():
        return _publish(_own_draft(actor, draft_id))


def drafts_publish_due() -> int:
    """Publish every scheduled post whose time has come, each exactly once; return how many.

    Each post is published in a transaction of its own, from a row locked for it: runs at
    once (two beat processes) skip each other's rows, and a run killed halfway rolls back,
    so that the next one publishes the post. A post refused at publishing (its media gone,
    its caption now over a limit) stays a draft, marked failed with the reason.
    """
    now = timezone.now()
    published = 0
    tried: list[int] = []
    while True:
        with transaction.atomic():
            draft = (
                Draft.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("author", "place")
                .filter(publish_at__lte=now, failed_at__isnull=True)
                .exclude(pk__in=tried)
                .order_by("publish_at", "pk")
                .first()
            )
            if draft is None:
                return published
            tried.append(draft.pk)
            try:
                with transaction.atomic():
                    post = _publish(draft)
            except GlimpseError as error:
                _failed(draft, error)
                continue
            except Exception:
                # Rolled back: the post is due again at the next run.
                logger.exception("Scheduled post %s could not be published", draft.pk)
                continue
        published += 1
        assert draft.publish_at is not None
        if (late := now - draft.publish_at) > LATE:
            logger.warning(
                "Scheduled post %s published as post %s, %d s late",
                draft.pk,
                post.pk,
                late.total_seconds(),
            )


def _publish(draft: Draft) -> Post:
    """Publish a locked draft as a post through ``post_create`` and remove the draft."""
    items = list(draft.items.all())
    media_ids = [item.media_id for item in items]
    author = draft.author
    media_release(owner=author, media_ids=media_ids)
    # Deleted by id: the instance keeps its id for the caller if publishing is refused.
    Draft.objects.filter(pk=draft.pk).delete()
    return post_create(
        author=author,
        media_ids=media_ids,
        caption=draft.caption,
        items=[_item_spec(item) for item in items],
        place=_place_spec(draft.place),
        comments_enabled=draft.comments_enabled,
        hide_like_count=draft.hide_like_count,
        kind=draft.kind,
    )


def _failed(draft: Draft, error: GlimpseError) -> None:
    """Mark a scheduled post that could not be published, with the reason, for its author."""
    reasons = [f"{name}: {text}" for name, texts in error.fields.items() for text in texts]
    draft.failure = " ".join([error.message, *reasons])[:500]
    draft.failed_at = timezone.now()
    draft.save(update_fields=["failure", "failed_at"])
    publish(ScheduledPostFailed(draft_id=draft.pk, author_id=draft.author_id))
    logger.info("Scheduled post %s not published: %s", draft.pk, draft.failure)


def _own_draft(actor: User, draft_id: int) -> Draft:
    """Return the actor's draft locked for a change; anyone else's answers like a missing one."""
    draft = (
        Draft.objects.select_for_update(of=("self",))
        .select_related("author", "place")
        .filter(pk=draft_id, author=actor)
        .first()
    )
    if draft is None:
        raise NotFound(MISSING_DRAFT)
    return draft


def _checked(
    *,
    author: User,
    media_ids: list[int],
    caption: str,
    specs: list[ItemSpec],
    place: PlaceInput,
    kind: str,
    publish_at: datetime | None,
    time_zone: str,
    check_window: bool = True,
) -> str:
    """Check a draft's fields (all problems at once); return the cleaned caption."""
    problems = Problems()
    most = settings.GLIMPSE_POST_ITEMS_MAX
    if len(media_ids) > most:
        problems.add("media_ids", f"A post has at most {most} items (this has {len(media_ids)}).")
    if len(set(media_ids)) != len(media_ids):
        problems.add("media_ids", "An item can appear only once.")
    if len(specs) != len(media_ids):
        problems.add("items", "Give one entry per media item, in the same order, or none.")
    if kind not in Post.Kind.values:
        problems.add("kind", "A post is published as a post or as a reel.")
    parsed = text_read(
        caption, field="caption", max_length=settings.GLIMPSE_CAPTION_MAX, problems=problems
    )
    if isinstance(place, PlaceSpec):
        place_check(place, field="place", problems=problems)
    if not _known_zone(time_zone):
        problems.add("time_zone", "Give a time zone by its name, such as Europe/Paris.")
    if publish_at is not None:
        if not media_ids:
            problems.add("media_ids", "A scheduled post has at least one photo or video.")
        if kind == Post.Kind.REEL:
            reel_media_check(owner=author, media_ids=media_ids, problems=problems)
        if check_window:
            _check_window(publish_at, problems)
    items_check(
        {f"items.{i}": spec for i, spec in enumerate(specs)}, actor=author, problems=problems
    )
    problems.raise_if_any()
    return parsed.text


def _check_window(publish_at: datetime, problems: Problems) -> None:
    """Record a publishing time that is naive, too soon or too far ahead."""
    if timezone.is_naive(publish_at):
        raise GlimpseError(
            "Give the time with its offset from UTC, such as 2030-05-01T09:30:00+02:00.",
            code="time_zone_missing",
            fields={"publish_at": ["The time has no offset from UTC."]},
        )
    now = timezone.now()
    soonest = timedelta(minutes=settings.GLIMPSE_SCHEDULE_MIN_MINUTES)
    latest = timedelta(days=settings.GLIMPSE_SCHEDULE_MAX_DAYS)
    if publish_at < now + soonest:
        problems.add(
            "publish_at",
            f"Schedule a post at least {settings.GLIMPSE_SCHEDULE_MIN_MINUTES} minutes ahead.",
        )
    elif publish_at > now + latest:
        problems.add(
            "publish_at",
            f"Schedule a post at most {settings.GLIMPSE_SCHEDULE_MAX_DAYS} days ahead.",
        )


def _known_zone(name: str) -> bool:
    """Tell whether a name is a time zone's IANA name (never a path outside the database)."""
    if not name or len(name) > TIME_ZONE_MAX:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _items_set(draft: Draft, media_ids: list[int], specs: list[ItemSpec]) -> None:
    """Hold the media items for the draft and write its items, in order."""
    media = media_hold(owner=draft.author, media_ids=media_ids)
    others = DraftItem.objects.filter(media_id__in=media_ids).exclude(draft=draft)
    if taken := sorted(str(media_id) for media_id in others.values_list("media_id", flat=True)):
        raise Conflict(
            "These items are already part of another draft: " + ", ".join(taken) + ".",
            code="in_draft",
        )
    DraftItem.objects.bulk_create(
        DraftItem(
            draft=draft,
            media=item,
            position=position,
            alt_text=item.alt_text if spec.alt_text is None else clean_text(spec.alt_text),
            people_tags=[
                {"username": tag.username, "x": tag.x, "y": tag.y} for tag in spec.people_tags or ()
            ],
        )
        for position, (item, spec) in enumerate(zip(media, specs, strict=True))
    )


def _item_spec(item: DraftItem) -> ItemSpec:
    """Return what a draft's item says, as the spec ``post_create`` takes."""
    tags = [PeopleTagSpec(username=t["username"], x=t["x"], y=t["y"]) for t in item.people_tags]
    return ItemSpec(alt_text=item.alt_text, people_tags=tags)


def _place_spec(place: Place | None) -> PlaceSpec | None:
    """Name a draft's place the way ``post_create`` finds it again (by what identifies it)."""
    if place is None:
        return None
    return PlaceSpec(name=place.name, address=place.address, lat=place.lat, lng=place.lng)

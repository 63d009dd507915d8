"""Editing a published post; every edit is kept in the history its author can read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.event_bus import publish
from glimpse.core.events import PostEdited
from glimpse.media.models import MediaItem
from glimpse.posts.cards import post_cards_forget_on_commit
from glimpse.posts.models import PeopleTag, Place, Post, PostEdit, PostItem
from glimpse.posts.services.common import count_add, own_post
from glimpse.posts.services.items import alt_text, items_check, items_snapshot, people_tags_build
from glimpse.posts.services.links import ParsedText, post_links_set, text_read
from glimpse.posts.services.places import place_check, place_resolve
from glimpse.posts.services.posts import media_files_delete
from glimpse.posts.services.specs import UNSET, ItemSpec, PlaceInput, PlaceSpec, Problems, Unset


def post_update(
    *,
    actor: User,
    post_id: int,
    caption: str | Unset = UNSET,
    place: PlaceInput | Unset = UNSET,
    media_ids: Sequence[int] | Unset = UNSET,
    items: Mapping[int, ItemSpec] | Unset = UNSET,
    comments_enabled: bool | Unset = UNSET,
    hide_like_count: bool | Unset = UNSET,
) -> Post:
    """Edit one of the actor's posts; fields left UNSET keep their value.

    ``media_ids`` is the new order of the post's items; items left out are removed (and
    deleted), at least one stays. ``items`` edits alt texts and people tags by media id.
    Changes to the caption, place or items are recorded as one entry of the edit history.
    """
    problems = Problems()
    parsed: ParsedText | None = None
    if not isinstance(caption, Unset):
        parsed = text_read(
            caption, field="caption", max_length=settings.GLIMPSE_CAPTION_MAX, problems=problems
        )
    if isinstance(place, PlaceSpec):
        place_check(place, field="place", problems=problems)
    with transaction.atomic():
        post = own_post(actor, post_id)
        current = list(post.items.select_related("media").prefetch_related("people_tags__account"))
        order = _new_order(current, media_ids, problems)
        specs = {} if isinstance(items, Unset) else dict(items)
        for media_id in specs:
            if media_id not in order:
                problems.add(f"items.{media_id}", "This is not an item of this post.")
        accounts = items_check(
            {f"items.{mid}": spec for mid, spec in specs.items()}, actor=actor, problems=problems
        )
        problems.raise_if_any()
        changes: dict[str, object] = {}
        if parsed is not None and parsed.text != post.caption:
            changes["caption"] = {"before": post.caption, "after": parsed.text}
            post.caption = parsed.text
            post_links_set(post=post, parsed=parsed, actor=actor, live=not post.is_archived)
        if not isinstance(place, Unset):
            _place_change(post, place_resolve(place, actor=actor), changes)
        _items_change(post, current, order, specs, accounts, changes)
        if not isinstance(comments_enabled, Unset):
            post.comments_enabled = comments_enabled
        if not isinstance(hide_like_count, Unset):
            post.hide_like_count = hide_like_count
        if changes:
            post.edited_at = timezone.now()
            PostEdit.objects.create(post=post, changes=changes, created_at=post.edited_at)
        post.save(
            update_fields=[
                "caption",
                "place",
                "comments_enabled",
                "hide_like_count",
                "edited_at",
            ]
        )
        post_cards_forget_on_commit(post.pk)
        publish(PostEdited(post_id=post.pk, author_id=actor.pk))
    return post


def _new_order(
    current: list[PostItem], media_ids: Sequence[int] | Unset, problems: Problems
) -> list[int]:
    """Return the media ids of the post's items in their new order, checking the request."""
    if isinstance(media_ids, Unset):
        return [item.media_id for item in current]
    order = list(media_ids)
    known = {item.media_id for item in current}
    if not order:
        problems.add("media_ids", "A post keeps at least one item. Delete the post instead.")
    if len(set(order)) != len(order):
        problems.add("media_ids", "An item can appear only once.")
    if unknown := [str(mid) for mid in order if mid not in known]:
        problems.add("media_ids", "These are not items of this post: " + ", ".join(unknown) + ".")
    return order


def _place_change(post: Post, place: Place | None, changes: dict[str, object]) -> None:
    new_id = place.pk if place else None
    if new_id == post.place_id:
        return
    changes["place"] = {"before": _place_snapshot(post.place), "after": _place_snapshot(place)}
    if not post.is_archived:
        if post.place_id:
            count_add(Place.objects.filter(pk=post.place_id), "post_count", -1)
        if new_id:
            count_add(Place.objects.filter(pk=new_id), "post_count", +1)
    post.place = place


def _items_change(
    post: Post,
    current: list[PostItem],
    order: list[int],
    specs: dict[int, ItemSpec],
    accounts: Mapping[str, User],
    changes: dict[str, object],
) -> None:
    """Reorder, remove and re-describe items; record the change when there is one."""
    before = items_snapshot(current)
    by_media = {item.media_id: item for item in current}
    kept = [by_media[mid] for mid in order]
    retagged: dict[int, list[PeopleTag]] = {}
    for position, item in enumerate(kept):
        spec = specs.get(item.media_id, ItemSpec())
        item.position = position
        item.alt_text = alt_text(spec, item.alt_text)
        if spec.people_tags is not None:
            retagged[item.pk] = people_tags_build(
                post=post, item=item, spec=spec, accounts=accounts
            )
    after = [
        {
            "media_id": str(item.media_id),
            "alt_text": item.alt_text,
            "people_tags": [
                {"username": tag.account.username, "x": tag.x, "y": tag.y}
                for tag in retagged.get(item.pk, item.people_tags.all())
            ],
        }
        for item in kept
    ]
    if before == after:
        return
    changes["items"] = {"before": before, "after": after}
    removed = [item for item in current if item.media_id not in order]
    if removed:
        media = MediaItem.objects.filter(pk__in=[item.media_id for item in removed])
        keys = list(media.values_list("storage_key", flat=True))
        media.delete()  # its post item and people tags go with it
        transaction.on_commit(lambda: media_files_delete(keys))
    PostItem.objects.bulk_update(kept, ["position", "alt_text"])
    PeopleTag.objects.filter(item_id__in=list(retagged)).delete()
    PeopleTag.objects.bulk_create(tag for tags in retagged.values() for tag in tags)


def _place_snapshot(place: Place | None) -> dict[str, str] | None:
    return None if place is None else {"id": str(place.pk), "name": place.name}

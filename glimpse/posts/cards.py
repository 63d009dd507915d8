"""Post cards: what every viewer sees of a post, cached by id, for pages read many times.

A card is the post's JSON without what depends on the viewer or changes all the time: counts,
flags and the viewer's own state come fresh from the page's one state query. The author,
people tags and mentions are account ids, rendered from account cards. A card lives in the
cache for GLIMPSE_CARD_TTL seconds and is dropped when the post is edited or its media are
rendered again. Reposts never change, so what a repost points at is cached the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from glimpse.core.cards import cards_forget_on_commit, cards_get
from glimpse.posts.models import Post, PostItem, Repost
from glimpse.posts.selectors import post_permalink, posts_hydrate

POST_KEY = "card:post:v1:{}"
REPOST_KEY = "card:repost:v1:{}"


class RepostRef(NamedTuple):
    """Who reposted which post."""

    user_id: int
    post_id: int


def post_card(post: Post) -> dict[str, Any]:
    """Return the card of a post hydrated for no viewer in particular."""
    # The API package imports the services, which import this module: import late.
    from glimpse.posts.api.render import place_out

    return {
        "id": str(post.pk),
        "author_id": post.author_id,
        "caption": post.caption,
        "media": [_item_card(item) for item in post.items.all()],
        "place": place_out(post.place) if post.place else None,
        "hashtags": [link.hashtag.name for link in post.post_hashtags.all()],
        "mention_ids": [mention.account_id for mention in post.mentions.all()],
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "permalink": post_permalink(post=post),
    }


def _item_card(item: PostItem) -> dict[str, Any]:
    from glimpse.posts.api.render import item_out

    tags = [
        {"account_id": tag.account_id, "x": tag.x, "y": tag.y} for tag in item.people_tags.all()
    ]
    return {**item_out(item), "people_tags": tags}


def post_cards(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Return the cards of these posts by id; the ones the cache lacks are read in a batch.

    A post that no longer exists has no card.
    """
    return cards_get(POST_KEY, ids, _posts_load)


def _posts_load(ids: set[int]) -> dict[int, dict[str, Any]]:
    posts = posts_hydrate(viewer=None, posts=Post.objects.filter(pk__in=ids))
    return {post.pk: post_card(post) for post in posts}


def repost_refs(ids: Iterable[int]) -> dict[int, RepostRef]:
    """Return who reposted which post, for these repost ids (missing reposts left out)."""
    found = cards_get(REPOST_KEY, ids, _reposts_load)
    return {pk: RepostRef(*ref) for pk, ref in found.items()}


def _reposts_load(ids: set[int]) -> dict[int, tuple[int, int]]:
    rows = Repost.objects.filter(pk__in=ids).values_list("pk", "user_id", "post_id")
    return {pk: (user_id, post_id) for pk, user_id, post_id in rows}


def post_cards_forget_on_commit(*ids: int) -> None:
    """Drop these posts' cards once the transaction that changes them commits."""
    cards_forget_on_commit(POST_KEY, ids)


def post_cards_forget_for_media_on_commit(media_id: int) -> None:
    """Drop the card of the post showing this media item, once its new renditions commit."""
    post_ids = list(PostItem.objects.filter(media_id=media_id).values_list("post_id", flat=True))
    if post_ids:
        post_cards_forget_on_commit(*post_ids)

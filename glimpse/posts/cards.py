"""Post cards: what every viewer sees of a post, cached by id, for pages read many times.

A card is the post without what depends on the viewer or changes all the time: counts,
flags and the viewer's own state come fresh from the page's one state query. The author,
people tags and mentions are account ids, shown from account cards. A card lives in the
cache for GLIMPSE_CARD_TTL seconds and is dropped when the post is edited or its media are
rendered again. Reposts never change, so what a repost points at is cached the same way,
and so are comments (a comment is never edited: one deleted or hidden by reports is simply
never asked for again, since which comments a page shows comes from its fresh state query).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from glimpse.core.cards import cards_forget_on_commit, cards_get
from glimpse.media.presenters import MediaView, media_view
from glimpse.posts.models import Comment, Place, Post, PostItem, Repost
from glimpse.posts.selectors import posts_hydrate

POST_KEY = "card:post:v5:{}"  # v5: each item's focal point
REPOST_KEY = "card:repost:v1:{}"
COMMENT_KEY = "card:comment:v1:{}"


@dataclass(frozen=True)
class PeopleTagCard:
    """An account tagged on an item, at a position in 0..1 of its frame."""

    account_id: int
    x: float
    y: float


@dataclass(frozen=True)
class ItemCard:
    """One item of a post: its media (with the item's alt text) and its people tags."""

    media: MediaView
    people_tags: tuple[PeopleTagCard, ...]


@dataclass(frozen=True)
class PlaceCard:
    """Where a post was made."""

    id: int
    name: str
    address: str
    lat: float | None
    lng: float | None


@dataclass(frozen=True)
class PostCard:
    """What every viewer sees of a post that rarely changes."""

    id: int
    author_id: int
    kind: str  # "post" or "reel"
    caption: str
    items: tuple[ItemCard, ...]
    place: PlaceCard | None
    hashtags: tuple[str, ...]
    mention_ids: tuple[int, ...]
    created_at: datetime
    edited_at: datetime | None
    imported_from: str = ""  # the service an imported post came from (imports)

    @property
    def named_ids(self) -> set[int]:
        """Return the accounts the card names besides its author: mentions and people tags."""
        named = set(self.mention_ids)
        for item in self.items:
            named.update(tag.account_id for tag in item.people_tags)
        return named


@dataclass(frozen=True)
class CommentCard:
    """What every viewer sees of a comment (its author and mentions as account ids)."""

    id: int
    post_id: int
    author_id: int
    text: str
    mention_ids: tuple[int, ...]
    created_at: datetime


class RepostRef(NamedTuple):
    """Who reposted which post."""

    user_id: int
    post_id: int


def post_card(post: Post) -> PostCard:
    """Return the card of a hydrated post (its tags and mentions as hydrated for its viewer)."""
    return PostCard(
        id=post.pk,
        author_id=post.author_id,
        kind=post.kind,
        caption=post.caption,
        items=tuple(_item_card(item) for item in post.items.all()),
        place=place_card(post.place) if post.place else None,
        hashtags=tuple(link.hashtag.name for link in post.post_hashtags.all()),
        mention_ids=tuple(mention.account_id for mention in post.mentions.all()),
        created_at=post.created_at,
        edited_at=post.edited_at,
        imported_from=post.imported_from,
    )


def place_card(place: Place) -> PlaceCard:
    """Return the card of a place."""
    return PlaceCard(place.pk, place.name, place.address, place.lat, place.lng)


def _item_card(item: PostItem) -> ItemCard:
    tags = tuple(PeopleTagCard(tag.account_id, tag.x, tag.y) for tag in item.people_tags.all())
    return ItemCard(media=media_view(item.media, alt_text=item.alt_text), people_tags=tags)


def post_cards(ids: Iterable[int]) -> dict[int, PostCard]:
    """Return the cards of these posts by id; the ones the cache lacks are read in a batch.

    A post that no longer exists has no card.
    """
    return cards_get(POST_KEY, ids, _posts_load)


def _posts_load(ids: set[int]) -> dict[int, PostCard]:
    posts = posts_hydrate(viewer=None, posts=Post.objects.filter(pk__in=ids))
    return {post.pk: post_card(post) for post in posts}


def repost_refs(ids: Iterable[int]) -> dict[int, RepostRef]:
    """Return who reposted which post, for these repost ids (missing reposts left out)."""
    found = cards_get(REPOST_KEY, ids, _reposts_load)
    return {pk: RepostRef(*ref) for pk, ref in found.items()}


def _reposts_load(ids: set[int]) -> dict[int, tuple[int, int]]:
    rows = Repost.objects.filter(pk__in=ids).values_list("pk", "user_id", "post_id")
    return {pk: (user_id, post_id) for pk, user_id, post_id in rows}


def comment_cards(ids: Iterable[int]) -> dict[int, CommentCard]:
    """Return the cards of these comments by id; the ones the cache lacks are read in a batch.

    Cut nothing: callers ask only for the comments the viewer may see (``comments_latest``).
    """
    return cards_get(COMMENT_KEY, ids, _comments_load)


def _comments_load(ids: set[int]) -> dict[int, CommentCard]:
    comments = Comment.objects.filter(pk__in=ids).prefetch_related("mentions")
    return {
        comment.pk: CommentCard(
            id=comment.pk,
            post_id=comment.post_id,
            author_id=comment.author_id,
            text=comment.text,
            mention_ids=tuple(mention.account_id for mention in comment.mentions.all()),
            created_at=comment.created_at,
        )
        for comment in comments
    }


def post_cards_forget_on_commit(*ids: int) -> None:
    """Drop these posts' cards once the transaction that changes them commits."""
    cards_forget_on_commit(POST_KEY, ids)


def post_cards_forget_for_media_on_commit(media_id: int) -> None:
    """Drop the card of the post showing this media item, once its new renditions commit."""
    post_ids = list(PostItem.objects.filter(media_id=media_id).values_list("post_id", flat=True))
    if post_ids:
        post_cards_forget_on_commit(*post_ids)

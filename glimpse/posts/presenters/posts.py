"""A post as the API, the pages and the feed show it: one typed presenter, one JSON.

``PostView`` is built by ``post_view`` from the post's card (cached, the same for every
viewer), its fresh ``PostState`` (counts, flags and the viewer's own state) and the accounts
it names. Pages that hold a hydrated post get the same presenter from ``post_view_of``,
which makes the card and the state from the post itself. ``post_json`` is the only place a
post's JSON is made. No query is made here except by ``post_views``, which reads the cached
account cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict, TypeVar

from django.db.models import Model

from glimpse.accounts.presenters import (
    AccountJson,
    AccountView,
    account_json,
    account_view_of,
    account_views,
)
from glimpse.core.pagination import Page, cursor_json
from glimpse.media.presenters import MediaJson, MediaView, media_json
from glimpse.posts.cards import PostCard, post_card
from glimpse.posts.models import Collection, Post
from glimpse.posts.presenters.hashtags import HashtagJson
from glimpse.posts.presenters.places import PlaceJson, PlaceView, place_json, place_view_of_card
from glimpse.posts.selectors import post_permalink

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class PostState:
    """What changes often about a post, read fresh for each page, and the viewer's own state."""

    author_id: int
    like_count: int
    comment_count: int
    repost_count: int
    comments_enabled: bool
    hide_like_count: bool
    is_archived: bool
    is_pinned: bool
    liked: bool
    saved: bool
    reposted: bool
    is_author: bool
    view_count: int = 0  # a Reel's plays


@dataclass(frozen=True)
class PeopleTagView:
    account: AccountView
    x: float
    y: float


@dataclass(frozen=True)
class PostItemView:
    """One item of a post's carousel: its media and the people tagged on it."""

    media: MediaView
    people_tags: tuple[PeopleTagView, ...]


@dataclass(frozen=True)
class PostViewer:
    """The viewer's own state of a post."""

    liked: bool
    saved: bool
    reposted: bool
    is_author: bool


@dataclass(frozen=True)
class PostView:
    """A post as one viewer sees it."""

    id: int
    author: AccountView
    kind: str  # "post" or "reel"
    caption: str
    items: tuple[PostItemView, ...]
    like_count: int | None  # None when the author hides it from this viewer
    comment_count: int
    repost_count: int
    view_count: int | None  # a Reel's plays; None for other posts
    comments_enabled: bool
    hide_like_count: bool
    viewer: PostViewer
    place: PlaceView | None
    hashtags: tuple[str, ...]
    mentions: tuple[AccountView, ...]  # the visible accounts the caption names
    created_at: datetime
    edited_at: datetime | None
    is_archived: bool
    is_pinned: bool
    permalink: str
    imported_from: str = ""  # "instagram" or "glimpse" for a post brought in from an archive

    @property
    def is_reel(self) -> bool:
        """Tell whether the post was published as a Reel."""
        return self.kind == Post.Kind.REEL


@dataclass(frozen=True)
class LikedBy:
    """Whom a post's likes line names: "Liked by rita and 12 others", or "Liked by rita and
    others" when the author hides the count (``account`` is never the viewer)."""

    account: AccountView | None
    others: bool  # whether more accounts than the one named liked the post


def liked_by_of(account: AccountView | None, like_count: int) -> LikedBy:
    """Return the likes line's liker and whether others liked too, from the true count."""
    return LikedBy(account=account, others=account is not None and like_count > 1)


class PeopleTagJson(TypedDict):
    account: AccountJson
    x: float
    y: float


class PostMediaJson(MediaJson):
    people_tags: list[PeopleTagJson]


class PostViewerJson(TypedDict):
    liked: bool
    saved: bool
    reposted: bool
    is_author: bool


class PostJson(TypedDict):
    id: str
    author: AccountJson
    kind: str
    caption: str
    media: list[PostMediaJson]
    like_count: int | None
    comment_count: int
    repost_count: int
    view_count: int | None
    comments_enabled: bool
    hide_like_count: bool
    viewer: PostViewerJson
    place: PlaceJson | None
    hashtags: list[str]
    mentions: list[str]
    created_at: datetime
    edited_at: datetime | None
    is_archived: bool
    is_pinned: bool
    permalink: str


class PostPageJson(TypedDict):
    items: list[PostJson]
    next_max_id: str | None


class TagPageJson(PostPageJson):
    tag: HashtagJson
    top: list[PostJson]


class PlacePageJson(PostPageJson):
    place: PlaceJson
    top: list[PostJson]


# --- Building -----------------------------------------------------------------------------


def post_view(card: PostCard, state: PostState, *, accounts: Mapping[int, AccountView]) -> PostView:
    """Return a post from its card and fresh state; ``accounts`` holds its author and the
    accounts the viewer may see among those it names (tags and mentions of others are left
    out)."""
    items = tuple(
        PostItemView(
            media=item.media,
            people_tags=tuple(
                PeopleTagView(accounts[tag.account_id], tag.x, tag.y)
                for tag in item.people_tags
                if tag.account_id in accounts
            ),
        )
        for item in card.items
    )
    hidden = state.hide_like_count and not state.is_author
    return PostView(
        id=card.id,
        author=accounts[state.author_id],
        kind=card.kind,
        caption=card.caption,
        items=items,
        like_count=None if hidden else state.like_count,
        comment_count=state.comment_count,
        repost_count=state.repost_count,
        view_count=state.view_count if card.kind == Post.Kind.REEL else None,
        comments_enabled=state.comments_enabled,
        hide_like_count=state.hide_like_count,
        viewer=PostViewer(state.liked, state.saved, state.reposted, state.is_author),
        place=place_view_of_card(card.place) if card.place else None,
        hashtags=card.hashtags,
        mentions=tuple(accounts[pk] for pk in card.mention_ids if pk in accounts),
        created_at=card.created_at,
        edited_at=card.edited_at,
        is_archived=state.is_archived,
        is_pinned=state.is_pinned,
        # Not cached with the card: the site's address may depend on the request.
        permalink=post_permalink(post_id=card.id),
        imported_from=card.imported_from,
    )


def post_views(
    pairs: Sequence[tuple[PostCard, PostState]], *, more: Iterable[int] = ()
) -> tuple[list[PostView], dict[int, AccountView]]:
    """Return the posts of cards already cut to what the viewer may see, with the accounts
    they name read from their cards in one batch (``more`` adds other accounts to read)."""
    wanted = set(more)
    for card, state in pairs:
        wanted.add(state.author_id)
        wanted.update(card.named_ids)
    accounts = account_views(wanted)
    return [post_view(card, state, accounts=accounts) for card, state in pairs], accounts


def post_state_of(post: Post) -> PostState:
    """Return the state of a post hydrated by the posts selectors."""
    return PostState(
        author_id=post.author_id,
        like_count=post.like_count,
        comment_count=post.comment_count,
        repost_count=post.repost_count,
        view_count=post.view_count,
        comments_enabled=post.comments_enabled,
        hide_like_count=post.hide_like_count,
        is_archived=post.is_archived,
        is_pinned=post.is_pinned,
        liked=post.viewer_liked,
        saved=post.viewer_saved,
        reposted=post.viewer_reposted,
        is_author=post.viewer_is_author,
    )


def post_view_of(post: Post) -> PostView:
    """Return the presenter of a post hydrated by the posts selectors (no query)."""
    named = [post.author]
    named += [mention.account for mention in post.mentions.all()]
    named += [tag.account for item in post.items.all() for tag in item.people_tags.all()]
    accounts = {user.pk: account_view_of(user) for user in named}
    return post_view(post_card(post), post_state_of(post), accounts=accounts)


def post_views_of(posts: Iterable[Post]) -> list[PostView]:
    """Return the presenters of hydrated posts, in order."""
    return [post_view_of(post) for post in posts]


# --- JSON ---------------------------------------------------------------------------------


def post_json(view: PostView) -> PostJson:
    """Return a post as the API shows it."""
    return PostJson(
        id=str(view.id),
        author=account_json(view.author),
        kind=view.kind,
        caption=view.caption,
        media=[post_media_json(item) for item in view.items],
        like_count=view.like_count,
        comment_count=view.comment_count,
        repost_count=view.repost_count,
        view_count=view.view_count,
        comments_enabled=view.comments_enabled,
        hide_like_count=view.hide_like_count,
        viewer=PostViewerJson(
            liked=view.viewer.liked,
            saved=view.viewer.saved,
            reposted=view.viewer.reposted,
            is_author=view.viewer.is_author,
        ),
        place=place_json(view.place) if view.place else None,
        hashtags=list(view.hashtags),
        mentions=[account.username for account in view.mentions],
        created_at=view.created_at,
        edited_at=view.edited_at,
        is_archived=view.is_archived,
        is_pinned=view.is_pinned,
        permalink=view.permalink,
    )


def post_media_json(item: PostItemView) -> PostMediaJson:
    """Return one item of a post with its renditions and people tags."""
    tags = [PeopleTagJson(account=account_json(t.account), x=t.x, y=t.y) for t in item.people_tags]
    return PostMediaJson(**media_json(item.media), people_tags=tags)


def posts_json(posts: Iterable[Post]) -> list[PostJson]:
    """Return hydrated posts as the API shows them."""
    return [post_json(post_view_of(post)) for post in posts]


def post_page_json(page: Page[Post]) -> PostPageJson:
    """Return a page of hydrated posts as `{"items", "next_max_id"}`."""
    return PostPageJson(items=posts_json(page.items), next_max_id=cursor_json(page.next_max_id))


class CollectionJson(TypedDict):
    id: str
    name: str
    post_count: int
    cover: PostMediaJson | None
    created_at: datetime
    updated_at: datetime


class CollectionPageJson(PostPageJson):
    collection: CollectionJson


def collection_json(collection: Collection) -> CollectionJson:
    """Return a collection annotated by the collection selectors, with its cover item."""
    cover = post_view_of(collection.cover) if collection.cover is not None else None
    return CollectionJson(
        id=str(collection.pk),
        name=collection.name,
        post_count=collection.post_count,
        cover=post_media_json(cover.items[0]) if cover and cover.items else None,
        created_at=collection.created_at,
        updated_at=collection.updated_at,
    )

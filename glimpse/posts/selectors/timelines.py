"""Lists of post ids newest first, paged by id either way: the public timeline, an account's
posts, and whole comment threads, for clients that read them as timelines.

Each goes through the visibility policy (``Post.objects.listed_to``,
``Comment.objects.visible_to``); the posts are then shown from their cards
(``glimpse.posts.shown.posts_shown``).
"""

from __future__ import annotations

from typing import TypeVar

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.pagination import Page, paginate
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.models import Comment, Like, Post, Repost, Save
from glimpse.posts.selectors.comments import comments_hydrate
from glimpse.posts.selectors.posts import MISSING_POST, posts_visible
from glimpse.posts.text import hashtag_key
from glimpse.posts.visibility import posts_visible_to

T = TypeVar("T", Like, Repost)

THREAD_MAX = 1000  # the comments and replies a whole thread shows at most


def public_post_ids(
    *,
    viewer: User | None,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[int]:
    """Return a page of the newest posts of public accounts the viewer may see, less those
    of accounts it muted (as Explore leaves them out)."""
    posts = Post.objects.listed_to(viewer).unmuted_for(viewer).discoverable_to(viewer)
    posts = posts.filter(author__is_private=False)
    page = paginate(posts.only("pk"), max_id=max_id, since_id=since_id, min_id=min_id, limit=limit)
    return Page(items=[post.pk for post in page.items], next_max_id=page.next_max_id)


def account_post_ids_between(
    *,
    viewer: User | None,
    account: User,
    pinned: bool = False,
    tagged: str | None = None,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[int]:
    """Return a page of an account's posts the viewer may see, newest first, pinned ones in
    their place (``pinned``: those only; ``tagged``: those with this hashtag); a private
    account's are for its followers."""
    posts = Post.objects.listed_to(viewer).filter(author=account)
    if pinned:
        posts = posts.filter(pinned_at__isnull=False)
    if tagged is not None:
        posts = posts.filter(post_hashtags__hashtag__name=hashtag_key(tagged))
    page = paginate(posts.only("pk"), max_id=max_id, since_id=since_id, min_id=min_id, limit=limit)
    return Page(items=[post.pk for post in page.items], next_max_id=page.next_max_id)


def comment_thread(*, viewer: User | None, post_id: int) -> list[Comment]:
    """Return a post's comments and replies the viewer may see, oldest first, hydrated (at
    most ``THREAD_MAX``)."""
    post = posts_visible(viewer=viewer).filter(pk=post_id).first()
    if post is None:
        raise NotFound(MISSING_POST)
    comments = (
        Comment.objects.visible_to(viewer)
        .filter(post=post)
        .select_related("author")
        .order_by("pk")[:THREAD_MAX]
    )
    return comments_hydrate(viewer=viewer, post=post, comments=comments)


def post_reposters(
    *,
    viewer: User | None,
    post_id: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[Repost]:
    """Return the reposts of a post by accounts the viewer may see, the latest first, with
    their accounts (cursor: the repost's id)."""
    return _of_visible_accounts(
        Repost, viewer, post_id, max_id=max_id, since_id=since_id, min_id=min_id, limit=limit
    )


def own_repost(*, user: User, post_id: int) -> Repost | None:
    """Return the account's repost of a post, if it reposted it."""
    return Repost.objects.filter(user=user, post_id=post_id).first()


def post_likes(
    *,
    viewer: User | None,
    post_id: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[Like]:
    """Return the likes of a post by accounts the viewer may see, the latest first, with
    their accounts (cursor: the like's id)."""
    return _of_visible_accounts(
        Like, viewer, post_id, max_id=max_id, since_id=since_id, min_id=min_id, limit=limit
    )


def own_saves(
    *,
    viewer: User,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[Save]:
    """Return the viewer's saves of posts it may still see, the latest first (cursor: the
    save's id; ``post_id`` names the post)."""
    saves = Save.objects.filter(posts_visible_to(viewer, post="post"), user=viewer)
    window = {"max_id": max_id, "since_id": since_id, "min_id": min_id, "limit": limit}
    return paginate(saves.only("pk", "post_id"), **window)


def own_likes(
    *,
    viewer: User,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[Like]:
    """Return the viewer's likes of posts it may still see, the latest first (cursor: the
    like's id; ``post_id`` names the post)."""
    likes = Like.objects.filter(posts_visible_to(viewer, post="post"), user=viewer)
    window = {"max_id": max_id, "since_id": since_id, "min_id": min_id, "limit": limit}
    return paginate(likes.only("pk", "post_id"), **window)


def _of_visible_accounts(
    model: type[T], viewer: User | None, post_id: int, **window: int | None
) -> Page[T]:
    """Return a page of a post's likes or reposts by accounts the viewer may see, with their
    accounts; a post the viewer may not see is missing."""
    if not posts_visible(viewer=viewer).filter(pk=post_id).exists():
        raise NotFound(MISSING_POST)
    rows = model.objects.filter(
        accounts_visible_to(viewer, account="user"), post_id=post_id
    ).select_related("user")
    return paginate(rows, **window)

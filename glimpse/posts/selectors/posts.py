"""Reading posts as a viewer may see them, hydrated for a page in a constant number of queries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from glimpse.accounts.models import User
from glimpse.accounts.viewers import viewer_or_none
from glimpse.core.errors import NotFound, PermissionDenied
from glimpse.core.pagination import Page, clamp_limit, paginate
from glimpse.core.prepared import PreparedQuery
from glimpse.core.site import absolute_url, site_url
from glimpse.graph.selectors import account_get
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.models import (
    Like,
    PeopleTag,
    Post,
    PostEdit,
    PostHashtag,
    PostItem,
    PostMention,
    Repost,
    Save,
)

MISSING_POST = "No post with this id."
# The path of a post's page (its permalink), read back from an address.
_PERMALINK_PATH = re.compile(r"/p/([0-9]{1,20})/?")


def posts_visible(*, viewer: User | None) -> QuerySet[Post]:
    """Return every post the viewer may see, with author and place joined in."""
    return Post.objects.visible_to(viewer).select_related("author", "place")


def post_get(*, viewer: User | None, post_id: int) -> Post:
    """Return one post, hydrated for the viewer, or raise NotFound (also when hidden)."""
    post = posts_visible(viewer=viewer).filter(pk=post_id).first()
    if post is None:
        raise NotFound(MISSING_POST)
    return posts_hydrate(viewer=viewer, posts=[post])[0]


def posts_hydrate(*, viewer: User | None, posts: Iterable[Post]) -> list[Post]:
    """Load what a page shows of these posts: one query per relation, whatever their number.

    Items with their media, the people tags and mentions the viewer may see, hashtags, and
    the viewer's own state (liked, saved, reposted) set on each post.
    """
    posts = list(posts)
    if not posts:
        return posts
    viewer = viewer_or_none(viewer)
    prefetch_related_objects(
        posts,
        "author",
        "place",
        Prefetch("items", queryset=PostItem.objects.select_related("media").order_by("position")),
        Prefetch(
            "items__people_tags",
            queryset=PeopleTag.objects.filter(accounts_visible_to(viewer, account="account"))
            .select_related("account")
            .order_by("pk"),
        ),
        Prefetch(
            "post_hashtags",
            queryset=PostHashtag.objects.select_related("hashtag").order_by("position"),
        ),
        Prefetch(
            "mentions",
            queryset=PostMention.objects.filter(accounts_visible_to(viewer, account="account"))
            .select_related("account")
            .order_by("position"),
        ),
    )
    if viewer is None:
        return posts
    ids = [post.pk for post in posts]
    liked = _post_ids(Like.objects.filter(user=viewer, post_id__in=ids))
    saved = _post_ids(Save.objects.filter(user=viewer, post_id__in=ids))
    reposted = _post_ids(Repost.objects.filter(user=viewer, post_id__in=ids))
    for post in posts:
        post.viewer_liked = post.pk in liked
        post.viewer_saved = post.pk in saved
        post.viewer_reposted = post.pk in reposted
        post.viewer_is_author = post.author_id == viewer.pk
    return posts


def account_posts(
    *, viewer: User | None, username: str, max_id: int | None = None, limit: int | None = None
) -> Page[Post]:
    """Return a profile grid page, hydrated: the posts of ``account_post_ids``, in its order."""
    page = account_post_ids(viewer=viewer, username=username, max_id=max_id, limit=limit)
    found = Post.objects.select_related("author", "place").in_bulk(page.items)
    posts = [found[pk] for pk in page.items if pk in found]
    return Page(items=posts_hydrate(viewer=viewer, posts=posts), next_max_id=page.next_max_id)


def account_post_ids(
    *, viewer: User | None, username: str, max_id: int | None = None, limit: int | None = None
) -> Page[int]:
    """Return a profile grid page as post ids: pinned posts first (first page only), then
    newest first; the queries are compiled once per page size.

    A private account's grid is empty for viewers who do not follow it.
    """
    account = account_get(viewer=viewer, username=username)
    seen_by = viewer_or_none(viewer)
    as_seen = {"author": account.pk, "viewer": seen_by.pk if seen_by else None}
    pinned: list[int] = []
    if max_id is None:
        pinned = [pk for (pk,) in _GRID.rows(fixed=(("pinned", True),), below=None, **as_seen)]
    size = clamp_limit(limit)
    fixed = (("pinned", False), ("size", size))
    ids = [pk for (pk,) in _GRID.rows(fixed=fixed, below=max_id, **as_seen)]
    next_max_id = ids[size - 1] if len(ids) > size else None
    return Page(items=[*pinned, *ids[:size]], next_max_id=next_max_id)


def _grid_query(
    *, author: int, viewer: int | None, below: int | None, pinned: bool, size: int = 0
) -> QuerySet[Post, Any]:
    """A profile grid's ids: its pinned posts, or a page of the others below ``below``."""
    seen_by = None if viewer is None else User(pk=viewer)
    posts = Post.objects.listed_to(seen_by).filter(author_id=author)
    if pinned:
        return posts.filter(pinned_at__isnull=False).order_by("-pinned_at", "-pk").values_list("pk")
    if below is not None:
        posts = posts.filter(pk__lt=below)
    return posts.filter(pinned_at__isnull=True).order_by("-pk").values_list("pk")[: size + 1]


_GRID = PreparedQuery(_grid_query)


def account_reels(
    *, viewer: User | None, username: str, max_id: int | None = None, limit: int | None = None
) -> Page[Post]:
    """Return a profile's Reels tab page: the account's live reels, newest first.

    A private account's reels are for its followers, as its grid is.
    """
    account = account_get(viewer=viewer, username=username)
    reels = posts_visible(viewer=viewer).filter(
        author=account, kind=Post.Kind.REEL, is_archived=False
    )
    page = paginate(reels, max_id=max_id, limit=limit)
    return Page(items=posts_hydrate(viewer=viewer, posts=page.items), next_max_id=page.next_max_id)


def archived_posts(
    *, viewer: User, max_id: int | None = None, limit: int | None = None
) -> Page[Post]:
    """Return the viewer's own archived posts, newest first."""
    posts = Post.objects.filter(author=viewer, is_archived=True).select_related("author", "place")
    page = paginate(posts, max_id=max_id, limit=limit)
    return Page(items=posts_hydrate(viewer=viewer, posts=page.items), next_max_id=page.next_max_id)


def post_edits(
    *, viewer: User, post_id: int, max_id: int | None = None, limit: int | None = None
) -> Page[PostEdit]:
    """Return the edit history of one of the viewer's posts, newest first."""
    post = posts_visible(viewer=viewer).filter(pk=post_id).first()
    if post is None:
        raise NotFound(MISSING_POST)
    if post.author_id != viewer.pk:
        raise PermissionDenied("Only the post's author can see its edits.", code="not_author")
    return paginate(PostEdit.objects.filter(post=post), max_id=max_id, limit=limit)


def post_edit_history(*, viewer: User, post_id: int, limit: int = 100) -> list[PostEdit]:
    """Return the latest ``limit`` edits of one of the viewer's posts, oldest first."""
    post = posts_visible(viewer=viewer).filter(pk=post_id).first()
    if post is None:
        raise NotFound(MISSING_POST)
    if post.author_id != viewer.pk:
        raise PermissionDenied("Only the post's author can see its edits.", code="not_author")
    return list(PostEdit.objects.filter(post=post).order_by("-pk")[:limit])[::-1]


def post_is_public(*, post_id: int) -> bool:
    """Tell whether anyone, signed in or not, may see a post (its link may be previewed)."""
    return posts_visible(viewer=None).filter(pk=post_id).exists()


def posts_live_count() -> int:
    """Return how many posts of this server's accounts are live (published, not archived),
    whoever may see them."""
    return Post.objects.filter(is_archived=False, author__domain="").count()


def post_permalink(*, post_id: int) -> str:
    """Return the absolute address of a post's page, for sharing (`/p/<id>/`)."""
    return absolute_url(f"/p/{post_id}/")


def post_id_of_permalink(*, url: str) -> int | None:
    """Return the id of the post whose page on this site an address is, or None."""
    site = urlsplit(site_url())
    parts = urlsplit(url.strip())
    if not site.netloc or parts.netloc.lower() != site.netloc.lower():
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    # A shared link may carry a query or a fragment (a tracking tag): the path names the post.
    match = _PERMALINK_PATH.fullmatch(parts.path)
    return int(match[1]) if match else None


def _post_ids(rows: QuerySet[Any]) -> set[int]:
    return set(rows.values_list("post_id", flat=True))

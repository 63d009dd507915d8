"""The visibility policy of graph/ applied to posts and comments: their one entry.

Nothing is decided here that graph/visibility.py does not say, except what only posts have:
an archived post is seen by its author alone, and only in the archive and on its own page.
Content hidden by reports follows the policy's rule for it.

Read paths ask the QuerySet methods of the models (``Post.objects.visible_to(viewer)``,
``.listed_to``, ``.unmuted_for``, ``Comment.objects.visible_to``, and for places and
hashtags ``Place.objects.visible_to``, ``Hashtag.objects.visible_to``); rows that point at
a post (saves, collection items, notifications, hashtag links) apply the same filters at
the path of their post.
"""

from __future__ import annotations

from django.db.models import Q

from glimpse.accounts.models import User
from glimpse.accounts.viewers import viewer_or_none
from glimpse.graph.visibility import (
    _content_visible_to,
    _unflagged,
    accounts_discoverable_to,
    accounts_unmuted_for,
    accounts_visible_to,
)


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def posts_visible_to(viewer: User | None, *, post: str = "") -> Q:
    """Return a filter keeping the posts (at path ``post``) the viewer may see."""
    viewer = viewer_or_none(viewer)
    prefix = _prefix(post)
    live = Q(**{f"{prefix}is_archived": False})
    if viewer is not None:
        live |= Q(**{f"{prefix}author": viewer.pk})
    flagged = _unflagged(viewer, kind="post", path=post or "pk", author=f"{prefix}author")
    return _content_visible_to(viewer, author=f"{prefix}author") & live & flagged


def posts_listed_to(viewer: User | None, *, post: str = "") -> Q:
    """Return a filter keeping the posts (at path ``post``) that lists show the viewer: the
    visible ones, less archived posts, which their author finds in the archive alone.

    Hashtag and place pages, their counts, and whether a tag or place exists at all for
    the viewer are all decided by this filter.
    """
    return posts_visible_to(viewer, post=post) & Q(**{f"{_prefix(post)}is_archived": False})


def posts_discoverable_to(viewer: User | None, *, post: str = "") -> Q:
    """Return a filter keeping the posts (at path ``post``) public surfaces show the viewer:
    those lists show, less the posts of limited servers' accounts it does not follow."""
    author = f"{_prefix(post)}author"
    return posts_listed_to(viewer, post=post) & accounts_discoverable_to(viewer, account=author)


def posts_held_in_feeds_of(viewer: User, *, post: str = "") -> Q:
    """Return a filter keeping the posts (at path ``post``) a home feed of the viewer may
    hold: content it may see, live, by an account it has not muted.

    A hide by reports is left to the read (``Post.objects.listed_to``): a moderator may lift
    it while the feed still holds the post.
    """
    prefix = _prefix(post)
    return (
        _content_visible_to(viewer, author=f"{prefix}author")
        & Q(**{f"{prefix}is_archived": False})
        & accounts_unmuted_for(viewer, account=f"{prefix}author")
    )


def comments_visible_to(viewer: User | None) -> Q:
    """Return a filter keeping the comments the viewer may see: on a visible post, by an
    account the viewer may see (a comment by a private account on a public post is shown).
    """
    return (
        posts_visible_to(viewer, post="post")
        & accounts_visible_to(viewer, account="author")
        & _unflagged(viewer, kind="comment")
    )


def comments_unhidden(*, comment: str = "") -> Q:
    """Return a filter dropping the comments (at path ``comment``) hidden by reports, for
    every viewer, their author included (a notification quoting one shows it to nobody)."""
    return _unflagged(None, kind="comment", path=comment or "pk")

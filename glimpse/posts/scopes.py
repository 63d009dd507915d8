"""The visibility policy of graph/ applied to posts and comments, as QuerySet filters.

Nothing is decided here that graph/visibility.py does not say, except what only posts have:
an archived post is seen by its author alone, and only in the archive and on its own page.
Content hidden by reports follows the policy's ``unflagged`` rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from glimpse.accounts.models import User
from glimpse.graph.visibility import accounts_visible_to, content_visible_to, unflagged


def viewer_or_none(viewer: Any) -> User | None:
    """Return the viewer as an account, None for anonymous callers (AnonymousUser included)."""
    return viewer if isinstance(viewer, User) and viewer.pk is not None else None


def posts_visible_to(viewer: User | None, *, post: str = "") -> Q:
    """Return a filter keeping the posts (at path ``post``) the viewer may see."""
    viewer = viewer_or_none(viewer)
    prefix = f"{post}__" if post else ""
    live = Q(**{f"{prefix}is_archived": False})
    if viewer is not None:
        live |= Q(**{f"{prefix}author": viewer.pk})
    flagged = unflagged(viewer, kind="post", path=post or "pk", author=f"{prefix}author")
    return content_visible_to(viewer, author=f"{prefix}author") & live & flagged


def posts_listed_to(viewer: User | None, *, post: str = "") -> Q:
    """Return a filter keeping the posts (at path ``post``) that lists show the viewer: the
    visible ones, less archived posts, which their author finds in the archive alone.

    Hashtag and place pages, their counts, and whether a tag or place exists at all for
    the viewer are all decided by this filter.
    """
    prefix = f"{post}__" if post else ""
    return posts_visible_to(viewer, post=post) & Q(**{f"{prefix}is_archived": False})


def comments_visible_to(viewer: User | None) -> Q:
    """Return a filter keeping the comments the viewer may see: on a visible post, by an
    account the viewer may see (a comment by a private account on a public post is shown).
    """
    return (
        posts_visible_to(viewer, post="post")
        & accounts_visible_to(viewer, account="author")
        & unflagged(viewer, kind="comment")
    )

"""Reading comments and replies as a viewer may see them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects

from glimpse.accounts.models import User
from glimpse.accounts.viewers import viewer_or_none
from glimpse.core.errors import NotFound
from glimpse.core.pagination import Page, paginate
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.models import Comment, CommentLike, CommentMention, Post
from glimpse.posts.selectors.posts import MISSING_POST, posts_visible

MISSING_COMMENT = "No comment with this id."
# How many of a post's newest comments are searched for those a card previews.
COMMENTS_SEARCHED = 20


def comment_list(
    *,
    viewer: User | None,
    post_id: int,
    parent_id: int | None = None,
    max_id: int | None = None,
    limit: int | None = None,
) -> Page[Comment]:
    """Return a post's comments newest first (the pinned one first), or a thread's replies."""
    post = posts_visible(viewer=viewer).filter(pk=post_id).first()
    if post is None:
        raise NotFound(MISSING_POST)
    comments = Comment.objects.visible_to(viewer).filter(post=post).select_related("author")
    if parent_id is not None:
        if not comments.filter(pk=parent_id, parent__isnull=True).exists():
            raise NotFound(MISSING_COMMENT)
        page = paginate(comments.filter(parent_id=parent_id), max_id=max_id, limit=limit)
        return Page(
            comments_hydrate(viewer=viewer, post=post, comments=page.items), page.next_max_id
        )
    comments = comments.filter(parent__isnull=True)
    pinned = list(comments.filter(pinned_at__isnull=False)) if max_id is None else []
    page = paginate(comments.filter(pinned_at__isnull=True), max_id=max_id, limit=limit)
    items = comments_hydrate(viewer=viewer, post=post, comments=[*pinned, *page.items])
    return Page(items=items, next_max_id=page.next_max_id)


def comment_get(*, viewer: User | None, comment_id: int) -> Comment:
    """Return one comment, hydrated for the viewer, or raise NotFound (also when hidden)."""
    comment = (
        Comment.objects.visible_to(viewer)
        .filter(pk=comment_id)
        .select_related("author", "post")
        .first()
    )
    if comment is None:
        raise NotFound(MISSING_COMMENT)
    return comments_hydrate(viewer=viewer, post=comment.post, comments=[comment])[0]


def comments_hydrate(
    *, viewer: User | None, post: Post, comments: Iterable[Comment]
) -> list[Comment]:
    """Load the visible mentions and the viewer's state of comments, in two queries."""
    comments = list(comments)
    if not comments:
        return comments
    viewer = viewer_or_none(viewer)
    prefetch_related_objects(
        comments,
        "author",
        Prefetch(
            "mentions",
            queryset=CommentMention.objects.filter(
                accounts_visible_to(viewer, account="account")
            ).select_related("account"),
        ),
    )
    if viewer is None:
        return comments
    liked = set(
        CommentLike.objects.filter(
            user=viewer, comment_id__in=[c.pk for c in comments]
        ).values_list("comment_id", flat=True)
    )
    for comment in comments:
        comment.viewer_liked = comment.pk in liked
        comment.viewer_can_delete = viewer.pk in (comment.author_id, post.author_id)
    return comments


def comments_latest(viewer: User | None, *, count: int, post: str = "pk") -> list[Subquery]:
    """Return, for a query of posts, one subquery per position giving the id of the post's
    newest comments (not replies) the viewer may see, newest first (None past the last).

    ``post`` names the outer query's post id. The comments go through the one entry point
    of the policy (``Comment.objects.visible_to``): hidden comments and the comments of
    accounts the viewer blocked, was blocked by, or that are gone never come back. They are
    looked for among the post's newest ``COMMENTS_SEARCHED`` comments (walked by their
    index), not checked against the policy one by one through all of them.
    """
    searched = (
        Comment.objects.filter(post=OuterRef(OuterRef(post)), parent__isnull=True)
        .order_by("-pk")
        .values("pk")[:COMMENTS_SEARCHED]
    )
    newest = (
        Comment.objects.visible_to(viewer)
        .filter(post=OuterRef(post), parent__isnull=True, pk__in=searched)
        .order_by("-pk")
        .values("pk")
    )
    return [Subquery(newest[n : n + 1]) for n in range(count)]

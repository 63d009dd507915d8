"""What every post service shares: finding what the actor may touch, locks, counters."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Greatest

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound, PermissionDenied
from glimpse.posts.models import Comment, Post

MISSING_POST = "No post with this id."
MISSING_COMMENT = "No comment with this id."


def visible_post(actor: User, post_id: int, *, lock: bool = False) -> Post:
    """Return a post the actor may see, or raise NotFound (the same for a hidden one).

    With ``lock`` the post's row is locked until the transaction ends, so that the post
    cannot be deleted under a like or comment being added (the counters' own updates would
    take the same lock a moment later anyway).
    """
    posts = Post.objects.visible_to(actor).filter(pk=post_id)
    if lock:
        posts = posts.select_for_update(no_key=True, of=("self",))
    post = posts.first()
    if post is None:
        raise NotFound(MISSING_POST)
    return post


def own_post(actor: User, post_id: int) -> Post:
    """Return the actor's own post locked for a change; another's visible post is a 403."""
    post = Post.objects.visible_to(actor).filter(pk=post_id).select_for_update(of=("self",))
    found = post.first()
    if found is None:
        raise NotFound(MISSING_POST)
    if found.author_id != actor.pk:
        raise PermissionDenied("Only the post's author can do this.", code="not_author")
    return found


def visible_comment(actor: User, comment_id: int, *, lock: bool = False) -> Comment:
    """Return a comment the actor may see, with its post, or raise NotFound."""
    comments = Comment.objects.visible_to(actor).select_related("post").filter(pk=comment_id)
    if lock:
        comments = comments.select_for_update(no_key=True, of=("self",))
    comment = comments.first()
    if comment is None:
        raise NotFound(MISSING_COMMENT)
    return comment


def insert_once(row: models.Model) -> bool:
    """Insert a row guarded by a unique constraint; return False when it already exists."""
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def lock_rows(rows: QuerySet[Any]) -> None:
    """Lock some rows until the transaction ends, in id order (no-op on SQLite)."""
    list(rows.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))


def count_add(rows: QuerySet[Any], field: str, delta: int) -> None:
    """Add ``delta`` to a counter of some rows in one statement, never going below zero."""
    if delta == 0:
        return
    value = F(field) + delta if delta > 0 else Greatest(F(field) + delta, Value(0))
    rows.update(**{field: value})

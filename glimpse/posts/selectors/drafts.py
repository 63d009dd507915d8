"""Every read of drafts and scheduled posts: their author's alone."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.pagination import Page, paginate
from glimpse.posts.models import Draft, DraftItem

MISSING_DRAFT = "No draft with this id."


def drafts_list(
    *, viewer: User, scheduled: bool, max_id: int | None = None, limit: int | None = None
) -> Page[Draft]:
    """Return the viewer's drafts, or its scheduled posts, newest first, with their items."""
    drafts = _own(viewer).filter(publish_at__isnull=not scheduled)
    return paginate(drafts, max_id=max_id, limit=limit)


def draft_get(*, viewer: User, draft_id: int) -> Draft:
    """Return one of the viewer's drafts with its items; anyone else's raises NotFound."""
    draft = _own(viewer).filter(pk=draft_id).first()
    if draft is None:
        raise NotFound(MISSING_DRAFT)
    return draft


def draft_failed(*, author_id: int, draft_id: int) -> Draft | None:
    """Return an account's scheduled post whose publishing failed, or None (since changed)."""
    return Draft.objects.filter(pk=draft_id, author_id=author_id, failed_at__isnull=False).first()


def drafts_count(*, viewer: User) -> int:
    """Return how many drafts and scheduled posts the viewer keeps."""
    return Draft.objects.filter(author=viewer).count()


def _own(viewer: User) -> QuerySet[Draft]:
    items = DraftItem.objects.select_related("media").order_by("position")
    return (
        Draft.objects.filter(author=viewer)
        .select_related("place")
        .prefetch_related(Prefetch("items", queryset=items))
    )

"""Changes to posts and comments of other servers: an edit by their author, newer than the
version kept, goes through the posts' own edit services; a delete by their author through
their delete services. Nothing else here writes to them.
"""

from __future__ import annotations

from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.federation.models import RemoteObject
from glimpse.federation.remote.notes import ParsedNote
from glimpse.federation.remote.posts import NoteRefused, local_names
from glimpse.federation.remote.text import caption_of, comment_text_of
from glimpse.posts.models import PostItem
from glimpse.posts.services import (
    ItemSpec,
    comment_delete,
    comment_update,
    post_delete,
    post_update,
)


def remote_object_update(*, note: ParsedNote, author: User) -> None:
    """Apply an edit of a stored Note by its author, unless it is not newer than ours."""
    with transaction.atomic():
        row = _authored(note.uri, author, lock=True)
        changed_at = note.changed_at
        if changed_at is None or changed_at <= row.updated_at:
            raise NoteRefused("this version is not newer than the one kept")
        locals_ = local_names(note)
        try:
            if row.post_id is not None:
                post_update(
                    actor=author,
                    post_id=row.post_id,
                    caption=caption_of(note, local_names=locals_),
                    items=_alt_texts(row.post_id, note),
                )
            elif row.comment_id is not None:
                comment_update(
                    actor=author,
                    comment_id=row.comment_id,
                    text=comment_text_of(note, local_names=locals_),
                )
        except GlimpseError as error:
            raise NoteRefused(f"the edit was refused: {error.message}") from error
        row.updated_at = changed_at
        row.save(update_fields=["updated_at"])


def remote_object_delete(*, uri: str, author: User) -> None:
    """Delete a stored post or comment at its author's request."""
    row = _authored(uri, author)
    try:
        if row.post_id is not None:
            post_delete(actor=author, post_id=row.post_id)
        elif row.comment_id is not None:
            comment_delete(actor=author, comment_id=row.comment_id)
    except GlimpseError as error:
        raise NoteRefused(f"the delete was refused: {error.message}") from error


def _authored(uri: str, author: User, *, lock: bool = False) -> RemoteObject:
    """Return the stored object of this id if the author wrote it; refuse anything else."""
    rows = RemoteObject.objects.select_for_update() if lock else RemoteObject.objects.all()
    row = rows.filter(uri=uri).first()
    # Another author's object answers like an unknown one: nothing tells the sender more.
    if row is None or row.author_id != author.pk:
        raise NoteRefused("nothing here by this author has this id")
    return row


def _alt_texts(post_id: int, note: ParsedNote) -> dict[int, ItemSpec]:
    """Return the new alt texts by media id, when the Note's attachments match the items.

    Items are matched by position, and only when the Note has as many attachments as the
    post kept items (an item left out at first would shift every later one).
    """
    items = PostItem.objects.filter(post_id=post_id).order_by("position")
    media_ids = list(items.values_list("media_id", flat=True))
    if len(media_ids) != len(note.attachments):
        return {}
    return {
        media_id: ItemSpec(alt_text=attachment.alt_text)
        for media_id, attachment in zip(media_ids, note.attachments, strict=True)
    }

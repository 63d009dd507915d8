"""Bring one post or story of an archive in, through the media pipeline and the services
every post and story goes through, or note why not; and the report of a run."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.core.unavailable import UNAVAILABLE_ERRORS
from glimpse.imports.contents import Problem, SourceMedia, SourcePost, SourceStory
from glimpse.imports.models import ImportedItem
from glimpse.imports.zipreader import MemberRefused, SafeZip
from glimpse.media.models import MediaItem
from glimpse.media.services import media_delete, media_upload
from glimpse.posts.services.posts import post_archive, post_create
from glimpse.stories.services import story_import

logger = logging.getLogger(__name__)

# The report keeps this many skipped items in full; the count covers them all.
REPORT_ITEMS_MAX = 200
UNEXPECTED = "This item could not be imported."


@dataclass
class ItemRun:
    """One run over an archive's items, counting what came in, what was there, what not."""

    user: User
    archive: SafeZip
    source: str
    posts: int = 0
    stories: int = 0
    already: int = 0
    problems: list[Problem] = field(default_factory=list)

    def bring_in(self, item: SourcePost | SourceStory) -> None:
        """Import one item unless a run imported it before; a refusal is noted, not raised."""
        kind = ImportedItem.Kind.POST if isinstance(item, SourcePost) else ImportedItem.Kind.STORY
        if ImportedItem.objects.filter(user=self.user, key=item.key).exists():
            self.already += 1
            return
        made: list[MediaItem] = []
        try:
            sources = item.media if isinstance(item, SourcePost) else (item.media,)
            shape = "post" if kind == ImportedItem.Kind.POST else "story"
            made.extend(self._upload(media, shape) for media in sources)
            with transaction.atomic():
                object_id = self._create(item, [m.pk for m in made])
                ImportedItem.objects.create(
                    user=self.user, key=item.key, kind=kind, object_id=object_id
                )
        except IntegrityError:  # another run recorded it meanwhile: this one adds nothing
            self._drop(made)
            self.already += 1
        except (GlimpseError, MemberRefused) as error:
            self._drop(made)
            self.problems.append(Problem(item=_label(item), reason=_reason(error)))
        except UNAVAILABLE_ERRORS:
            raise  # the database or Redis is down: the whole job is retried later
        except Exception:
            # A file no check foresaw (a decoder's own error): the next item still comes in.
            logger.exception("import of %s for %s failed", _label(item), self.user.pk)
            self._drop(made)
            self.problems.append(Problem(item=_label(item), reason=UNEXPECTED))
        else:
            if kind == ImportedItem.Kind.POST:
                self.posts += 1
            else:
                self.stories += 1

    def report(self) -> dict[str, Any]:
        """Return the report of the run so far, as the import keeps it."""
        return {
            "posts": self.posts,
            "stories": self.stories,
            "already": self.already,
            "skipped_count": len(self.problems),
            "skipped": [
                {"item": p.item, "reason": p.reason} for p in self.problems[:REPORT_ITEMS_MAX]
            ],
        }

    def _upload(self, source: SourceMedia, shape: str) -> MediaItem:
        """Send one file of the archive through the media pipeline and wait for its render."""
        if source.member is None:
            raise MemberRefused(f"The archive does not hold {source.named}.")
        limit = max(settings.GLIMPSE_PHOTO_MAX_BYTES, settings.GLIMPSE_VIDEO_MAX_BYTES)
        with self.archive.spooled(source.member, limit=limit) as (stream, size):
            try:
                item = media_upload(
                    owner=self.user,
                    upload=stream,
                    size_bytes=size,
                    alt_text=source.alt_text[: settings.GLIMPSE_ALT_TEXT_MAX],
                    shape=shape,
                    process_inline=True,
                )
            except GlimpseError as error:  # not what its name says, too large, too many pixels
                raise MemberRefused(f"{source.named}: {_reason(error)}") from error
        if item.status != MediaItem.Status.READY:
            media_delete(owner=self.user, media_id=item.pk)
            raise MemberRefused(f"{source.named} could not be processed.")
        return item

    def _create(self, item: SourcePost | SourceStory, media_ids: list[int]) -> int:
        if isinstance(item, SourceStory):
            story = story_import(
                author=self.user,
                media_id=media_ids[0],
                created_at=item.created_at,
                caption=item.caption,
            )
            return story.pk
        post = post_create(
            author=self.user,
            media_ids=media_ids,
            caption=item.caption,
            place=item.place,
            created_at=item.created_at,
            imported_from=self.source,
        )
        if item.archived:  # hidden on the other server: hidden here too
            post_archive(actor=self.user, post_id=post.pk)
        return post.pk

    def _drop(self, made: list[MediaItem]) -> None:
        """Delete the files uploaded for an item that did not come in."""
        for media in made:
            media_delete(owner=self.user, media_id=media.pk)


def _label(item: SourcePost | SourceStory) -> str:
    kind = "Post" if isinstance(item, SourcePost) else "Story"
    first = item.media[0] if isinstance(item, SourcePost) else item.media
    return f"{kind} of {item.created_at:%Y-%m-%d %H:%M} ({first.named})"


def _reason(error: GlimpseError | MemberRefused) -> str:
    if isinstance(error, MemberRefused):
        return str(error)
    found = [message for messages in error.fields.values() for message in messages]
    return " ".join(found) if found else error.message

"""Erase an account for good: its rows, what it did to others, and every file it stored."""

from __future__ import annotations

import contextlib
import logging
import os
from collections import Counter

from django.core.files.storage import default_storage
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.core.event_bus import publish
from glimpse.core.events import AccountErased
from glimpse.graph import services as graph_services
from glimpse.media.models import MediaItem
from glimpse.media.storage import media_path, storage_delete_prefix
from glimpse.messages.services.accounts import account_messages_delete
from glimpse.posts import services as posts_services
from glimpse.posts.services.common import count_add
from glimpse.privacy.models import StorageSweep
from glimpse.realtime import sockets as realtime
from glimpse.stories.models import Story, StoryView

logger = logging.getLogger(__name__)


def account_storage_prefixes(user_id: int) -> list[str]:
    """Return every storage folder holding files of the account (the media items it owns:
    those of its posts, stories and messages, and its unused uploads)."""
    keys = MediaItem.objects.filter(owner_id=user_id).values_list("storage_key", flat=True)
    return [
        *(media_path(key) for key in keys),
        f"avatars/{user_id}",
        export_folder(user_id),
    ]


def export_folder(user_id: int) -> str:
    """Return the storage folder of the account's data exports."""
    return f"exports/{user_id}"


def account_delete(*, user: User, password: str) -> None:
    """Delete the account, everything it owns and its files at once, after its password.

    People's own deletions wait for a grace period (``privacy.deletion``); this is the
    immediate path, as the purge after that period and the staff take it.
    """
    if not user.check_password(password):
        raise InvalidInput(fields={"password": ["This is not your password."]})
    account_erase(user=user)


def account_erase(*, user: User) -> None:
    """Delete the account with everything it made, and then every file it stored.

    The folders to empty are noted in the same transaction that deletes the rows; the
    files go after the commit, and a run killed before the end is finished by
    ``storage_sweeps_run`` (a periodic job), so no file outlives its account.
    """
    user_id = user.pk
    with transaction.atomic():
        # Published before the rows go: subscribers may note what they held about them.
        publish(AccountErased(account_id=user_id))
        StorageSweep.objects.bulk_create(
            StorageSweep(prefix=prefix) for prefix in account_storage_prefixes(user_id)
        )
        # Remove what the account did to others first, so that their counts stay exact.
        _story_views_delete(user)
        account_messages_delete(user=user)
        posts_services.account_posts_delete(user=user)
        graph_services.account_graph_delete(user=user)
        user.delete()
        realtime.disconnect_account(user_id)
        transaction.on_commit(storage_sweeps_run)


def storage_sweeps_run(*, limit: int = 1000) -> int:
    """Empty the storage folders noted for erasure; return how many were finished."""
    done = 0
    for sweep in StorageSweep.objects.order_by("pk")[:limit]:
        try:
            storage_delete_prefix(sweep.prefix)
            _remove_empty_folders(sweep.prefix)
        except OSError:
            # Storage is briefly unreachable: the note stays and the next run retries it.
            logger.warning("could not empty %s; will retry", sweep.prefix, exc_info=True)
            continue
        StorageSweep.objects.filter(pk=sweep.pk).delete()
        done += 1
    return done


def _story_views_delete(user: User) -> None:
    """Take the account's views off other people's story counts."""
    views = StoryView.objects.filter(viewer=user).exclude(story__author=user)
    by_amount: dict[int, list[int]] = {}
    for story_id, amount in Counter(views.values_list("story_id", flat=True)).items():
        by_amount.setdefault(amount, []).append(story_id)
    for amount, story_ids in by_amount.items():
        count_add(Story.objects.filter(pk__in=story_ids), "view_count", -amount)
    views.delete()


def _remove_empty_folders(prefix: str) -> None:
    """Remove the emptied folder tree on disk storage (object storage has no folders)."""
    try:
        root = default_storage.path(prefix)
    except NotImplementedError:
        return
    if not os.path.isdir(root):
        return
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        # A folder that is not empty got a file meanwhile: the next sweep of it handles it.
        with contextlib.suppress(OSError):
            os.rmdir(folder)

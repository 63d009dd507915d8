"""The avatars of accounts of other servers: the picture an actor names as its ``icon``,
fetched once per address and made into an avatar by the pipeline local uploads go through,
so that pages never load a picture from another server.

The account remembers the address its avatar came from (``avatar_source``): storing an
actor whose icon is another queues the job, and the job does nothing when they already
match, so it can run twice or be cut off halfway. A picture that cannot be fetched or is
refused leaves the default avatar, and is tried again the next time the actor is read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.accounts.services import remote_avatar_clear, remote_avatar_set
from glimpse.core.errors import GlimpseError
from glimpse.federation.fetch import FetchRefused, fetch_media
from glimpse.federation.models import RemoteActor
from glimpse.federation.switch import federation_enabled

# Any image type: the pipeline decides by the content, against the uploads' allow-list.
IMAGE_TYPES = ("image/*",)


def remote_avatar_wanted(*, user: User, icon_url: str) -> bool:
    """Tell whether an account's avatar is not yet the picture at ``icon_url``."""
    return user.avatar_source != icon_url or bool(icon_url) != bool(user.avatar_version)


def remote_avatar_refresh(*, user_id: int) -> str:
    """Make a remote account's avatar its actor's icon (or the default when it has none or
    it fails); return what was done."""
    actor = RemoteActor.objects.select_related("user").filter(user_id=user_id).first()
    if actor is None:
        return "gone"
    icon_url = actor.icon_url
    if not remote_avatar_wanted(user=actor.user, icon_url=icon_url):
        return "unchanged"
    if not icon_url:
        remote_avatar_clear(user=actor.user)
        return "removed"
    if not federation_enabled():
        return "off"
    try:
        fetched = fetch_media(
            icon_url, max_bytes=settings.GLIMPSE_AVATAR_MAX_BYTES, allowed_types=IMAGE_TYPES
        )
    except FetchRefused:
        return _failed(user_id, icon_url)
    with transaction.atomic():
        # Another store may have named another icon meanwhile: its own job will fetch it.
        user = _locked_if_still(user_id, icon_url)
        if user is None:
            return "stale"
        try:
            remote_avatar_set(user=user, data=fetched.body, source=icon_url)
        except GlimpseError:  # not a picture the pipeline takes, or too large
            remote_avatar_clear(user=user)
            return "refused"
    return "stored"


def _failed(user_id: int, icon_url: str) -> str:
    """Leave the default avatar after a failed fetch, unless the icon changed meanwhile."""
    with transaction.atomic():
        user = _locked_if_still(user_id, icon_url)
        if user is None:
            return "stale"
        remote_avatar_clear(user=user)
    return "failed"


def _locked_if_still(user_id: int, icon_url: str) -> User | None:
    """Lock the account while its actor still names ``icon_url``; None once it names another."""
    actor = (
        RemoteActor.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id, icon_url=icon_url)
        .first()
    )
    return actor.user if actor is not None else None

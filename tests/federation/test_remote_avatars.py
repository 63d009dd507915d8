"""Avatars of accounts of other servers: the actor's icon fetched by a job once the account is
stored, made into an avatar by the uploads' pipeline (sizes, WebP, no metadata), fetched again
only when the icon changes, and the default avatar when it cannot be had."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.accounts.avatars import avatar_path
from glimpse.accounts.models import User
from glimpse.accounts.selectors import avatar_urls
from glimpse.federation.remote.avatars import remote_avatar_refresh
from glimpse.federation.remote.resolve import actor_by_handle
from tests.accounts.images import GPS_IFD, MAKE, jpeg_with_gps
from tests.federation.remote_server import Peer, Remote, peer

ICON = "/media/alice.jpg"


def with_icon(remote: Remote, actor: Peer, path: str | None) -> None:
    """Serve the actor's document again, naming ``path`` as its icon (or none)."""
    if path is None:
        actor.document.pop("icon", None)
    else:
        actor.document["icon"] = {"type": "Image", "url": remote.url(path)}
    remote.serve("/users/alice", actor.document)


def store(remote: Remote, capture: Any, *, refresh: bool = False) -> User:
    """Read alice's actor and run the jobs its storing queues, as a worker would."""
    with capture(execute=True):
        user = actor_by_handle(f"alice@{remote.host}", refresh=refresh)
    user.refresh_from_db()
    return user


def avatar_files(user: User) -> list[str]:
    """Return the stored avatar files of an account's current version."""
    paths = [avatar_path(user.pk, user.avatar_version, s) for s in settings.GLIMPSE_AVATAR_SIZES]
    return [path for path in paths if default_storage.exists(path)]


@pytest.fixture
def alice(remote: Remote) -> Peer:
    """An actor of the test server whose icon is a JPEG carrying a GPS position."""
    actor = peer(remote, "alice")
    remote.serve_bytes(ICON, jpeg_with_gps((640, 480)), "image/jpeg")
    with_icon(remote, actor, ICON)
    return actor


def test_the_icon_becomes_a_stripped_avatar_in_every_size(
    remote: Remote, alice: Peer, django_capture_on_commit_callbacks: Any
) -> None:
    user = store(remote, django_capture_on_commit_callbacks)
    assert user.avatar_source == remote.url(ICON)
    assert len(avatar_files(user)) == len(settings.GLIMPSE_AVATAR_SIZES)
    for size in settings.GLIMPSE_AVATAR_SIZES:
        with default_storage.open(avatar_path(user.pk, user.avatar_version, size)) as stored:
            image = Image.open(io.BytesIO(stored.read()))
            assert image.format == "WEBP"
            assert image.size == (size, size)
            exif = image.getexif()
            assert GPS_IFD not in exif
            assert MAKE not in exif
    # Pages show the copy kept here, never the other server's address.
    urls = avatar_urls(user) or {}
    assert set(urls) == {str(size) for size in settings.GLIMPSE_AVATAR_SIZES}
    assert not any("remote.test" in url for url in urls.values())
    assert len(remote.asked(ICON)) == 1


def test_the_same_icon_is_not_fetched_again(
    remote: Remote, alice: Peer, django_capture_on_commit_callbacks: Any
) -> None:
    user = store(remote, django_capture_on_commit_callbacks)
    version = user.avatar_version
    # The job run twice, and the actor read again with the same icon.
    assert remote_avatar_refresh(user_id=user.pk) == "unchanged"
    user = store(remote, django_capture_on_commit_callbacks, refresh=True)
    assert user.avatar_version == version
    assert len(remote.asked(ICON)) == 1


def test_a_new_icon_replaces_the_avatar_and_its_files(
    remote: Remote, alice: Peer, django_capture_on_commit_callbacks: Any
) -> None:
    user = store(remote, django_capture_on_commit_callbacks)
    old = user.avatar_version
    old_files = avatar_files(user)
    remote.serve_bytes("/media/alice-2.png", _png(), "image/png")
    with_icon(remote, alice, "/media/alice-2.png")
    user = store(remote, django_capture_on_commit_callbacks, refresh=True)
    assert user.avatar_version not in ("", old)
    assert user.avatar_source == remote.url("/media/alice-2.png")
    assert len(avatar_files(user)) == len(settings.GLIMPSE_AVATAR_SIZES)
    assert not any(default_storage.exists(path) for path in old_files)


def test_a_removed_icon_leaves_the_default_avatar(
    remote: Remote, alice: Peer, django_capture_on_commit_callbacks: Any
) -> None:
    user = store(remote, django_capture_on_commit_callbacks)
    old_files = avatar_files(user)
    with_icon(remote, alice, None)
    user = store(remote, django_capture_on_commit_callbacks, refresh=True)
    assert (user.avatar_version, user.avatar_source) == ("", "")
    assert avatar_urls(user) is None
    assert not any(default_storage.exists(path) for path in old_files)


@pytest.mark.parametrize(
    ("serve", "outcome"),
    [
        (None, "failed"),  # the other server answers 404
        (("text/html", b"<html>not a picture</html>"), "failed"),  # not an image type
        (("image/png", b"\x89PNG\r\n\x1a\n broken"), "refused"),  # not a readable picture
        (("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "refused"),
    ],
)
def test_an_icon_that_cannot_be_had_leaves_the_default_avatar(
    remote: Remote,
    alice: Peer,
    django_capture_on_commit_callbacks: Any,
    serve: tuple[str, bytes] | None,
    outcome: str,
) -> None:
    user = store(remote, django_capture_on_commit_callbacks)
    assert user.avatar_version
    if serve is not None:
        remote.serve_bytes("/media/bad", serve[1], serve[0])
    with_icon(remote, alice, "/media/bad")
    with django_capture_on_commit_callbacks(execute=False):
        user = actor_by_handle(f"alice@{remote.host}", refresh=True)
    assert remote_avatar_refresh(user_id=user.pk) == outcome
    user.refresh_from_db()
    # Not the old picture (no longer the account's): the default one.
    assert (user.avatar_version, user.avatar_source) == ("", "")
    # The next read of the actor tries again.
    asked = len(remote.asked("/media/bad"))
    store(remote, django_capture_on_commit_callbacks, refresh=True)
    assert len(remote.asked("/media/bad")) == asked + 1


def test_an_icon_larger_than_the_avatar_limit_is_not_read(
    remote: Remote, alice: Peer, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.GLIMPSE_AVATAR_MAX_BYTES = 1000
    user = store(remote, django_capture_on_commit_callbacks)
    assert (user.avatar_version, user.avatar_source) == ("", "")
    assert len(remote.asked(ICON)) == 1


def test_nothing_is_fetched_while_federation_is_off(
    remote: Remote, alice: Peer, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        user = actor_by_handle(f"alice@{remote.host}")
    settings.GLIMPSE_FEDERATION = False
    assert remote_avatar_refresh(user_id=user.pk) == "off"
    user.refresh_from_db()
    assert user.avatar_version == ""
    assert remote.asked(ICON) == []


def test_a_local_account_has_no_remote_avatar_job(remote: Remote, make_user: Any) -> None:
    assert remote_avatar_refresh(user_id=make_user("ana").pk) == "gone"


def _png() -> bytes:
    """Return a small PNG picture."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), (10, 160, 90)).save(buffer, "PNG")
    return buffer.getvalue()

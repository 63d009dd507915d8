"""Notes as Mastodon, Pixelfed and GoToSocial send them (written from their documentation),
with real image files served by the test server, for the tests of incoming activities."""

from __future__ import annotations

import io
import itertools
from typing import Any

from PIL import Image

from glimpse.accounts.models import User
from glimpse.federation.models import InboxActivity
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.federation.vocabulary import PUBLIC
from glimpse.graph.models import FollowRequest
from glimpse.graph.services import follow_create, follow_request_approve
from glimpse.media.services import media_upload
from glimpse.posts.models import Post
from glimpse.posts.services import post_create
from tests.accounts.images import jpeg_with_gps
from tests.federation.remote_server import Peer, Remote

_files = itertools.count(1)


def png(size: tuple[int, int] = (640, 480), color: tuple[int, int, int] = (20, 160, 90)) -> bytes:
    """Return a real PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def served(remote: Remote, data: bytes, content_type: str, ext: str = "jpg") -> str:
    """Serve a file on the test server under a fresh path; return its address."""
    path = f"/media/{next(_files)}.{ext}"
    remote.serve_bytes(path, data, content_type)
    return remote.url(path)


def mastodon_photo(remote: Remote, alt: str | None = "A red sky", **more: Any) -> dict[str, Any]:
    """Return a Mastodon attachment: a ``Document`` with its type, size, blurhash, focus."""
    return {
        "type": "Document",
        "mediaType": "image/jpeg",
        "url": served(remote, jpeg_with_gps((900, 600)), "image/jpeg"),
        "name": alt,
        "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
        "focalPoint": [-0.5, 0.25],
        "width": 900,
        "height": 600,
        **more,
    }


def pixelfed_photo(remote: Remote, alt: str = "My cat on the sofa") -> dict[str, Any]:
    """Return a Pixelfed attachment: an ``Image`` with ``name`` as alt text, ``url`` a string."""
    return {
        "type": "Image",
        "mediaType": "image/png",
        "url": served(remote, png(), "image/png", "png"),
        "name": alt,
        "blurhash": "U4Rfh2~q00of~qxuM{xu_3%MxuRj%MayM{Rj",
        "width": 640,
        "height": 480,
    }


def note(peer: Peer, *, content: str = "<p>Hello</p>", **fields: Any) -> dict[str, Any]:
    """Return a public Note by the peer, as Mastodon shapes it, with any field replaced."""
    note_id = peer.new_id("statuses")
    return {
        "id": note_id,
        "type": "Note",
        "summary": None,
        "inReplyTo": None,
        "published": "2024-05-01T10:20:30Z",
        "url": note_id.replace("/statuses/", "/@"),
        "attributedTo": peer.uri,
        "to": [PUBLIC],
        "cc": [peer.uri + "/followers"],
        "sensitive": False,
        "content": content,
        "attachment": [],
        "tag": [],
        **fields,
    }


def create(peer: Peer, obj: dict[str, Any]) -> dict[str, Any]:
    """Return the Create of an object, addressed as the object is."""
    return peer.activity("Create", obj, to=obj.get("to"), cc=obj.get("cc"))


def account_of(peer: Peer) -> User:
    """Return the account of a peer here (fetched from the test server on first use)."""
    return actor_by_uri(peer.uri)


def followed(peer: Peer, by: User) -> User:
    """Make a local account follow a peer (its server accepted); return the peer's account."""
    account = account_of(peer)
    follow_create(follower=by, followee=account)
    request = FollowRequest.objects.get(requester=by, target=account)
    follow_request_approve(owner=account, request_id=request.pk)
    return account


def local_post(author: User, caption: str = "") -> Post:
    """Publish a one-photo post of a local account."""
    data = png()
    item = media_upload(
        owner=author, upload=io.BytesIO(data), size_bytes=len(data), process_inline=True
    )
    return post_create(author=author, media_ids=[item.pk], caption=caption)


def outcome(activity: dict[str, Any]) -> tuple[str, str]:
    """Return the state and reason recorded for a received activity."""
    row = InboxActivity.objects.get(activity_id=activity["id"])
    return row.state, row.error

"""The ids posts and comments have in ActivityPub, both ways.

A post of this server is ``<site>/p/<id>/`` (its permalink) and a comment
``<site>/comments/<id>``; a post or comment that came from another server keeps the id its
server gave it (``RemoteObject``). ``target_of(uri)`` reads an id back into the post or
comment it names here, or None when this server holds nothing by that id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from glimpse.core.site import absolute_url
from glimpse.federation.actors import local_host
from glimpse.federation.models import RemoteObject

_LOCAL_POST = re.compile(r"^/p/(\d{1,20})/?$")
_LOCAL_COMMENT = re.compile(r"^/comments/(\d{1,20})/?$")


@dataclass(frozen=True)
class Target:
    """A post or a comment of this server's database, by id."""

    kind: Literal["post", "comment"]
    id: int


def post_uri(post_id: int) -> str:
    """Return the ActivityPub id of a post: its server's id, or its permalink here."""
    remote = RemoteObject.objects.filter(post_id=post_id).values_list("uri", flat=True).first()
    return remote or local_post_uri(post_id)


def comment_uri(comment_id: int) -> str:
    """Return the ActivityPub id of a comment: its server's id, or its address here."""
    remote = (
        RemoteObject.objects.filter(comment_id=comment_id).values_list("uri", flat=True).first()
    )
    return remote or local_comment_uri(comment_id)


def local_post_uri(post_id: int) -> str:
    """Return the id of a post written on this server (its permalink)."""
    return absolute_url(f"/p/{post_id}/")


def local_comment_uri(comment_id: int) -> str:
    """Return the id of a comment written on this server."""
    return absolute_url(f"/comments/{comment_id}")


def target_of(uri: str) -> Target | None:
    """Return the post or comment an id names here, or None (it may still exist elsewhere)."""
    local = local_target(uri)
    if local is not None:
        return local
    found = RemoteObject.objects.filter(uri=uri).values_list("post_id", "comment_id").first()
    if found is None:
        return None
    post_id, comment_id = found
    return Target("post", post_id) if post_id else Target("comment", comment_id)


def local_target(uri: str) -> Target | None:
    """Return the post or comment an address of this server names, without a query."""
    parts = urlsplit(uri)
    if parts.netloc.lower() != local_host() or parts.query:
        return None
    if match := _LOCAL_POST.match(parts.path):
        return Target("post", int(match.group(1)))
    if match := _LOCAL_COMMENT.match(parts.path):
        return Target("comment", int(match.group(1)))
    return None

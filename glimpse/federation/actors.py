"""The documents of this server's actors: a local account as a ``Person``, the instance as
an ``Application``, and their follower and following collections (counts only).

Addresses follow one scheme every part of federation uses: an account's actor is
``/users/<username>`` (its key ``#main-key``), the instance's is ``/actor``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils.html import escape

from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountView, account_view_of
from glimpse.core.site import absolute_url, site_url
from glimpse.federation.keys import actor_key
from glimpse.federation.models import AccountAlias, RemoteActor
from glimpse.federation.vocabulary import ACTIVITY_STREAMS, CONTEXT
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.text import extract_hashtags, mention_spans, text_html

INSTANCE_ACTOR_PATH = "/actor"
SHARED_INBOX_PATH = "/inbox"
AVATAR_MEDIA_TYPE = "image/webp"  # every avatar size is stored as WebP


def local_host() -> str:
    """Return this server's host (with its port when it has one), lowercased."""
    return urlsplit(site_url()).netloc.lower()


def actor_path(username: str) -> str:
    """Return the path of a local account's actor."""
    return f"/users/{username}"


def actor_id(username: str) -> str:
    """Return the id (absolute address) of a local account's actor."""
    return absolute_url(actor_path(username))


def followers_id(username: str) -> str:
    """Return the id of a local account's followers collection."""
    return actor_id(username) + "/followers"


def outbox_id(username: str) -> str:
    """Return the id of a local account's outbox."""
    return actor_id(username) + "/outbox"


def instance_actor_id() -> str:
    """Return the id of the instance's own actor."""
    return absolute_url(INSTANCE_ACTOR_PATH)


def profile_url(username: str) -> str:
    """Return the absolute address of a local account's profile page."""
    return absolute_url(f"/{username}/")


def person_document(user: User) -> dict[str, Any]:
    """Return a local account as an ActivityPub ``Person`` (its key made on first need)."""
    me = actor_id(user.username)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": me,
        "type": "Person",
        "preferredUsername": user.username,
        "name": user.display_name,
        "summary": bio_html(user.bio),
        "url": profile_url(user.username),
        "inbox": f"{me}/inbox",
        "outbox": outbox_id(user.username),
        "followers": followers_id(user.username),
        "following": f"{me}/following",
        "endpoints": {"sharedInbox": absolute_url(SHARED_INBOX_PATH)},
        "publicKey": _public_key(me, actor_key(user).public_pem),
        # A private account approves each follower, as it does on Glimpse itself.
        "manuallyApprovesFollowers": user.is_private,
        "discoverable": True,
        "indexable": True,
        "published": _time(user.date_joined),
        "attachment": _profile_fields(user),
        "tag": [],
    }
    icon = _avatar(user)
    if icon is not None:
        document["icon"] = icon
    document.update(_moves(user))
    return document


def instance_actor_document() -> dict[str, Any]:
    """Return the instance's own actor, which signs what the server fetches for itself."""
    me = instance_actor_id()
    host = local_host()
    return {
        "@context": CONTEXT,
        "id": me,
        "type": "Application",
        "preferredUsername": host,
        "name": host,
        "url": absolute_url("/"),
        "inbox": f"{me}/inbox",
        "outbox": f"{me}/outbox",
        "endpoints": {"sharedInbox": absolute_url(SHARED_INBOX_PATH)},
        "publicKey": _public_key(me, actor_key(None).public_pem),
        # Nobody follows the instance: it only fetches on the server's behalf.
        "manuallyApprovesFollowers": True,
        "discoverable": False,
        "indexable": False,
    }


def count_collection_document(*, collection_id: str, total: int) -> dict[str, Any]:
    """Return a collection that tells how many items it has and lists none of them."""
    return {
        "@context": ACTIVITY_STREAMS,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
    }


def bio_html(text: str) -> str:
    """Return a bio as HTML paragraphs: escaped, its hashtags and the mentions of accounts
    anyone may see linked (as a caption is)."""
    if not text:
        return ""
    named = _visible_accounts([name for _, _, name in mention_spans(text)])
    return text_html(text, hashtags=extract_hashtags(text), mentions=named)


def _public_key(owner: str, pem: str) -> dict[str, str]:
    return {"id": f"{owner}#main-key", "owner": owner, "publicKeyPem": pem}


def _profile_fields(user: User) -> list[dict[str, str]]:
    if not user.website:
        return []
    return [{"type": "PropertyValue", "name": "Website", "value": _website_link(user.website)}]


def _website_link(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return str(escape(url))
    shown = url.split("://", 1)[1].rstrip("/")
    return (
        f'<a href="{escape(url)}" rel="me nofollow noopener noreferrer" '
        f'target="_blank">{escape(shown)}</a>'
    )


def _moves(user: User) -> dict[str, Any]:
    # The accounts it moved from (its aliases) and the one it moved to, by their actor ids.
    fields: dict[str, Any] = {}
    aliases = AccountAlias.objects.filter(user_id=user.pk).order_by("id")
    if uris := list(aliases.values_list("uri", flat=True)):
        fields["alsoKnownAs"] = uris
    moved_to = user.moved_to if user.moved_to_id is not None else None
    if moved_to is not None:
        remote = RemoteActor.objects.filter(user_id=moved_to.pk).values_list("uri", flat=True)
        fields["movedTo"] = remote.first() or actor_id(moved_to.username)
    return fields


def _avatar(user: User) -> dict[str, str] | None:
    # The picture every visitor of the profile sees, private accounts' included.
    urls = account_view_of(user).avatar_urls
    if not urls:
        return None
    largest = urls[max(urls, key=int)]
    # Local files have a site path; object storage gives an absolute address.
    url = urljoin(absolute_url("/"), largest)
    # Avatars have no alt text of their own: the name says whose picture it is.
    return {
        "type": "Image",
        "mediaType": AVATAR_MEDIA_TYPE,
        "url": url,
        "name": f"Profile picture of {user.name}",
    }


def _visible_accounts(names: list[str]) -> dict[str, AccountView]:
    # Lowercased name -> the account, for the accounts anyone may see.
    if not names:
        return {}
    found = User.objects.filter(
        accounts_visible_to(None), username__lower__in={name.lower() for name in names}
    )
    return {user.username.lower(): account_view_of(user) for user in found}


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

"""A post as an ActivityPub ``Note``, and the ``Create`` activity that carries it.

Both are thin mappings of the post's presenter (``PostView``), shaped as Mastodon and
Pixelfed read them: the caption as HTML with its hashtags and mentions linked, one
``Image`` or ``Video`` attachment per item with a lasting address (``media_links``), its
alt text, blurhash, size and focal point, the place, and the audience of the account
(docs/federation.md, "Posts as Notes").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from glimpse.accounts.presenters import AccountView
from glimpse.federation.actors import actor_id, followers_id
from glimpse.federation.media_links import federated_rendition, rendition_url
from glimpse.federation.mentions import handle_of, mention_uris
from glimpse.federation.vocabulary import CONTEXT, PUBLIC
from glimpse.media.presenters import MediaView
from glimpse.posts.presenters import PostView
from glimpse.posts.presenters.places import PlaceView
from glimpse.posts.text import tag_url, text_html

JsonObject = dict[str, Any]

# The ActivityStreams vocabulary, and Mastodon's terms for what it lacks.
BLURHASH_MAX_COMPONENTS = 5  # Mastodon drops a blurhash with more, on either axis
_BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"


def note_of(view: PostView) -> JsonObject:
    """Return a post as a Note document, with its ``@context``."""
    return {"@context": CONTEXT, **note_object(view)}


def create_of(view: PostView) -> JsonObject:
    """Return the Create activity of a post, its Note inside, with the same audience."""
    return {"@context": CONTEXT, **create_object(view)}


def create_object(view: PostView) -> JsonObject:
    """Return the Create activity of a post without ``@context`` (to list in a collection)."""
    note = note_object(view)
    return {
        "id": create_id(view.permalink),
        "type": "Create",
        "actor": note["attributedTo"],
        "published": note["published"],
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    }


def note_object(view: PostView) -> JsonObject:
    """Return a post as a Note, without ``@context`` (to embed in an activity)."""
    uris = mention_uris(view.mentions)
    to, cc = audience_of(view, uris)
    mentions = {account.username.lower(): account for account in view.mentions}
    note: JsonObject = {
        "id": view.permalink,
        "type": "Note",
        "url": view.permalink,
        "attributedTo": actor_id(view.author.username),
        "published": timestamp(view.created_at),
        "to": to,
        "cc": cc,
        "summary": None,
        "sensitive": False,
        "content": text_html(view.caption, hashtags=set(view.hashtags), mentions=mentions),
        "source": {"content": view.caption, "mediaType": "text/plain"},
        "tag": [hashtag_tag(name) for name in view.hashtags]
        + [
            mention_tag(account, uris[account.id])
            for account in view.mentions
            if account.id in uris
        ],
        "attachment": [
            found for item in view.items if (found := attachment_of(item.media)) is not None
        ],
    }
    if view.edited_at is not None:
        note["updated"] = timestamp(view.edited_at)
    if view.place is not None:
        note["location"] = place_of(view.place)
    return note


def audience_of(view: PostView, uris: dict[int, str]) -> tuple[list[str], list[str]]:
    """Return a post's ``to`` and ``cc``: a public account's posts are public, with its
    followers and the mentioned accounts in copy; a private account's go to its followers,
    with the mentioned accounts (those the presenter kept) in copy. ``uris`` holds the
    actor id of each mentioned account (``mention_uris``)."""
    followers = followers_id(view.author.username)
    mentioned = [uris[a.id] for a in view.mentions if a.id != view.author.id and a.id in uris]
    if view.author.is_private:
        return [followers], mentioned
    return [PUBLIC], [followers, *mentioned]


def attachment_of(media: MediaView) -> JsonObject | None:
    """Return a media item as an Image or Video attachment, or None when it has no rendition
    another server may take (a video still being transcoded)."""
    rendition = federated_rendition(media)
    if rendition is None:
        return None
    alt = media.alt_text or None
    attachment: JsonObject = {
        "type": "Video" if media.is_video else "Image",
        "mediaType": "video/mp4" if media.is_video else "image/jpeg",
        "url": rendition_url(media.id, rendition),
        "name": alt,
        "summary": alt,
        "width": rendition["width"],
        "height": rendition["height"],
    }
    if blurhash_fits(media.blurhash):
        attachment["blurhash"] = media.blurhash
    if media.focus is not None:
        # Glimpse keeps Mastodon's convention: x to the right, y upwards, both in -1..1.
        attachment["focalPoint"] = [media.focus[0], media.focus[1]]
    if media.is_video and (poster := federated_rendition(media, poster=True)) is not None:
        # Mastodon shows an attachment's icon as the video's preview picture.
        attachment["icon"] = {
            "type": "Image",
            "mediaType": "image/jpeg",
            "url": rendition_url(media.id, poster),
        }
    return attachment


def hashtag_tag(name: str) -> JsonObject:
    """Return a hashtag of a post as a Hashtag tag, linked to its page."""
    return {"type": "Hashtag", "href": tag_url(name), "name": f"#{name}"}


def mention_tag(account: AccountView, uri: str) -> JsonObject:
    """Return a mentioned account (its actor id ``uri``) as a Mention tag, naming it
    ``@user@host``."""
    return {"type": "Mention", "href": uri, "name": handle_of(account.username)}


def place_of(place: PlaceView) -> JsonObject:
    """Return a post's place as a Place, with its position when known."""
    found: JsonObject = {"type": "Place", "name": place.name}
    if place.lat is not None and place.lng is not None:
        found["latitude"] = place.lat
        found["longitude"] = place.lng
    return found


def create_id(object_id: str) -> str:
    """Return the id of the Create activity of an object."""
    return object_id + "#create"


def timestamp(moment: datetime) -> str:
    """Return a time in UTC, to the second, as ActivityPub servers write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def blurhash_fits(blurhash: str) -> bool:
    """Tell whether a blurhash is well formed with at most 5 x 5 components."""
    if len(blurhash) < 6 or blurhash[0] not in _BASE83:
        return False
    size = _BASE83.index(blurhash[0])
    x_components, y_components = size % 9 + 1, size // 9 + 1
    fits = max(x_components, y_components) <= BLURHASH_MAX_COMPONENTS
    return fits and len(blurhash) == 4 + 2 * x_components * y_components

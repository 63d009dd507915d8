"""Create of a Note from another server: a photo post by the remote account, with its media
fetched and processed as uploads, for the accounts here that follow its author; and the
Notes that are refused (spoofed, unwanted, not public enough, without usable media)."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.accounts.models import User
from glimpse.federation.models import RemoteObject
from glimpse.feeds.selectors import feed_page
from glimpse.graph.models import Follow
from glimpse.media.models import MediaItem
from glimpse.posts.models import Post
from glimpse.posts.selectors import hashtag_get, hashtag_recent_posts
from tests.federation.incoming_fixtures import (
    account_of,
    create,
    followed,
    mastodon_photo,
    note,
    outcome,
    pixelfed_photo,
    png,
    served,
)
from tests.federation.remote_server import Peer, Remote, peer
from tests.media.videos import make_video


def _nothing_stored() -> tuple[int, int, int]:
    return Post.objects.count(), RemoteObject.objects.count(), MediaItem.objects.count()


def test_a_mastodon_note_becomes_a_post_in_the_followers_home_feed(
    remote: Remote, alice: Peer, ana: User
) -> None:
    author = followed(alice, by=ana)
    obj = note(
        alice,
        content='<p>Evening light <a href="https://remote.test/tags/sunset" class="mention '
        'hashtag" rel="tag">#<span>sunset</span></a><br>over the bay</p><p>Second</p>',
        attachment=[mastodon_photo(remote), mastodon_photo(remote, alt=None)],
        tag=[{"type": "Hashtag", "href": "https://remote.test/tags/sunset", "name": "#sunset"}],
    )
    alice.send(create(alice, obj))
    post = Post.objects.get()
    assert post.author_id == author.pk
    assert post.caption == "Evening light #sunset\nover the bay\n\nSecond"
    assert list(post.post_hashtags.values_list("hashtag__name", flat=True)) == ["sunset"]
    assert post.created_at == datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)
    items = list(post.items.select_related("media").order_by("position"))
    assert [item.alt_text for item in items] == ["A red sky", ""]
    assert all(item.media.status == "ready" and item.media.owner_id == author.pk for item in items)
    assert (items[0].media.focus_x, items[0].media.focus_y) == (-0.5, 0.25)
    row = RemoteObject.objects.get()
    assert (row.uri, row.url, row.post_id, row.author_id) == (
        obj["id"],
        obj["url"],
        post.pk,
        author.pk,
    )
    # Fan-out on publishing put it in the follower's home feed.
    assert [item.post_id for item in feed_page(viewer=ana).items] == [post.pk]
    # And its hashtag's page lists it, for anyone.
    sunset = hashtag_get(viewer=None, name="sunset")
    page = hashtag_recent_posts(viewer=None, hashtag=sunset)
    assert [p.pk for p in page.items] == [post.pk]


def test_media_go_through_the_pipeline_and_keep_no_metadata(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followed(alice, by=ana)
    alice.send(create(alice, note(alice, attachment=[mastodon_photo(remote)])))
    media = MediaItem.objects.get()
    assert media.renditions
    assert not media.upload_name
    for rendition in media.renditions:
        with default_storage.open(rendition["path"]) as stored:
            image = Image.open(io.BytesIO(stored.read()))
            assert 0x8825 not in image.getexif()  # no GPS
            assert 0x010F not in image.getexif()  # no camera make


def test_a_pixelfed_post_with_its_place_and_content_warning(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followed(alice, by=ana)
    obj = note(
        alice,
        content="Morning walk #paris #travel",
        summary="Spoilers ahead",
        sensitive=True,
        attachment=[pixelfed_photo(remote)],
        location={
            "type": "Place",
            "name": "Paris",
            "longitude": "2.3522",
            "latitude": "48.8566",
            "country": "France",
        },
        commentsEnabled=True,
    )
    alice.send(create(alice, obj))
    post = Post.objects.select_related("place").get()
    assert post.caption == "Spoilers ahead\n\nMorning walk #paris #travel"
    assert sorted(post.post_hashtags.values_list("hashtag__name", flat=True)) == [
        "paris",
        "travel",
    ]
    assert post.place is not None
    assert (post.place.name, post.place.lat, post.place.lng) == ("Paris", 48.8566, 2.3522)
    assert post.items.get().alt_text == "My cat on the sofa"


def test_a_gotosocial_note_with_image_and_link_list_attachments(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followed(alice, by=ana)
    small = served(remote, png((200, 150), (255, 0, 0)), "image/png", "png")
    large = served(remote, png((1200, 900), (0, 0, 255)), "image/png", "png")
    obj = note(
        alice,
        content="<p>two ways</p>",
        attachment=[
            {"type": "Image", "mediaType": "image/png", "url": small, "name": "first"},
            {
                "type": "Document",
                "name": "second",
                "url": [
                    {"type": "Link", "href": small, "mediaType": "image/png", "width": 200},
                    {
                        "type": "Link",
                        "href": large,
                        "mediaType": "image/png",
                        "width": 1200,
                        "height": 900,
                    },
                    {"type": "Link", "href": remote.url("/page"), "mediaType": "text/html"},
                ],
            },
        ],
        interactionPolicy={"canLike": {"always": [PUBLIC_ID]}},
    )
    alice.send(create(alice, obj))
    items = list(Post.objects.get().items.select_related("media").order_by("position"))
    assert [item.alt_text for item in items] == ["first", "second"]
    # The largest link of the list was fetched.
    assert (items[1].media.width, items[1].media.height) == (1200, 900)
    assert remote.asked("/page") == []


PUBLIC_ID = "https://www.w3.org/ns/activitystreams#Public"


def test_a_video_attachment_is_transcoded(
    remote: Remote, alice: Peer, ana: User, tmp_path: Any
) -> None:
    followed(alice, by=ana)
    path = tmp_path / "clip.mp4"
    make_video(path, seconds=0.5, width=320, height=240, audio_codec=None)
    video = {
        "type": "Document",
        "mediaType": "video/mp4",
        "url": served(remote, path.read_bytes(), "video/mp4", "mp4"),
        "name": "A short clip",
    }
    alice.send(create(alice, note(alice, attachment=[video])))
    media = Post.objects.get().items.get().media
    assert (media.kind, media.status) == ("video", "ready")
    assert any(r["format"] == "mp4" for r in media.renditions)


def test_the_same_create_twice_and_the_same_note_again_make_one_post(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followed(alice, by=ana)
    obj = note(alice, attachment=[mastodon_photo(remote)])
    activity = create(alice, obj)
    alice.send(activity)
    alice.send(activity)
    alice.send(create(alice, obj))  # another Create of the same Note
    assert (Post.objects.count(), RemoteObject.objects.count()) == (1, 1)
    assert MediaItem.objects.count() == 1


def test_a_note_nobody_here_asked_for_is_ignored(remote: Remote, alice: Peer, ana: User) -> None:
    activity = create(alice, note(alice, attachment=[mastodon_photo(remote)]))
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert "nobody here follows" in outcome(activity)[1]
    assert _nothing_stored() == (0, 0, 0)
    # No media were even fetched.
    assert [s for s in remote.seen if s.path.startswith("/media/")] == []


def test_a_note_mentioning_a_local_account_is_stored(
    remote: Remote, alice: Peer, ana: User, make_user: Any
) -> None:
    make_user("bob")
    obj = note(
        alice,
        content='<p><span class="h-card"><a href="https://glimpse.example/users/ana" '
        'class="u-url mention">@<span>ana</span></a></span> and <span class="h-card">'
        '<a href="http://other.test/@bob" class="u-url mention">@<span>bob</span></a></span></p>',
        attachment=[mastodon_photo(remote)],
        tag=[
            {
                "type": "Mention",
                "href": "https://glimpse.example/users/ana",
                "name": "@ana@glimpse.example",
            },
            {"type": "Mention", "href": "http://other.test/users/bob", "name": "@bob@other.test"},
        ],
    )
    alice.send(create(alice, obj))
    post = Post.objects.get()
    # The other server's bob is written in full: it is not the account bob here.
    assert post.caption == "@ana and @bob@other.test"
    assert list(post.mentions.values_list("account__username", flat=True)) == ["ana"]


@pytest.mark.parametrize(
    "audience",
    [
        # Followers-only from an account that approves no followers: not a post here.
        {"to": ["{me}/followers"], "cc": []},
        # Addressed to one person only: a direct message.
        {"to": ["https://glimpse.example/users/ana"], "cc": []},
    ],
)
def test_followers_only_and_direct_notes_of_a_public_account_make_no_post(
    remote: Remote, alice: Peer, ana: User, audience: dict[str, list[str]]
) -> None:
    followed(alice, by=ana)
    fields: dict[str, Any] = {k: [v.format(me=alice.uri) for v in vs] for k, vs in audience.items()}
    mention = {"type": "Mention", "href": "https://glimpse.example/users/ana", "name": "@ana"}
    activity = create(
        alice, note(alice, attachment=[mastodon_photo(remote)], tag=[mention], **fields)
    )
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert _nothing_stored() == (0, 0, 0)


def test_a_followers_only_note_of_a_private_account_is_a_post(remote: Remote, ana: User) -> None:
    carol = peer(remote, "carol", private=True)
    author = account_of(carol)
    assert author.is_private
    Follow.objects.create(follower=ana, followee=author)
    obj = note(carol, attachment=[pixelfed_photo(remote)], to=[carol.uri + "/followers"], cc=[])
    carol.send(create(carol, obj))
    post = Post.objects.get()
    assert post.author_id == author.pk
    assert [item.post_id for item in feed_page(viewer=ana).items] == [post.pk]


@pytest.mark.parametrize("spoof", ["author", "host"])
def test_a_spoofed_note_is_refused(
    remote: Remote, alice: Peer, ana: User, make_user: Any, spoof: str
) -> None:
    bob = peer(remote, "bob")
    followed(alice, by=ana)
    followed(bob, by=ana)
    obj = note(alice, attachment=[mastodon_photo(remote)])
    if spoof == "author":
        obj["attributedTo"] = bob.uri  # alice sends a Note she says bob wrote
    else:
        obj["id"] = remote.url("/users/alice/statuses/999", host="other.test")
    activity = create(alice, obj)
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert _nothing_stored() == (0, 0, 0)


def test_media_over_the_limit_or_of_a_wrong_type_are_left_out(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    followed(alice, by=ana)
    settings.GLIMPSE_PHOTO_MAX_BYTES = 20_000
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 20_000
    big = {"type": "Document", "mediaType": "image/png", "name": "too big"}
    big["url"] = served(remote, buffer.getvalue(), "image/png", "png")
    small = pixelfed_photo(remote, alt="kept")
    text = {"type": "Document", "mediaType": "image/png", "name": "not an image"}
    text["url"] = served(remote, b"<html>hello</html>", "text/html", "html")
    lying = {"type": "Document", "mediaType": "image/jpeg", "name": "a script"}
    lying["url"] = served(remote, b"#!/bin/sh\necho hi\n" * 10, "image/jpeg")
    audio = {"type": "Document", "mediaType": "audio/mpeg", "name": "a song"}
    audio["url"] = served(remote, b"ID3" * 100, "audio/mpeg", "mp3")
    activity = create(alice, note(alice, attachment=[big, text, lying, audio, small]))
    alice.send(activity)
    post = Post.objects.get()
    assert [item.alt_text for item in post.items.all()] == ["kept"]
    # Nothing half-made is left behind, and the song was never fetched.
    assert MediaItem.objects.count() == 1
    assert remote.asked("/" + audio["url"].split("/", 3)[3]) == []


def test_a_note_whose_media_all_fail_makes_no_post(remote: Remote, alice: Peer, ana: User) -> None:
    followed(alice, by=ana)
    missing = {"type": "Document", "mediaType": "image/jpeg", "url": remote.url("/gone.jpg")}
    activity = create(alice, note(alice, attachment=[missing]))
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert _nothing_stored() == (0, 0, 0)


def test_items_past_the_carousel_limit_are_dropped(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    settings.GLIMPSE_POST_ITEMS_MAX = 2
    followed(alice, by=ana)
    photos = [pixelfed_photo(remote, alt=f"photo {n}") for n in range(3)]
    alice.send(create(alice, note(alice, attachment=photos)))
    items = Post.objects.get().items.order_by("position")
    assert [item.alt_text for item in items] == ["photo 0", "photo 1"]
    assert remote.asked("/" + photos[2]["url"].split("/", 3)[3]) == []


def test_a_long_caption_is_clipped_and_extra_hashtags_lose_their_sign(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    settings.GLIMPSE_CAPTION_MAX = 60
    settings.GLIMPSE_HASHTAGS_MAX = 2
    followed(alice, by=ana)
    content = "<p>#one #two #three " + "word " * 30 + "</p>"
    alice.send(create(alice, note(alice, content=content, attachment=[pixelfed_photo(remote)])))
    post = Post.objects.get()
    # Clipped to 60 characters, then one shorter for the "#" taken off the third tag.
    assert len(post.caption) == 59
    assert post.caption.endswith("…")
    assert post.caption.startswith("#one #two three word")
    assert sorted(post.post_hashtags.values_list("hashtag__name", flat=True)) == ["one", "two"]

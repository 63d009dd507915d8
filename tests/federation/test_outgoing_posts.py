"""Posts sent to other servers: Create, Update and Delete of a post's Note, addressed to the
accounts that may see it, signed by the author; nothing for private posts' non-followers,
nothing for stories, nothing while federation is off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glimpse.accounts.models import User
from glimpse.federation.models import Delivery, OutgoingActivity
from glimpse.posts import services
from glimpse.posts.models import PostMention
from glimpse.posts.services.specs import ItemSpec
from glimpse.stories.services import story_create
from tests.federation.outgoing_fixtures import (
    PUBLIC,
    arrived,
    bodies,
    follows,
    remote_account,
    signed_by,
)
from tests.federation.remote_server import SITE, Remote
from tests.posts.conftest import media_for

__all__ = ["media_for"]

Capture = Callable[..., Any]


def publish(
    capture: Capture,
    author: User,
    media_for: Callable[..., list[Any]],
    *,
    caption: str = "At the lake",
    mention: User | None = None,
) -> Any:
    """Publish a post of one photo (naming ``mention``) and run what follows the commit."""
    (item,) = media_for(author, 1)
    with capture(execute=True):
        post = services.post_create(
            author=author,
            media_ids=[item.pk],
            caption=caption,
            items=[ItemSpec(alt_text="A lake")],
        )
        if mention is not None:
            # Captions name local accounts only so far: the row stands for a mention of an
            # account of another server, in the transaction that publishes the post.
            PostMention.objects.create(post=post, account=mention, position=0)
    return post


def test_a_post_imported_from_an_archive_is_not_sent(
    remote: Remote, ana: User, media_for: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    old, new = media_for(ana, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(
            author=ana, media_ids=[old.pk], caption="In 2019", imported_from="instagram"
        )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.post_create(author=ana, media_ids=[new.pk], caption="Today")
    (create,) = bodies(remote)
    assert create["object"]["id"] == f"{SITE}/p/{fresh.pk}/"


def test_a_public_post_goes_to_followers_and_mentioned_accounts_signed(
    remote: Remote, ana: User, media_for: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    bob_peer, bob = remote_account(remote, "bob", host="other.test")
    follows(alice, ana)
    post = publish(django_capture_on_commit_callbacks, ana, media_for, mention=bob)
    permalink = f"{SITE}/p/{post.pk}/"
    (create,) = bodies(remote)
    assert create["type"] == "Create"
    assert create["id"] == permalink + "#create"
    assert create["actor"] == f"{SITE}/users/ana"
    assert create["to"] == [PUBLIC]
    assert create["cc"] == [f"{SITE}/users/ana/followers", bob_peer.uri]
    note = create["object"]
    assert (note["id"], note["type"], note["attributedTo"]) == (
        permalink,
        "Note",
        f"{SITE}/users/ana",
    )
    assert "@context" not in note
    assert note["content"] == "<p>At the lake</p>"
    assert note["tag"] == [
        {"type": "Mention", "href": bob_peer.uri, "name": f"@bob@other.test:{remote.port}"}
    ]
    (photo,) = note["attachment"]
    assert photo["type"] == "Image"
    assert photo["name"] == "A lake"
    assert photo["url"].startswith(f"{SITE}/federation/media/")
    # The mentioned account's server got the same activity, at its own shared inbox.
    assert bodies(remote, host="other.test") == [create]
    for seen in arrived(remote) + arrived(remote, host="other.test"):
        assert signed_by(seen, remote, ana)


def test_a_private_accounts_post_goes_to_its_followers_only(
    remote: Remote,
    make_user: Callable[..., User],
    media_for: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    rita = make_user("rita", is_private=True)
    _, alice = remote_account(remote, "alice")
    _, bob = remote_account(remote, "bob", host="other.test")
    follows(alice, rita)
    post = publish(django_capture_on_commit_callbacks, rita, media_for, mention=bob)
    (create,) = bodies(remote)
    assert create["to"] == [f"{SITE}/users/rita/followers"]
    # The mentioned account may not see the post: it is neither named nor sent anything.
    assert create["cc"] == []
    assert create["object"]["tag"] == []
    assert create["object"]["id"] == f"{SITE}/p/{post.pk}/"
    assert arrived(remote, host="other.test") == []
    assert list(Delivery.objects.values_list("inbox", flat=True)) == [remote.url("/inbox")]


def test_a_private_accounts_post_with_no_remote_follower_sends_nothing(
    remote: Remote,
    make_user: Callable[..., User],
    media_for: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    rita = make_user("rita", is_private=True)
    _, bob = remote_account(remote, "bob", host="other.test")
    publish(django_capture_on_commit_callbacks, rita, media_for, mention=bob)
    assert arrived(remote) == []
    assert arrived(remote, host="other.test") == []
    assert OutgoingActivity.objects.count() == 0


def test_edit_archive_unarchive_and_delete_follow_the_post(
    remote: Remote, ana: User, media_for: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    post = publish(django_capture_on_commit_callbacks, ana, media_for)
    permalink = f"{SITE}/p/{post.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(actor=ana, post_id=post.pk, caption="At the lake, at dawn")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_archive(actor=ana, post_id=post.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_unarchive(actor=ana, post_id=post.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(actor=ana, post_id=post.pk)
    create, update, archived, again, deleted = bodies(remote)
    assert create["type"] == "Create"
    assert update["type"] == "Update"
    assert update["object"]["content"] == "<p>At the lake, at dawn</p>"
    assert update["object"]["updated"] == update["published"]
    assert update["id"] == f"{permalink}#updates/{update['object']['updated']}"
    tombstone = {"id": permalink, "type": "Tombstone"}
    for gone in (archived, deleted):
        assert gone["type"] == "Delete"
        assert gone["id"] == permalink + "#delete"
        assert gone["object"] == tombstone
        assert gone["to"] == [PUBLIC]
    assert again["type"] == "Create"
    assert again["id"].startswith(permalink + "#create/")
    assert again["object"]["id"] == permalink
    for seen in arrived(remote):
        assert signed_by(seen, remote, ana)


def test_a_moderators_removal_sends_a_delete(
    remote: Remote, ana: User, media_for: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    post = publish(django_capture_on_commit_callbacks, ana, media_for)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.post_remove_by_moderator(post_id=post.pk)
    _, deleted = bodies(remote)
    assert deleted["type"] == "Delete"
    assert deleted["object"] == {"id": f"{SITE}/p/{post.pk}/", "type": "Tombstone"}
    assert signed_by(arrived(remote)[-1], remote, ana)


def test_nothing_goes_while_federation_is_off(
    remote: Remote,
    settings: Any,
    ana: User,
    media_for: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    settings.GLIMPSE_FEDERATION = False
    post = publish(django_capture_on_commit_callbacks, ana, media_for)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(actor=ana, post_id=post.pk)
    assert arrived(remote) == []
    assert OutgoingActivity.objects.count() == 0


def test_stories_and_close_friends_stories_are_never_sent(
    remote: Remote, ana: User, media_for: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    first, second = media_for(ana, 2)
    with django_capture_on_commit_callbacks(execute=True):
        story_create(author=ana, media_id=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        story_create(author=ana, media_id=second.pk, audience="close_friends")
    assert arrived(remote) == []
    assert OutgoingActivity.objects.count() == 0

"""Pushes reach a real push service on 127.0.0.1, encrypted to the browser and signed by us.

Each activity goes through the real services (a like, a comment, a block), the after-commit
notification job and the push job, over real sockets; the test's browser decrypts what the
service received with its own keys and checks the VAPID signature with our public key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.graph import services as graph
from glimpse.notifications import services as notifications
from glimpse.notifications.models import Kind, Notification
from glimpse.posts import services as posts
from glimpse.push import delivery
from glimpse.push.models import PushSubscription
from glimpse.stories import services as stories
from tests.push.conftest import FakeBrowser, PushService, Run, vapid_claims

pytestmark = pytest.mark.django_db

Browser = Callable[[str], FakeBrowser]


def test_a_like_pushes_to_the_authors_device(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
    settings: Any,
) -> None:
    phone = browser_for("ana-phone")
    device = phone.subscribe(ana)
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))

    [push] = push_service.received
    assert push.path == "/push/ana-phone"
    message = phone.read(push)
    entry = Notification.objects.get(recipient=ana, kind=Kind.LIKE)
    assert message["title"] == "Glimpse"
    assert message["body"] == "bo liked your post."
    assert message["url"] == f"/p/{post.pk}/"
    assert message["tag"] == f"notification-{entry.pk}"
    assert message["badge"].endswith("icons/badge-96.png")
    assert message["image"]  # the post's thumbnail
    claims = vapid_claims(push, audience=push_service.origin)
    assert claims["sub"] == "mailto:no-reply@glimpse.invalid"
    assert push.headers["ttl"] == str(settings.GLIMPSE_PUSH_TTL)
    assert push.headers["topic"] == f"n{entry.pk}"
    device.refresh_from_db()
    assert device.last_success_at is not None
    assert device.failures == 0


def test_a_second_liker_bumps_the_same_notification(
    ana: User,
    bo: User,
    cy: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    first, second = (phone.read(push) for push in push_service.received)
    assert first["tag"] == second["tag"]  # the phone shows one notification, replaced
    assert second["body"] == "cy and bo liked your post."


def test_only_the_recipients_devices_get_it(
    ana: User,
    bo: User,
    cy: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    browser_for("cy-phone").subscribe(cy)
    laptop, phone = browser_for("ana-laptop"), browser_for("ana-phone")
    laptop.subscribe(ana)
    phone.subscribe(ana)
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert sorted(push.path for push in push_service.received) == [
        "/push/ana-laptop",
        "/push/ana-phone",
    ]
    by_path = {push.path: push for push in push_service.received}
    assert laptop.read(by_path["/push/ana-laptop"])["body"] == "bo liked your post."
    assert phone.read(by_path["/push/ana-phone"])["body"] == "bo liked your post."


def test_a_kind_turned_off_pushes_nothing(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    notifications.notification_preferences_update(user=ana, levels={"like": "off"})
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert push_service.received == []
    # The device works: a comment, a kind still on, reaches it.
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="Lovely light"))
    [push] = push_service.received
    assert phone.read(push)["body"] == "bo commented: Lovely light"


def test_a_story_mention_pushes_its_text_and_opens_the_story(
    ana: User,
    bo: User,
    media_for: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    phone = browser_for("bo-phone")
    phone.subscribe(bo)
    sticker = {"kind": "mention", "x": 0.5, "y": 0.5, "username": "bo"}
    (media,) = media_for(ana)
    story = run(lambda: stories.story_create(author=ana, media_id=media.pk, stickers=[sticker]))
    [push] = push_service.received
    message = phone.read(push)
    entry = Notification.objects.get(recipient=bo, kind=Kind.STORY_MENTION)
    assert message["body"] == "ana mentioned you in their story."
    assert message["url"] == f"/stories/ana/?story={story.pk}"
    assert message["image"] is None
    assert message["tag"] == f"notification-{entry.pk}"
    # Turned off, the next mention pushes nothing.
    notifications.notification_preferences_update(user=bo, levels={"story_mention": "off"})
    (other,) = media_for(ana)
    run(lambda: stories.story_create(author=ana, media_id=other.pk, stickers=[sticker]))
    assert len(push_service.received) == 1


def test_a_story_reply_push_opens_the_conversation_with_its_author(
    ana: User,
    bo: User,
    media_for: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    (media,) = media_for(ana)
    story = run(lambda: stories.story_create(author=ana, media_id=media.pk))
    run(lambda: stories.story_reply(viewer=bo, story_id=story.pk, text="Where is this?"))
    messages = [phone.read(push) for push in push_service.received]
    [note] = [m for m in messages if m["tag"].startswith("notification-")]
    assert note["body"] == "bo replied to your story: Where is this?"
    # The reply is in the conversation with bo: the tap opens it (by bo's username).
    assert note["url"] == "/direct/with/bo/"


def test_a_kind_turned_off_before_the_job_runs_pushes_nothing(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))  # no device yet: no push
    entry = Notification.objects.get(recipient=ana, kind=Kind.LIKE)
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    notifications.notification_preferences_update(user=ana, levels={"like": "off"})
    assert delivery.notification_push(recipient_id=ana.pk, notification_id=entry.pk) == 0
    assert push_service.received == []
    notifications.notification_preferences_update(user=ana, levels={"like": "everyone"})
    assert delivery.notification_push(recipient_id=ana.pk, notification_id=entry.pk) == 1
    assert phone.read(push_service.received[0])["body"] == "bo liked your post."


def test_a_blocked_accounts_activity_pushes_nothing(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))  # before the device: no push
    entry = Notification.objects.get(recipient=ana, kind=Kind.LIKE)
    browser_for("ana-phone").subscribe(ana)
    run(lambda: graph.block_create(blocker=ana, blocked=bo))
    # A job still queued when the block came: the list no longer shows the entry.
    assert delivery.notification_push(recipient_id=ana.pk, notification_id=entry.pk) == 0
    # And what the blocked account tries now never reaches the author.
    with pytest.raises(NotFound):
        run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="hello?"))
    assert push_service.received == []


def test_a_read_notification_is_not_pushed(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    entry = Notification.objects.get(recipient=ana, kind=Kind.LIKE)
    browser_for("ana-phone").subscribe(ana)
    notifications.notifications_mark_all_read(recipient=ana)
    assert delivery.notification_push(recipient_id=ana.pk, notification_id=entry.pk) == 0
    assert push_service.received == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_forgot_is_deleted(
    status: int,
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    browser_for("ana-phone").subscribe(ana)
    kept = browser_for("ana-laptop").subscribe(ana)
    post = post_by(ana)
    push_service.status = status
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert len(push_service.received) == 2  # both were tried
    assert list(PushSubscription.objects.filter(user=ana)) == []
    assert not PushSubscription.objects.filter(pk=kept.pk).exists()


def test_a_failing_push_service_keeps_the_device_until_too_many_failures(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
    settings: Any,
) -> None:
    settings.GLIMPSE_PUSH_FAILURES_MAX = 2
    device = browser_for("ana-phone").subscribe(ana)
    post = post_by(ana)
    push_service.status = 503
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    device.refresh_from_db()
    assert (device.failures, device.last_success_at) == (1, None)
    assert device.last_failure_at is not None
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="again"))
    assert len(push_service.received) == 2
    assert not PushSubscription.objects.filter(pk=device.pk).exists()


def test_a_redirect_is_not_followed(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    post = post_by(ana)
    push_service.status = 307
    push_service.extra_headers = {"Location": push_service.endpoint("elsewhere")}
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert [push.path for push in push_service.received] == ["/push/ana-phone"]
    device.refresh_from_db()
    assert device.failures == 1


def test_a_device_of_an_unknown_push_service_gets_nothing(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
    settings: Any,
) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    settings.GLIMPSE_PUSH_SERVICES = ["https://push.example"]  # no longer known
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert push_service.received == []
    assert not PushSubscription.objects.filter(pk=device.pk).exists()


def test_a_device_subscribed_with_an_old_key_is_dropped(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    PushSubscription.objects.filter(pk=device.pk).update(server_key="an-older-key")
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert push_service.received == []
    assert not PushSubscription.objects.filter(pk=device.pk).exists()


def test_a_moderators_notice_is_pushed(
    ana: User, run: Run, push_service: PushService, browser_for: Browser
) -> None:
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    text = "Your post was removed: it broke the rules on spam."
    run(
        lambda: notifications.notice_send(
            recipient_id=ana.pk, kind=Kind.WARNING, key="w1", text=text
        )
    )
    [push] = push_service.received
    message = phone.read(push)
    assert (message["body"], message["url"], message["image"]) == (text, "/notifications/", None)


def test_an_inactive_recipient_gets_nothing(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    entry = Notification.objects.get(recipient=ana, kind=Kind.LIKE)
    browser_for("ana-phone").subscribe(ana)
    User.objects.filter(pk=ana.pk).update(is_active=False)  # suspended, banned or leaving
    assert delivery.notification_push(recipient_id=ana.pk, notification_id=entry.pk) == 0
    assert push_service.received == []

"""Client apps subscribe their token to Web Push, and get Mastodon's payload pushed.

The pushes go through the real services (a like, a follow), the after-commit jobs and the
web app's sender to a real push service on 127.0.0.1; the app's keys decrypt them, in the
standard encoding (RFC 8291) or the draft one older apps ask for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import http_ece
import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.oauth.services import authorised_app_revoke
from glimpse.graph import services as graph
from glimpse.mastodon.models import ClientPushSubscription
from glimpse.notifications.models import Kind, Notification
from glimpse.posts import services as posts
from glimpse.push.keys import server_key
from tests.mastodon.conftest import bearer_of
from tests.notifications.conftest import ana, bo, cy, post_by, run
from tests.oauth_flow import bearer, register_app, user_token
from tests.posts.conftest import media_for
from tests.push.conftest import (
    FakeBrowser,
    PushService,
    Received,
    Run,
    browser_for,
    push_service,
    unb64url,
    vapid_claims,
)

__all__ = ["ana", "bo", "browser_for", "cy", "media_for", "post_by", "push_service", "run"]

pytestmark = pytest.mark.django_db

PATH = "/api/v1/push/subscription"
Browser = Callable[[str], FakeBrowser]


def _subscribe_form(phone: FakeBrowser, **data: str) -> dict[str, str]:
    """The fields of a subscription, form-encoded as Mastodon's clients send them."""
    keys = phone.subscription_json()["keys"]
    return {
        "subscription[endpoint]": phone.endpoint,
        "subscription[keys][p256dh]": keys["p256dh"],
        "subscription[keys][auth]": keys["auth"],
        **{f"data[{name}]": value for name, value in data.items()},
    }


def test_an_app_subscribes_reads_changes_and_ends_its_subscription(
    ana: User, browser_for: Browser
) -> None:
    phone, auth = browser_for("ana-app"), bearer_of(ana)
    made = Client().post(
        PATH,
        {
            **_subscribe_form(phone, policy="followed"),
            "data[alerts][favourite]": "true",
            "data[alerts][follow]": "1",
            "data[alerts][mention]": "false",
        },
        **auth,
    )
    assert made.status_code == 200, made.content
    body = made.json()
    assert body["endpoint"] == phone.endpoint
    assert body["server_key"] == server_key().public_key
    assert body["policy"] == "followed"
    assert body["standard"] is False
    assert body["alerts"]["favourite"] is True
    assert body["alerts"]["follow"] is True
    assert body["alerts"]["mention"] is False
    assert body["alerts"]["reblog"] is False  # what the app did not name is off
    assert Client().get(PATH, **auth).json() == body

    changed = (
        Client()
        .put(
            PATH,
            json.dumps({"data": {"alerts": {"mention": True}, "policy": "all"}}),
            content_type="application/json",
            **auth,
        )
        .json()
    )
    assert changed["alerts"]["mention"] is True
    assert changed["alerts"]["favourite"] is True  # kept
    assert changed["policy"] == "all"

    assert Client().delete(PATH, **auth).json() == {}
    missing = Client().get(PATH, **auth)
    assert (missing.status_code, missing.json()) == (404, {"error": "Record not found"})
    assert Client().delete(PATH, **auth).status_code == 200  # ending twice is no error


def test_a_new_subscription_of_a_token_replaces_the_old_one_and_other_tokens_keep_theirs(
    ana: User, browser_for: Browser
) -> None:
    first, second, other = bearer_of(ana), bearer_of(ana), browser_for("ana-tablet")
    Client().post(PATH, _subscribe_form(browser_for("ana-old")), **first)
    Client().post(PATH, _subscribe_form(other), **second)
    answer = Client().post(
        PATH,
        json.dumps({"subscription": {**browser_for("ana-new").subscription_json()}}),
        content_type="application/json",
        **first,
    )
    assert answer.status_code == 200, answer.content
    endpoints = sorted(ClientPushSubscription.objects.values_list("endpoint", flat=True))
    assert [e.rsplit("/", 1)[1] for e in endpoints] == ["ana-new", "ana-tablet"]


@pytest.mark.parametrize(
    "change",
    [
        {"subscription[endpoint]": "https://push.example.invalid/not-a-known-service"},
        {"subscription[keys][p256dh]": "bm90IGEga2V5"},
        {"subscription[keys][auth]": "c2hvcnQ"},
        {"data[policy]": "friends"},
    ],
)
def test_a_bad_subscription_is_a_422_and_keeps_the_old_one(
    ana: User, browser_for: Browser, change: dict[str, str]
) -> None:
    auth, phone = bearer_of(ana), browser_for("ana-app")
    Client().post(PATH, _subscribe_form(phone), **auth)
    before = list(ClientPushSubscription.objects.values_list("pk", "endpoint", "p256dh"))
    answer = Client().post(PATH, {**_subscribe_form(browser_for("other")), **change}, **auth)
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("Validation failed")
    assert list(ClientPushSubscription.objects.values_list("pk", "endpoint", "p256dh")) == before


def test_a_subscription_needs_the_push_scope_and_ends_with_its_token(
    ana: User, browser_for: Browser
) -> None:
    browser = Client()
    browser.force_login(ana)
    app = register_app()
    reading = user_token(browser, app, scope="read")
    refused = Client().post(PATH, _subscribe_form(browser_for("a")), **bearer(reading))
    assert refused.status_code == 403
    pushing = user_token(browser, app, scope="push")
    made = Client().post(PATH, _subscribe_form(browser_for("b")), **bearer(pushing))
    assert made.status_code == 200
    assert ClientPushSubscription.objects.count() == 1
    authorised_app_revoke(user=ana, application_id=int(app["id"]))
    assert ClientPushSubscription.objects.count() == 0


def _read(phone: FakeBrowser, push: Received) -> dict[str, Any]:
    """Decrypt a push in whichever encoding it came, as the app would."""
    if push.headers["content-encoding"] == "aes128gcm":
        return phone.read(push)
    assert push.headers["content-encoding"] == "aesgcm"
    params = dict(
        part.split("=", 1)
        for header in ("crypto-key", "encryption")
        for part in push.headers[header].split(";")
    )
    plain = http_ece.decrypt(
        push.body,
        private_key=phone.private,
        dh=unb64url(params["dh"]),
        salt=unb64url(params["salt"]),
        auth_secret=phone.auth,
        version="aesgcm",
    )
    data: dict[str, Any] = json.loads(plain)
    return data


@pytest.mark.parametrize("standard", [True, False])
def test_a_like_is_pushed_to_the_app_as_mastodon_s_payload(
    ana: User,
    bo: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
    standard: bool,
) -> None:
    phone = browser_for("ana-app")
    form = {**_subscribe_form(phone), "data[alerts][favourite]": "true"}
    if standard:
        form["subscription[standard]"] = "true"
    assert Client().post(PATH, form, **bearer_of(ana)).status_code == 200
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))

    pushes = [p for p in push_service.received if p.path == "/push/ana-app"]
    assert len(pushes) == 1
    payload = _read(phone, pushes[0])
    entry = Notification.objects.get(recipient=ana, kind=Kind.LIKE)
    assert payload == {
        "access_token": "",
        "preferred_locale": "en",
        "notification_id": str(entry.pk),
        "notification_type": "favourite",
        "icon": payload["icon"],
        "title": "bo liked your post.",
        "body": "",
    }
    assert pushes[0].headers["content-encoding"] == ("aes128gcm" if standard else "aesgcm")
    vapid_claims(pushes[0], audience=push_service.origin)  # signed with the server's key


def test_only_the_types_asked_for_and_the_accounts_the_policy_lets_through_are_pushed(
    ana: User,
    bo: User,
    cy: User,
    post_by: Callable[..., Any],
    run: Run,
    push_service: PushService,
    browser_for: Browser,
) -> None:
    phone = browser_for("ana-app")
    form = {**_subscribe_form(phone, policy="followed"), "data[alerts][favourite]": "true"}
    assert Client().post(PATH, form, **bearer_of(ana)).status_code == 200
    run(lambda: graph.follow_create(follower=ana, followee=bo))
    post = post_by(ana)
    run(lambda: graph.follow_create(follower=cy, followee=ana))  # follow: not asked
    run(lambda: posts.like_create(user=cy, post_id=post.pk))  # cy: not followed by ana
    assert push_service.received == []
    run(lambda: posts.like_create(user=bo, post_id=post.pk))  # bo: followed by ana
    [push] = push_service.received
    assert _read(phone, push)["notification_type"] == "favourite"

"""A whole session of a phone app, driven by Mastodon.py against a live server: it
registers, signs its person in through the real log-in and consent pages (authorization
code with PKCE), then reads, posts, engages, follows a private account, reads its
notifications and searches, with a stream open that receives an update and a notification.

Mastodon.py does not speak PKCE, so the test adds the challenge to the address the library
builds and exchanges the code with its verifier itself, as a PKCE-capable app would; every
other call is the library's own.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from mastodon import Mastodon

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.conftest import PASSWORD
from tests.mastodon.conftest import follow
from tests.mastodon.test_mastodon_py import Recorder, asgi_server
from tests.posts.conftest import small_jpeg

pytestmark = pytest.mark.django_db(transaction=True)

APP_REDIRECT = "com.example.pocket:/oauth"
SCOPES = ["read", "write", "follow", "push"]
WAIT = 10  # seconds any one step may take


class FormFields(HTMLParser):
    """Collect the fields of the forms of a page: their action and named inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a form, or add an input of the open one."""
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((found.get("action", ""), {}))
        elif tag == "input" and self.forms and found.get("name"):
            self.forms[-1][1][found["name"]] = found.get("value", "")


def _form(page: requests.Response, holding: str) -> tuple[str, dict[str, str]]:
    """Return the action and fields of the page's form that has the field ``holding``."""
    parser = FormFields()
    parser.feed(page.text)
    action, fields = next(form for form in parser.forms if holding in form[1])
    return urljoin(page.url, action or page.url), fields


def _sign_in_and_consent(authorize_url: str, username: str) -> str:
    """Be the person in the browser: log in, approve the app; return the code it gets."""
    browser = requests.Session()
    login = browser.get(authorize_url, timeout=WAIT)  # force_login: the log-in page first
    assert login.status_code == 200
    action, fields = _form(login, "login")
    consent = browser.post(
        action,
        {**fields, "login": username, "password": PASSWORD},
        headers={"Referer": login.url},
        timeout=WAIT,
    )
    assert consent.status_code == 200, consent.text[:500]
    assert "Pocket" in consent.text  # the app's name on the consent page
    action, fields = _form(consent, "csrfmiddlewaretoken")
    approved = browser.post(
        action,
        {**fields, "allow": "on"},
        headers={"Referer": consent.url},
        allow_redirects=False,
        timeout=WAIT,
    )
    assert approved.status_code == 302, approved.text[:500]
    back = urlsplit(approved.headers["Location"])
    assert f"{back.scheme}:{back.path}" == APP_REDIRECT
    query = parse_qs(back.query)
    assert query["state"] == ["pocket-state"]
    return query["code"][0]


def _token_by_pkce(base: str, client_id: str, client_secret: str, username: str) -> str:
    """Walk the authorization code flow with PKCE (S256) and return the access token."""
    app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    address = app.auth_request_url(
        redirect_uris=APP_REDIRECT,
        scopes=SCOPES,
        force_login=True,
        state="pocket-state",
        allow_http=True,
    )
    address += "&code_challenge=" + challenge.rstrip(b"=").decode()
    address += "&code_challenge_method=S256"
    code = _sign_in_and_consent(address, username)
    answer = requests.post(
        base + "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": APP_REDIRECT,
            "code_verifier": verifier,
        },
        timeout=WAIT,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == " ".join(SCOPES)
    token: str = answer.json()["access_token"]
    return token


def _processed(client: Mastodon, media: Any) -> Any:
    """Wait until an upload is processed (its url set), as apps poll GET media/:id."""
    deadline = threading.Event()
    for _ in range(WAIT * 10):
        media = client.media(media)
        if media.url is not None:
            return media
        deadline.wait(0.1)
    raise AssertionError("the upload was never processed")


def test_a_phone_app_session_from_sign_in_to_notifications(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    settings: Any,
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    ana, bo = make_user("ana"), make_user("bo")
    dan = make_user("dan", is_private=True)
    follow(ana, bo)
    follow(bo, ana)
    theirs = post_by(bo, "harbour at noon #boats")
    with asgi_server() as base:
        client_id, client_secret = Mastodon.create_app(
            "Pocket", scopes=SCOPES, redirect_uris=APP_REDIRECT, api_base_url=base
        )
        token = _token_by_pkce(base, client_id, client_secret, "ana")
        app = Mastodon(access_token=token, api_base_url=base, request_timeout=WAIT)
        assert app.account_verify_credentials().acct == "ana"

        # Three photos uploaded, waited for, posted with their alt text.
        uploads = [
            _processed(
                app,
                app.media_post(
                    small_jpeg(n, (800, 600)), mime_type="image/jpeg", description=f"Pier {n}"
                ),
            )
            for n in range(3)
        ]
        mine = app.status_post("Three piers #sunsets", media_ids=uploads)
        assert [m.description for m in mine.media_attachments] == ["Pier 0", "Pier 1", "Pier 2"]
        assert [m.type for m in mine.media_attachments] == ["image"] * 3

        # A stream open while bo likes her post, then posts himself.
        recorder = Recorder()
        stream = app.stream_user(recorder, run_async=True, timeout=WAIT)
        try:
            assert recorder.opened.wait(timeout=WAIT), "the stream did not open"
            posts.like_create(user=bo, post_id=int(mine.id))
            kind, notified = recorder.events.get(timeout=WAIT)
            evening = post_by(bo, "evening #boats", count=1)
            second, update = recorder.events.get(timeout=WAIT)
        finally:
            stream.close()
        assert (kind, notified.type, notified.account.acct) == ("notification", "favourite", "bo")
        assert (second, str(update.id)) == ("update", str(evening.pk))
        posts.comment_create(author=bo, post_id=int(mine.id), text="lovely light @ana")

        # Timelines and a thread.
        assert str(mine.id) in {str(s.id) for s in app.timeline_home()}
        assert str(mine.id) in {str(s.id) for s in app.timeline_hashtag("sunsets")}
        assert str(mine.id) in {str(s.id) for s in app.timeline_public()}
        thread = app.status_context(mine)
        assert [s.account.acct for s in thread.descendants] == ["bo"]

        # Engaging with bo's post.
        assert app.status_favourite(theirs.pk).favourited is True
        reblog = app.status_reblog(theirs.pk)
        assert str(reblog.reblog.id) == str(theirs.pk)
        assert app.status_bookmark(theirs.pk).bookmarked is True
        assert str(theirs.pk) in {str(s.id) for s in app.bookmarks()}

        # Following a private account: asked, then approved by its owner.
        asked = app.account_follow(dan.pk)
        assert (asked.following, asked.requested) == (False, True)
        _, dans_secret = token_create(user=dan, name="dan's phone")
        owner = Mastodon(access_token=dans_secret, api_base_url=base, request_timeout=WAIT)
        owner.follow_request_authorize(ana.pk)
        assert app.account_relationships(dan.pk)[0].following is True

        # Notifications, one by one and grouped.
        listed = app.notifications()
        assert [(n.type, n.account.acct) for n in listed] == [
            ("mention", "bo"),  # his comment on her post
            ("favourite", "bo"),
            ("follow", "bo"),
        ]
        assert "lovely light" in listed[0].status.content
        grouped = app.grouped_notifications()
        assert [(g.type, g.notifications_count) for g in grouped.notification_groups] == [
            ("mention", 1),
            ("favourite", 1),
            ("follow", 1),
        ]
        assert {a.acct for a in grouped.accounts} == {"bo"}

        # Search: the hashtag and the account.
        found = app.search("sunsets", result_type="hashtags")
        assert [tag.name for tag in found.hashtags] == ["sunsets"]
        assert [a.acct for a in app.search("dan", result_type="accounts").accounts] == ["dan"]
    assert Post.objects.filter(author=ana).count() == 1

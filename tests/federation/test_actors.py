"""Actor documents: an account as a Person, the instance as an Application, follower and
following counts, the profile address answering a page or an actor by the Accept header, and
nothing at all for an account the public may not see or while the server does not federate."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_ban, account_suspend, avatar_set
from glimpse.federation.models import ActorKey
from glimpse.federation.negotiation import wants_activity_json
from glimpse.graph.services import follow_create
from glimpse.privacy.deletion import account_deletion_request
from tests.conftest import PASSWORD
from tests.posts.conftest import small_jpeg

pytestmark = pytest.mark.django_db

SITE = "https://glimpse.example"
HOST = "glimpse.example"
ACTIVITY = "application/activity+json"
LD_PROFILE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
# What Mastodon sends when it fetches an actor.
MASTODON = f"{ACTIVITY}, {LD_PROFILE}, text/html;q=0.1"
REQUIRED = (
    "@context",
    "id",
    "type",
    "preferredUsername",
    "inbox",
    "outbox",
    "followers",
    "following",
    "publicKey",
)


@pytest.fixture(autouse=True)
def federating(settings: Any) -> None:
    """Serve at a public https address, where federation is on."""
    settings.GLIMPSE_SITE_URL = SITE
    settings.GLIMPSE_FEDERATION = True


@pytest.fixture
def ana(make_user) -> User:
    return make_user(
        "ana",
        display_name="Ana Lima",
        bio="Light & <shadow> #Film\n\nwith @bea and @ghost",
        website="https://ana.example/photos",
    )


def fetch(path: str, accept: str = ACTIVITY) -> Any:
    """Fetch a path as a federating server would."""
    return Client().get(path, HTTP_ACCEPT=accept)


def test_a_person_has_every_field_remote_servers_need(ana: User, make_user) -> None:
    make_user("bea")
    response = fetch("/users/ana")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json; charset=utf-8"
    assert "Accept" in response["Vary"]
    person = response.json()
    for field in REQUIRED:
        assert field in person, field
    me = f"{SITE}/users/ana"
    assert person["@context"][:2] == [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
    ]
    assert person["@context"][2]["manuallyApprovesFollowers"] == "as:manuallyApprovesFollowers"
    assert person["id"] == me
    assert person["type"] == "Person"
    assert person["preferredUsername"] == "ana"
    assert person["name"] == "Ana Lima"
    assert person["url"] == f"{SITE}/ana/"
    assert person["inbox"] == f"{me}/inbox"
    assert person["outbox"] == f"{me}/outbox"
    assert person["followers"] == f"{me}/followers"
    assert person["following"] == f"{me}/following"
    assert person["endpoints"] == {"sharedInbox": f"{SITE}/inbox"}
    assert person["manuallyApprovesFollowers"] is False
    assert person["discoverable"] is True
    assert person["indexable"] is True
    assert person["published"] == ana.date_joined.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert person["tag"] == []
    assert "image" not in person
    assert "icon" not in person  # no picture yet


def test_the_bio_is_escaped_html_with_its_hashtags_and_known_mentions_linked(
    ana: User, make_user
) -> None:
    make_user("bea")
    summary = fetch("/users/ana").json()["summary"]
    assert summary.startswith("<p>Light &amp; &lt;shadow&gt; ")
    assert "<shadow>" not in summary
    assert f'href="{SITE}/explore/tags/film/"' in summary
    assert "#<span>Film</span></a></p><p>with " in summary
    assert f'href="{SITE}/bea/"' in summary
    assert "@ghost" in summary  # nobody by that name: plain text, not a link
    assert f"{SITE}/ghost/" not in summary


def test_a_mention_of_an_account_the_public_may_not_see_is_not_linked(ana: User, make_user):
    account_ban(user=make_user("bea"))
    summary = fetch("/users/ana").json()["summary"]
    assert f"{SITE}/bea/" not in summary
    assert "@bea" in summary


def test_the_website_is_a_profile_field(ana: User) -> None:
    person = fetch("/users/ana").json()
    assert person["attachment"] == [
        {
            "type": "PropertyValue",
            "name": "Website",
            "value": '<a href="https://ana.example/photos" rel="me nofollow noopener noreferrer" '
            'target="_blank">ana.example/photos</a>',
        }
    ]


def test_without_a_website_there_are_no_profile_fields(make_user) -> None:
    make_user("bea")
    assert fetch("/users/bea").json()["attachment"] == []


def test_the_public_key_loads_and_is_made_once(ana: User) -> None:
    first = fetch("/users/ana").json()["publicKey"]
    second = fetch("/users/ana").json()["publicKey"]
    assert first == second
    assert first["id"] == f"{SITE}/users/ana#main-key"
    assert first["owner"] == f"{SITE}/users/ana"
    key = serialization.load_pem_public_key(first["publicKeyPem"].encode())
    assert isinstance(key, rsa.RSAPublicKey)
    assert key.key_size == 2048
    assert ActorKey.objects.filter(user=ana).count() == 1


def test_the_private_key_appears_in_no_document(ana: User) -> None:
    body = fetch("/users/ana").content.decode() + fetch("/actor").content.decode()
    assert "PRIVATE KEY" not in body
    for key in ActorKey.objects.all():
        secret = key.private_pem.splitlines()[1]
        assert secret not in body


def test_a_private_account_approves_its_followers(make_user) -> None:
    make_user("cam", is_private=True)
    assert fetch("/users/cam").json()["manuallyApprovesFollowers"] is True


def test_the_picture_is_the_largest_avatar(ana: User) -> None:
    upload = io.BytesIO(small_jpeg(7, size=(400, 400)))
    avatar_set(user=ana, upload=upload, size_bytes=len(upload.getvalue()))
    icon = fetch("/users/ana").json()["icon"]
    assert icon["type"] == "Image"
    assert icon["mediaType"] == "image/webp"
    assert icon["name"] == "Profile picture of Ana Lima"
    assert icon["url"].startswith(f"{SITE}/media/avatars/{ana.pk}/")
    assert "-320.webp" in icon["url"]


def test_the_instance_actor(settings: Any) -> None:
    response = fetch("/actor")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json; charset=utf-8"
    actor = response.json()
    for field in ("@context", "id", "type", "preferredUsername", "inbox", "outbox", "publicKey"):
        assert field in actor, field
    assert actor["id"] == f"{SITE}/actor"
    assert actor["type"] == "Application"
    assert actor["preferredUsername"] == HOST
    assert actor["inbox"] == f"{SITE}/actor/inbox"
    assert actor["outbox"] == f"{SITE}/actor/outbox"
    assert actor["publicKey"]["id"] == f"{SITE}/actor#main-key"
    key = ActorKey.objects.get(user__isnull=True)
    assert actor["publicKey"]["publicKeyPem"] == key.public_pem


def test_followers_and_following_tell_their_counts_only(make_user) -> None:
    ana, bea, cam = make_user("ana"), make_user("bea"), make_user("cam", is_private=True)
    follow_create(follower=bea, followee=ana)
    follow_create(follower=cam, followee=ana)
    follow_create(follower=ana, followee=cam)  # a request only: cam is private
    followers = fetch("/users/ana/followers")
    assert followers.status_code == 200
    assert followers["Content-Type"] == "application/activity+json; charset=utf-8"
    assert followers.json() == {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{SITE}/users/ana/followers",
        "type": "OrderedCollection",
        "totalItems": 2,
    }
    assert fetch("/users/ana/following").json()["totalItems"] == 0
    # A private account's counts are on its profile for everyone to see: here too.
    assert fetch("/users/cam/following").json()["totalItems"] == 1
    assert fetch("/users/cam/followers").json()["totalItems"] == 0


def test_a_name_in_other_letter_case_leads_to_the_actor(ana: User) -> None:
    response = fetch("/users/Ana")
    assert response.status_code == 302
    assert response["Location"] == "/users/ana"


def test_a_browser_at_the_actor_address_is_sent_to_the_profile(ana: User) -> None:
    response = fetch("/users/ana", accept=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/ana/"
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize("accept", [ACTIVITY, LD_PROFILE, "application/ld+json", MASTODON])
def test_the_profile_address_answers_the_actor_to_servers(ana: User, accept: str) -> None:
    response = fetch("/ana/", accept=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json; charset=utf-8"
    assert "Accept" in response["Vary"]
    assert response.json()["id"] == f"{SITE}/users/ana"


@pytest.mark.parametrize(
    "accept", ["", BROWSER, "*/*", f"text/html, {ACTIVITY}", f"{ACTIVITY};q=0.5, text/html"]
)
def test_the_profile_address_answers_the_page_to_browsers(ana: User, accept: str) -> None:
    response = fetch("/ana/", accept=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    assert b"Ana Lima" in response.content


def test_the_profile_address_answers_the_page_while_the_server_does_not_federate(
    settings: Any, ana: User
) -> None:
    settings.GLIMPSE_FEDERATION = False
    response = fetch("/ana/", accept=ACTIVITY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not ActorKey.objects.exists()


@pytest.mark.parametrize("path", ["/users/{}", "/users/{}/followers", "/users/{}/following"])
def test_accounts_the_public_may_not_see_have_no_actor(make_user, path: str) -> None:
    account_ban(user=make_user("bo"))
    account_suspend(user=make_user("sue"), until=timezone.now() + timedelta(days=3))
    leaving = make_user("lea")
    account_deletion_request(user=leaving, password=PASSWORD)  # deactivated until deleted
    for name in ("bo", "sue", "lea", "nobody"):
        assert fetch(path.format(name)).status_code == 404
        assert fetch(f"/{name}/").status_code == 404
    assert not ActorKey.objects.exists()


@pytest.mark.parametrize(
    "path", ["/users/ana", "/users/ana/followers", "/users/ana/following", "/actor"]
)
def test_nothing_is_answered_while_the_server_does_not_federate(
    settings: Any, ana: User, path: str
) -> None:
    settings.GLIMPSE_FEDERATION = False
    assert fetch(path).status_code == 404
    assert not ActorKey.objects.exists()


def test_actors_answer_no_writes(ana: User) -> None:
    assert Client().post("/users/ana", HTTP_ACCEPT=ACTIVITY).status_code == 405


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        (ACTIVITY, True),
        (LD_PROFILE, True),
        # Separators inside quotes; JSON-LD of another vocabulary is not ActivityPub.
        ('application/ld+json; profile="a;b,c", text/html;q=0.5', False),
        (
            'application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.5',
            True,
        ),
        (MASTODON, True),
        (f"{ACTIVITY}, */*", True),  # named beats a bare wildcard
        (f"text/html, {ACTIVITY}", False),  # named HTML wins a tie
        (f"{ACTIVITY};q=0", False),
        (f"{ACTIVITY};q=banana", False),
        (f"{ACTIVITY};q=0.4, */*;q=0.5", False),
        (f"{ACTIVITY};q=0.9, text/html;q=0.8", True),
        ("APPLICATION/ACTIVITY+JSON", True),
        (BROWSER, False),
        ("", False),
        ("application/json", False),
    ],
)
def test_accept_headers_are_weighed(rf: Any, accept: str, wanted: bool) -> None:
    assert wants_activity_json(rf.get("/", HTTP_ACCEPT=accept)) is wanted

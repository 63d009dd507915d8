"""What clients read before and right after signing in: the instance, nodeinfo, and the
empty answers of what Glimpse has no notion of."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import remote_account_create
from glimpse.posts.models import Post
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

EMPTY_LISTS = (
    "custom_emojis",
    "announcements",
    "lists",
    "filters",
    "followed_tags",
    "featured_tags",
    "endorsements",
    "domain_blocks",
    "scheduled_statuses",
    "conversations",
    "notifications/requests",
    "trends/tags",
    "trends/statuses",
    "trends/links",
    "instance/rules",
)


def test_instance_v2_names_the_version_and_the_limits(user: User, anon: ApiClient) -> None:
    body = Client().get("/api/v2/instance").json()
    assert body["domain"] == "testserver"
    assert body["version"].startswith("4.5.0 (compatible; Glimpse ")
    assert body["api_versions"] == {"mastodon": 1}
    config = body["configuration"]
    assert config["statuses"]["max_characters"] == 2200
    assert config["statuses"]["max_media_attachments"] == 20
    media = config["media_attachments"]
    assert {"image/jpeg", "image/heic", "video/mp4"} <= set(media["supported_mime_types"])
    assert media["image_size_limit"] == 30 * 1024 * 1024
    assert media["video_size_limit"] == 250 * 1024 * 1024
    assert media["description_limit"] == 1500
    assert config["urls"]["streaming"] == "ws://testserver"
    assert len(config["vapid"]["public_key"]) > 40
    assert body["registrations"]["enabled"] is True


def test_instance_v1_counts_accounts_and_posts(
    user: User, post_by: Callable[..., Post], anon: ApiClient
) -> None:
    post_by(user)
    body = anon.get("instance").json()
    assert body["uri"] == "testserver"
    assert body["stats"] == {"user_count": 1, "status_count": 1, "domain_count": 0}
    assert body["configuration"]["statuses"]["max_media_attachments"] == 20
    assert body["urls"]["streaming_api"] == "ws://testserver"


def test_nodeinfo_is_found_from_the_well_known_address(
    user: User, post_by: Callable[..., Post]
) -> None:
    post_by(user)
    links = Client().get("/.well-known/nodeinfo").json()["links"]
    assert [link["href"] for link in links] == [
        "http://testserver/nodeinfo/2.0",
        "http://testserver/nodeinfo/2.1",
    ]
    for version in ("2.0", "2.1"):
        response = Client().get(f"/nodeinfo/{version}")
        body = response.json()
        assert f"schema/{version}#" in response["Content-Type"]
        assert body["version"] == version
        assert body["software"]["name"] == "glimpse"
        assert body["protocols"] == []
        assert body["openRegistrations"] is True
        assert body["usage"]["users"]["total"] == 1
        assert body["usage"]["localPosts"] == 1
    assert Client().get("/nodeinfo/3.0").status_code == 404


def test_other_servers_accounts_and_posts_are_counted_there_not_here(
    user: User, post_by: Callable[..., Post], anon: ApiClient, settings: Any
) -> None:
    post_by(user)
    for name in ("bob@photos.test", "cy@photos.test", "dee@social.test:8443"):
        post_by(
            remote_account_create(
                username=name, display_name="", bio="", is_private=False, remote_url="https://x"
            )
        )
    body = anon.get("instance").json()
    assert body["stats"] == {"user_count": 1, "status_count": 1, "domain_count": 2}
    assert anon.get("instance/peers").json() == ["photos.test", "social.test"]
    settings.GLIMPSE_FEDERATION = True
    info = Client().get("/nodeinfo/2.0").json()
    assert info["protocols"] == ["activitypub"]
    assert (info["usage"]["users"]["total"], info["usage"]["localPosts"]) == (1, 1)


def test_a_server_alone_knows_no_peers(user: User, anon: ApiClient) -> None:
    assert anon.get("instance/peers").json() == []


@pytest.mark.parametrize("path", EMPTY_LISTS)
def test_what_glimpse_has_no_notion_of_is_an_empty_list(path: str, api: ApiClient) -> None:
    response = api.get(path)
    assert response.status_code == 200
    assert response.json() == []


def test_filters_v2_and_markers_are_empty(api: ApiClient) -> None:
    answer = Client().get("/api/v2/filters", headers={"Authorization": f"Bearer {api.token}"})
    assert answer.json() == []
    assert api.get("markers?timeline[]=home").json() == {}


def test_a_client_api_path_may_end_with_a_slash(api: ApiClient) -> None:
    assert api.get("instance/").json()["uri"] == "testserver"
    assert api.get("lists/").json() == []
    assert Client().get("/api/v2/instance/").json()["domain"] == "testserver"
    # Glimpse's own API keeps its single spelling.
    own = ApiClient(api.token)
    assert own.get("accounts/me/").status_code == 404
    assert own.get("accounts/me").status_code == 200


def test_streaming_names_the_websocket_server_when_pages_are_told_one(
    anon: ApiClient, settings: Any
) -> None:
    settings.GLIMPSE_WEBSOCKET_URL = "wss://live.example:8001/ws/"
    assert anon.get("instance").json()["urls"]["streaming_api"] == "wss://live.example:8001"
    v2 = Client().get("/api/v2/instance").json()
    assert v2["configuration"]["urls"]["streaming"] == "wss://live.example:8001"

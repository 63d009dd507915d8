"""``/api/v2/search``: accounts, hashtags and posts, as Glimpse's search finds them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glimpse.accounts.models import User
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.mastodon.entities import accounts, statuses

pytestmark = pytest.mark.django_db


def _search(api: ApiClient, query: str) -> dict:
    response = api.client.get(
        f"/api/v2/search?{query}",
        headers={"Authorization": f"Bearer {api.token}"} if api.token else {},
    )
    assert response.status_code == 200, response.content
    body: dict = response.json()
    return body


def test_search_finds_accounts_hashtags_and_posts(
    make_user: Callable[..., User], post_by: Callable[..., Post], anon: ApiClient
) -> None:
    sunny = make_user("sunny")
    post = post_by(sunny, "a sunny morning #sunnyday")
    hidden = make_user("sunnyhidden", is_private=True)
    post_by(hidden, "a sunny secret #sunnysecret")
    found = _search(anon, "q=sunny")
    assert [a.username for a in accounts(found["accounts"])] == ["sunny", "sunnyhidden"]
    assert [tag["name"] for tag in found["hashtags"]] == ["sunnyday"]
    assert found["hashtags"][0]["url"].endswith("/explore/tags/sunnyday/")
    assert [s.id for s in statuses(found["statuses"])] == [str(post.pk)]
    only = _search(anon, "q=sunny&type=statuses")
    assert only["accounts"] == []
    assert only["hashtags"] == []
    assert len(only["statuses"]) == 1


def test_a_search_without_words_or_of_an_unknown_type_is_a_422(anon: ApiClient) -> None:
    for query in ("q=", "q=a&type=places", "q=a&limit=x"):
        response = anon.client.get(f"/api/v2/search?{query}")
        assert response.status_code == 422, query
        assert response.json()["error"].startswith("Validation failed")

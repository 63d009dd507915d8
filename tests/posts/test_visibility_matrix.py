"""Every post read endpoint against the visibility matrix of viewer and account kinds.

A post the viewer may not see answers exactly like a post that does not exist, on the post,
its comments and its likers; grids, hashtag and place pages simply leave it out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.services import PlaceSpec
from tests.graph.conftest import (
    Scene,
    api_as,
    build_scene,
    matrix_cells,
    sees_content,
    sees_profile,
)

pytestmark = pytest.mark.django_db

CELLS = [pytest.param((p.values[0], p.values[1]), id=p.id) for p in matrix_cells()]


@pytest.fixture
def scene(make_user: Callable[..., User], request: pytest.FixtureRequest) -> Scene:
    viewer_kind, account_kind = request.param
    return build_scene(make_user, viewer_kind, account_kind)


@pytest.fixture
def post(scene: Scene, publish: Callable[..., Any]) -> Any:
    made = publish(scene.owner, caption="Morning #matrixtag", place=PlaceSpec(name="Matrix Pier"))
    services.comment_create(author=scene.owner, post_id=made.pk, text="first!")
    services.like_create(user=scene.friend, post_id=made.pk)
    return made


@pytest.mark.parametrize("scene", CELLS, indirect=True)
def test_post_reads_follow_the_policy(scene: Scene, post: Any) -> None:
    client = api_as(scene.viewer)
    visible = sees_content(scene.viewer_kind, scene.account_kind)
    for suffix in ("", "/comments", "/likes"):
        response = client.get(f"posts/{post.pk}{suffix}")
        if visible:
            assert response.status_code == 200, (suffix, response.content)
        else:
            missing = client.get(f"posts/1{suffix}")
            assert response.status_code == missing.status_code == 404, suffix
            assert response.json() == missing.json()
    if visible:
        body = client.get(f"posts/{post.pk}").json()
        assert body["comment_count"] == 1
        assert body["like_count"] == 1


@pytest.mark.parametrize("scene", CELLS, indirect=True)
def test_grids_and_discovery_pages_leave_hidden_posts_out(scene: Scene, post: Any) -> None:
    client = api_as(scene.viewer)
    visible = sees_content(scene.viewer_kind, scene.account_kind)
    grid = client.get(f"accounts/{scene.owner.username}/posts")
    if sees_profile(scene.viewer_kind, scene.account_kind):
        assert grid.status_code == 200
        assert [p["id"] for p in grid.json()["items"]] == ([str(post.pk)] if visible else [])
    else:
        missing = client.get("accounts/nobody.here/posts")
        assert grid.status_code == 404
        assert grid.json() == missing.json()
    for path in ("tags/matrixtag/posts", f"places/{post.place_id}/posts"):
        page = client.get(path)
        if page.status_code == 404:  # a tag or place known only through hidden posts
            assert not visible
            continue
        listed = [p["id"] for p in page.json()["items"]] + [p["id"] for p in page.json()["top"]]
        assert (str(post.pk) in listed) is visible, path

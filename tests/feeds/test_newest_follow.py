"""The "New on Glimpse" list of an empty home page follows people in place (no "View")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import Follow, FollowRequest

pytestmark = pytest.mark.django_db


def newest_list(client: Client) -> str:
    html = client.get("/").content.decode()
    return html.split('id="newest-title"')[1].split("</section>")[0]


def test_each_new_account_has_a_follow_button_in_its_state(
    make_user: Callable[..., User],
) -> None:
    viewer = make_user("viewer")
    make_user("lena")
    make_user("tomas", is_private=True)
    fan = make_user("fan")
    graph.follow_create(follower=fan, followee=viewer)
    client = Client()
    client.force_login(viewer)
    section = newest_list(client)
    assert ">View<" not in section
    assert 'aria-label="Follow @lena"' in section
    assert 'aria-label="Follow @tomas"' in section
    assert 'aria-label="Follow back @fan"' in section

    assert client.post("/lena/follow/", {"next": "/"})["Location"] == "/"
    assert client.post("/tomas/follow/", {"next": "/"})["Location"] == "/"
    assert Follow.objects.filter(follower=viewer, followee__username="lena").exists()
    assert FollowRequest.objects.filter(requester=viewer, target__username="tomas").exists()
    section = newest_list(client)
    assert 'aria-label="Following @lena: options"' in section
    assert 'aria-label="Requested to follow @tomas: options"' in section

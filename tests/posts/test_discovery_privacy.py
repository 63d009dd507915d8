"""Hashtags and places exist for a viewer only through the posts the viewer may see.

A tag used only in posts the viewer may not see answers exactly like a tag never used (API
and web: the same empty page, apart from the name); a place used only there answers like an
unknown id (404, same body); counts count only what the viewer may see; archived posts stay
out of tag and place pages, the author's own included.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import Place
from glimpse.posts.services import PlaceSpec
from tests.conftest import ApiClient
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db

SECRET = PlaceSpec(name="Hidden Garden", address="Back Lane 3", lat=45.4371, lng=12.3326)
SQUARE = PlaceSpec(name="Town Square", lat=45.4340, lng=12.3380)


def _web(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _same(response: Any, name: str = "") -> tuple[int, str]:
    # Pages differ only by the CSRF token of the log-out form (and the tag's ``name``).
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, body.replace(name, "NAME") if name else body


def _named(body: Any, name: str) -> Any:
    """Return an API answer with the tag's name replaced, to compare two tags' answers."""
    return json.loads(json.dumps(body).replace(name, "NAME"))


@pytest.fixture
def scene(make_user, publish) -> dict[str, Any]:
    """A private account alone uses #hushed at a hidden garden; #mixed and the square are
    used by the private account and by a public one."""
    pia, ana = make_user("pia", is_private=True), make_user("ana")
    hushed = publish(pia, caption="#hushed", place=SECRET)
    publish(pia, caption="#mixed", place=SQUARE)
    public = publish(ana, caption="#mixed", place=SQUARE)
    follower = make_user("fay")
    follow(follower, pia)
    stranger, requester, blocked = make_user("sam"), make_user("rob"), make_user("bob")
    assert graph.follow_create(follower=requester, followee=pia) == "requested"
    follow(blocked, pia)
    graph.block_create(blocker=pia, blocked=blocked)
    return {
        "pia": pia,
        "ana": ana,
        "follower": follower,
        "viewers": {
            "anonymous": None,
            "stranger": stranger,
            "requester": requester,
            "blocked": blocked,
        },
        "secret": Place.objects.get(pk=hushed.place_id),
        "square": Place.objects.get(pk=public.place_id),
        "public": public,
    }


def _api(client_for, user: User | None) -> ApiClient:
    return ApiClient() if user is None else client_for(user)


VIEWERS = ["anonymous", "stranger", "requester", "blocked"]


@pytest.mark.parametrize("kind", VIEWERS)
def test_a_private_only_tag_is_unknown_to_who_may_not_see_it(scene, client_for, kind) -> None:
    viewer = scene["viewers"][kind]
    api, web = _api(client_for, viewer), _web(viewer)
    before = snapshot()
    answer, unknown = api.get("tags/hushed/posts"), api.get("tags/neverused/posts")
    assert answer.status_code == unknown.status_code == 200
    assert _named(answer.json(), "hushed") == _named(unknown.json(), "neverused")
    assert answer.json() == {
        "tag": {"name": "hushed", "post_count": 0},
        "top": [],
        "items": [],
        "next_max_id": None,
    }
    page, missing = web.get(reverse("posts:tag", args=["hushed"])), web.get("/explore/tags/nix/")
    assert _same(page, "hushed") == _same(missing, "nix")
    assert _same(page)[0] == 200
    html = page.content.decode()
    assert "<strong>0</strong> posts" in html
    assert "No posts yet" in html
    assert "data-tile=" not in html
    # Later pages too: a cursor reads nothing more of a hidden tag than of an unused one.
    later = web.get("/explore/tags/hushed/?max_id=999999999999", headers={"HX-Request": "true"})
    never = web.get("/explore/tags/nix/?max_id=999999999999", headers={"HX-Request": "true"})
    assert _same(later, "hushed") == _same(never, "nix")
    assert api.get("search?q=hush&type=hashtags").json()["items"] == []
    assert api.get("search?q=hushed").json()["hashtags"] == []
    assert "#hushed" not in web.get("/search/?q=hush&type=hashtags").content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("kind", VIEWERS)
def test_a_place_first_used_by_a_private_account_is_unknown_to_who_may_not_see_it(
    scene, client_for, kind
) -> None:
    viewer, secret = scene["viewers"][kind], scene["secret"]
    api, web = _api(client_for, viewer), _web(viewer)
    before = snapshot()
    unknown = api.get("places/1")
    for path in (f"places/{secret.pk}", f"places/{secret.pk}/posts"):
        answer = api.get(path)
        assert (answer.status_code, answer.json()) == (404, unknown.json())
    page = web.get(reverse("posts:place", args=[secret.pk]))
    assert _same(page) == _same(web.get(reverse("posts:place", args=[1])))
    assert _same(page)[0] == 404
    by_name = api.get("places?q=garden").json()["items"]
    near = api.get(f"places?lat={secret.lat}&lng={secret.lng}").json()["items"]
    searched = api.get(f"search?type=places&lat={secret.lat}&lng={secret.lng}").json()["items"]
    assert str(secret.pk) not in {p["id"] for p in [*by_name, *near, *searched]}
    assert [p["name"] for p in near] == ["Town Square"]  # the public one still is
    assert "Hidden Garden" not in web.get("/search/?q=garden&type=places").content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("kind", VIEWERS)
def test_counts_leave_out_the_posts_the_viewer_may_not_see(scene, client_for, kind) -> None:
    viewer, square = scene["viewers"][kind], scene["square"]
    api, web = _api(client_for, viewer), _web(viewer)
    assert api.get("tags/mixed/posts").json()["tag"] == {"name": "mixed", "post_count": 1}
    assert api.get(f"places/{square.pk}").json()["post_count"] == 1
    assert api.get(f"places/{square.pk}/posts").json()["place"]["post_count"] == 1
    assert api.get("search?q=mix&type=hashtags").json()["items"] == [
        {"name": "mixed", "post_count": 1}
    ]
    assert [p["post_count"] for p in api.get("places?q=town").json()["items"]] == [1]
    assert [p["post_count"] for p in api.get("search?q=town&type=places").json()["items"]] == [1]
    trending = {t["name"]: t["post_count"] for t in api.get("trending/tags").json()["items"]}
    assert trending == {"mixed": 1}
    places = api.get("trending/places").json()["items"]
    assert [(p["name"], p["post_count"]) for p in places] == [("Town Square", 1)]
    # A post carries its place without the count, which is the place page's to tell.
    post = api.get(f"posts/{scene['public'].pk}").json()
    assert (post["place"]["name"], post["place"]["post_count"]) == ("Town Square", None)
    for page in (web.get("/explore/tags/mixed/"), web.get(f"/explore/places/{square.pk}/")):
        assert "<strong>1</strong> post<" in page.content.decode()


@pytest.mark.parametrize("who", ["follower", "pia"])
def test_a_follower_and_the_author_see_the_private_posts_with_their_count(
    scene, client_for, who
) -> None:
    viewer, secret, square = scene[who], scene["secret"], scene["square"]
    api, web = client_for(viewer), _web(viewer)
    hushed = api.get("tags/hushed/posts").json()
    assert hushed["tag"] == {"name": "hushed", "post_count": 1}
    assert len(hushed["items"]) == 1
    assert api.get("tags/mixed/posts").json()["tag"]["post_count"] == 2
    place = api.get(f"places/{secret.pk}").json()
    assert (place["name"], place["lat"], place["post_count"]) == ("Hidden Garden", 45.4371, 1)
    assert api.get(f"places/{square.pk}").json()["post_count"] == 2
    assert api.get("search?q=hush&type=hashtags").json()["items"] == [
        {"name": "hushed", "post_count": 1}
    ]
    assert [p["name"] for p in api.get("places?q=garden").json()["items"]] == ["Hidden Garden"]
    page = web.get(reverse("posts:tag", args=["mixed"]))
    assert page.status_code == 200
    assert "<strong>2</strong> posts<" in page.content.decode()
    assert web.get(reverse("posts:place", args=[secret.pk])).status_code == 200


def test_own_archived_posts_stay_out_of_tag_and_place_pages(make_user, publish, client_for):
    ana = make_user("ana")
    kept = publish(ana, caption="#walk", place=SQUARE)
    archived = publish(ana, caption="#walk", place=SQUARE)
    alone = publish(ana, caption="#attic", place=SECRET)
    services.post_archive(actor=ana, post_id=archived.pk)
    services.post_archive(actor=ana, post_id=alone.pk)
    api, web = client_for(ana), _web(ana)
    body = api.get("tags/walk/posts").json()
    assert body["tag"]["post_count"] == 1
    assert [p["id"] for p in body["items"]] == [str(kept.pk)]
    place = api.get(f"places/{kept.place_id}/posts").json()
    assert (place["place"]["post_count"], [p["id"] for p in place["items"]]) == (
        1,
        [str(kept.pk)],
    )
    for url in ("/explore/tags/walk/", f"/explore/places/{kept.place_id}/"):
        html = web.get(url).content.decode()
        assert f'data-tile="{kept.pk}"' in html
        assert f'data-tile="{archived.pk}"' not in html
    # Used by archived posts alone: as if never used on the pages, as in search.
    assert _named(api.get("tags/attic/posts").json(), "attic") == _named(
        api.get("tags/garret/posts").json(), "garret"
    )
    assert api.get(f"places/{alone.place_id}").status_code == 404
    assert _same(web.get("/explore/tags/attic/"), "attic") == _same(
        web.get("/explore/tags/garret/"), "garret"
    )
    assert api.get("search?q=attic&type=hashtags").json()["items"] == []
    # The archive and the post itself still show them to their author.
    assert api.get(f"posts/{archived.pk}").status_code == 200


@pytest.mark.parametrize("kind", ["stranger", "requester", "blocked"])
def test_a_private_place_cannot_be_taken_by_its_id(scene, media_for, publish, kind) -> None:
    viewer, secret = scene["viewers"][kind], scene["secret"]
    media = media_for(viewer)
    own = publish(viewer, caption="mine")
    before = snapshot()
    for attempt in (
        lambda: services.post_create(author=viewer, media_ids=[media[0].pk], place=secret.pk),
        lambda: services.post_update(actor=viewer, post_id=own.pk, place=secret.pk),
    ):
        with pytest.raises(NotFound) as caught:
            attempt()
        assert caught.value.message == "No place with this id."
    assert snapshot() == before
    follower = scene["follower"]
    taken = publish(follower, place=secret.pk)  # a place the follower may see
    assert taken.place_id == secret.pk

"""THE visibility policy: every viewer kind against public and private accounts.

The policy functions are checked on their own (QuerySet filters and single-object forms
agree), then every read endpoint is checked against the same matrix: what a viewer may not
see answers exactly like a missing account.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.services import token_create
from glimpse.graph import services, visibility
from tests.graph.conftest import (
    Scene,
    api_as,
    build_scene,
    matrix_cells,
    sees_content,
    sees_profile,
    web_as,
)

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


@pytest.fixture
def scene(make_user: MakeUser, request: pytest.FixtureRequest) -> Scene:
    viewer_kind, account_kind = request.param
    return build_scene(make_user, viewer_kind, account_kind)


def cells(*, seeing_content: bool = False) -> list:
    return [
        pytest.param((p.values[0], p.values[1]), id=p.id)
        for p in matrix_cells()
        if not seeing_content or sees_content(str(p.values[0]), str(p.values[1]))
    ]


# --- The policy functions ---------------------------------------------------------------


@pytest.mark.parametrize("scene", cells(), indirect=True)
def test_policy_functions_agree_with_the_rules(scene: Scene) -> None:
    viewer, owner = scene.viewer, scene.owner
    expect_account = sees_profile(scene.viewer_kind, scene.account_kind)
    expect_content = sees_content(scene.viewer_kind, scene.account_kind)

    assert visibility.account_visible(viewer, owner) is expect_account
    assert visibility.content_visible(viewer, owner) is expect_content
    # The QuerySet forms decide the same, on User itself...
    accounts = User.objects.filter(visibility.accounts_visible_to(viewer))
    assert accounts.filter(pk=owner.pk).exists() is expect_account
    authors = User.objects.filter(visibility._content_visible_to(viewer, author=""))
    assert authors.filter(pk=owner.pk).exists() is expect_content
    # ...and through a foreign key path, as on a post's author.
    token_create(user=owner, name="a row that points at the owner")
    on_path = ApiToken.objects.filter(user=owner)
    assert on_path.filter(visibility.accounts_visible_to(viewer, account="user")).exists() is (
        expect_account
    )
    assert on_path.filter(visibility._content_visible_to(viewer, author="user")).exists() is (
        expect_content
    )
    # Nobody blocks the friend in the owner's lists: everyone sees that account.
    assert visibility.account_visible(viewer, scene.friend)


@pytest.mark.parametrize("scene", cells(), indirect=True)
def test_relation_says_what_the_viewer_did(scene: Scene) -> None:
    relation = visibility.relation(scene.viewer, scene.owner)
    assert set(relation) == set(visibility.RELATION_KEYS)
    kind = scene.viewer_kind
    assert relation["is_self"] is (kind == "owner")
    assert relation["following"] is (kind == "follower")
    assert relation["requested"] is (kind == "requester")
    assert relation["blocking"] is (kind == "blocker")
    assert relation["followed_by"] is False
    assert relation["muting"] is False
    # Blocks are never revealed to the blocked side.
    if kind == "blocked":
        assert not any(relation.values())


def test_anonymous_user_object_counts_as_anonymous(make_user: MakeUser) -> None:
    private = make_user("pia", is_private=True)
    assert visibility.account_visible(AnonymousUser(), private)  # type: ignore[arg-type]
    assert not visibility.content_visible(AnonymousUser(), private)  # type: ignore[arg-type]
    assert visibility.relation(AnonymousUser(), private) == dict.fromkeys(  # type: ignore[arg-type]
        visibility.RELATION_KEYS, False
    )


def test_inactive_accounts_are_invisible_to_everyone(make_user: MakeUser) -> None:
    gone = make_user("gone", is_active=False)
    viewer = make_user("vic")
    for who in (None, viewer, gone):
        assert not visibility.account_visible(who, gone)
        assert not visibility.content_visible(who, gone)
        assert not User.objects.filter(visibility.accounts_visible_to(who), pk=gone.pk).exists()


def muted_by(viewer: User) -> set[int]:
    """Return the accounts the policy's mute filter drops for this viewer."""
    dropped = User.objects.exclude(visibility.accounts_unmuted_for(viewer))
    return set(dropped.values_list("pk", flat=True))


def test_mute_hides_nothing_and_is_not_shown_to_the_muted(make_user: MakeUser) -> None:
    muter, muted = make_user("mia"), make_user("max")
    services.mute_create(muter=muter, muted=muted)
    assert muted_by(muter) == {muted.pk}
    assert muted_by(muted) == set()
    assert visibility.account_visible(muted, muter)
    assert visibility.content_visible(muted, muter)
    assert visibility.relation(muter, muted)["muting"] is True
    assert visibility.relation(muted, muter) == dict.fromkeys(visibility.RELATION_KEYS, False)


def test_relations_of_many_accounts_take_one_query(
    make_user: MakeUser, django_assert_num_queries: Callable
) -> None:
    viewer = make_user("vic")
    people = [make_user(f"p{i}") for i in range(12)]
    services.follow_create(follower=viewer, followee=people[0])
    services.follow_create(follower=people[1], followee=viewer)
    services.mute_create(muter=viewer, muted=people[2])
    with django_assert_num_queries(1):
        found = visibility.relations(viewer, [*people, viewer])
    assert found[people[0].pk]["following"]
    assert found[people[1].pk]["followed_by"]
    assert found[people[2].pk]["muting"]
    assert found[viewer.pk]["is_self"]
    assert sum(any(relation.values()) for relation in found.values()) == 4


def test_content_filter_keeps_followed_private_authors_only(make_user: MakeUser) -> None:
    viewer = make_user("vic")
    make_user("pub")
    make_user("pri", is_private=True)
    followed = make_user("fol", is_private=True)
    asked = make_user("ask", is_private=True)
    services.follow_create(follower=viewer, followee=followed)
    services.follow_request_approve(
        owner=followed, request_id=followed.follow_requests_received.get().pk
    )
    services.follow_create(follower=viewer, followee=asked)  # pending: gives nothing
    authors = set(
        User.objects.filter(visibility._content_visible_to(viewer, author="")).values_list(
            "username", flat=True
        )
    )
    assert authors == {"pub", "fol", "vic"}
    anonymous = set(
        User.objects.filter(visibility._content_visible_to(None, author="")).values_list(
            "username", flat=True
        )
    )
    assert anonymous == {"pub", "vic"}


# --- Every read endpoint ----------------------------------------------------------------


def _web_body(response) -> str:
    # The CSRF token of the log-out form changes on every render; nothing else may differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


API_READS = {
    "profile": "accounts/{}",
    "followers": "accounts/{}/followers",
    "following": "accounts/{}/following",
}
WEB_READS = {
    "profile": "/{}/",
    "followers": "/{}/followers/",
    "following": "/{}/following/",
}


def _expected(endpoint: str, scene: Scene) -> bool:
    if endpoint == "profile":
        return sees_profile(scene.viewer_kind, scene.account_kind)
    return sees_content(scene.viewer_kind, scene.account_kind)


@pytest.mark.parametrize("endpoint", list(API_READS))
@pytest.mark.parametrize("scene", cells(), indirect=True)
def test_api_reads_follow_the_policy(scene: Scene, endpoint: str) -> None:
    client = api_as(scene.viewer)
    path = API_READS[endpoint]
    response = client.get(path.format(scene.owner.username))
    missing = client.get(path.format("nobody"))
    assert missing.status_code == 404
    if _expected(endpoint, scene):
        assert response.status_code == 200, response.content
        body = response.json()
        if endpoint == "profile":
            assert body["username"] == "olive"
            assert body["viewer"] == visibility.relation(scene.viewer, scene.owner)
        else:
            expected = ["fern"]
            if endpoint == "followers" and scene.viewer_kind == "follower":
                expected = ["victor", "fern"]  # newest first
            assert [item["username"] for item in body["items"]] == expected
    else:
        assert response.status_code == 404
        assert response.json() == missing.json()
        assert response["Content-Type"] == missing["Content-Type"]


@pytest.mark.parametrize("endpoint", list(WEB_READS))
@pytest.mark.parametrize("scene", cells(), indirect=True)
def test_web_pages_follow_the_policy(scene: Scene, endpoint: str) -> None:
    client = web_as(scene.viewer)
    path = WEB_READS[endpoint]
    response = client.get(path.format(scene.owner.username))
    missing = client.get(path.format("nobody"))
    assert missing.status_code == 404
    if _expected(endpoint, scene):
        assert response.status_code == 200
        page = response.content.decode()
        if endpoint == "profile":
            private_note = "This account is private" in page
            assert private_note is not sees_content(scene.viewer_kind, scene.account_kind)
        else:
            assert "fern" in page
    else:
        assert response.status_code == 404
        assert _web_body(response) == _web_body(missing)


@pytest.mark.parametrize("scene", cells(seeing_content=True), indirect=True)
def test_lists_show_the_accounts_each_viewer_may_see(scene: Scene, make_user: MakeUser) -> None:
    # Someone who blocked the viewer follows the owner too: the viewer never sees them.
    hidden = make_user("hidden")
    services.follow_create(follower=hidden, followee=scene.owner)
    if scene.account_kind == "private":
        request = scene.owner.follow_requests_received.get(requester=hidden)
        services.follow_request_approve(owner=scene.owner, request_id=request.pk)
    if scene.viewer is not None and scene.viewer != scene.owner:
        services.block_create(blocker=hidden, blocked=scene.viewer)
    names = [
        item["username"]
        for item in api_as(scene.viewer)
        .get(f"accounts/{scene.owner.username}/followers")
        .json()["items"]
    ]
    assert "fern" in names
    assert ("hidden" in names) is (scene.viewer is None or scene.viewer == scene.owner)

"""Cached cards in the feed: what changes shows at once, and what the viewer may not see never."""

from __future__ import annotations

import pytest

from glimpse.accounts import services as account_services
from glimpse.graph import services as graph
from glimpse.posts import services as post_services
from glimpse.posts.services import ItemSpec, PeopleTagSpec
from tests.feeds.conftest import follow

pytestmark = pytest.mark.django_db


def first_item(api) -> dict:
    return api.get("feed").json()["items"][0]


def test_edits_counts_and_profiles_show_at_once(store, make_user, post_by, act, client_for) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    post = post_by(ana, caption="first words")
    api = client_for(viewer)
    assert first_item(api)["caption"] == "first words"  # the card is cached now
    act(lambda: post_services.post_update(actor=ana, post_id=post.pk, caption="second words"))
    act(lambda: post_services.like_create(user=bob, post_id=post.pk))
    act(lambda: account_services.profile_update(user=ana, display_name="Ana Lima"))
    shown = first_item(api)
    assert shown["caption"] == "second words"
    assert shown["like_count"] == 1
    assert shown["author"]["display_name"] == "Ana Lima"
    act(lambda: post_services.like_create(user=viewer, post_id=post.pk))
    assert first_item(api)["viewer"]["liked"] is True
    act(lambda: post_services.post_update(actor=ana, post_id=post.pk, hide_like_count=True))
    assert first_item(api)["like_count"] is None


def test_tags_and_mentions_of_hidden_accounts_are_left_out(
    store, make_user, media_for, act, client_for
) -> None:
    viewer, ana, rita = make_user("viewer"), make_user("ana"), make_user("rita")
    act(lambda: follow(viewer, ana))
    media = media_for(ana, 1)[0]
    act(
        lambda: post_services.post_create(
            author=ana,
            media_ids=[media.pk],
            caption="with @rita",
            items=[ItemSpec(people_tags=[PeopleTagSpec("rita", 0.5, 0.5)])],
        )
    )
    api = client_for(viewer)
    shown = first_item(api)
    assert shown["mentions"] == ["rita"]
    assert [t["account"]["username"] for t in shown["media"][0]["people_tags"]] == ["rita"]
    act(lambda: graph.block_create(blocker=rita, blocked=viewer))
    hidden = first_item(api)
    assert hidden["mentions"] == []
    assert hidden["media"][0]["people_tags"] == []

"""Suggested accounts: followed by the viewer's followees, with mutual counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.feeds import suggestions
from glimpse.feeds.suggestions import accounts_suggested
from glimpse.graph import services as graph
from glimpse.graph.models import Follow
from tests.feeds.conftest import follow

pytestmark = pytest.mark.django_db


def test_suggestions_rank_by_mutual_follows_and_leave_out_the_excluded(make_user) -> None:
    viewer = make_user("viewer")
    f1, f2, f3 = make_user("f1"), make_user("f2"), make_user("f3")
    for followee in (f1, f2, f3):
        follow(viewer, followee)
    popular, niche, blocked, blocker, muted, pending = (
        make_user(n) for n in ("popular", "niche", "blocked", "blocker", "muted", "pending")
    )
    private = make_user("private", is_private=True)
    pending.is_private = True
    pending.save()
    for followee in (f1, f2, f3):
        follow(followee, popular)
    follow(f1, niche)
    for other in (blocked, blocker, muted, pending, private, viewer):
        follow(f1, other)
        follow(f2, other)
    follow(f1, f2)  # already followed by the viewer: not suggested
    graph.block_create(blocker=viewer, blocked=blocked)
    graph.block_create(blocker=blocker, blocked=viewer)
    graph.mute_create(muter=viewer, muted=muted)
    assert graph.follow_create(follower=viewer, followee=pending) == "requested"
    before = Follow.objects.count()
    found = [(a.username, a.mutual_count) for a in accounts_suggested(viewer=viewer)]  # type: ignore[attr-defined]
    assert found == [("popular", 3), ("private", 2), ("niche", 1)]
    assert Follow.objects.count() == before


def test_no_followees_no_suggestions(make_user) -> None:
    make_user("someone")
    assert accounts_suggested(viewer=make_user("viewer")) == []


def _network(make_user):
    viewer, friend = make_user("viewer"), make_user("friend")
    star, other = make_user("star"), make_user("other")
    follow(viewer, friend)
    follow(friend, star)
    follow(friend, other)
    return viewer, star, other


def test_the_candidates_are_cached_and_the_viewers_own_changes_count_at_once(
    make_user,
) -> None:
    viewer, star, other = _network(make_user)
    assert {a.username for a in accounts_suggested(viewer=viewer)} == {"star", "other"}
    with CaptureQueriesContext(connection) as captured:
        assert len(accounts_suggested(viewer=viewer)) == 2
    assert len(captured) == 1  # the accounts, checked now; the candidates were cached
    graph.follow_create(follower=viewer, followee=star)
    graph.mute_create(muter=viewer, muted=other)
    assert accounts_suggested(viewer=viewer) == []
    graph.mute_delete(muter=viewer, muted=other)
    graph.block_create(blocker=other, blocked=viewer)
    assert accounts_suggested(viewer=viewer) == []


def test_only_the_latest_followees_follows_are_counted(make_user, monkeypatch) -> None:
    monkeypatch.setattr(suggestions, "SUGGESTIONS_SOURCES", 1)
    viewer, early, late = make_user("viewer"), make_user("early"), make_user("late")
    follow(viewer, early)
    follow(viewer, late)
    follow(early, make_user("old_friend"))
    follow(late, make_user("new_friend"))
    assert [a.username for a in accounts_suggested(viewer=viewer)] == ["new_friend"]

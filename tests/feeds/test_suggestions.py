"""Suggested accounts: followed by the viewer's followees, with mutual counts."""

from __future__ import annotations

import pytest

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
